"""`nordic-pile langid predict` and `langid eval` as a user runs them."""

import gzip
import json
import subprocess

import pytest

from nordic_pile.cli import main
from nordic_pile.lang_id.corpus import open_text
from tests.engine.helpers import cli_command
from tests.lang_id.conftest import SENTENCES


def test_predict_copies_every_record_and_adds_the_language(tmp_path, sentences):
    records = [
        {"id": "a", "text": sentences["nno"][0], "url": "https://x.no"},
        {"id": "b", "text": sentences["isl"][0], "lang": "fo"},
        {"id": "c", "body": "no text field"},
        {"id": "d", "text": "1234"},
    ]
    source = tmp_path / "in.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["langid", "predict", str(source), str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    assert [r["language"] for r in rows] == ["nno", "isl", "und", "und"]
    assert rows[0]["url"] == "https://x.no" and rows[1]["lang"] == "fo" and rows[2]["body"] == "no text field"
    assert 0.5 < rows[0]["language_score"] <= 1 and rows[2]["language_score"] == 0.0
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_predict_with_another_backend_and_zstd_output(tmp_path, sentences):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": sentences["swe"][0]}) + "\n")
    out = tmp_path / "out.jsonl.zst"
    assert main(["langid", "predict", str(source), str(out), "--backend", "lid176"]) == 0
    with open_text(str(out)) as f:
        assert json.loads(f.read())["language"] == "swe"


def test_predict_bad_line_is_one_clear_error(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "hej"}\n{broken\n')
    assert main(["langid", "predict", str(source), str(tmp_path / "out.jsonl")]) == 2
    assert f"{source}:2: not JSON" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "out.jsonl.partial").exists()


def test_unknown_backend_is_one_line(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "hej"}\n')
    assert main(["langid", "predict", str(source), str(tmp_path / "o.jsonl"), "--backend", "cld3"]) == 2
    assert "backend='cld3' is unknown; use one of nordic, lid176" in capsys.readouterr().err


def test_eval_prints_figures_for_every_backend_side_by_side(tmp_path):
    csv_file = tmp_path / "dsl.csv"
    lines = ["language,sentence"]
    with open(SENTENCES, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["lang"] in ("nb", "nn", "fo", "is"):
                lines.append(f'{r["lang"]},"{r["text"].lower().replace(chr(34), "")}"')
    csv_file.write_text("\n".join(lines) + "\n")
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        cli_command("langid", "eval", csv_file, SENTENCES, "--backends", "nordic,lid176,pycld2", "--json", figures),
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    for needle in ("accuracy", "macro-F1", "texts/s", "nordic P", "lid176 R", "pycld2: gold \\ predicted", "fao"):
        assert needle in out, needle
    data = {r["backend"]: r for r in json.loads(figures.read_text())}
    assert data["nordic"]["texts"] == data["lid176"]["texts"] == len(lines) - 1 + 160
    assert data["nordic"]["accuracy"] > data["lid176"]["accuracy"]  # lid.176 has no Faroese and one Norwegian
    assert data["lid176"]["per_language"]["fao"]["recall"] == 0.0


@pytest.mark.parametrize(
    "args", [["train", "--output", "x.ftz"], ["train", "f.jsonl", "--recipe", "r.yaml", "--output", "x.ftz"]]
)
def test_train_needs_recipe_or_files(args, capsys):
    assert main(["langid", *args]) == 2
    assert "give either --recipe" in capsys.readouterr().err


def test_predict_invalid_utf8_names_the_file(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"text": "hej"}\n{"text": "h\xe6j"}\n')
    assert main(["langid", "predict", str(source), str(tmp_path / "out.jsonl")]) == 2
    assert f"{source}:2: not JSON" in capsys.readouterr().err
