"""Pick the reader of each file by its extension, so one input folder can mix JSONL, Parquet, HTML, WARC, ..."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from datatrove.utils.logging import logger

from nordic_pile.readers.base import DEFAULT_MAX_CHARS, NordicReader, Record, Unreadable
from nordic_pile.recipe import registry

EXTENSIONS = {
    "jsonl": (".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.bz2", ".json.gz", ".ndjson"),
    "parquet": (".parquet", ".pq"),
    "warc": (".warc", ".warc.gz"),
    "mediawiki": (".xml", ".xml.bz2", ".xml.gz", ".xml.zst"),
    "html": (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".html.zst", ".htm.zst"),
    "text": (".txt", ".txt.gz", ".txt.zst", ".txt.bz2"),
}
"""Which reader reads which file; each reader class repeats its own entry as `extensions` (a test checks)."""

NOT_DATA = re.compile(r"^(\..*|(readme|license|licence|copying|notice|changelog)(\.\w+)?)$", re.IGNORECASE)
"""Files that travel with data sets but are not data (README.md, LICENSE, .gitattributes): counted, not read."""


class AutoDocReader(NordicReader):
    """Read every file with the reader its extension calls for (.jsonl[.gz|.zst], .parquet, .txt, .html, .warc.gz,
    .xml[.bz2]); a file no reader knows is quarantined (error_type unsupported_file), never skipped silently.

    A data set's README, LICENSE and hidden files (.gitattributes) are not read; each is counted in the step's
    stats as `skipped_not_data_file` and named in a warning. `encoding` applies to JSONL files (strict UTF-8 by
    default: an undecodable line is quarantined), `text_encoding` to plain-text files, where legacy encodings live
    (`auto` by default: UTF-8, else the detected Windows-1252/Latin-9/DOS code page, recorded as `encoding`).
    """

    name = "auto-reader"

    def __init__(
        self,
        data_folder: str,
        glob_pattern: str | None = None,
        recursive: bool = True,
        category: str | None = None,
        source: str | None = None,
        language: str | None = None,
        encoding: str = "utf-8",
        text_encoding: str = "auto",
        max_chars: int = DEFAULT_MAX_CHARS,
        limit: int = -1,
    ):
        super().__init__(data_folder, glob_pattern, recursive, category, source, language, max_chars, limit)
        self.encoding, self.text_encoding = encoding, text_encoding
        self._readers: dict[str, NordicReader] = {}

    def _reader_for(self, filepath: str) -> NordicReader | None:
        name = filepath.lower()
        for fmt, extensions in EXTENSIONS.items():
            if name.endswith(extensions):
                if fmt not in self._readers:
                    self._readers[fmt] = self._make(registry.resolve(fmt, registry.READERS, "input format"), fmt)
                return self._readers[fmt]
        return None

    def _make(self, cls, fmt: str) -> NordicReader:
        kwargs = {"jsonl": {"encoding": self.encoding}, "text": {"encoding": self.text_encoding}}.get(fmt, {})
        reader = cls(
            self.data_folder,
            category=self.category,
            source=self.source,
            language=self.language,
            max_chars=self.max_chars,
            **kwargs,
        )
        # One step to the pipeline: the format reader's stats, removals and quarantines are this reader's.
        reader.stats = self.stats
        reader.attach(self.quarantine_writer, self.exclusion_writer)
        return reader

    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        if NOT_DATA.match(os.path.basename(filepath)):
            logger.warning(
                f"not reading {filepath}: a README, licence or hidden file, not data (counted as "
                "skipped_not_data_file; set input.format to read it)"
            )
            self.stat_update("skipped_not_data_file")
            return
        reader = self._reader_for(filepath)
        if reader is None:
            self.position_name = "line"
            yield Unreadable(
                0, "unsupported_file", "no reader for this file type; set input.format or narrow --input with a glob"
            )
            return
        self.position_name = reader.position_name
        reader._rank = getattr(self, "_rank", 0)
        yield from reader.records(filepath)
