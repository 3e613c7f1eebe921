"""`input.format: auto`: each file read by the reader its extension calls for, in one run."""

import bz2
import gzip
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nordic_pile.readers.auto import EXTENSIONS, AutoDocReader
from nordic_pile.recipe import registry
from tests.readers.conftest import FIXTURES, outputs, reader_stats, run_recipe
from tests.readers.test_warc import write_archive

SV = (FIXTURES / "text" / "sv_gnome-help.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("a.jsonl", "JsonlDocReader"),
        ("a.jsonl.gz", "JsonlDocReader"),
        ("a.jsonl.zst", "JsonlDocReader"),
        ("a.parquet", "ParquetDocReader"),
        ("a.txt", "TextDocReader"),
        ("a.txt.gz", "TextDocReader"),
        ("A.HTML", "HtmlDocReader"),
        ("a.htm", "HtmlDocReader"),
        ("a.warc", "WarcDocReader"),
        ("a.warc.gz", "WarcDocReader"),
        ("a.xml", "MediaWikiDocReader"),
        ("a.xml.bz2", "MediaWikiDocReader"),
        ("a.csv", None),
        ("a.pdf", None),
        ("a.gz", None),
    ],
)
def test_reader_by_extension(name, reader):
    found = AutoDocReader(".")._reader_for(name)
    assert (type(found).__name__ if found else None) == reader


def test_every_reader_class_lists_the_extensions_auto_gives_it():
    assert set(EXTENSIONS) == set(registry.READERS) - {"auto"}
    for fmt, extensions in EXTENSIONS.items():
        assert registry.resolve(fmt, registry.READERS, "input format").extensions == extensions, fmt
    every = [e for extensions in EXTENSIONS.values() for e in extensions]
    assert len(every) == len(set(every))


def make_mixed_folder(folder):
    folder.mkdir()
    paragraphs = SV.strip().split("\n\n")
    with gzip.open(folder / "docs.jsonl.gz", "wt", encoding="utf-8") as f:
        for i, p in enumerate(paragraphs):
            f.write(json.dumps({"id": f"j{i}", "text": p, "lang": "sv"}) + "\n")
        f.write('{"id": "broken", "text": \n')
    pq.write_table(pa.table({"id": ["p0", "p1"], "text": paragraphs[:2]}), folder / "docs.parquet")
    shutil.copy(FIXTURES / "text" / "sv_gnome-help.txt", folder / "gnome.txt")
    shutil.copy(FIXTURES / "html" / "nb_debian-handbook_ubuntu.html", folder / "ubuntu.html")
    write_archive(folder / "crawl.warc.gz")
    (folder / "fowiki.xml.bz2").write_bytes(bz2.compress((FIXTURES / "mediawiki" / "fowiki-sample.xml").read_bytes()))
    (folder / "table.csv").write_text("id,text\n1,hej\n")
    (folder / "README.md").write_text("# A data set\n")
    (folder / ".gitattributes").write_text("*.parquet filter=lfs\n")


def test_mixed_folder_in_one_run(tmp_path):
    make_mixed_folder(tmp_path / "input")
    summary = run_recipe(tmp_path, tmp_path / "input", {"format": "auto"}, tasks=3)
    kept = outputs(tmp_path)
    by_shard = {}
    for doc in kept:
        by_shard.setdefault(doc["metadata"]["shard"], []).append(doc["id"])
    assert sorted(by_shard) == [
        "crawl.warc.gz",
        "docs.jsonl.gz",
        "docs.parquet",
        "fowiki.xml.bz2",
        "gnome.txt",
        "ubuntu.html",
    ]
    assert sorted(by_shard["docs.parquet"]) == ["p0", "p1"] and by_shard["gnome.txt"] == ["gnome.txt"]
    assert sorted(by_shard["fowiki.xml.bz2"]) == ["fowiki:101", "fowiki:105"]
    quarantine = {(q["metadata"]["shard"], q["metadata"]["error_type"]) for q in outputs(tmp_path, "quarantine")}
    assert quarantine == {("table.csv", "unsupported_file"), ("docs.jsonl.gz", "invalid_json")}
    removed = {(r["metadata"]["shard"], r["metadata"]["filter_reason"]) for r in outputs(tmp_path, "removed")}
    assert removed == {("crawl.warc.gz", "read_no_main_text"), ("fowiki.xml.bz2", "read_empty_text")}
    stats = reader_stats(summary)  # the format readers' own counts appear under the auto reader
    assert stats["skipped_not_data_file"] == 2 and stats["warc_skipped_request"] == 3
    assert stats["wiki_skipped_redirect"] == 1
