"""Parquet reader: record batches streamed with pyarrow; a corrupt file is quarantined at the row it reached."""

from __future__ import annotations

import base64
import datetime
import decimal
from collections.abc import Iterator

import orjson

from nordic_pile.errors import ConfigError
from nordic_pile.readers.base import DEFAULT_MAX_CHARS, NordicReader, Record, Unreadable


def plain(value):
    """A Parquet cell as a JSON-serialisable value (dates as ISO strings, bytes as base64, decimals as strings)."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(item, tuple) and len(item) == 2 for item in value):  # a Parquet map
            return {str(k): plain(v) for k, v in value}
        return [plain(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


class ParquetDocReader(NordicReader):
    """Read Parquet files (`.parquet`): one document per row, streamed in record batches.

    The `text_key` column is the text, `id_key` the id. A `metadata` column holding a JSON object (a string, as
    nordic-pile's Parquet writer stores it) or a struct becomes the metadata; every other non-null column is added
    to it (columns win over `metadata` fields of the same name). A row whose text is null is quarantined
    (`missing_text`); a file that is not Parquet, is truncated or breaks while being read is quarantined
    (`corrupt_parquet`) at the row reached, and the run goes on with the next file.

    Args:
        text_key: the column holding the text.
        id_key: the column holding the document id (row position if absent).
        batch_size: rows decoded at a time (memory is bounded by this and by the file's row group size).
    """

    name = "parquet-reader"
    extensions = (".parquet", ".pq")
    position_name = "row"

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
        batch_size: int = 1000,
        max_chars: int = DEFAULT_MAX_CHARS,
        limit: int = -1,
    ):
        super().__init__(data_folder, glob_pattern, recursive, category, source, language, max_chars, limit)
        if batch_size <= 0:
            raise ConfigError(f"batch_size={batch_size} must be positive (default 1000)")
        self.text_key, self.id_key, self.batch_size = text_key, id_key, batch_size

    def _record(self, row: dict, number: int) -> Record | Unreadable:
        text = row.pop(self.text_key)
        doc_id = row.pop(self.id_key, None)
        metadata = row.pop("metadata", None)
        if isinstance(metadata, str):
            try:
                metadata = orjson.loads(metadata)
            except orjson.JSONDecodeError:
                metadata = {"metadata": metadata}
        fields = plain(metadata) if isinstance(metadata, dict) else {}
        if metadata is not None and not isinstance(metadata, (dict, str)):
            fields["metadata"] = plain(metadata)
        fields |= {k: plain(v) for k, v in row.items() if v is not None}
        if text is not None and not isinstance(text, str):
            text = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else text
        return Record(text, number, None if doc_id is None else str(doc_id), fields)

    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        number = 0
        with self.data_folder.open(filepath, "rb") as f:
            try:
                parquet = pq.ParquetFile(f)
                columns = parquet.schema_arrow.names
                if self.text_key not in columns:
                    yield Unreadable(
                        0, "missing_text", f"no {self.text_key!r} column (columns: {columns[:20]}); set input.text_key"
                    )
                    return
                for batch in parquet.iter_batches(batch_size=self.batch_size):
                    for row in batch.to_pylist():
                        number += 1
                        yield self._record(row, number)
            except (pa.ArrowException, OSError, ValueError) as e:
                yield Unreadable(
                    number + 1 if number else 0,
                    "corrupt_parquet",
                    f"cannot read the file {'at all' if not number else f'after row {number}'}: "
                    f"{type(e).__name__}: {str(e)[:300]}",
                )
