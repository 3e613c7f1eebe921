"""A run interrupted in any deduplication stage resumes to the same bytes as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from nordic_pile.dedup.assign import ClusterFilter, RepresentativeStage
from nordic_pile.dedup.buckets import BucketStage
from nordic_pile.dedup.exact import ExactGroupStage, ExactKeyCollector
from nordic_pile.dedup.fuzzy import MinhashCollector, MinhashFilter
from nordic_pile.dedup.rounds import ClusterRound
from tests.dedup.runs import file_bytes, run, write_recipe
from tests.engine.helpers import cli_command

STEPS = "  - exact_dedup: {}\n  - minhash_dedup: {cluster_rounds: 2, index: INDEX}\n"


def _outputs(out) -> dict[str, bytes]:
    return {k: v for k, v in file_bytes(out).items() if k.startswith(("data/", "removed/"))}


@pytest.fixture
def reference(tmp_path, near_dup_corpus):
    folder, _ = near_dup_corpus
    recipe = write_recipe(tmp_path / "r.yaml", STEPS.replace("INDEX", str(tmp_path / "index_ref")))
    run(recipe, folder, tmp_path / "ref", tasks=2)
    return folder, _outputs(tmp_path / "ref")


def _raise_once(cls, after_docs: int):
    original, state = cls.run, {"raised": False}

    def run_then_fail(self, data=None, rank: int = 0, world_size: int = 1):
        produced = 0
        for doc in original(self, data, rank, world_size):
            yield doc
            produced += 1
            if rank == 1 and not state["raised"] and produced >= after_docs:
                break
        if rank == 1 and not state["raised"]:
            state["raised"] = True
            raise RuntimeError(f"simulated crash in {cls.__name__}")

    return run_then_fail


@pytest.mark.parametrize(
    "cls",
    [
        ExactKeyCollector,
        ExactGroupStage,
        RepresentativeStage,
        ClusterFilter,
        MinhashCollector,
        BucketStage,
        ClusterRound,
        MinhashFilter,
    ],
)
def test_resume_after_a_crash_in_each_stage(tmp_path, reference, monkeypatch, cls):
    folder, expected = reference
    recipe = write_recipe(tmp_path / "r.yaml", STEPS.replace("INDEX", str(tmp_path / "index")))
    with monkeypatch.context() as m:
        m.setattr(cls, "run", _raise_once(cls, after_docs=3))
        with pytest.raises(RuntimeError, match="simulated crash"):
            run(recipe, folder, tmp_path / "out", tasks=2)
    summary = run(recipe, folder, tmp_path / "out", tasks=2)
    assert summary["balanced"] and _outputs(tmp_path / "out") == expected


@pytest.mark.parametrize("stage", ["stage0", "minhash_dedup_buckets"])
def test_resume_after_sigkill(tmp_path, reference, stage):
    folder, expected = reference
    recipe = write_recipe(tmp_path / "r.yaml", STEPS.replace("INDEX", str(tmp_path / "index")))
    command = cli_command("run", recipe, "--input", folder, "--output", tmp_path / "out", "--tasks", 2, "--workers", 1)
    marker = tmp_path / "out" / "logs" / stage / "completions"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None and not (marker.is_dir() and os.listdir(marker)):
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (tmp_path / "out" / "summary.json").exists()
    assert subprocess.run(command, capture_output=True).returncode == 0
    assert _outputs(tmp_path / "out") == expected
