"""A real small run to audit: UD sentences grouped into documents, two input files, 2 tasks, two filters, pii."""

import json
import random

import pytest

from nordic_pile.cli import main
from tests.conftest import DATA

RECIPE = """input: {{format: jsonl}}
steps:
  - normalize_unicode:
  - datatrove.pipeline.filters.RegexFilter: {{regex_exp: "{first}"}}
  - datatrove.pipeline.filters.RegexFilter: {{regex_exp: "(?i)\\\\bthe\\\\b"}}
  - pii:
"""
DOMAINS = ["www.nrk.no", "dr.dk", "svt.se", "ruv.is", "kvf.fo", "example.org"]


def make_corpus(folder, seed: int = 0) -> int:
    """Documents of 4 sentences each (two files), with the metadata other steps would add; returns how many."""
    rng = random.Random(seed)
    with open(DATA / "pii" / "ud_sentences.jsonl", encoding="utf-8") as f:
        sentences = [json.loads(line) for line in f]
    by_lang: dict[str, list[str]] = {}
    for s in sentences:
        by_lang.setdefault(s["lang"], []).append(s["text"])
    docs = []
    for lang, texts in sorted(by_lang.items()):
        for i in range(0, len(texts), 4):
            text = "\n\n".join(texts[i : i + 4])
            if i == 0:
                text += "\n\nKontakt: anna.berg@firma.se, tlf. 22 33 44 55."
            docs.append(
                {
                    "id": f"{lang}-{i}",
                    "text": text,
                    "lang": lang,
                    "category": rng.choice(["news", "wiki"]),
                    "url": f"https://{rng.choice(DOMAINS)}/{lang}/{i}",
                    "language_score": round(rng.uniform(0.5, 1.0), 3),
                    "quality": {"mean_word_length": round(rng.gauss(5, 1), 2), "lines": rng.randint(1, 8)},
                    "dup_cluster_size": rng.choice([1, 1, 1, 2, 3, 8]),
                    "language_shares": {lang: 1.0} if rng.random() < 0.8 else {lang: 0.6, "eng": 0.4},
                }
            )
    folder.mkdir(parents=True, exist_ok=True)
    for part in range(2):
        with open(folder / f"part{part}.jsonl", "w", encoding="utf-8") as f:
            for doc in docs[part::2]:
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return len(docs)


def run(tmp, name: str, first_regex: str) -> str:
    recipe = tmp / f"{name}.yaml"
    recipe.write_text(RECIPE.format(first=first_regex))
    out = tmp / name
    assert main(["run", str(recipe), "--input", str(tmp / "in"), "--output", str(out), "--tasks", "2"]) == 0
    return str(out)


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("audit_runs")
    n = make_corpus(tmp / "in")
    return {"n": n, "a": run(tmp, "run_a", "[0-9]{4}"), "b": run(tmp, "run_b", "[0-9]{3}"), "tmp": tmp}
