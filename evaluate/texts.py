"""Evaluation documents for perplexity: any format the curation readers know, NFC-normalised, with language/source."""

from __future__ import annotations

import glob
import hashlib
import os
import unicodedata
from dataclasses import dataclass

from nordic_pile.errors import InputError
from nordic_pile.languages import UNDETERMINED, to_iso639_3


@dataclass(frozen=True, slots=True)
class EvalDoc:
    """One document as scored: `text` is NFC (the characters PPL_c divides by), never folded."""

    text: str
    language: str
    source: str


@dataclass(frozen=True, slots=True)
class EvalData:
    docs: list[EvalDoc]
    files: list[str]
    sha256: str
    """Hash of what is scored (language, source and NFC text of every document, in order)."""
    empty: int
    """Documents whose text was empty or whitespace (not scored: they have no characters)."""


def expand_paths(paths: list[str]) -> list[str]:
    """Files given directly, found under folders (recursively, sorted) or matched by glob patterns."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(p for p in glob.glob(os.path.join(path, "**", "*"), recursive=True) if os.path.isfile(p))
        elif os.path.isfile(path):
            found = [path]
        else:
            found = sorted(glob.glob(path, recursive=True))
        if not found:
            raise InputError(f"--data {path}: no such file, folder or matching files")
        files.extend(found)
    return files


def _field(record_meta: dict, *names: str) -> str | None:
    for name in names:
        value = record_meta.get(name)
        if value not in (None, ""):
            return str(value)
    return None


def read_eval_docs(
    paths: list[str], language: str | None = None, source: str | None = None, limit: int | None = None
) -> EvalData:
    """Read every document of `paths` (JSONL/Parquet/text, compressed or not) in order.

    Language comes from the record's `lang`/`language` field (ISO 639-1 or 639-3), else `language`, else `und`;
    source from the record's `source` field, else `source`, else the file name. `limit` documents per file.
    An unreadable record is an error naming the file and line: a silently skipped document changes the result.
    """
    from datatrove.io import get_datafolder

    from nordic_pile.readers.auto import AutoDocReader

    files = expand_paths(paths)
    docs: list[EvalDoc] = []
    digest = hashlib.sha256()
    empty = 0
    for path in files:
        folder, name = os.path.split(os.path.abspath(path))
        reader = AutoDocReader(get_datafolder(folder))
        stem = name.split(".")[0]
        taken = 0
        for record in reader.records(name):
            if limit is not None and taken >= limit:
                break
            if not hasattr(record, "text"):
                raise InputError(
                    f"{path}:{record.position}: {record.error_type}: {record.message}; fix or remove "
                    f"this record (evaluation never skips documents silently)"
                )
            if not isinstance(record.text, str):
                raise InputError(f"{path}:{record.position}: no text string in the record")
            meta = record.metadata if isinstance(record.metadata, dict) else {}
            lang_hint = _field(meta, "lang", "language") or language
            lang = to_iso639_3(lang_hint) if lang_hint else UNDETERMINED
            src = _field(meta, "source") or source or stem
            text = unicodedata.normalize("NFC", record.text)
            taken += 1
            if not text.strip():
                empty += 1
                continue
            for part in (lang, src, text):
                digest.update(part.encode("utf-8"))
                digest.update(b"\x00")
            docs.append(EvalDoc(text, lang, src))
    if not docs:
        raise InputError(f"--data {' '.join(paths)}: no non-empty documents to score")
    return EvalData(docs, files, digest.hexdigest(), empty)
