"""The bundled sample corpus (data/sample/) goes through the default recipe: every format is read, every defect
meant for the reader is accounted for, every normalisation step has work, and the counts balance."""

from pathlib import Path

from nordic_pile.cli import main
from tests.readers.conftest import reader_stats

ROOT = Path(__file__).resolve().parents[2]


def test_default_recipe_on_the_sample_corpus(tmp_path):
    import json

    out = tmp_path / "out"
    rc = main(
        [
            "run",
            str(ROOT / "pipelines" / "default.yaml"),
            "--input",
            str(ROOT / "data" / "sample"),
            "--output",
            str(out),
            "--tasks",
            "2",
        ]
    )
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["balanced"] and summary["read"] > 3000
    assert set(summary["quarantine"]["by_error"]) == {"invalid_json", "missing_text", "not_an_object", "invalid_utf8"}
    assert summary["steps"]["read"]["by_reason"]["read_no_main_text"]["docs"] == 2
    shards = summary["shards"]
    for name in (
        "wiki/fowiki-sample.xml.bz2",
        "web/crawl-2024-pages.warc.gz",
        "docs/debian-handbook.parquet",
        "text/handbok-the-debian-project.txt.gz",
        "web/pages/gnome-hjaelp-latin1.htm",
        "books/icepahc.jsonl.zst",
        "news/pretokenised.jsonl.zst",
    ):
        # every format is read; a document may then be removed (the handbook is in the sample in several formats,
        # and deduplication keeps one copy)
        assert shards[name]["read"]["docs"] > 0 and shards[name]["quarantined"]["docs"] == 0, name
    assert {code for code in summary["languages"]} >= {"swe", "dan", "nob", "nno", "isl", "fao", "eng", "fin", "und"}
    assert {category.split("/")[1] for category in summary["categories"]} >= {"wiki", "news", "books", "docs", "web"}
    step_stats = {name.split(": ")[-1]: stats for name, stats in summary["step_stats"].items()}
    for step, counter in (
        ("fix_mojibake", "mojibake_fixed"),
        ("normalize_unicode", "unicode_normalized"),
        ("remove_control_chars", "control_chars_removed"),
        ("normalize_whitespace", "whitespace_normalized"),
    ):
        assert step_stats[step][counter]["total"] > 20, step
    stats = reader_stats(summary)
    assert stats["skipped_not_data_file"] == 1  # data/sample/README.md
    assert stats["wiki_skipped_redirect"] > 0 and stats["warc_skipped_request"] > 0
