"""MediaWiki dump reader and wikitext cleaning, on a small Faroese dump built from Faroese Wikipedia sentences
(CC BY-SA, via the UD Faroese-OFT treebank) with the markup real articles carry."""

import bz2
import subprocess
import sys
import textwrap

import pytest

from nordic_pile.readers.base import Record, Unreadable
from nordic_pile.readers.mediawiki import MediaWikiDocReader
from nordic_pile.readers.wikitext import wikitext_to_text
from tests.readers.conftest import FIXTURES, copy_fixtures, outputs, reader_stats, run_recipe

DUMP = FIXTURES / "mediawiki" / "fowiki-sample.xml"


def read(folder, name):
    reader = MediaWikiDocReader(str(folder))
    items = list(reader.records(name))
    return items, {k: v.total for k, v in reader.stats.stats.items()}


def test_articles_are_clean_text_with_headings_and_metadata():
    (foroyar, norra, barbara), stats = read(DUMP.parent, DUMP.name)
    assert stats == {"wiki_skipped_redirect": 1, "wiki_skipped_namespace_1": 1, "wiki_skipped_namespace_10": 1}
    text = foroyar.text
    assert text.startswith("Føroyar eru sjálvstýrandi land í danska kongaríkinum. 18 oyggjar eru í Føroyum.")
    paragraphs = text.split("\n\n")
    assert {"Søga", "Kirkjur", "Hagtøl"} <= set(paragraphs)  # headings are paragraphs
    assert "Sí eisini" not in paragraphs and "Keldur" not in paragraphs  # sections left empty are dropped
    assert "Í Føroyum eru 14 prestagjøld og 20 prestar.\nÍ Føroyum eru fleiri trúarsamfeløg og fríkirkjur." in text
    for gone in (
        "høvuðsstaður",
        "Infobox",
        "Citation",
        "Ríkisfelagsskapurin",
        "164 130",
        "Kort yvir",
        "Bólkur",
        "Færøerne",
        "Faroe Islands",
        "NOTOC",
        "keldu vantar",
        "[[",
        "{{",
        "<ref",
        "'''",
        "thumb",
    ):
        assert gone not in text, gone
    assert foroyar.id == "fowiki:101" and foroyar.metadata == {
        "title": "Føroyar",
        "url": "https://fo.wikipedia.org/wiki/F%C3%B8royar",
        "date": "2024-03-01T12:00:00Z",
        "category": "wiki",
        "source": "fowiki",
        "language": "fo",
    }
    assert norra.text.startswith("Norra ella Noreg er eitt land í Norðurlondum.")
    assert "eldri útgáva" not in norra.text and norra.metadata["date"] == "2024-06-01T00:00:00Z"  # last revision
    assert barbara.text == "" and barbara.metadata["title"] == "Barbara"  # removed later as read_empty_text


@pytest.mark.parametrize(
    ("wikitext", "expected"),
    [
        ("[[Tórshavn]]ar [[Oslo|høvuðsstaðurin]]", "Tórshavnar høvuðsstaðurin"),
        ("Sí [[:Bólkur:Føroyar|bólkin]] og [[Bólkur:Føroyar]].", "Sí bólkin og ."),
        ("[[File:A.jpg|thumb|Mynd av [[Oslo]]]]Tekst", "Tekst"),
        ("[https://example.org heimasíðan] og [https://example.org] og https://x.fo", "heimasíðan og og https://x.fo"),
        ("{{Infobox|a={{b|c}}}}Eftir &amp; &nbsp;undan", "Eftir & undan"),
        ("<nowiki>[[ikki leinki]]</nowiki>", "[[ikki leinki]]"),
        ("<poem>Ein\nTvey</poem>", "Ein\nTvey"),
        ("; Orð : frágreiðing", "Orð frágreiðing"),
        ("Tekst<ref>keldan</ref>. Meira<ref name=x/>.", "Tekst. Meira."),
        ("'''feitt''' og ''skákskrift''", "feitt og skákskrift"),
        ("A\n----\nB", "A\n\nB"),
        ("== Tómt ==\n== Fult ==\nTekst", "Fult\n\nTekst"),
        ("[[sv:Färöarna]][[nn:Færøyane]]", ""),
    ],
)
def test_wikitext_cleaning(wikitext, expected):
    assert wikitext_to_text(wikitext, ["Bólkur", "Mynd"]) == expected


