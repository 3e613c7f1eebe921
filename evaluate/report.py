"""Results as JSON, Markdown and CSV, with the provenance every result carries (software versions, hashes)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import platform
from importlib import metadata

from nordic_pile.errors import ConfigError

FORMATS = ("markdown", "csv", "json")
PACKAGES = ("nordic-pile", "torch", "transformers", "tokenizers", "seqeval", "lm_eval", "numpy")


def software_versions() -> dict:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fmt(value, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown_table(header: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in header]] + [[c if isinstance(c, str) else fmt(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def csv_table(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _clean(value):
    """JSON without NaN/Infinity (not valid JSON): they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def to_json(result: dict) -> str:
    return json.dumps(_clean(result), ensure_ascii=False, indent=2, sort_keys=False)


def check_format(name: str) -> str:
    if name not in FORMATS:
        raise ConfigError(f"--format {name}: use one of {', '.join(FORMATS)}")
    return name


def write_results(output: str, result: dict, markdown: str) -> list[str]:
    """`output/results.json` and `output/results.md`, written whole and renamed (never half a file)."""
    os.makedirs(output, exist_ok=True)
    written = []
    for name, text in (("results.json", to_json(result) + "\n"), ("results.md", markdown + "\n")):
        path = os.path.join(output, name)
        with open(path + ".partial", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".partial", path)
        written.append(path)
    return written
