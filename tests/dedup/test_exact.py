"""Exact and line deduplication across shards and tasks, end to end through `nordic-pile run`."""

from __future__ import annotations

import collections
import json

import pytest

from nordic_pile.dedup.exact import exact_key, key_text
from tests.dedup.conftest import write_shards
from tests.dedup.runs import read_docs, run, write_recipe

TEXTS = ["Hún fór heim í gær.", "Hún  fór heim\ní gær.", "HÚN fór heim í gær.", "Annað mál.", "Hún fór heim í gær. "]


def test_key_normalises_but_never_folds_kept_text():
    assert key_text("Å\u030a  x\n") == key_text("Å̊ x")  # NFC + whitespace
    assert exact_key("Ærø") != exact_key("ærø") and exact_key("Ærø", True) == exact_key("ærø", True)


@pytest.mark.parametrize("tasks", [1, 3])
def test_exact_dedup_across_shards_and_tasks(tmp_path, tasks):
    # shard s holds every text with score s; "longest" is tied, so shard order decides
    shards = [[{"id": f"{s}-{i}", "text": t, "lang": "is", "score": s} for i, t in enumerate(TEXTS)] for s in range(3)]
    write_shards(tmp_path / "in", shards)
    recipe = write_recipe(tmp_path / "r.yaml", "  - exact_dedup: {keep: first}\n")
    summary = run(recipe, tmp_path / "in", tmp_path / "out", tasks=tasks)
    kept = read_docs(tmp_path / "out" / "data")
    assert sorted(d["id"] for d in kept) == ["0-0", "0-2", "0-3"]  # first copy by shard order, case kept
    sizes = {d["id"]: d["metadata"]["dup_cluster_size"] for d in kept}
    assert sizes == {"0-0": 9, "0-2": 3, "0-3": 3}
    removed = read_docs(tmp_path / "out" / "removed")
    assert {d["metadata"]["filter_reason"] for d in removed} == {"exact_duplicate"} and len(removed) == 12
    by_cluster = collections.Counter(d["metadata"]["dup_cluster_id"] for d in kept + removed)
    assert sorted(by_cluster.values()) == [3, 3, 9]
    assert summary["balanced"] and summary["steps"]["exact_dedup"]["removed"]["docs"] == 12


@pytest.mark.parametrize(("keep", "expected"), [("highest_score", "2-0"), ("longest", "0-1")])
def test_representative_rules(tmp_path, keep, expected):
    shards = [[{"id": f"{s}-{i}", "text": t, "lang": "is", "score": s} for i, t in enumerate(TEXTS)] for s in range(3)]
    write_shards(tmp_path / "in", shards)
    extra = ", score_key: score" if keep == "highest_score" else ""
    recipe = write_recipe(tmp_path / "r.yaml", f"  - exact_dedup: {{keep: {keep}{extra}}}\n")
    run(recipe, tmp_path / "in", tmp_path / "out", tasks=2)
    kept = {d["id"] for d in read_docs(tmp_path / "out" / "data")}
    assert expected in kept and len(kept) == 3


def test_line_dedup_removes_boilerplate_and_records_loss(tmp_path):
    cookie = "Við notum vafrakökur til að bæta upplifun þína."
    shards = [
        [
            {"id": f"{s}-{i}", "lang": "is", "text": f"Frétt {s}-{i} um eitthvað alveg sérstakt.\n{cookie}"}
            for i in range(6)
        ]
        + [{"id": f"{s}-only", "lang": "is", "text": cookie}]
        for s in range(2)
    ]
    write_shards(tmp_path / "in", shards)
    recipe = write_recipe(tmp_path / "r.yaml", "  - line_dedup: {max_occurrences: 5}\n")
    summary = run(recipe, tmp_path / "in", tmp_path / "out")
    kept = read_docs(tmp_path / "out" / "data")
    assert len(kept) == 12 and all(cookie not in d["text"] for d in kept)
    assert kept[0]["metadata"]["line_dedup"]["units_removed"] == 1
    assert summary["steps"]["line_dedup"]["by_reason"]["line_dedup_empty"]["docs"] == 2
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["balanced"]