def test_bz2_dump_and_truncated_bz2(tmp_path):
    data = DUMP.read_bytes()
    (tmp_path / "fo.xml.bz2").write_bytes(bz2.compress(data))
    items, _ = read(tmp_path, "fo.xml.bz2")
    assert [i.id for i in items] == ["fowiki:101", "fowiki:105", "fowiki:106"]
    big = (
        data.replace(b"</mediawiki>", b"")
        + b"".join(  # enough pages that bz2 has blocks to lose
            data[data.index(b"  <page>\n    <title>Norra") : data.index(b"  <page>\n    <title>Barbara")].replace(
                b"<id>105</id>", f"<id>{n}</id>".encode()
            )
            for n in range(1000, 3000)
        )
        + b"</mediawiki>\n"
    )
    compressed = bz2.compress(big, compresslevel=1)
    (tmp_path / "cut.xml.bz2").write_bytes(compressed[: len(compressed) * 3 // 4])
    items, _ = read(tmp_path, "cut.xml.bz2")
    assert isinstance(items[-1], Unreadable) and items[-1].error_type == "truncated_file"
    assert len(items) > 100 and all(isinstance(i, Record) for i in items[:-1])


def test_malformed_xml_is_quarantined_at_its_line(tmp_path):
    lines = DUMP.read_text(encoding="utf-8").split("\n")
    broken = next(i for i, line in enumerate(lines) if "<title>Norra</title>" in line)
    lines[broken] = "    <title>Norra</titel>"
    (tmp_path / "bad.xml").write_text("\n".join(lines), encoding="utf-8")
    items, _ = read(tmp_path, "bad.xml")
    assert [i.id for i in items[:-1]] == ["fowiki:101"]
    assert isinstance(items[-1], Unreadable) and items[-1].error_type == "invalid_xml"
    assert items[-1].position == broken + 1


def test_memory_stays_bounded_on_a_large_dump(tmp_path):
    """80 MB of pages, one of them with 300 revisions of 100 kB: the reader's peak memory must not follow."""
    head = DUMP.read_text(encoding="utf-8").split("  <page>", 1)[0]
    talk = "  <page><title>Kjak:{n}</title><ns>1</ns><id>{n}</id><revision><text>{body}</text></revision></page>\n"
    with open(tmp_path / "big.xml", "w", encoding="utf-8") as f:
        f.write(head)
        body = "Hetta er ein kjakside. " * 90
        for n in range(25_000):
            f.write(talk.format(n=n, body=body))
        f.write("  <page><title>Long</title><ns>0</ns><id>1</id>")
        for n in range(300):
            f.write(f"<revision><id>{n}</id><text>{'Ein setningur. ' * 7000} {n}</text></revision>")
        f.write("</page>\n</mediawiki>\n")
    script = textwrap.dedent(f"""
        import resource
        from nordic_pile.readers.mediawiki import MediaWikiDocReader
        reader = MediaWikiDocReader({str(tmp_path)!r})
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        items = list(reader.records("big.xml"))
        assert len(items) == 1 and items[0].text.endswith(" 299"), items
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "big.xml").stat().st_size > 80_000_000
    print(f"peak memory above start: {run.stdout.strip()} MB")
    assert int(run.stdout) < 15, run.stdout  # MB above the start (22 MB when the pages are kept)


def test_run_on_a_bz2_dump_balances(tmp_path):
    folder = copy_fixtures(tmp_path, "mediawiki/fowiki-sample.xml")
    (folder / "fowiki-sample.xml.bz2").write_bytes(bz2.compress((folder / "fowiki-sample.xml").read_bytes()))
    (folder / "fowiki-sample.xml").unlink()
    (folder / "second.xml").write_bytes(DUMP.read_bytes().replace(b"fowiki", b"fowiki2"))
    summary = run_recipe(tmp_path, folder, {"format": "mediawiki"})
    assert summary["read"] == 6 and summary["kept"] == 4 and summary["removed"] == 2
    assert summary["steps"]["read"]["by_reason"]["read_empty_text"]["docs"] == 2
    assert reader_stats(summary)["wiki_skipped_redirect"] == 2
    kept = outputs(tmp_path)
    assert {d["id"] for d in kept} == {"fowiki:101", "fowiki:105", "fowiki2:101", "fowiki2:105"}
    assert {d["metadata"]["language"] for d in kept} == {"fao"} and {d["metadata"]["category"] for d in kept} == {
        "wiki"
    }
