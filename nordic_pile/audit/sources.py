"""Find the documents of a run's output folder (or of any folder of JSONL/Parquet files) and read them as dicts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import orjson
import zstandard

from nordic_pile.errors import InputError
from nordic_pile.readers.compressed import open_binary

DOC_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".json.gz", ".parquet")
KEPT, REMOVED, QUARANTINED = "kept", "removed", "quarantined"


@dataclass(frozen=True, slots=True)
class DocFile:
    path: str
    kind: str  # kept | removed | quarantined
    group: str  # the step for removed and quarantined files, "" for kept ones
    size: int


def _files_under(folder: str, skip: str | None = None) -> list[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if skip is None or os.path.join(root, d) != skip)
        out += [os.path.join(root, f) for f in sorted(files) if f.endswith(DOC_SUFFIXES)]
    return out


def is_run_output(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "summary.json")) or os.path.isfile(os.path.join(folder, "run.json"))


def find_files(folder: str, skip: str | None = None) -> list[DocFile]:
    """Every document file: a run's `data/`, `removed/<step>/`, `quarantine/<step>/`, or all files of a folder."""
    if not os.path.isdir(folder):
        raise InputError(f"{folder}: no such folder (give a run's --output folder or a folder of JSONL/Parquet files)")
    skip = os.path.abspath(skip) if skip else None
    if not is_run_output(folder):
        files = [DocFile(p, KEPT, "", os.path.getsize(p)) for p in _files_under(os.path.abspath(folder), skip)]
    else:
        data = os.path.join(folder, "data")
        files = [DocFile(p, KEPT, "", os.path.getsize(p)) for p in (_files_under(data) if os.path.isdir(data) else ())]
        for sub, kind in (("removed", REMOVED), ("quarantine", QUARANTINED)):
            base = os.path.join(folder, sub)
            for p in _files_under(base) if os.path.isdir(base) else ():
                step = os.path.relpath(p, base).split(os.sep)[0]
                files.append(DocFile(p, kind, step, os.path.getsize(p)))
    if not files:
        raise InputError(f"{folder}: no document files ({', '.join(DOC_SUFFIXES)}) found")
    return files


class _LocalFiles:
    """The one method of a datatrove DataFolder that `open_binary` uses, for plain local paths."""

    @staticmethod
    def open(path: str, mode: str):
        return open(path, mode)  # noqa: SIM115 - closed with the stream that wraps it


def normalize_record(record: dict) -> dict | None:
    """{text, id, metadata} from our writers' records or flat ones (`{"text", "lang", "url", ...}`)."""
    text = record.get("text")
    if not isinstance(text, str):
        return None
    meta = record.get("metadata")
    if isinstance(meta, str):
        try:
            meta = orjson.loads(meta)
        except orjson.JSONDecodeError:
            meta = {}
    meta = dict(meta) if isinstance(meta, dict) else {}
    for key, value in record.items():
        if key not in ("text", "id", "metadata", "media") and value is not None:
            meta.setdefault(key, value)
    return {"text": text, "id": str(record.get("id", "")), "metadata": meta}


def read_docs(path: str) -> Iterator[dict | None]:
    """The documents of one file; None for each line or row that is not a document (counted as unreadable)."""
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=1000):
            for row in batch.to_pylist():
                yield normalize_record(row)
        return
    try:
        with open_binary(_LocalFiles, path) as f:
            for line in f:
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:
                    yield None
                    continue
                yield normalize_record(record) if isinstance(record, dict) else None
    except (EOFError, OSError, zstandard.ZstdError):
        yield None  # a truncated file: what was read counts, the break is one unreadable record
