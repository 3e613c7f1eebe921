"""Find curated JSONL shards and read their documents with the (language, category) slice each belongs to.

An input is a run's output folder (its `data/` is read), a `data/` folder, any folder of `.jsonl[.gz|.zst]`
files, a single file, or a glob. A document's slice is its `metadata.language` and `metadata.category`; where
those are missing, the folders `{language}/{category}/` of the curated layout are used; else `und`/`unknown`.
Unreadable lines are yielded as `Unreadable` (with file and line) so that callers can count and quarantine them.
"""

from __future__ import annotations

import glob as globlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

from nordic_pile.errors import InputError

EXTENSIONS = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.bz2", ".ndjson", ".json.gz")


@dataclass(frozen=True, order=True)
class InputFile:
    """A file to read: its folder (a root the slice path is relative to) and its path relative to that root."""

    root: str
    path: str

    @property
    def full(self) -> str:
        return os.path.join(self.root, self.path)

    @property
    def stem(self) -> str:
        """The relative path without its JSONL extension (`swe/web/00000`)."""
        for ext in sorted(EXTENSIONS, key=len, reverse=True):
            if self.path.endswith(ext):
                return self.path[: -len(ext)]
        return self.path


@dataclass(slots=True)
class CuratedDoc:
    text: str
    id: str
    metadata: dict
    language: str
    category: str
    line: int

    @property
    def slice(self) -> tuple[str, str]:
        return self.category, self.language


def _root_of(path: str) -> str:
    if os.path.isdir(os.path.join(path, "data")) and any(
        os.path.exists(os.path.join(path, marker)) for marker in ("run.json", "summary.json", "mixture.json")
    ):
        return os.path.join(path, "data")
    return path


def find_inputs(paths: list[str] | tuple[str, ...]) -> list[InputFile]:
    """Every JSONL file under `paths`, sorted, each once. An input that matches nothing is an InputError."""
    files: list[InputFile] = []
    for path in paths:
        found: list[InputFile] = []
        if any(c in path for c in "*?["):
            root = path.split("*")[0].split("?")[0].split("[")[0]
            root = root if root.endswith(os.sep) else os.path.dirname(root)
            for match in globlib.glob(path, recursive=True):
                if os.path.isfile(match) and match.endswith(EXTENSIONS):
                    found.append(InputFile(root or ".", os.path.relpath(match, root or ".")))
        elif os.path.isfile(path):
            found.append(InputFile(os.path.dirname(path) or ".", os.path.basename(path)))
        elif os.path.isdir(path):
            root = _root_of(path)
            for folder, dirs, names in os.walk(root):
                dirs.sort()
                for name in sorted(names):
                    if name.endswith(EXTENSIONS):
                        found.append(InputFile(root, os.path.relpath(os.path.join(folder, name), root)))
        else:
            raise InputError(f"{path}: no such file or folder")
        if not found:
            raise InputError(
                f"{path}: no JSONL files ({', '.join(EXTENSIONS)}) found; give a run's output folder, "
                "its data/ folder, or a glob of .jsonl.gz files"
            )
        files.extend(found)
    unique = sorted(set(files), key=lambda f: (f.root, f.path))
    return unique


def slice_from_path(path: str) -> tuple[str | None, str | None]:
    """(language, category) from `{language}/{category}/NNNNN.jsonl.gz`, else (None, None)."""
    parts = path.replace(os.sep, "/").split("/")
    if len(parts) >= 3:
        return parts[-3], parts[-2]
    return None, None


def read_curated(file: InputFile) -> Iterator[CuratedDoc | object]:
    """The documents of `file` in order, and `Unreadable` items for lines that cannot be read."""
    from nordic_pile.readers.base import Unreadable
    from nordic_pile.readers.jsonl import JsonlDocReader

    reader = JsonlDocReader(file.root)
    path_language, path_category = slice_from_path(file.path)
    for item in reader.records(file.path):
        if isinstance(item, Unreadable):
            yield item
            continue
        if not isinstance(item.text, str):
            yield Unreadable(item.position, "missing_text", "no text string in record", repr(item.metadata)[:10_000])
            continue
        metadata = item.metadata
        language = metadata.get("language") or metadata.get("lang") or path_language or "und"
        category = metadata.get("category") or path_category or "unknown"
        doc_id = str(item.id) if item.id not in (None, "") else f"{file.path}:{item.position}"
        yield CuratedDoc(item.text, doc_id, metadata, str(language), str(category), item.position)
