"""Helpers for engine tests: write input files, run the CLI in-process or as a subprocess, read outputs."""

from __future__ import annotations

import gzip
import io
import json
import os
import pathlib
import subprocess
import sys

import zstandard

from nordic_pile.cli import main

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"


def write_jsonl(path: pathlib.Path, records, compression: str | None = None) -> pathlib.Path:
    raw = b"".join(r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)
    path.parent.mkdir(parents=True, exist_ok=True)
    if compression == "gzip":
        raw = gzip.compress(raw, mtime=0)
    elif compression == "zstd":
        raw = zstandard.ZstdCompressor().compress(raw)
    path.write_bytes(raw)
    return path


def write_recipe(path: pathlib.Path, text: str) -> pathlib.Path:
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str) -> int:
    return main([str(a) for a in args])


def cli_command(*args) -> list[str]:
    """`python -m nordic_pile.cli ARGS` with this interpreter: for tests that need the CLI as its own process."""
    return [sys.executable, "-m", "nordic_pile.cli", *map(str, args)]


def run_subprocess(*args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        cli_command(*args),
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def read_docs(folder: pathlib.Path) -> list[dict]:
    docs = []
    for path in sorted(folder.rglob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            docs += [json.loads(line) for line in f]
    return docs


def summary(output: pathlib.Path) -> dict:
    return json.loads((output / "summary.json").read_text(encoding="utf-8"))


def tree_bytes(folder: pathlib.Path, subdirs=("data", "removed", "quarantine")) -> dict[str, bytes]:
    out = {}
    for sub in subdirs:
        for path in sorted((folder / sub).rglob("*")):
            if path.is_file():
                out[str(path.relative_to(folder))] = path.read_bytes()
    return out


def real_texts(n: int = 40) -> list[dict]:
    """Real Nordic documents copied into tests/data (see tests/data/README.md)."""
    with gzip.open(DATA / "nordic_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line, _ in zip(f, range(n))]


def decompress_lines(raw: bytes) -> list[str]:
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8").read().splitlines()
