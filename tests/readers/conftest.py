"""Helpers for the reader tests: the fixture folder, a real `nordic-pile run`, and reading its outputs back."""

from __future__ import annotations

import glob
import gzip
import json
import os
import shutil

import pytest
import yaml

from nordic_pile.cli import main
from tests.conftest import DATA

FIXTURES = DATA / "readers"


def run_recipe(tmp_path, input_path, input_section: dict, tasks: int = 2) -> dict:
    """`nordic-pile run` with a real LocalPipelineExecutor (`tasks` tasks); returns the summary, checked balanced."""
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(
        yaml.safe_dump(
            {"input": input_section, "output": {"format": "jsonl"}, "steps": [{"normalize_unicode": {"form": "NFC"}}]}
        )
    )
    out = tmp_path / "out"
    rc = main(["run", str(recipe), "--input", str(input_path), "--output", str(out), "--tasks", str(tasks)])
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["balanced"]
    assert summary["read"] + summary["created"] == summary["kept"] + summary["removed"] + summary["quarantined"]
    return summary


def outputs(tmp_path, kind: str = "data") -> list[dict]:
    """Every record a run wrote under OUT/<kind>/ (data, removed, quarantine), sorted by id."""
    records = []
    for path in sorted(glob.glob(os.path.join(tmp_path, "out", kind, "**", "*.jsonl.gz"), recursive=True)):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            records += [json.loads(line) for line in f]
    return sorted(records, key=lambda r: r["id"])


def reader_stats(summary: dict) -> dict:
    """The reader step's own counters (input files, skipped WARC records, ...), summed over tasks."""
    for name, stats in summary["step_stats"].items():
        if "READER" in name:
            return {key: value["total"] for key, value in stats.items()}
    return {}


def copy_fixtures(tmp_path, *names: str):
    """Copy fixture files into a fresh input folder (runs must not write next to the repository's files)."""
    folder = tmp_path / "input"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / os.path.basename(name))
    return folder


@pytest.fixture
def fixtures():
    return FIXTURES
