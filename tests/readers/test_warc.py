"""WARC reader on archives written with warcio from real documentation pages (see tests/data/README.md)."""

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from nordic_pile.readers.base import Record, Unreadable
from nordic_pile.readers.warc import WarcDocReader
from tests.readers.conftest import FIXTURES, outputs, reader_stats, run_recipe

HTML = FIXTURES / "html"
PAGES = [
    "sv_debian-handbook_hotplug.html",
    "nb_debian-handbook_ubuntu.html",
    "nb_debian-handbook_filesystem-hierarchy.html",
]


def _record(writer, kind, url, payload=b"", content_type=None, status="200 OK", n=0):
    http = None
    if kind == "response":
        headers = [("Content-Type", content_type)] if content_type else []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    warc_headers = {
        "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>",
        "WARC-Date": f"2024-05-0{1 + n % 9}T10:00:00Z",
    }
    record = writer.create_warc_record(
        url,
        kind,
        payload=io.BytesIO(payload),
        http_headers=http,
        warc_headers_dict=warc_headers,
        warc_content_type=content_type if kind in ("resource", "conversion") else None,
    )
    writer.write_record(record)


def write_archive(path, gz: bool = True) -> None:
    """warcinfo, then per page a request and an HTML response; a CSS file, a 404, a page with no main text,
    a metadata record and a text conversion record (as in WET files)."""
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        w.write_record(w.create_warcinfo_record("crawl.warc", {"software": "tests"}))
        for n, name in enumerate(PAGES, 1):
            url = f"https://docs.example.org/{name}"
            _record(w, "request", url, b"GET / HTTP/1.1\r\nHost: docs.example.org\r\n\r\n", n=10 + n)
            _record(w, "response", url, (HTML / name).read_bytes(), "text/html; charset=utf-8", n=n)
        _record(w, "response", "https://docs.example.org/style.css", b"body{color:red}", "text/css", n=20)
        _record(
            w,
            "response",
            "https://docs.example.org/gone",
            b"<html><body>Not found</body></html>",
            "text/html",
            status="404 Not Found",
            n=21,
        )
        _record(
            w, "response", "https://docs.example.org/sitemap", (HTML / "nav_only.html").read_bytes(), "text/html", n=22
        )
        _record(w, "metadata", "https://docs.example.org/sitemap", b"outlinks: 12", "application/warc-fields", n=23)
        _record(
            w, "conversion", "https://docs.example.org/text", "Ren text från en WET-fil.".encode(), "text/plain", n=24
        )


def read_all(folder, name):
    reader = WarcDocReader(str(folder))
    return list(reader.records(name)), reader


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_html_responses_become_documents_and_the_rest_is_counted(tmp_path, name):
    write_archive(tmp_path / name, gz=name.endswith(".gz"))
    items, reader = read_all(tmp_path, name)
    assert all(isinstance(i, Record) for i in items)
    assert [i.removed for i in items if i.removed] == ["read_no_main_text"]  # counted as removed by the run
    items = [i for i in items if not i.removed]
    pages, wet = items[:3], items[3]
    assert [p.id for p in pages] == [f"urn:uuid:00000000-0000-0000-0000-{n:012d}" for n in (1, 2, 3)]
    assert pages[0].metadata["url"] == "https://docs.example.org/sv_debian-handbook_hotplug.html"  # not canonical
    assert pages[0].metadata["title"] == "9.11. Hetpluggning: hetpluggning"
    assert pages[0].metadata["date"] == "2024-05-02T10:00:00Z"
    assert pages[0].text.startswith("9.11. Hetpluggning: hetpluggning\n\nThe hotplug kernel subsystem")
    assert "Föregående" not in pages[0].text
    assert pages[1].metadata["title"] == "A.2. Ubuntu" and "Forrige" not in pages[1].text
    assert pages[2].text.startswith("Et Debian-system er organisert i tråd med Filesystem Hierarchy Standard (FHS).")
    assert "/bin/: basisprogrammet;" in pages[2].text.split("\n\n") and "Neste" not in pages[2].text
    assert wet.text == "Ren text från en WET-fil." and wet.metadata["url"] == "https://docs.example.org/text"
    positions = [i.position for i in items]
    assert positions == sorted(positions) and positions[0] > 0  # byte offsets of the records
    stats = {k: v.total for k, v in reader.stats.stats.items() if not k.startswith("ledger:")}
    assert stats == {
        "warc_skipped_warcinfo": 1,
        "warc_skipped_request": 3,
        "warc_skipped_not_html": 1,
        "warc_skipped_http_404": 1,
        "warc_skipped_metadata": 1,
        "pages_without_main_text": 1,
    }


def test_record_offsets_point_at_the_records(tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    write_archive(tmp_path / "a.warc.gz")
    items, _ = read_all(tmp_path, "a.warc.gz")
    with open(tmp_path / "a.warc.gz", "rb") as f:
        f.seek(items[1].position)
        record = next(iter(ArchiveIterator(f)))
        assert record.rec_headers.get_header("WARC-Record-ID") == f"<{items[1].id}>"


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut.warc"])
def test_truncated_archive_is_quarantined_at_the_record_where_it_breaks(tmp_path, name):
    write_archive(tmp_path / "whole", gz=name.endswith(".gz"))
    whole, _ = read_all(tmp_path, "whole")
    data = (tmp_path / "whole").read_bytes()
    cut = whole[2].position + 300  # inside the third page's response
    (tmp_path / name).write_bytes(data[:cut])
    items, _ = read_all(tmp_path, name)
    assert [i.id for i in items[:2]] == [w.id for w in whole[:2]]
    assert isinstance(items[2], Unreadable) and items[2].error_type == "truncated_file"
    assert items[2].position == whole[2].position and len(items) == 3


def test_corrupt_archive_is_quarantined_and_earlier_records_kept(tmp_path):
    write_archive(tmp_path / "whole.warc.gz")
    whole, _ = read_all(tmp_path, "whole.warc.gz")
    data = bytearray((tmp_path / "whole.warc.gz").read_bytes())
    start = whole[1].position
    data[start : start + 40] = b"\x00" * 40  # the second page's gzip member is garbage
    (tmp_path / "bad.warc.gz").write_bytes(bytes(data))
    items, _ = read_all(tmp_path, "bad.warc.gz")
    assert items[0].id == whole[0].id
    assert isinstance(items[-1], Unreadable) and items[-1].error_type in ("corrupt_warc", "truncated_file")
    assert items[-1].position >= whole[0].position


def test_run_balances_with_a_broken_archive(tmp_path):
    folder = tmp_path / "input"
    folder.mkdir()
    write_archive(folder / "a.warc.gz")
    write_archive(folder / "b.warc.gz")
    data = (folder / "b.warc.gz").read_bytes()
    (folder / "b.warc.gz").write_bytes(data[: len(data) // 2])
    summary = run_recipe(tmp_path, folder, {"format": "warc", "category": "web"})
    assert summary["quarantine"]["by_error"]["truncated_file"]["docs"] == 1
    assert summary["steps"]["read"]["by_reason"]["read_no_main_text"]["docs"] == 1
    stats = reader_stats(summary)
    assert stats["warc_skipped_request"] >= 4 and stats["warc_skipped_http_404"] == 1
    kept = outputs(tmp_path)
    assert sum(d["metadata"]["shard"] == "a.warc.gz" for d in kept) == 4  # 3 pages + the conversion record
    assert all(d["metadata"]["category"] == "web" and d["metadata"]["url"].startswith("https://") for d in kept)
