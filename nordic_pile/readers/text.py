"""Plain-text reader: one document per file, per line or per blank-line separated block; legacy encodings."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Literal

from nordic_pile.errors import ConfigError
from nordic_pile.readers.base import (
    DEFAULT_MAX_CHARS,
    ENCODINGS,
    TRUNCATION_ERRORS,
    NordicReader,
    Record,
    Unreadable,
)
from nordic_pile.readers.compressed import open_binary

LEGACY_ENCODINGS = ("cp1252", "iso8859_15", "cp850", "cp865", "cp861")
"""What `encoding: auto` considers for text that is not UTF-8: Windows-1252 (a superset of Latin-1 for text),
Latin-9, and the DOS code pages for Western Europe, Norway/Denmark and Iceland. Mac Roman is left out: it wins
charset-normalizer's vote on ordinary Finnish Windows-1252 text."""

DETECTION_SAMPLE = 1 << 20
"""Bytes from the start of a file that the encoding is detected on."""

UNITS = ("file", "line", "paragraph_block")
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")


def detect_legacy_encoding(sample: bytes) -> str:
    """The most plausible of LEGACY_ENCODINGS for bytes that are not UTF-8.

    charset-normalizer proposes the decodings that are not a mess; of those we take the one that puts the fewest
    non-letters inside words (`f„r` is Windows-1252 read for DOS text), charset-normalizer's order breaking ties,
    Windows-1252 if nothing fits.
    """
    from charset_normalizer import from_bytes

    best, best_score = "cp1252", None
    for rank, match in enumerate(from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS))):
        text = sample.decode(match.encoding, errors="replace")
        score = (sum(1 for m in _SYMBOL_IN_WORD.finditer(text) if not m.group().isalpha()), rank)
        if best_score is None or score < best_score:
            best, best_score = codecs.lookup(match.encoding).name, score
    return best


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class TextDocReader(NordicReader):
    """Read plain text (`.txt`, `.txt.gz`, `.txt.zst`, `.txt.bz2`): a document per file, line or paragraph block.

    `unit: file` (default) makes each file one document (id: the file path); `line` each non-blank line;
    `paragraph_block` each run of lines between blank lines (position: its first line). `encoding: utf-8`
    (default) quarantines text that is not UTF-8 with the byte offset of the first bad byte; `cp1252` and
    `latin-1` read legacy files; `auto` reads UTF-8 and detects the legacy encoding of anything else (see
    LEGACY_ENCODINGS), recording the encoding used in the metadata field `encoding`. A truncated .gz/.zst/.bz2
    file is quarantined from the point where it breaks.
    """

    name = "text-reader"
    extensions = (".txt", ".txt.gz", ".txt.zst", ".txt.bz2")

    def __init__(
        self,
        data_folder: str,
        glob_pattern: str | None = None,
        recursive: bool = True,
        category: str | None = None,
        source: str | None = None,
        language: str | None = None,
        unit: Literal["file", "line", "paragraph_block"] = "file",
        encoding: Literal["utf-8", "cp1252", "latin-1", "auto"] = "utf-8",
        max_chars: int = DEFAULT_MAX_CHARS,
        limit: int = -1,
    ):
        super().__init__(data_folder, glob_pattern, recursive, category, source, language, max_chars, limit)
        if unit not in UNITS:
            raise ConfigError(f"unit={unit!r}; use one of {', '.join(UNITS)}")
        if encoding not in ENCODINGS:
            raise ConfigError(f"encoding={encoding!r}; use one of {', '.join(ENCODINGS)}")
        self.unit, self.encoding = unit, encoding
        self.position_name = "offset" if unit == "file" else "line"
        self.max_bytes = 4 * max_chars + 4  # more bytes than this cannot be max_chars characters or fewer
        self._legacy: str | None = None

    # ------------------------------------------------------------------ decoding
    def _legacy_encoding(self, filepath: str) -> str:
        """Detected once per file, on the lines of its first MB that are not UTF-8 (a file can mix both)."""
        if self._legacy is None:
            with open_binary(self.data_folder, filepath) as f:
                sample = f.read(DETECTION_SAMPLE)
            self._legacy = detect_legacy_encoding(b"\n".join(line for line in sample.split(b"\n") if not _utf8(line)))
        return self._legacy

    def _decode(self, data: bytes, position: int, offset: int, filepath: str) -> Record | Unreadable:
        """`offset`: where `data` starts in the (decompressed) file, for the error message."""
        if self.encoding == "utf-8" or self.encoding == "auto":
            try:
                return self._record(data.decode("utf-8"), position, "utf-8", filepath)
            except UnicodeDecodeError as u:
                if self.encoding == "utf-8":
                    return Unreadable(
                        position,
                        "invalid_utf8",
                        f"invalid UTF-8 at byte {offset + u.start} (set "
                        "encoding: auto, cp1252 or latin-1 for legacy files)",
                        data,
                    )
            legacy = self._legacy_encoding(filepath)
            try:
                return self._record(data.decode(legacy), position, legacy, filepath)
            except UnicodeDecodeError:
                return self._record(data.decode("latin-1"), position, "latin-1", filepath)
        try:
            return self._record(data.decode(self.encoding), position, self.encoding, filepath)
        except UnicodeDecodeError as u:
            return Unreadable(
                position,
                "invalid_encoding",
                f"byte {offset + u.start} is not {self.encoding} (try encoding: latin-1 or auto)",
                data,
            )

    def _record(self, text: str, position: int, encoding: str, filepath: str) -> Record:
        if position <= 1:
            text = text.removeprefix("\ufeff")  # a byte-order mark is not text
        metadata = {"encoding": encoding} if self.encoding != "utf-8" else {}
        return Record(text, position, filepath if self.unit == "file" else None, metadata)

    # ------------------------------------------------------------------ units
    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        self._legacy = None
        if self.unit == "file":
            yield from self._whole_file(filepath)
        else:
            yield from self._lines_or_blocks(filepath)

    def _whole_file(self, filepath: str) -> Iterator[Record | Unreadable]:
        try:
            with open_binary(self.data_folder, filepath) as f:
                data = f.read(self.max_bytes + 1)
        except TRUNCATION_ERRORS as e:
            yield Unreadable(0, "truncated_file", f"cannot decompress the file: {type(e).__name__}: {e}")
            return
        if self.encoding == "auto" and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            yield Record(data.decode("utf-16", errors="replace"), 0, filepath, {"encoding": "utf-16"})
            return
        if len(data) > self.max_bytes:  # certainly over max_chars: removed as read_too_long, memory stays bounded
            record = self._too_long(data, 0)
            record.id = filepath
            yield record
            return
        yield self._decode(data, 0, 0, filepath)

    def _bounded_lines(self, f) -> Iterator[tuple[bytes, int]]:
        """(line, bytes it took in the file). A line longer than max_bytes is cut there and the rest skipped: it is
        removed as too long anyway, and one endless line must not exhaust memory."""
        while line := f.readline(self.max_bytes + 1):
            consumed = len(line)
            if consumed > self.max_bytes and not line.endswith(b"\n"):
                while rest := f.readline(1 << 20):
                    consumed += len(rest)
                    if rest.endswith(b"\n"):
                        break
            yield line, consumed

    def _too_long(self, data: bytes, position: int) -> Record:
        """A unit of more than max_bytes bytes: its first max_bytes bytes, so it is removed as read_too_long."""
        encoding = "utf-8" if self.encoding == "auto" else self.encoding
        text = data[: self.max_bytes].decode(encoding, errors="replace")
        return Record(text, position, None, {"truncated_at_bytes": self.max_bytes})

    def _unit(self, data: bytes, position: int, offset: int, filepath: str) -> Record | Unreadable:
        if len(data) > self.max_bytes:
            return self._too_long(data, position)
        return self._decode(data.rstrip(b"\r\n"), position, offset, filepath)

    def _lines_or_blocks(self, filepath: str) -> Iterator[Record | Unreadable]:
        number, offset = 0, 0
        block, block_start, block_offset = [], 0, 0
        try:
            with open_binary(self.data_folder, filepath) as f:
                for line, consumed in self._bounded_lines(f):
                    number += 1
                    if not line.strip():
                        if block:
                            yield self._unit(b"".join(block), block_start, block_offset, filepath)
                            block = []
                    elif self.unit == "line":
                        yield self._unit(line, number, offset, filepath)
                    else:
                        if not block:
                            block_start, block_offset, size = number, offset, 0
                        if size <= self.max_bytes:  # past it the block is removed as too long: keep no more
                            block.append(line)
                        size += len(line)
                    offset += consumed
                if block:
                    yield self._unit(b"".join(block), block_start, block_offset, filepath)
        except TRUNCATION_ERRORS as e:
            yield Unreadable(
                number + 1,
                "truncated_file",
                f"file ends or breaks after line {number} (byte {offset}): {type(e).__name__}: {e}",
                b"".join(block),
            )
