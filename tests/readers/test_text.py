"""Plain-text reader on real Swedish and Danish documentation text (GNOME help, CC BY-SA 3.0)."""

import gzip
import random
import shutil

import pytest
import zstandard

from nordic_pile.errors import ConfigError
from nordic_pile.readers.base import Record, Unreadable
from nordic_pile.readers.text import TextDocReader, detect_legacy_encoding
from tests.readers.conftest import FIXTURES, copy_fixtures, outputs, run_recipe

SV = (FIXTURES / "text" / "sv_gnome-help.txt").read_text(encoding="utf-8")
DA_BYTES = (FIXTURES / "text" / "da_gnome-help_cp1252.txt").read_bytes()
DA = DA_BYTES.decode("cp1252")


def items(folder, name, **kwargs):
    return list(TextDocReader(str(folder), **kwargs).records(name))


def test_one_document_per_file_keeps_the_text_and_names_the_file(fixtures):
    (record,) = items(fixtures / "text", "sv_gnome-help.txt")
    assert isinstance(record, Record) and record.text == SV and record.id == "sv_gnome-help.txt"


def test_lines_and_paragraph_blocks(fixtures):
    lines = items(fixtures / "text", "sv_gnome-help.txt", unit="line")
    assert [r.text for r in lines] == [line for line in SV.splitlines() if line.strip()]
    assert lines[0].position == 1 and lines[1].position == 3  # line numbers; blank lines are not documents
    blocks = items(fixtures / "text", "sv_gnome-help.txt", unit="paragraph_block")
    assert [r.text for r in blocks] == [b for b in SV.strip().split("\n\n")]


def test_cp1252_file_read_with_auto_detects_and_records_the_encoding(fixtures):
    (record,) = items(fixtures / "text", "da_gnome-help_cp1252.txt", encoding="auto")
    assert record.text == DA and "sikkerhedskopiering" in record.text and "ø" in record.text
    assert record.metadata["encoding"] == "cp1252"
    blocks = items(fixtures / "text", "da_gnome-help_cp1252.txt", encoding="auto", unit="paragraph_block")
    assert [b.text for b in blocks] == DA.strip().split("\r\n\r\n")
    # each unit records how its bytes were decoded: an all-ASCII heading is valid UTF-8
    assert {b.metadata["encoding"] for b in blocks if not b.text.isascii()} == {"cp1252"}
    assert {b.metadata["encoding"] for b in blocks if b.text.isascii()} == {"utf-8"}


@pytest.mark.parametrize("encoding", ["cp1252", "iso8859_15", "cp850", "cp865"])
def test_legacy_detection_on_nordic_text_decodes_it_right(encoding):
    data = (SV + DA).encode(encoding)
    detected = detect_legacy_encoding(data)
    assert data.decode(detected) == SV + DA  # cp850 and cp865 agree on every Nordic letter: either is right
    if encoding in ("cp1252", "iso8859_15"):
        assert detected == "cp1252"


def test_invalid_utf8_is_quarantined_with_the_byte_offset(fixtures):
    (item,) = items(fixtures / "text", "da_gnome-help_cp1252.txt")
    first_bad = next(i for i, b in enumerate(DA_BYTES) if b >= 0x80)
    assert isinstance(item, Unreadable) and item.error_type == "invalid_utf8"
    assert f"at byte {first_bad}" in item.message and item.raw == DA_BYTES
    lines = items(fixtures / "text", "da_gnome-help_cp1252.txt", unit="line")
    bad = [i for i in lines if isinstance(i, Unreadable)]
    good = [i for i in lines if isinstance(i, Record)]
    assert bad and good  # lines without æøå are read; the others are quarantined one by one, with their line
    assert all(i.error_type == "invalid_utf8" and i.position > 0 for i in bad)


