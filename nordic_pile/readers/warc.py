"""WARC reader (`.warc`, `.warc.gz`): HTML responses through the same main-text extraction as HTML files."""

from __future__ import annotations

from collections.abc import Iterator

from nordic_pile.readers.base import DEFAULT_MAX_CHARS, NordicReader, Record, Unreadable
from nordic_pile.readers.webpage import (
    DEFAULT_MAX_BYTES,
    HTML_MIME_TYPES,
    Extraction,
    decode_html,
    page_record,
)

_CHUNK = 1 << 16


def _mime_and_charset(content_type: str | None) -> tuple[str | None, str | None]:
    if not content_type:
        return None, None
    mime, *params = (part.strip() for part in content_type.split(";"))
    charset = next((p.split("=", 1)[1].strip("\"' ") for p in params if p.lower().startswith("charset=")), None)
    return mime.lower() or None, charset


def _size(f) -> int | None:
    try:
        return f.seek(0, 2)
    except (OSError, ValueError):  # a stream that cannot seek: the check is skipped
        return None


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


class WarcDocReader(NordicReader):
    """Read WARC archives (`.warc`, `.warc.gz`): each HTML response becomes a document through trafilatura.

    `url` is WARC-Target-URI, the id WARC-Record-ID, `date` WARC-Date, `title` the page's. Text conversion records
    (WET files) are documents as they are. Records that are not documents are counted in the step's stats
    (`warc_skipped_request`, `warc_skipped_not_html`, `warc_skipped_http_404`, ...), never dropped silently; a
    page with no main text is removed as `read_no_main_text`. An archive that is truncated or corrupt is
    quarantined at the byte offset of the record where it breaks (`truncated_file`, `corrupt_warc`); the records
    before it are kept. Positions are byte offsets of records in the (compressed) file, as in CDX indexes.
    `category` is `web` unless `input.category` says otherwise.

    Args:
        favor_precision: trafilatura's precision mode: less navigation text, rarely a lost paragraph.
        include_tables: keep table text (one row per line, cells separated by ` | `).
        max_bytes: larger payloads are removed as `read_too_long` without being parsed.
    """

    name = "warc-reader"
    extensions = (".warc", ".warc.gz")
    position_name = "offset"

    def __init__(
        self,
        data_folder: str,
        glob_pattern: str | None = None,
        recursive: bool = True,
        category: str | None = None,
        source: str | None = None,
        language: str | None = None,
        favor_precision: bool = True,
        include_tables: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_chars: int = DEFAULT_MAX_CHARS,
        limit: int = -1,
    ):
        super().__init__(data_folder, glob_pattern, recursive, category, source, language, max_chars, limit)
        self.extraction = Extraction(favor_precision, include_tables, max_bytes)

    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        from warcio.archiveiterator import ArchiveIterator

        with self.data_folder.open(filepath, "rb") as f:
            archive = ArchiveIterator(f)
            stream = iter(archive)
            while True:
                offset = archive.offset
                try:
                    record = next(stream)
                    offset = archive.offset
                    payload = self._payload(record)
                    while record.raw_stream.read(_CHUNK):  # the rest of a record we do not keep
                        pass
                except StopIteration:  # warcio also stops quietly where a record's headers are cut off
                    size = _size(f)
                    if size is not None and archive.offset < size:
                        yield Unreadable(
                            archive.offset,
                            "truncated_file",
                            f"the last {size - archive.offset:,} bytes "
                            f"(from byte {archive.offset}) are not a complete WARC record",
                        )
                    return
                except Exception as e:  # noqa: BLE001 - warcio raises anything on corrupt input; record it, stop
                    yield Unreadable(
                        offset,
                        "corrupt_warc",
                        f"the archive cannot be read from byte {offset}: {type(e).__name__}: {str(e)[:300]}",
                    )
                    return
                missing = getattr(record.raw_stream, "limit", 0)
                if missing:
                    yield Unreadable(
                        offset,
                        "truncated_file",
                        f"the archive ends inside the record at byte {offset} "
                        f"({missing:,} of its {record.length:,} bytes are missing)",
                    )
                    return
                if payload is not None:
                    yield from self._document(filepath, record, offset, *payload)

    def _payload(self, record) -> tuple[bytes, str | None, bool] | None:
        """(bytes, declared charset, is_html) of a record that is a document; None (counted) for the others."""
        kind = record.rec_type
        if kind == "conversion":
            mime, charset = _mime_and_charset(record.rec_headers.get_header("Content-Type"))
            if mime not in (None, "text/plain"):
                self.stat_update("warc_skipped_not_text_conversion")
                return None
            return record.content_stream().read(self.extraction.max_bytes + 1), charset or "utf-8", False
        if kind not in ("response", "resource"):
            self.stat_update(f"warc_skipped_{kind}")
            return None
        headers = record.http_headers
        content_type = headers.get_header("Content-Type") if headers else record.rec_headers.get_header("Content-Type")
        if headers is not None and headers.get_statuscode():
            status = headers.get_statuscode()
            if not status.startswith("2"):
                self.stat_update(f"warc_skipped_http_{status}")
                return None
        mime, charset = _mime_and_charset(content_type)
        identified = record.rec_headers.get_header("WARC-Identified-Payload-Type")
        if mime not in HTML_MIME_TYPES and (identified or "").lower() not in HTML_MIME_TYPES and mime is not None:
            self.stat_update("warc_skipped_not_html")
            return None
        data = record.content_stream().read(self.extraction.max_bytes + 1)
        if mime is None and not _looks_like_html(data):
            self.stat_update("warc_skipped_not_html")
            return None
        return data, charset, True

    def _document(self, filepath: str, record, offset: int, data: bytes, charset: str | None, is_html: bool):
        headers = record.rec_headers
        record_id = (headers.get_header("WARC-Record-ID") or "").strip("<>") or None
        metadata = {"url": headers.get_header("WARC-Target-URI"), "date": headers.get_header("WARC-Date")}
        metadata = {k: v for k, v in metadata.items() if v} | ({} if self.category else {"category": "web"})
        if is_html:
            yield page_record(self, self.extraction, filepath, data, offset, record_id, metadata, charset, False)
        elif len(data) > self.extraction.max_bytes:
            yield Record("", offset, record_id, metadata, removed="read_too_long")
        else:
            text, encoding = decode_html(data, charset)
            yield Record(text, offset, record_id, metadata | ({"encoding": encoding} if encoding != "utf-8" else {}))
