"""HTML reader on real documentation pages with their navigation (Debian handbook CC BY-SA 3.0) and on pages of ours
(a navigation-only page, a Windows-1252 page around GNOME help text, CC BY-SA 3.0)."""

import gzip

from nordic_pile.readers.base import Record, Unreadable
from nordic_pile.readers.html import HtmlDocReader
from nordic_pile.readers.webpage import decode_html, extract_page, render_paragraphs
from tests.readers.conftest import FIXTURES, copy_fixtures, outputs, reader_stats, run_recipe

HTML = FIXTURES / "html"


def read(name, **kwargs):
    return list(HtmlDocReader(str(HTML), **kwargs).records(name))


def test_main_text_without_navigation_with_title_and_canonical_url():
    (page,) = read("sv_debian-handbook_hotplug.html")
    paragraphs = page.text.split("\n\n")
    assert paragraphs[0] == "9.11. Hetpluggning: hetpluggning"
    assert "9.11.2. Namngivningsproblemet" in paragraphs  # headings are paragraphs of their own
    assert any(
        p.startswith("Kärnan har en databas som associerar var enhets-ID med krävd drivrutin.") for p in paragraphs
    )
    for navigation in ("Föregående", "Nästa", "Download the ebook", "Product Site"):
        assert navigation not in page.text
    prose = [p for p in paragraphs if "\n" not in p]
    assert not any("\t" in p or "  " in p for p in prose)  # source indentation is not text
    assert "# udevadm info -a -n /dev/sdc" in page.text  # a <pre> block keeps its lines
    assert page.metadata["title"] == "9.11. Hetpluggning: hetpluggning"
    assert page.metadata["url"] == "https://debian-handbook.info/browse/sv-SE/stable/sect.hotplug.html"
    assert "encoding" not in page.metadata  # UTF-8


def test_page_without_canonical_url_gets_its_path_or_base_url(tmp_path):
    page = (HTML / "nb_debian-handbook_filesystem-hierarchy.html").read_text(encoding="utf-8")
    canonical = (
        '<link xmlns="" rel="canonical" '
        'href="https://debian-handbook.info/browse/nb-NO/stable/sect.filesystem-hierarchy.html" />'
    )
    assert canonical in page
    (tmp_path / "fhs.html").write_text(page.replace(canonical, ""), encoding="utf-8")
    (record,) = HtmlDocReader(str(tmp_path)).records("fhs.html")
    paragraphs = record.text.split("\n\n")
    assert paragraphs[0].startswith("Et Debian-system er organisert i tråd med Filesystem Hierarchy Standard (FHS).")
    assert [p.split(":")[0] for p in paragraphs[1:5]] == ["/bin/", "/boot/", "/dev/", "/etc/"]  # list items
    assert paragraphs[1] == "/bin/: basisprogrammet;"
    assert "B.2.2. Brukerens hjemmemappe" in paragraphs
    assert paragraphs[-1] == "Til slutt, e-postsystemet lagrer noen ganger innkommende e-poster til en ~/Mail/-mappe."
    for navigation in (
        "Download the ebook",
        "Forrige",
        "Neste",
        "Håndbok for Debian-administratoren",
        "Kort støttekurs",
    ):
        assert navigation not in record.text  # banner, header and footer navigation
    assert record.metadata["title"] == "B.2. Organisering av filsystemhierarkiet"
    assert record.metadata["url"] == str(tmp_path / "fhs.html")
    (record,) = HtmlDocReader(str(tmp_path), base_url="https://debian-handbook.info/browse/nb-NO/").records("fhs.html")
    assert record.metadata["url"] == "https://debian-handbook.info/browse/nb-NO/fhs.html"
    (record,) = read("nb_debian-handbook_filesystem-hierarchy.html", base_url="https://example.org/")
    assert record.metadata["url"] == "https://debian-handbook.info/browse/nb-NO/stable/sect.filesystem-hierarchy.html"


