"""MinHash LSH deduplication end to end: near duplicates across shards, clusters, verification, incremental index."""

from __future__ import annotations

import collections
import re

import pytest

from nordic_pile.cli import main
from nordic_pile.dedup.fuzzy import MinhashDedup
from nordic_pile.errors import ConfigError
from tests.dedup.conftest import write_shards
from tests.dedup.runs import read_docs, run, write_recipe

FAST = "cluster_rounds: 2"


def test_near_duplicates_across_shards(tmp_path, near_dup_corpus):
    folder, records = near_dup_corpus
    recipe = write_recipe(tmp_path / "r.yaml", f"  - exact_dedup: {{}}\n  - minhash_dedup: {{{FAST}}}\n")
    summary = run(recipe, folder, tmp_path / "out", tasks=3)
    kept, removed = read_docs(tmp_path / "out" / "data"), read_docs(tmp_path / "out" / "removed")
    assert sorted(d["id"] for d in kept) == sorted(f"orig{i}" for i in range(40))
    reasons = collections.Counter((d["id"][:4], d["metadata"]["filter_reason"]) for d in removed)
    assert reasons == {("near", "near_duplicate"): 10, ("copy", "exact_duplicate"): 8}
    kept_by_cluster = {d["metadata"]["dup_cluster_id"]: d for d in kept}
    assert len(kept_by_cluster) == 40
    for doc in removed:  # every removed copy points at the kept original's cluster
        original = kept_by_cluster[doc["metadata"]["dup_cluster_id"]]
        assert original["id"] == "orig" + doc["id"][4:]
    expected = {i: 1 + (i % 4 == 0) + (i % 5 == 0) for i in range(40)}
    assert {int(d["id"][4:]): d["metadata"]["dup_cluster_size"] for d in kept} == expected
    assert summary["balanced"] and summary["removed"] == 18


def test_verification_removes_a_planted_false_positive(tmp_path, docs):
    # one-row bands over 16 permutations: documents sharing half their shingles collide in some band
    base = docs[0].split(" ")
    half = " ".join(base[: len(base) // 2] + docs[1].split(" ")[len(base) // 2 :])
    write_shards(
        tmp_path / "in", [[{"id": "a", "text": docs[0], "lang": "is"}], [{"id": "b", "text": half, "lang": "is"}]]
    )
    with pytest.raises(ConfigError, match="lsh_weights"):
        MinhashDedup(lsh_weights=[0.5, 0.6])
    params = f"num_perm: 16, bands: 16, rows: 1, {FAST}"
    for verify, kept in ((False, {"a"}), (True, {"a", "b"})):
        recipe = write_recipe(tmp_path / "r.yaml", f"  - minhash_dedup: {{{params}, verify: {str(verify).lower()}}}\n")
        run(recipe, tmp_path / "in", tmp_path / f"out{verify}")
        assert {d["id"] for d in read_docs(tmp_path / f"out{verify}" / "data")} == kept


def test_incremental_run_against_a_persisted_index(tmp_path, near_dup_corpus, capsys):
    folder, records = near_dup_corpus
    originals = [r for r in records if r["id"].startswith("orig")]
    others = [r for r in records if not r["id"].startswith("orig")]
    write_shards(tmp_path / "old", [originals[0::2], originals[1::2]])
    write_shards(tmp_path / "new", [others])
    index = tmp_path / "index"
    recipe = write_recipe(tmp_path / "r.yaml", f"  - minhash_dedup: {{index: {index}, {FAST}}}\n")
    run(recipe, tmp_path / "old", tmp_path / "out_old")
    old_clusters = {d["id"]: d["metadata"]["dup_cluster_id"] for d in read_docs(tmp_path / "out_old" / "data")}
    summary = run(recipe, tmp_path / "new", tmp_path / "out_new", tasks=1)  # other task count: fine
    assert summary["kept"] == 0 and summary["removed"] == len(others)
    for doc in read_docs(tmp_path / "out_new" / "removed"):
        assert doc["metadata"]["dup_cluster_id"] == old_clusters["orig" + doc["id"][4:]]
        i = int(doc["id"][4:])  # the indexed cluster (size 1) plus the new copies that joined it
        assert doc["metadata"]["filter_reason"] == "near_duplicate"
        assert doc["metadata"]["dup_cluster_size"] == 1 + (i % 4 == 0) + (i % 5 == 0)
    assert len(list((index / "segments").iterdir())) == 2
    other = write_recipe(tmp_path / "r2.yaml", f"  - minhash_dedup: {{index: {index}, n: 3}}\n")
    capsys.readouterr()
    assert main(["run", str(other), "--input", str(tmp_path / "new"), "--output", str(tmp_path / "bad")]) == 2
    assert re.search(r"segment run-\w+ was built with other parameters \(n: \[5\]\)", capsys.readouterr().err)
