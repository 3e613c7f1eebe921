"""HTML page -> main text, title and URL, shared by the HTML and WARC readers (trafilatura, Barbaresi 2021).

trafilatura finds the main content (navigation, sidebars, footers and comments left out); we render its content
tree ourselves so that every paragraph, heading and list item becomes its own blank-line separated paragraph,
whitespace inside a paragraph is collapsed (HTML source line breaks are not text), and preformatted code keeps its
lines.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from nordic_pile.errors import ConfigError
from nordic_pile.readers.base import NordicReader, Record, Unreadable

NO_MAIN_TEXT = "read_no_main_text"
"""Removal reason of a page in which trafilatura finds no main text (an index page, a login wall, a redirect)."""

HTML_MIME_TYPES = ("text/html", "application/xhtml+xml")

DEFAULT_MAX_BYTES = 20_000_000
"""Pages larger than this are removed as `read_too_long` unparsed (trafilatura's own limit is 20 MB too)."""

QUARANTINE_RAW_BYTES = 1_000_000
"""At most this much of an unparsable page is copied into its quarantine entry (the entry names the file)."""

_BLOCKS = frozenset({"p", "head", "item", "quote", "list", "table", "row", "div", "main", "doc", "body", "graphic"})
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_LINE_BREAK = "\x00"  # stands for <br> (trafilatura's <lb>) until whitespace is collapsed
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_LEGACY_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}  # as browsers do (WHATWG)

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # every outcome is recorded by the reader instead


@dataclass(frozen=True, slots=True)
class Extraction:
    """How the HTML and WARC readers turn a page into text."""

    favor_precision: bool = True
    include_tables: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self):
        if self.max_bytes <= 0:
            raise ConfigError(f"max_bytes={self.max_bytes} must be positive (default {DEFAULT_MAX_BYTES})")


@dataclass(frozen=True, slots=True)
class Page:
    """What a page yields: main text (blank-line separated paragraphs, may be empty), title, URL, date."""

    text: str
    title: str | None
    url: str | None
    date: str | None = None


def _codec(label: str | bytes | None) -> str | None:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _LEGACY_ALIASES.get(name, name)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: byte-order mark, then UTF-8 if the bytes are UTF-8 (text in another encoding almost never
    is, while pages declaring Latin-1 but sent as UTF-8 are common), then the declared (HTTP) charset, then
    `<meta charset>`, then Windows-1252 (what browsers assume for Western pages). Returns (text, encoding used)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace").lstrip("\ufeff"), name
    meta = _META_CHARSET.search(data[:4096])
    for name in ("utf-8", _codec(declared), _codec(meta.group(1)) if meta else None):
        if name is None or name.startswith("utf-16"):  # a page that is here as bytes is not UTF-16 without a BOM
            continue
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace"), "cp1252"


def render_paragraphs(body) -> str:
    """trafilatura's content tree as text: one paragraph per block element, separated by a blank line."""
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            lines = (line.strip() for line in text.split(_LINE_BREAK))
            paragraphs.append("\n".join(line for line in lines if line))

    def visit(element) -> None:
        tag = element.tag
        code = "".join(element.itertext()) if tag == "code" else ""
        if "\n" in code.strip():  # a preformatted block: its line breaks are content
            flush()
            paragraphs.append(code.strip("\n").rstrip())
        else:
            if tag in _BLOCKS:
                flush()
            elif tag == "lb":
                buffer.append(_LINE_BREAK)
            elif tag == "cell" and element.getprevious() is not None:
                buffer.append(" | ")
            if element.text:
                buffer.append(element.text)
            for child in element:
                visit(child)
            if tag in _BLOCKS:
                flush()
        if element.tail:
            buffer.append(element.tail)

    if body is not None:
        visit(body)
        flush()
    return "\n\n".join(p for p in paragraphs if p.strip())


def _first(tree, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        value = _SPACE.sub(" ", str(value)).strip()
        if value:
            return value
    return None


def page_metadata(tree) -> tuple[str | None, str | None]:
    """(title, URL) from the page itself: og:title, <title> or the first <h1>; canonical link or og:url."""
    title = (
        _first(tree, "//meta[@property='og:title']/@content")
        or _first(tree, "//title//text()")
        or _first(tree, "//h1//text()")
    )
    url = _first(tree, "//link[@rel='canonical']/@href") or _first(tree, "//meta[@property='og:url']/@content")
    return title, url


def extract_page(html: str, favor_precision: bool = True, include_tables: bool = False) -> Page | None:
    """Main text, title and URL of a page; None if it is not HTML at all (no parsable tree)."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None
    title, url = page_metadata(tree)
    result = bare_extraction(
        tree,
        include_comments=False,
        include_tables=include_tables,
        favor_precision=favor_precision,
        with_metadata=False,
    )
    text = render_paragraphs(result.body) if result is not None else ""
    return Page(text, title, url)


def visible_text(html: str, limit: int) -> str:
    """All text of a page (navigation included), for the removed copy of a page without main text."""
    from trafilatura import html2txt

    return (html2txt(html) or "")[:limit]


def page_record(
    reader: NordicReader,
    extraction: Extraction,
    filepath: str,
    data: bytes,
    position: int,
    record_id: str | None,
    metadata: dict,
    declared: str | None = None,
    own_url: bool = True,
) -> Record | Unreadable:
    """One page's bytes as a Record of its main text, an Unreadable if they are not HTML, or a Record marked
    `removed` (larger than max_bytes, or without main text). `own_url`: the page's canonical URL replaces
    `metadata["url"]` (for files; a crawl keeps the URL it fetched)."""
    if len(data) > extraction.max_bytes:
        return Record(
            "", position, record_id, metadata | {"bytes_over": extraction.max_bytes}, removed="read_too_long"
        )
    if not data.strip():
        return Record("", position, record_id, metadata)  # removed as read_empty_text by the base reader
    html, encoding = decode_html(data, declared)
    page = extract_page(html, extraction.favor_precision, extraction.include_tables)
    if page is None:
        return Unreadable(
            position,
            "invalid_html",
            "not an HTML document (no element tree could be parsed)",
            data[:QUARANTINE_RAW_BYTES],
        )
    fields = {"url": page.url if own_url else None, "title": page.title}
    metadata = metadata | {k: v for k, v in fields.items() if v}
    if encoding != "utf-8":
        metadata["encoding"] = encoding
    if not page.text:
        reader.stat_update("pages_without_main_text")
        return Record(visible_text(html, reader.max_chars), position, record_id, metadata, removed=NO_MAIN_TEXT)
    return Record(page.text, position, record_id, metadata)