def test_windows_1252_page_is_decoded_and_og_url_kept():
    (page,) = read("da_gnome-help_latin1.html")
    assert page.metadata["encoding"] == "cp1252"
    assert "sørge for at sikkerhedskopieringen lykkedes" in page.text
    assert page.metadata["url"] == "https://help.gnome.org/users/gnome-help/stable/backup-check.html.da"
    assert "Denne side er oversat" not in page.text  # the footer


def test_charset_order_bom_utf8_declared_meta_then_cp1252():
    text = "Blåbærsyltetøy"
    assert decode_html(b"\xef\xbb\xbf" + text.encode()) == (text, "utf-8")
    assert decode_html(text.encode("cp1252"), "ISO-8859-1") == (text, "cp1252")
    assert decode_html(b'<meta charset="windows-1252">' + text.encode("cp1252"))[1] == "cp1252"
    assert decode_html(text.encode()) == (text, "utf-8")
    assert decode_html(text.encode("cp1252")) == (text, "cp1252")
    assert decode_html(text.encode(), "iso-8859-1") == (text, "utf-8")  # a wrong declaration does not garble


def test_tables_are_left_out_unless_asked_for():
    html = (
        "<html><body><article><h1>Tabell</h1><p>"
        + "Priserna gäller hela året och inkluderar moms. " * 6
        + "</p><table><tr><td>Vuxen</td><td>120 kr</td></tr><tr><td>Barn</td><td>60 kr</td></tr></table>"
        "</article></body></html>"
    )
    assert "120 kr" not in extract_page(html).text
    assert "Vuxen | 120 kr" in extract_page(html, include_tables=True).text


def test_render_collapses_whitespace_and_keeps_line_breaks():
    from lxml import etree

    body = etree.fromstring(
        "<body><p>Rad ett\n   fortsätter<lb/>rad två</p><list><item>a</item><item>b</item></list>"
        "<code>x = 1\ny = 2</code></body>"
    )
    assert render_paragraphs(body) == "Rad ett fortsätter\nrad två\n\na\n\nb\n\nx = 1\ny = 2"


def test_empty_and_truncated_files(tmp_path):
    (tmp_path / "empty.html").write_bytes(b"")
    (record,) = HtmlDocReader(str(tmp_path)).records("empty.html")
    assert isinstance(record, Record) and record.text == ""  # removed as read_empty_text by the base reader
    data = gzip.compress((HTML / "nb_debian-handbook_ubuntu.html").read_bytes())
    (tmp_path / "cut.html.gz").write_bytes(data[: len(data) // 2])
    (item,) = HtmlDocReader(str(tmp_path)).records("cut.html.gz")
    assert isinstance(item, Unreadable) and item.error_type == "truncated_file"


def test_run_on_real_pages_balances_and_keeps_metadata(tmp_path):
    names = [f"html/{p.name}" for p in sorted(HTML.glob("*.html"))]
    folder = copy_fixtures(tmp_path, *names)
    data = gzip.compress((HTML / "nb_debian-handbook_ubuntu.html").read_bytes())
    (folder / "cut.html.gz").write_bytes(data[: len(data) // 2])
    summary = run_recipe(tmp_path, folder, {"format": "html", "category": "docs"})
    assert summary["read"] == len(names) + 1
    assert summary["kept"] == len(names) - 1 and summary["removed"] == 1 and summary["quarantined"] == 1
    assert summary["quarantine"]["by_error"]["truncated_file"]["docs"] == 1
    kept = outputs(tmp_path)
    assert {d["id"] for d in kept} == {n.split("/")[1] for n in names} - {"nav_only.html"}
    # a page without main text is a removal with its reason, not a skip
    assert [r.removed for r in read("nav_only.html")] == ["read_no_main_text"]
    assert summary["steps"]["read"]["by_reason"]["read_no_main_text"]["docs"] == 1
    (removed,) = outputs(tmp_path, "removed")
    assert removed["metadata"]["filter_reason"] == "read_no_main_text" and "Logga in" in removed["text"]
    assert removed["metadata"]["title"] == "Sidkarta – Exempelsajten"
    assert reader_stats(summary)["pages_without_main_text"] == 1
    assert all(d["metadata"]["category"] == "docs" and d["metadata"]["title"] and d["metadata"]["url"] for d in kept)
