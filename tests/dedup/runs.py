"""Run a recipe in this process (workers=1: real datatrove executors, tasks run one after the other)."""

from __future__ import annotations

import gzip
import json
import pathlib

from nordic_pile.cli import main


def write_recipe(path: pathlib.Path, steps: str) -> pathlib.Path:
    path.write_text("input: {format: jsonl}\noutput: {format: jsonl, partition: null}\nsteps:\n" + steps)
    return path


def run(recipe, input_dir, output, tasks: int = 2) -> dict:
    assert (
        main(
            [
                "run",
                str(recipe),
                "--input",
                str(input_dir),
                "--output",
                str(output),
                "--tasks",
                str(tasks),
                "--workers",
                "1",
            ]
        )
        == 0
    )
    return json.loads((pathlib.Path(output) / "summary.json").read_text())


def read_docs(folder) -> list[dict]:
    out = []
    for path in sorted(pathlib.Path(folder).rglob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            out += [json.loads(line) for line in f]
    return out


def file_bytes(folder) -> dict[str, bytes]:
    root = pathlib.Path(folder)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