def test_truncated_gzip_and_zstd_are_quarantined_after_the_lines_read(tmp_path):
    words, rng = SV.split(), random.Random(0)  # 0.4 MB of shuffled words: many compressed blocks before the cut
    data = "".join(" ".join(rng.choices(words, k=12)) + "\n" for _ in range(5000)).encode()
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(data)[:-100])
    (tmp_path / "b.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(data)[:-100])
    for name in ("a.txt.gz", "b.txt.zst"):
        got = items(tmp_path, name, unit="line")
        assert isinstance(got[-1], Unreadable) and got[-1].error_type == "truncated_file"
        assert len(got) > 10 and all(isinstance(r, Record) for r in got[:-1])
        (whole,) = items(tmp_path, name)
        assert isinstance(whole, Unreadable) and whole.error_type == "truncated_file"


def test_oversized_units_are_cut_so_they_are_removed_as_too_long(tmp_path):
    (tmp_path / "big.txt").write_text("a" * 500 + "\n\nkort rad\n", encoding="utf-8")
    reader = TextDocReader(str(tmp_path), unit="line", max_chars=100)
    long_line, short = reader.records("big.txt")
    assert len(long_line.text) > 100 and short.text == "kort rad"
    (whole,) = TextDocReader(str(tmp_path), max_chars=100).records("big.txt")
    assert len(whole.text) > 100 and whole.metadata["truncated_at_bytes"] == 404


def test_bad_parameters_name_the_field():
    with pytest.raises(ConfigError, match="unit='sentence'"):
        TextDocReader(".", unit="sentence")
    with pytest.raises(ConfigError, match="encoding='utf8'"):
        TextDocReader(".", encoding="utf8")


def test_run_reads_text_files_with_auto_encoding_and_balances(tmp_path):
    folder = copy_fixtures(tmp_path, "text/sv_gnome-help.txt", "text/da_gnome-help_cp1252.txt")
    shutil.copy(folder / "sv_gnome-help.txt", folder / "sv_copy.txt")
    with gzip.open(folder / "sv_truncated.txt.gz", "wb") as f:
        f.write(SV.encode() * 5)
    (folder / "sv_truncated.txt.gz").write_bytes((folder / "sv_truncated.txt.gz").read_bytes()[:-50])
    summary = run_recipe(
        tmp_path, folder, {"format": "text", "unit": "paragraph_block", "encoding": "auto", "language": "swe"}
    )
    complete = 2 * len(SV.strip().split("\n\n")) + len(DA.strip().split("\r\n\r\n"))
    assert summary["kept"] >= complete and summary["quarantined"] == 1  # + the blocks before the break
    assert set(summary["quarantine"]["by_error"]) == {"truncated_file"}
    (entry,) = outputs(tmp_path, "quarantine")
    assert entry["metadata"]["shard"] == "sv_truncated.txt.gz" and entry["metadata"]["line"] > 1
    kept = outputs(tmp_path)
    danish = [d for d in kept if d["metadata"]["shard"] == "da_gnome-help_cp1252.txt"]
    assert len(danish) == len(DA.strip().split("\r\n\r\n"))
    assert {d["metadata"]["encoding"] for d in danish if not d["text"].isascii()} == {"cp1252"}
    assert any("sikkerhedskopiering" in d["text"] for d in danish)
    assert all(d["metadata"]["language"] == "swe" for d in kept)  # the hint of input.language


def test_a_file_mixing_utf8_and_cp1252_lines_is_read_line_by_line(tmp_path):
    sv_lines = [line for line in SV.splitlines() if line.strip()]
    da_lines = [line for line in DA.splitlines() if line.strip() and not line.isascii()]
    (tmp_path / "mixed.txt").write_bytes(
        b"\n".join([line.encode() for line in sv_lines] + [line.encode("cp1252") for line in da_lines]) + b"\n"
    )
    records = items(tmp_path, "mixed.txt", unit="line", encoding="auto")
    assert [r.text for r in records] == sv_lines + da_lines
    assert {r.metadata["encoding"] for r in records[len(sv_lines) :]} == {"cp1252"}
