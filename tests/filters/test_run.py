"""The quality filter in a real `nordic-pile run` of the default recipe (2 tasks): removals by rule and language in
summary.json, removed documents with their reason and statistics, kept documents with theirs."""

import gzip
import json
import subprocess
from pathlib import Path

from tests.conftest import DATA
from tests.engine.helpers import cli_command
from tests.filters import texts as T

ROOT = Path(__file__).resolve().parents[2]


def _run(recipe, inp: Path, out: Path, cwd: Path) -> subprocess.CompletedProcess:
    """`nordic-pile run` with 2 tasks and 2 workers, as its own process."""
    args = ("run", recipe, "--input", inp, "--output", out, "--tasks", 2, "--workers", 2)
    return subprocess.run(cli_command(*args), capture_output=True, text=True, cwd=cwd, timeout=300)


JUNK = {
    "menu": (T.MENU, "sv"),
    "spec": (T.PRODUCT_SPEC, "sv"),
    "spam": (T.SPAM_PHRASE, "sv"),
    "tiny": (T.TOO_SHORT, "da"),
    "symbols": (T.SYMBOLS, "nb"),
    "numbers": (T.NUMBERS, "is"),
}


def read_jsonl_gz(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.rglob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            out += [json.loads(line) for line in f]
    return out


def test_default_recipe_filters_and_accounts_per_rule_and_language(tmp_path):
    real = (DATA / "filters" / "nordic_docs.jsonl").read_text("utf-8").splitlines()
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "real_a.jsonl").write_text("\n".join(real[::2]) + "\n", encoding="utf-8")
    (inp / "real_b.jsonl").write_text("\n".join(real[1::2]) + "\n", encoding="utf-8")
    junk = [json.dumps({"id": k, "text": text, "lang": lang}, ensure_ascii=False) for k, (text, lang) in JUNK.items()]
    (inp / "junk.jsonl").write_text("\n".join(junk) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run = _run(str(ROOT / "pipelines" / "default.yaml"), inp, out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]

    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["balanced"] and summary["read"] == len(real) + len(JUNK)
    step = summary["steps"]["quality_filter"]
    assert step["removed"]["docs"] >= len(JUNK)
    removed = read_jsonl_gz(out / "removed" / "quality_filter")
    by_id = {d["id"]: d for d in removed}
    assert set(JUNK) <= set(by_id)
    for doc in removed:
        reason = doc["metadata"]["filter_reason"]
        language = doc["metadata"]["language"]
        assert doc["metadata"]["removed_by"] == "quality_filter"
        assert doc["metadata"]["quality"]["profile"] == language  # the thresholds of the document's language
        entry = step["by_reason"][reason]
        assert entry["by_language"][language]["docs"] >= 1 and entry["chars"] >= len(doc["text"])
        assert summary["languages"][language]["removed_by_reason"][f"quality_filter/{reason}"]["docs"] >= 1
    assert by_id["tiny"]["metadata"]["filter_reason"] == "gopher_too_few_words"
    assert by_id["spec"]["metadata"]["filter_reason"] == "gopher_too_few_stop_words"

    kept = read_jsonl_gz(out / "data")
    assert len(kept) == summary["kept"] == summary["read"] - len(removed)
    real_removed = [d for d in removed if d["id"] not in JUNK]  # short help pages: menus, number tables
    assert all(d["metadata"]["quality"]["n_words"] < 100 for d in real_removed), real_removed
    assert len(real_removed) <= 0.15 * len(real)
    assert all("n_words" in d["metadata"]["quality"] for d in kept)
    assert {d["metadata"]["language"] for d in kept} >= {"swe", "dan", "nob", "nno", "isl", "fao"}


def test_annotate_mode_keeps_everything_and_counts_what_it_would_remove(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    junk = [json.dumps({"id": k, "text": text, "lang": lang}, ensure_ascii=False) for k, (text, lang) in JUNK.items()]
    (inp / "a.jsonl").write_text("\n".join(junk[:3]) + "\n", encoding="utf-8")
    (inp / "b.jsonl").write_text("\n".join(junk[3:]) + "\n", encoding="utf-8")
    recipe = tmp_path / "annotate.yaml"
    recipe.write_text(
        "input: {format: jsonl}\noutput: {format: jsonl}\nsteps:\n  - quality_filter: {mode: annotate}\n"
    )
    out = tmp_path / "out"
    run = _run(str(recipe), inp, out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["kept"] == len(JUNK) and summary["removed"] == 0
    stats = next(v for k, v in summary["step_stats"].items() if k.endswith("quality_filter"))
    assert stats["would_remove/swe/gopher_too_few_stop_words"]["total"] >= 1
    assert stats["would_remove/dan/gopher_too_few_words"]["total"] == 1
    kept = read_jsonl_gz(out / "data")
    assert all(d["metadata"]["quality_failed"] for d in kept)  # every junk document has its failed rules listed
