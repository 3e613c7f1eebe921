"""Corpora for the deduplication tests, built from real Icelandic documents by controlled edits."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from tests.conftest import DATA


def load_docs() -> list[str]:
    with gzip.open(DATA / "dedup_icepahc_is.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def edit_words(text: str, fraction: float, rng: random.Random) -> str:
    """Replace about `fraction` of the words (a near duplicate, Jaccard falling with the fraction)."""
    words = text.split(" ")
    for i in rng.sample(range(len(words)), max(1, int(len(words) * fraction))):
        words[i] = "breytt"
    return " ".join(words)


def write_shards(folder, shards: list[list[dict]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, records in enumerate(shards):
        with gzip.open(folder / f"part{i}.jsonl.gz", "wt", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.fixture(scope="session")
def docs() -> list[str]:
    return load_docs()


@pytest.fixture
def near_dup_corpus(tmp_path, docs):
    """4 shards: 40 originals (shards 0-1), a light edit (1% of words) of every 4th and an exact copy (but for
    whitespace) of every 5th (shards 2-3, so that `keep: first` keeps the originals)."""
    rng = random.Random(7)
    originals, edits = [], []
    for i, text in enumerate(docs[:40]):
        originals.append({"id": f"orig{i}", "text": text, "lang": "is"})
        if i % 4 == 0:
            edits.append({"id": f"near{i}", "text": edit_words(text, 0.01, rng), "lang": "is"})
        if i % 5 == 0:
            edits.append({"id": f"copy{i}", "text": text.replace(" ", "  ", 3), "lang": "is"})
    rng.shuffle(originals)
    rng.shuffle(edits)
    folder = tmp_path / "input"
    write_shards(folder, [originals[0::2], originals[1::2], edits[0::2], edits[1::2]])
    return folder, originals + edits
