import json

import pyarrow.parquet as pq
from datatrove.data import Document

from nordic_pile.writers.disk import JsonlDocWriter, ParquetDocWriter
from nordic_pile.writers.files import safe_path_value


def test_partition_values_are_path_safe_and_defaults_fill_gaps(tmp_path):
    w = JsonlDocWriter(str(tmp_path), partition="{language}/{category}", compression=None)
    with w:
        w.write(Document(text="a", id="1", metadata={"language": "swe", "category": "../../etc"}), rank=3)
        w.write(Document(text="b", id="2", metadata={}), rank=3)
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.jsonl"))
    assert files == ["swe/etc/00003.jsonl", "und/unknown/00003.jsonl"]
    assert safe_path_value("a/b c") == "a_b_c"


def test_parquet_has_a_fixed_schema_and_metadata_as_json(tmp_path):
    w = ParquetDocWriter(str(tmp_path), partition="{language}")
    with w:
        w.write(Document(text="Hej", id="1", metadata={"language": "swe", "n": 1, "nested": {"a": [1]}}), 0)
        w.write(Document(text="Hei", id="2", metadata={"language": "swe", "url": "https://x.no"}), 0)
    table = pq.read_table(tmp_path / "swe" / "00000.parquet")
    assert table.column_names == ["id", "text", "language", "category", "source", "url", "metadata"]
    rows = table.to_pylist()
    assert rows[0]["text"] == "Hej" and json.loads(rows[0]["metadata"])["nested"] == {"a": [1]}
    assert rows[1]["url"] == "https://x.no"
