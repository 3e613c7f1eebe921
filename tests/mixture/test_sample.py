"""`mix measure` and `mix sample` on real curated shards with datatrove executors (tasks > 1)."""

import glob
import gzip
import json
import math
import os
import shutil
from collections import Counter, defaultdict

import pytest

from nordic_pile.cli import main
from nordic_pile.mixture.draw import BINS, bin_limit, bucket_of, order_key, sub_bucket_of
from nordic_pile.mixture.measure import measure
from nordic_pile.mixture.plan import Slice, WeightRule, plan_from_weights
from nordic_pile.mixture.sample import sample_mixture
from nordic_pile.text.words import words
from tests.conftest import DATA

CURATED = DATA / "curated"


def _read(folder):
    docs = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.jsonl.gz"), recursive=True)):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            docs += [json.loads(line) for line in f]
    return docs


def _plan(total=None):
    sizes, _ = measure([str(CURATED)], tasks=2, workers=1)
    slices = [Slice(s.category, s.language, s.bytes) for s in sizes]
    rules = [WeightRule("books", "*", 2.5), WeightRule("*", "eng", 0.4), WeightRule("code", "*", 0.5)]
    return plan_from_weights(slices, rules, total=total or 1.6 * sum(s.size for s in slices))


def test_measure_counts_every_slice(tmp_path):
    sizes, unreadable = measure([str(CURATED)], tasks=3, workers=1)
    docs = _read(CURATED)
    assert unreadable == 0
    assert sum(s.documents for s in sizes) == len(docs)
    expected = defaultdict(lambda: [0, 0, 0])
    for d in docs:
        e = expected[(d["metadata"]["category"], d["metadata"]["language"])]
        e[0] += len(d["text"])
        e[1] += len(d["text"].encode())
        e[2] += len(words(d["text"]))
    assert {(s.category, s.language): [s.chars, s.bytes, s.words] for s in sizes} == dict(expected)
    assert ("books", "isl") in expected and ("code", "code") in expected


def test_measure_accepts_a_run_folder_and_globs(tmp_path, capsys):
    run = tmp_path / "run"
    shutil.copytree(CURATED, run / "data")
    (run / "run.json").write_text("{}")
    (run / "summary.json").write_text("{}")
    assert main(["mix", "measure", str(run), "--format", "csv", "--tasks", "2", "--workers", "1"]) == 0
    from_run = capsys.readouterr().out
    assert (
        main(["mix", "measure", str(CURATED / "swe" / "*" / "*.jsonl.gz"), "--format", "csv", "--workers", "1"]) == 0
    )
    swe = capsys.readouterr().out.splitlines()
    assert swe[0] == "category,language,documents,chars,bytes,words"
    assert [line.split(",")[:2] for line in swe[1:]] == [["books", "swe"], ["help", "swe"]]
    assert all(line in from_run for line in swe[1:])


