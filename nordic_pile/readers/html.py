"""HTML file reader: one page per file, main text through trafilatura, with the page's URL and title."""

from __future__ import annotations

from collections.abc import Iterator

from nordic_pile.readers.base import DEFAULT_MAX_CHARS, TRUNCATION_ERRORS, NordicReader, Record, Unreadable
from nordic_pile.readers.compressed import open_binary
from nordic_pile.readers.webpage import DEFAULT_MAX_BYTES, Extraction, page_record


class HtmlDocReader(NordicReader):
    """Read HTML pages (`.html`, `.htm`, `.xhtml`, also .gz/.zst): main text via trafilatura, URL and title kept.

    One document per file. Paragraphs, headings and list items become blank-line separated paragraphs; comments
    are left out, tables too unless `include_tables`. A page in which trafilatura finds no main text is removed
    as `read_no_main_text` (its visible text is stored in OUTPUT/removed/read/). The page's URL is its canonical
    link or og:url, else `base_url/<path>`, else the file path; `title` is og:title, <title> or the first <h1>.
    The charset: UTF-8 if the bytes are UTF-8, else `<meta charset>`, else Windows-1252 (recorded as `encoding`).
    `category` is `web` unless `input.category` says otherwise.

    Args:
        base_url: URL of the input folder, for pages that name no URL of their own.
        favor_precision: trafilatura's precision mode: less navigation text, rarely a lost paragraph.
        include_tables: keep table text (one row per line, cells separated by ` | `).
        max_bytes: larger files are removed as `read_too_long` without being parsed.
    """

    name = "html-reader"
    extensions = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".html.zst", ".htm.zst")
    position_name = "offset"

    def __init__(
        self,
        data_folder: str,
        glob_pattern: str | None = None,
        recursive: bool = True,
        category: str | None = None,
        source: str | None = None,
        language: str | None = None,
        base_url: str | None = None,
        favor_precision: bool = True,
        include_tables: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_chars: int = DEFAULT_MAX_CHARS,
        limit: int = -1,
    ):
        super().__init__(data_folder, glob_pattern, recursive, category, source, language, max_chars, limit)
        self.extraction = Extraction(favor_precision, include_tables, max_bytes)
        self.base_url = base_url.rstrip("/") if base_url else None

    def _default_url(self, filepath: str) -> str:
        if self.base_url:
            return f"{self.base_url}/{filepath}"
        return self.data_folder.resolve_paths(filepath)

    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        try:
            with open_binary(self.data_folder, filepath) as f:
                data = f.read(self.extraction.max_bytes + 1)
        except TRUNCATION_ERRORS as e:
            yield Unreadable(0, "truncated_file", f"cannot decompress the page: {type(e).__name__}: {e}")
            return
        metadata = {"url": self._default_url(filepath)} | ({} if self.category else {"category": "web"})
        yield page_record(self, self.extraction, filepath, data, 0, filepath, metadata)
