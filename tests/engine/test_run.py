"""`nordic-pile run` with real datatrove executors (tasks > 1): every record is kept, removed with a reason, or
quarantined with its error, the counts add up, and the output bytes are reproducible."""

import gzip
import json
import unicodedata

import pytest

from tests.engine.helpers import read_docs, real_texts, run_cli, summary, tree_bytes, write_jsonl, write_recipe

RECIPE = """\
input:
  format: auto
  max_chars: 20000
output:
  format: jsonl
  partition: "{language}/{category}"
steps:
  - fix_mojibake:
  - normalize_unicode:
  - remove_control_chars:
  - normalize_whitespace:
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    docs = real_texts(52)
    write_jsonl(root / "part1.jsonl.gz", docs[:26], "gzip")
    write_jsonl(root / "sub" / "part2.jsonl.zst", docs[26:], "zstd")
    write_jsonl(
        root / "bad.jsonl",
        [
            {"id": "ok", "text": "Hej på dig.", "category": "web", "language": "sv"},
            b'{"id": "broken", "text": "no end\n',
            b'{"id": "latin1", "text": "p\xe5 dig"}\n',
            {"id": "no-text", "body": "x"},
            {"id": "empty", "text": " \n "},
            {"id": "too-long", "text": "ord " * 6000},
            b"[1, 2, 3]\n",
            {"id": "moji", "text": "Hej pÃ¥ dig, hur mÃ¥r du?", "lang": "sv"},
            {"id": "decomposed", "text": unicodedata.normalize("NFD", "Blåbærsyltetøy"), "lang": "nb"},
            {"id": "ctrl", "text": "a\x00b\r\nc\u200bd   e  \n\n\n\n\nf", "lang": "da"},
        ],
    )
    whole = gzip.compress(
        b"".join(json.dumps({"id": f"t{i}", "text": f"tekst {i} " * 30}).encode() + b"\n" for i in range(100)), mtime=0
    )
    (root / "truncated.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    return root


@pytest.fixture(scope="module")
def run_output(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    recipe = write_recipe(out.parent / "recipe.yaml", RECIPE)
    assert run_cli("run", recipe, "--input", corpus, "--output", out, "--tasks", 3, "--workers", 2) == 0
    return out


def test_counts_add_up_per_run_and_shard(run_output):
    s = summary(run_output)
    assert s["balanced"] and s["read"] == s["kept"] + s["removed"] + s["quarantined"]
    for shard, counts in s["shards"].items():
        assert counts["read"]["docs"] == sum(counts[k]["docs"] for k in ("kept", "removed", "quarantined")), shard
    assert s["kept"] == len(read_docs(run_output / "data"))
    assert s["removed"] == len(read_docs(run_output / "removed"))
    assert s["quarantined"] == len(read_docs(run_output / "quarantine"))


def test_every_bad_record_is_quarantined_with_file_line_and_error(run_output):
    entries = {(e["metadata"]["shard"], e["metadata"]["error_type"]): e for e in read_docs(run_output / "quarantine")}
    assert set(entries) == {
        ("bad.jsonl", "invalid_json"),
        ("bad.jsonl", "invalid_utf8"),
        ("bad.jsonl", "missing_text"),
        ("bad.jsonl", "not_an_object"),
        ("truncated.jsonl.gz", "truncated_file"),
        ("notes.pdf", "unsupported_file"),
    }
    assert entries[("bad.jsonl", "invalid_json")]["metadata"]["line"] == 2
    assert entries[("bad.jsonl", "invalid_utf8")]["metadata"]["line"] == 3
    assert "raw_base64" in entries[("bad.jsonl", "invalid_utf8")]["metadata"]  # the raw bytes are kept
    assert entries[("truncated.jsonl.gz", "truncated_file")]["metadata"]["line"] > 1
    assert summary(run_output)["quarantine"]["by_error"]["invalid_json"]["docs"] == 1


def test_empty_and_oversized_documents_are_removed_with_reasons(run_output):
    removed = {d["id"]: d["metadata"] for d in read_docs(run_output / "removed")}
    assert removed["empty"]["filter_reason"] == "read_empty_text"
    assert removed["too-long"]["filter_reason"] == "read_too_long"
    assert {m["removed_by"] for m in removed.values()} == {"read"}
    assert summary(run_output)["steps"]["read"]["by_reason"]["read_too_long"]["docs"] == 1


def test_documents_before_a_truncation_are_kept(run_output):
    kept = {d["id"] for d in read_docs(run_output / "data")}
    assert {"t0", "t1"} <= kept


def test_normalisation_repairs_text_and_keeps_letters(run_output):
    kept = {d["id"]: d for d in read_docs(run_output / "data")}
    assert kept["moji"]["text"] == "Hej på dig, hur mår du?"
    assert kept["decomposed"]["text"] == "Blåbærsyltetøy" and unicodedata.is_normalized(
        "NFC", kept["decomposed"]["text"]
    )
    assert kept["ctrl"]["text"] == "ab\ncd e\n\n\nf"
    assert kept["moji"]["metadata"]["language"] == "swe" and kept["ok"]["metadata"]["category"] == "web"


def test_output_is_partitioned_and_metadata_carries_provenance(run_output):
    assert (run_output / "data" / "swe" / "web").is_dir() and (run_output / "data" / "isl").is_dir()
    doc = read_docs(run_output / "data" / "fao")[0]
    assert doc["metadata"]["shard"] in ("part1.jsonl.gz", "sub/part2.jsonl.zst")
    assert not list(run_output.rglob("*.partial"))


def test_same_input_and_recipe_give_the_same_bytes(corpus, run_output, tmp_path):
    out = tmp_path / "again"
    assert (
        run_cli("run", run_output / "recipe.yaml", "--input", corpus, "--output", out, "--tasks", 3, "--workers", 1)
        == 0
    )
    assert tree_bytes(out) == tree_bytes(run_output)


def test_a_step_that_raises_quarantines_the_document(tmp_path):
    docs = [{"id": str(i), "text": f"Dokument {i}." + (" BOOM" if i == 3 else "")} for i in range(8)]
    write_jsonl(tmp_path / "in" / "a.jsonl", docs)
    recipe = write_recipe(tmp_path / "r.yaml", "steps:\n  - tests.engine.steps_for_tests:RaiseOnMarker:\n")
    assert run_cli("run", recipe, "--input", tmp_path / "in", "--output", tmp_path / "out", "--tasks", 2) == 0
    s = summary(tmp_path / "out")
    assert (s["read"], s["kept"], s["quarantined"]) == (8, 7, 1) and s["balanced"]
    (entry,) = read_docs(tmp_path / "out" / "quarantine")
    assert entry["id"] == "3" and entry["metadata"]["error"] == "ValueError: found BOOM"
    assert "Traceback" in entry["metadata"]["traceback"]


def test_datatrove_stock_filters_compose_and_their_reasons_are_recorded(tmp_path):
    docs = real_texts(10) + [
        {"id": "rep", "text": "Köp nu!\n" * 40, "lang": "sv"},
        {"id": "url", "text": "Läs mer på http://example.com nu.", "lang": "sv"},
    ]
    write_jsonl(tmp_path / "in" / "a.jsonl", docs)
    recipe = write_recipe(
        tmp_path / "r.yaml",
        "steps:\n"
        "  - datatrove.pipeline.filters.RegexFilter: {regex_exp: 'https?://'}\n"
        "  - datatrove.pipeline.filters.GopherRepetitionFilter: {}\n",
    )
    pytest.importorskip("spacy", reason="datatrove's Gopher filters tokenise with spaCy")
    assert run_cli("run", recipe, "--input", tmp_path / "in", "--output", tmp_path / "out", "--tasks", 2) == 0
    s = summary(tmp_path / "out")
    assert s["balanced"] and s["quarantined"] == 0
    assert s["steps"]["RegexFilter"]["by_reason"]["RegexFilter_dropped"]["docs"] == 1
    assert s["steps"]["GopherRepetitionFilter"]["by_reason"]["dup_line_frac"]["by_language"]["swe"]["docs"] == 1
    removed = read_docs(tmp_path / "out" / "removed" / "GopherRepetitionFilter")
    assert [d["id"] for d in removed if d["metadata"]["filter_reason"] == "dup_line_frac"] == ["rep"]


def test_a_step_that_cannot_run_here_ends_the_run_with_one_line(tmp_path, capsys):
    write_jsonl(tmp_path / "in" / "a.jsonl", real_texts(4))
    recipe = write_recipe(tmp_path / "r.yaml", "steps:\n  - tests.engine.steps_for_tests:NeedsMissingPackage:\n")
    assert run_cli("run", recipe, "--input", tmp_path / "in", "--output", tmp_path / "out", "--tasks", 2) == 2
    err = capsys.readouterr().err
    assert "error: step NeedsMissingPackage cannot run: ModuleNotFoundError: No module named" in err
    assert "Traceback" not in err and not (tmp_path / "out" / "summary.json").exists()


def test_output_folder_of_another_run_is_refused_unless_overwrite(corpus, run_output, tmp_path, capsys):
    other = write_recipe(tmp_path / "other.yaml", RECIPE.replace("max_chars: 20000", "max_chars: 30000"))
    args = ["run", other, "--input", corpus, "--output", run_output, "--tasks", 3]
    assert run_cli(*args) == 2
    assert "holds a run with another recipe_sha256; pass --overwrite" in capsys.readouterr().err
    elsewhere = tmp_path / "notes"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("x")
    assert run_cli("run", other, "--input", corpus, "--output", elsewhere) == 2
    assert "holds no nordic-pile run" in capsys.readouterr().err


def test_a_parent_with_running_threads_starts_workers_from_a_forkserver(corpus, run_output, tmp_path):
    """Forking a parent whose other threads may hold locks (torch after training, a notebook kernel) can hang the
    child: such a parent starts a forkserver, and the run gives the same bytes as a forked one."""
    import threading

    from nordic_pile.recipe.executors import start_method

    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)
    busy.start()
    try:
        assert start_method() == "forkserver"
        out = tmp_path / "threaded"
        args = ("--input", corpus, "--output", out, "--tasks", 3, "--workers", 2)
        assert run_cli("run", run_output / "recipe.yaml", *args) == 0
    finally:
        stop.set()
        busy.join()
    assert tree_bytes(out) == tree_bytes(run_output)
