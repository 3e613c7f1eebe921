"""JSON Lines reader (plain, .gz, .zst): bad lines are quarantined with their line number, the run goes on."""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from nordic_pile.errors import ConfigError
from nordic_pile.readers.base import (
    DEFAULT_MAX_CHARS,
    ENCODINGS,
    TRUNCATION_ERRORS,
    NordicReader,
    Record,
    Unreadable,
    decode_text,
    open_binary,
)


class JsonlDocReader(NordicReader):
    """Read JSON Lines (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`): one document per line, extra fields become metadata."""

    name = "jsonl-reader"
    extensions = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.bz2", ".json.gz", ".ndjson")

    def __init__(
        self,
        data_folder: str,
        glob_pattern: str | None = None,
        recursive: bool = True,
        category: str | None = None,
        source: str | None = None,
        language: str | None = None,
        text_key: str = "text",
        id_key: str = "id",
        encoding: str = "utf-8",
        max_chars: int = DEFAULT_MAX_CHARS,
        limit: int = -1,
    ):
        super().__init__(data_folder, glob_pattern, recursive, category, source, language, max_chars, limit)
        if encoding not in ENCODINGS:
            raise ConfigError(f"encoding={encoding!r}; use one of {', '.join(ENCODINGS)}")
        self.text_key, self.id_key, self.encoding = text_key, id_key, encoding

    def _parse(self, line: bytes, number: int) -> Record | Unreadable:
        try:
            if self.encoding == "utf-8":
                data = orjson.loads(line)
            else:
                text, used = decode_text(line, self.encoding)
                data = orjson.loads(text)
        except orjson.JSONDecodeError as e:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as u:
                return Unreadable(
                    number,
                    "invalid_utf8",
                    f"invalid UTF-8 at byte {u.start} (set encoding: auto or cp1252 for legacy files)",
                    line,
                )
            return Unreadable(number, "invalid_json", f"invalid JSON: {e}", line)
        except UnicodeDecodeError as u:
            return Unreadable(number, "invalid_encoding", f"cannot decode as {self.encoding}: {u}", line)
        if not isinstance(data, dict):
            return Unreadable(number, "not_an_object", f"a JSON {type(data).__name__}, not an object", line)
        if self.text_key not in data:
            return Unreadable(
                number, "missing_text", f"no {self.text_key!r} field (fields: {sorted(data)[:10]})", line
            )
        text = data.pop(self.text_key)
        doc_id = data.pop(self.id_key, None)
        metadata = data.pop("metadata", None)
        fields = (metadata if isinstance(metadata, dict) else {}) | data
        return Record(text, number, doc_id, fields)

    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        number = 0
        try:
            with open_binary(self.data_folder, filepath) as f:
                for line in f:
                    number += 1
                    if line.strip():
                        yield self._parse(line, number)
        except TRUNCATION_ERRORS as e:
            yield Unreadable(
                number + 1, "truncated_file", f"file ends or breaks after line {number}: {type(e).__name__}: {e}"
            )
