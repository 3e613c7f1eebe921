"""`nordic-pile sentences`: NorLM's format, one sentence per line and a blank line between documents."""

import gzip
import json

from nordic_pile.cli import main
from nordic_pile.text.sentences import split_sentences
from tests.conftest import DATA

CURATED = DATA / "curated"


def test_one_sentence_per_line_and_a_blank_line_between_documents(tmp_path, capsys):
    out = tmp_path / "text"
    assert (
        main(
            [
                "sentences",
                str(CURATED / "dan"),
                str(CURATED / "isl"),
                "--output",
                str(out),
                "--tasks",
                "3",
                "--workers",
                "1",
            ]
        )
        == 0
    )
    assert "isl" in capsys.readouterr().out
    files = sorted(p for p in out.glob("data/**/*.txt.gz"))
    assert len(files) == 6  # one per input file, under the root number of its input
    for path in files:
        root = CURATED / ("dan" if path.relative_to(out / "data").parts[0] == "000" else "isl")
        source = root / path.relative_to(out / "data").relative_to(path.relative_to(out / "data").parts[0])
        with gzip.open(str(source).removesuffix(".txt.gz") + ".jsonl.gz", "rt") as f:
            docs = [json.loads(line) for line in f]
        text = gzip.open(path, "rt", encoding="utf-8").read()
        assert text.endswith("\n\n") and "\n\n\n" not in text
        blocks = text[:-2].split("\n\n")
        assert len(blocks) == len(docs)
        for block, doc in zip(blocks, docs, strict=True):
            assert block.split("\n") == split_sentences(doc["text"], doc["metadata"]["language"])
    summary = json.loads((out / "sentences.json").read_text())
    assert summary["languages"]["isl"]["documents"] == 34 and summary["quarantined"] == 0


def test_unreadable_lines_are_quarantined_not_lost(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_text(
        '{"text": "Første setning. Andre setning.", "id": "1", "metadata": '
        '{"language": "nob", "category": "web"}}\n{broken json\n{"id": "3"}\n'
    )
    assert main(["sentences", str(src), "--output", str(tmp_path / "out"), "--no-compress"]) == 0
    assert (tmp_path / "out" / "data" / "a.txt").read_text() == "Første setning.\nAndre setning.\n\n"
    quarantined = [json.loads(line) for line in open(tmp_path / "out" / "quarantine" / "a.jsonl")]
    assert [q["metadata"]["line"] for q in quarantined] == [2, 3]
    assert [q["metadata"]["error_type"] for q in quarantined] == ["invalid_json", "missing_text"]
    assert "2 unreadable line(s) quarantined" in capsys.readouterr().out
