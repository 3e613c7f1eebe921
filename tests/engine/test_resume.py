"""A run killed at any point and started again finishes with exactly the output of an uninterrupted run."""

import os
import signal
import time

import pytest

from tests.engine.helpers import real_texts, run_cli, run_subprocess, summary, tree_bytes, write_jsonl, write_recipe

RECIPE = """\
input: {format: jsonl}
output: {format: jsonl, partition: "{language}"}
steps:
  - tests.engine.steps_for_tests:SlowFormatter: {seconds: 0.02}
  - normalize_whitespace:
  - datatrove.pipeline.filters.RegexFilter: {regex_exp: "Köp nu"}
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume")
    docs = real_texts(52) + [{"id": "rep", "text": "Köp nu!\n" * 40, "lang": "sv"}]
    for k in range(6):
        write_jsonl(root / "in" / f"part{k}.jsonl.gz", docs[k::6], "gzip")
    recipe = write_recipe(root / "recipe.yaml", RECIPE)
    reference = root / "reference"
    assert run_cli("run", recipe, "--input", root / "in", "--output", reference, "--tasks", 6, "--workers", 2) == 0
    return root, recipe, reference


def _kill_when(process, condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return
        if process.poll() is not None:
            pytest.fail(f"the run ended before it could be killed: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.02)
    pytest.fail("the kill condition never came")


@pytest.mark.parametrize("when", ["mid_task", "after_some_tasks"])
def test_kill_and_resume_gives_the_uninterrupted_output(setup, tmp_path, when):
    root, recipe, reference = setup
    out = tmp_path / "out"
    args = ["run", recipe, "--input", root / "in", "--output", out, "--tasks", 6, "--workers", 2]
    process = run_subprocess(*args, start_new_session=True)
    completions = out / "logs" / "stage0" / "completions"
    if when == "mid_task":  # killed while the first tasks are writing, none finished
        _kill_when(process, lambda: (out / "logs" / "stage0" / "logs").is_dir() and not completions.is_dir())
    else:
        _kill_when(process, lambda: completions.is_dir() and 1 <= len(os.listdir(completions)) < 6)
    assert not (out / "summary.json").exists()
    assert run_cli(*args) == 0
    assert tree_bytes(out) == tree_bytes(reference)
    s = summary(out)
    assert s["balanced"] and (s["read"], s["kept"], s["removed"]) == (53, 52, 1)
    assert not list(out.rglob("*.partial"))