def test_measure_json_feeds_the_plan(tmp_path, capsys):
    sizes = tmp_path / "sizes.json"
    assert main(["mix", "measure", str(CURATED / "fao"), "--format", "json", "-o", str(sizes), "--workers", "1"]) == 0
    weights = tmp_path / "w.csv"
    weights.write_text("category,language,weight\nbooks,*,2\n")
    assert (
        main(
            [
                "mix",
                "plan",
                "--sizes",
                str(sizes),
                "--weights",
                str(weights),
                "--size-column",
                "words",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    rows = [line.split(",") for line in capsys.readouterr().out.splitlines()]
    assert rows[0][:3] == ["category", "language", "size"]
    epochs = {row[0]: float(row[4]) for row in rows[1:]}
    assert epochs["books"] == pytest.approx(2 * epochs["wiki"])


def test_bin_limit_takes_the_share_of_bytes_closest_to_the_fraction():
    import numpy as np

    histogram = np.zeros(BINS, dtype=np.int64)
    histogram[[10, 20, 30, 40]] = [100, 300, 50, 550]
    assert bin_limit(histogram, 0.4) == 21  # bins < 21 hold 400 of 1000 bytes
    assert bin_limit(histogram, 0.0) == 0
    assert bin_limit(histogram, 0.999) in (41, BINS)
    keys = sorted(order_key(7, f"doc{i}", 0) for i in range(2000))
    buckets = [bucket_of(k, 5) for k in keys]
    assert buckets == sorted(buckets) and set(buckets) == set(range(5))
    subs = [sub_bucket_of(k, 2, 5, 3) for k in keys if bucket_of(k, 5) == 2]
    assert subs == sorted(subs) and set(subs) == {0, 1, 2}


@pytest.fixture(scope="module")
def sampled(tmp_path_factory):
    plan = _plan()
    out = tmp_path_factory.mktemp("mixture") / "out"
    record = sample_mixture(plan, [str(CURATED)], str(out), seed=11, shards=3, tasks=2, workers=1)
    return plan, out, record


def test_every_slice_is_repeated_by_its_epochs_with_whole_documents(sampled):
    plan, out, record = sampled
    inputs = {(d["id"], d["text"]) for d in _read(CURATED)}
    outputs = _read(out / "data")
    assert record["documents_out"] == len(outputs)
    copies = Counter((d["id"], d["text"]) for d in outputs)
    assert set(copies) <= inputs  # whole documents, unchanged
    epochs = {f"{s.language}/{s.category}": s.epochs for s in plan.slices}
    for doc in outputs:
        meta = doc["metadata"]["mixture"]
        e = epochs[meta["slice"]]
        assert meta["epochs"] == pytest.approx(e, abs=1e-6)
        n = copies[(doc["id"], doc["text"])]
        assert n in (math.floor(e), math.floor(e) + 1)
        assert 0 <= meta["repeat"] < n
    repeats = defaultdict(set)
    for doc in outputs:
        repeats[doc["id"]].add(doc["metadata"]["mixture"]["repeat"])
    assert all(r == set(range(len(r))) for r in repeats.values())
    for name, s in record["slices"].items():
        if s["documents"] >= 30:  # whole documents: a small slice cannot hit a fraction exactly
            assert s["epochs"] == pytest.approx(s["planned_epochs"], rel=0.1), name


def test_the_mixture_is_shuffled_across_slices(sampled):
    _, out, _ = sampled
    for path in sorted(glob.glob(str(out / "data" / "*.jsonl.gz"))):
        with gzip.open(path, "rt") as f:
            slices = [json.loads(line)["metadata"]["mixture"]["slice"] for line in f]
        runs = sum(1 for a, b in zip(slices, slices[1:], strict=False) if a != b)
        assert runs > len(slices) / 2  # grouped slices would change only about a dozen times


def test_sample_is_the_same_bytes_for_other_task_counts_and_memory_limits(sampled, tmp_path):
    plan, out, _ = sampled
    other = tmp_path / "other"
    sample_mixture(
        plan, [str(CURATED)], str(other), seed=11, shards=3, tasks=3, workers=2, memory_bytes=64 << 10
    )  # buckets of ~1 MB split into key ranges on disk
    for name in ("00000", "00001", "00002"):
        assert (other / "data" / f"{name}.jsonl.gz").read_bytes() == (out / "data" / f"{name}.jsonl.gz").read_bytes()
    another_seed = tmp_path / "seed"
    sample_mixture(plan, [str(CURATED)], str(another_seed), seed=12, shards=3, tasks=2, workers=1)
    assert (another_seed / "data" / "00000.jsonl.gz").read_bytes() != (out / "data" / "00000.jsonl.gz").read_bytes()


def test_a_killed_sample_finishes_correctly_when_rerun(sampled, tmp_path):
    plan, out, _ = sampled
    killed = tmp_path / "killed"
    sample_mixture(plan, [str(CURATED)], str(killed), seed=11, shards=3, tasks=2, workers=1, keep_work=True)
    # as if killed while scattering task 1 and gathering bucket 2: no completion markers, partial files left
    os.remove(killed / "logs" / "scatter" / "completions" / "00001")
    for part in glob.glob(str(killed / "work" / "buckets" / "*" / "00001.jsonl.zst")):
        os.replace(part, part + ".partial")
    os.remove(killed / "logs" / "gather" / "completions" / "00002")
    os.remove(killed / "data" / "00002.jsonl.gz")
    (killed / "data" / "00002.jsonl.gz.partial").write_bytes(b"\x1f\x8b truncated")
    assert (
        main(
            [
                "mix",
                "sample",
                "--plan",
                str(_save_plan(plan, tmp_path)),
                str(CURATED),
                "--output",
                str(killed),
                "--seed",
                "11",
                "--shards",
                "3",
                "--tasks",
                "2",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    for name in ("00000", "00001", "00002"):
        assert (killed / "data" / f"{name}.jsonl.gz").read_bytes() == (out / "data" / f"{name}.jsonl.gz").read_bytes()
    assert not glob.glob(str(killed / "data" / "*.partial"))


def test_another_plan_in_the_same_folder_is_refused(sampled, tmp_path, capsys):
    plan, out, _ = sampled
    other = _plan(total=1e6)
    code = main(
        [
            "mix",
            "sample",
            "--plan",
            str(_save_plan(other, tmp_path)),
            str(CURATED),
            "--output",
            str(out),
            "--seed",
            "11",
            "--shards",
            "3",
            "--tasks",
            "2",
        ]
    )
    assert code == 2
    assert "holds `mix sample` output made with another plan; pass --overwrite" in capsys.readouterr().err


def _save_plan(plan, folder):
    from nordic_pile.mixture.tables import plan_to_json

    path = folder / "plan.json"
    path.write_text(json.dumps(plan_to_json(plan)))
    return path
