"""Parquet reader on real text (GNOME help paragraphs, CC BY-SA 3.0): round trip, columns, corrupt files."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
from datatrove.data import Document

from nordic_pile.readers.base import Record, Unreadable
from nordic_pile.readers.parquet import ParquetDocReader
from nordic_pile.writers.disk import ParquetDocWriter
from tests.readers.conftest import FIXTURES, outputs, run_recipe

PARAGRAPHS = [p for p in (FIXTURES / "text" / "sv_gnome-help.txt").read_text(encoding="utf-8").split("\n\n") if p]


def write_table(path, rows: list[dict], row_group_size: int = 1000, compression: str = "zstd") -> None:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size, compression=compression)


def read(folder, name, **kwargs) -> list:
    return list(ParquetDocReader(str(folder), **kwargs).records(name))


def test_round_trip_of_our_parquet_writer(tmp_path):
    writer = ParquetDocWriter(str(tmp_path / "written"), partition="{language}")
    docs = [
        Document(
            text=p,
            id=f"sv-{i}",
            metadata={
                "language": "swe",
                "category": "docs",
                "source": "gnome-help",
                "url": f"https://help.gnome.org/{i}",
                "pii": {"email": i},
            },
        )
        for i, p in enumerate(PARAGRAPHS)
    ]
    for doc in docs:
        writer.write(doc, rank=0)
    writer.close()
    items = read(tmp_path / "written", "swe/00000.parquet")
    assert [(r.id, r.text) for r in items] == [(d.id, d.text) for d in docs]
    for record, doc in zip(items, docs, strict=True):
        assert record.position == int(doc.id.split("-")[1]) + 1  # 1-based row numbers
        assert {k: record.metadata[k] for k in doc.metadata} == doc.metadata  # nested fields survive the JSON


def test_columns_json_and_struct_metadata(tmp_path):
    write_table(
        tmp_path / "a.parquet",
        [
            {"content": PARAGRAPHS[0], "doc_id": 7, "metadata": json.dumps({"url": "u1", "lang": "sv"}), "year": 2023},
            {"content": PARAGRAPHS[1], "doc_id": 8, "metadata": json.dumps({"url": "u2"}), "year": None},
        ],
    )
    first, second = read(tmp_path, "a.parquet", text_key="content", id_key="doc_id")
    assert first.id == "7" and first.text == PARAGRAPHS[0]
    assert first.metadata == {"url": "u1", "lang": "sv", "year": 2023}
    assert second.metadata == {"url": "u2"}  # a null column is not metadata
    write_table(tmp_path / "b.parquet", [{"text": "x", "metadata": {"source": "s", "n": 1}}])
    (record,) = read(tmp_path, "b.parquet")
    assert record.metadata == {"source": "s", "n": 1} and record.id is None


def test_null_text_and_missing_text_column(tmp_path):
    write_table(tmp_path / "a.parquet", [{"text": PARAGRAPHS[0]}, {"text": None}])
    good, null = read(tmp_path, "a.parquet")
    assert good.text == PARAGRAPHS[0] and isinstance(null, Record) and null.text is None  # base: missing_text
    write_table(tmp_path / "b.parquet", [{"body": "x"}])
    (item,) = read(tmp_path, "b.parquet")
    assert isinstance(item, Unreadable) and item.error_type == "missing_text" and "'body'" in item.message


def test_truncated_and_not_parquet_files_are_quarantined(tmp_path):
    write_table(tmp_path / "a.parquet", [{"text": p} for p in PARAGRAPHS])
    data = (tmp_path / "a.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) - 20])
    (tmp_path / "junk.parquet").write_bytes(b"PAR1 this is not a parquet file at all")
    for name in ("cut.parquet", "junk.parquet"):
        (item,) = read(tmp_path, name)
        assert isinstance(item, Unreadable) and item.error_type == "corrupt_parquet" and item.position == 0


def test_corrupt_row_group_keeps_the_rows_before_it(tmp_path):
    rows = [{"text": f"{p} ({i})"} for i in range(20) for p in PARAGRAPHS]
    write_table(tmp_path / "a.parquet", rows, row_group_size=len(rows) // 4)
    meta = pq.ParquetFile(tmp_path / "a.parquet").metadata
    offset = meta.row_group(2).column(0).data_page_offset
    data = bytearray((tmp_path / "a.parquet").read_bytes())
    data[offset + 20 : offset + 200] = b"\xff" * 180
    (tmp_path / "bad.parquet").write_bytes(bytes(data))
    items = read(tmp_path, "bad.parquet", batch_size=10)
    good = [i for i in items if isinstance(i, Record)]
    assert [r.text for r in good] == [r["text"] for r in rows[: len(good)]]
    assert len(good) == 2 * (len(rows) // 4)  # the first two row groups
    assert isinstance(items[-1], Unreadable) and items[-1].error_type == "corrupt_parquet"
    assert items[-1].position == len(good) + 1


def test_run_balances_with_a_corrupt_file(tmp_path):
    folder = tmp_path / "input"
    folder.mkdir()
    write_table(folder / "a.parquet", [{"text": p, "id": f"a{i}", "lang": "sv"} for i, p in enumerate(PARAGRAPHS)])
    write_table(folder / "b.parquet", [{"text": p, "id": f"b{i}"} for i, p in enumerate(PARAGRAPHS)] + [{"text": ""}])
    (folder / "c.parquet").write_bytes((folder / "a.parquet").read_bytes()[:100])
    summary = run_recipe(tmp_path, folder, {"format": "parquet", "category": "docs"}, tasks=3)
    assert summary["read"] == 2 * len(PARAGRAPHS) + 2
    assert summary["kept"] == 2 * len(PARAGRAPHS) and summary["quarantined"] == 1 and summary["removed"] == 1
    assert summary["steps"]["read"]["by_reason"]["read_empty_text"]["docs"] == 1
    kept = outputs(tmp_path)
    assert {d["metadata"]["language"] for d in kept if d["id"].startswith("a")} == {"swe"}
    (entry,) = outputs(tmp_path, "quarantine")
    assert entry["metadata"]["shard"] == "c.parquet" and entry["metadata"]["error_type"] == "corrupt_parquet"
