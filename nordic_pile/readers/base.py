"""Reader base: turns format-specific records into documents, and anything unreadable into a quarantine entry.

A subclass implements `records(filepath)`, yielding `Record`s (a readable item) and `Unreadable`s (a line or
region that could not be decoded or parsed, or a file that ends early). The base class does the rest the same
way for every format: ids, `source`/`category`/`language`/`shard` metadata, empty and oversized documents
(removed by the step `read` with a reason), quarantine records naming the file, the line or offset and the error,
and the ledger counts that make `read == kept + removed + quarantined` hold.
"""

from __future__ import annotations

import base64
import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import zstandard
from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.readers.base import BaseDiskReader
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.logging import logger

from nordic_pile.accounting import ledger
from nordic_pile.errors import ConfigError
from nordic_pile.languages import to_iso639_3
from nordic_pile.readers.compressed import open_binary  # noqa: F401 - the readers' one way to open a file

READ_STEP = "read"
"""The step id under which readers record removals (empty or oversized documents)."""

DEFAULT_MAX_CHARS = 5_000_000
"""Documents longer than this are removed as `read_too_long` (a book is ~1M characters; 100 MB is never one text)."""

ENCODINGS = ("utf-8", "cp1252", "latin-1", "auto")


@dataclass(slots=True)
class Record:
    """One readable item of a file: its text, fields for metadata, and where it is (`line` or `offset`)."""

    text: object
    position: int
    id: str | None = None
    metadata: dict = field(default_factory=dict)
    removed: str | None = None
    """A reason (`read_<condition>`) when the reader already knows the item is no document to keep (a page without
    main text, say): it is counted as read and removed by the step `read`, and stored with the removed documents."""


@dataclass(slots=True)
class Unreadable:
    """A line, record or file region that cannot be read; `raw` is kept so that nothing is lost."""

    position: int
    error_type: str  # invalid_utf8 | invalid_json | not_an_object | missing_text | truncated_file | ...
    message: str
    raw: bytes | str = b""


class QuarantineWriter:
    """Builds quarantine entries (as documents, so any datatrove writer can store them)."""

    @staticmethod
    def entry(shard: str, position_name: str, item: Unreadable, step: str = READ_STEP) -> Document:
        raw = item.raw
        metadata = {
            "shard": shard,
            position_name: item.position,
            "error_type": item.error_type,
            "error": item.message,
            "step": step,
        }
        if isinstance(raw, bytes):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace")
                metadata["raw_base64"] = base64.b64encode(raw).decode("ascii")
        else:
            text = raw
        return Document(text=text, id=f"{shard}:{item.position}", metadata=metadata)


TRUNCATION_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, zstandard.ZstdError, OSError)
"""What a truncated or corrupt compressed stream raises while it is being read."""


def decode_text(data: bytes, encoding: str) -> tuple[str, str]:
    """Decode with the configured encoding; `auto` tries UTF-8, then Windows-1252. Returns (text, encoding used)."""
    if encoding == "auto":
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace"), "cp1252"
    return data.decode(encoding), encoding


class NordicReader(BaseDiskReader):
    """Base of nordic-pile's readers. Subclasses implement `records`."""

    type = "📖 - READER"
    position_name = "line"
    """What `Record.position` counts: `line` (1-based) for line formats, `offset` or `record` otherwise."""

    def __init__(
        self,
        data_folder: str,
        glob_pattern: str | None = None,
        recursive: bool = True,
        category: str | None = None,
        source: str | None = None,
        language: str | None = None,
        max_chars: int = DEFAULT_MAX_CHARS,
        limit: int = -1,
    ):
        super().__init__(data_folder, limit=limit, recursive=recursive, glob_pattern=glob_pattern, add_file_path=False)
        if max_chars <= 0:
            raise ConfigError(f"max_chars={max_chars} must be positive (default {DEFAULT_MAX_CHARS})")
        self.category, self.source, self.max_chars = category, source, max_chars
        self.language = to_iso639_3(language) if language else None
        self.quarantine_writer: DiskWriter | None = None
        self.exclusion_writer: DiskWriter | None = None
        self.count_reads = True

    def attach(self, quarantine_writer: DiskWriter | None, exclusion_writer: DiskWriter | None) -> None:
        """Where unreadable records and removed (empty, oversized) documents go; set by the recipe compiler."""
        self.quarantine_writer, self.exclusion_writer = quarantine_writer, exclusion_writer

    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        raise NotImplementedError

    def _base_metadata(self, shard: str, fields: dict) -> dict:
        metadata = dict(fields)
        hint = metadata.pop("lang", None) or metadata.get("language") or self.language
        if hint:
            metadata["language"] = to_iso639_3(str(hint))
        metadata.setdefault("source", self.source or os.path.basename(shard).split(".")[0])
        metadata.setdefault("category", self.category or "unknown")
        if self.category and metadata["category"] in (None, ""):
            metadata["category"] = self.category
        metadata["shard"] = shard
        return metadata

    def _quarantine(self, shard: str, item: Unreadable, rank: int) -> None:
        ledger.record_read(self, shard, 0)
        ledger.record_quarantined(self, shard, item.error_type, self.language or "und", len(item.raw))
        logger.warning(f"quarantined {shard}:{item.position} ({item.error_type}): {item.message}")
        if self.quarantine_writer is not None:
            self.quarantine_writer.write(QuarantineWriter.entry(shard, self.position_name, item), rank)

    def _remove(self, doc: Document, reason: str, rank: int) -> None:
        ledger.record_removed(self, READ_STEP, reason, doc)
        if self.exclusion_writer is not None:
            doc.metadata["removed_by"], doc.metadata["filter_reason"] = READ_STEP, reason
            self.exclusion_writer.write(doc, rank)

    def read_file(self, filepath: str) -> DocumentsPipeline:
        rank = self._rank
        for item in self.records(filepath):
            if isinstance(item, Unreadable):
                self._quarantine(filepath, item, rank)
                continue
            if not isinstance(item.text, str):
                kind = "missing_text" if item.text is None else "text_not_string"
                self._quarantine(
                    filepath,
                    Unreadable(
                        item.position,
                        kind,
                        f"no text string in record (got {type(item.text).__name__})",
                        repr(item.metadata)[:10_000],
                    ),
                    rank,
                )
                continue
            doc_id = str(item.id) if item.id not in (None, "") else f"{filepath}:{item.position}"
            doc = Document(text=item.text, id=doc_id, metadata=self._base_metadata(filepath, item.metadata))
            ledger.record_read(self, filepath, len(doc.text))
            if item.removed:
                self._remove(doc, item.removed, rank)
            elif not doc.text.strip():
                self._remove(doc, "read_empty_text", rank)
            elif len(doc.text) > self.max_chars:
                logger.warning(
                    f"{filepath}:{item.position}: document of {len(doc.text):,} characters exceeds "
                    f"max_chars={self.max_chars:,}; removed as read_too_long"
                )
                self._remove(doc, "read_too_long", rank)
            else:
                yield doc

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self._rank = rank
        writers = [w for w in (self.quarantine_writer, self.exclusion_writer) if w is not None]
        try:
            yield from super().run(data, rank, world_size)
        finally:
            for writer in writers:
                writer.close()
