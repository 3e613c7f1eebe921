"""The same recipe on Ray (a real local Ray instance) and on Slurm (rendered submission scripts, no cluster)."""

import pytest

from tests.engine.helpers import read_docs, real_texts, run_cli, summary, tree_bytes, write_jsonl, write_recipe

RECIPE = """\
input: {format: jsonl}
output: {format: jsonl, partition: "{language}"}
executor:
  tasks: 3
  slurm: {partition: cpu, time: "02:00:00", cpus_per_task: 2, mem_per_cpu_gb: 3}
  ray: {cpus_per_task: 1, mem_per_cpu_gb: 1}
steps:
  - fix_mojibake:
  - normalize_whitespace:
  - datatrove.pipeline.filters.RegexFilter: {regex_exp: "Köp nu"}
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("exec")
    docs = real_texts(52) + [{"id": "rep", "text": "Köp nu!\n" * 40, "lang": "sv"}]
    for k in range(3):
        write_jsonl(root / "in" / f"part{k}.jsonl.gz", docs[k::3], "gzip")
    return root, write_recipe(root / "recipe.yaml", RECIPE)


def test_ray_runs_the_same_recipe_with_the_same_result(corpus, tmp_path):
    ray = pytest.importorskip("ray")
    root, recipe = corpus
    local = tmp_path / "local"
    assert run_cli("run", recipe, "--input", root / "in", "--output", local) == 0
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        out = tmp_path / "ray"
        assert run_cli("run", recipe, "--input", root / "in", "--output", out, "--executor", "ray") == 0
    finally:
        ray.shutdown()
    s = summary(out)
    assert s["balanced"] and (s["read"], s["kept"], s["removed"]) == (53, 52, 1)
    assert tree_bytes(out) == tree_bytes(local)
    assert len(list((out / "logs" / "stage0" / "completions").iterdir())) == 3


def test_slurm_dry_run_renders_submission_scripts(corpus, tmp_path, capsys):
    root, recipe = corpus
    out = tmp_path / "slurm"
    assert run_cli("run", recipe, "--input", root / "in", "--output", out, "--executor", "slurm", "--dry-run") == 0
    assert "sbatch script:" in capsys.readouterr().out
    script = (out / "logs" / "stage0" / "launch_script.slurm").read_text()
    assert script.startswith("#!/bin/bash")
    for line in (
        "#SBATCH --partition=cpu",
        "#SBATCH --time=02:00:00",
        "#SBATCH --cpus-per-task=2",
        "#SBATCH --mem-per-cpu=3G",
        "#SBATCH --array=0-2",
        "#SBATCH --job-name=nordic-pile-stage0",
    ):
        assert line in script, line
    assert "launch_pickled_pipeline" in script and "/bin/activate" in script
    assert not read_docs(out / "data")  # nothing ran


def test_slurm_needs_partition_and_time(corpus, tmp_path, capsys):
    root, _ = corpus
    recipe = write_recipe(
        tmp_path / "r.yaml", RECIPE.replace('  slurm: {partition: cpu, time: "02:00:00", ', "  slurm: {")
    )
    assert run_cli("run", recipe, "--input", root / "in", "--output", tmp_path / "o", "--executor", "slurm") == 2
    assert "executor.slurm needs partition, time" in capsys.readouterr().err
