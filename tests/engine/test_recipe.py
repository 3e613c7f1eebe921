"""A wrong recipe is one clear line naming the file, the line, the key and the fix, before any work starts."""

import pytest

from nordic_pile.errors import ConfigError
from nordic_pile.recipe.schema import parse_recipe
from tests.engine.helpers import run_cli, write_recipe

GOOD = """\
description: test
input:
  format: jsonl
output:
  format: jsonl
  partition: "{language}"
steps:
  - fix_mojibake:
  - normalize_whitespace: {max_blank_lines: 1}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("fix_mojibake:", "fix_mojibak:"),
            r"r\.yaml:8: steps\[0\]\.fix_mojibak: unknown step 'fix_mojibak'; did you mean 'fix_mojibake'\?",
        ),
        (
            GOOD.replace("max_blank_lines: 1", "max_blank_line: 1"),
            r"r\.yaml:9: steps\[1\]\.normalize_whitespace\.max_blank_line: unknown parameter; "
            r"did you mean 'max_blank_lines'\?",
        ),
        (
            GOOD.replace("max_blank_lines: 1", "max_blank_lines: two"),
            r"r\.yaml:9: steps\[1\]\.normalize_whitespace\.max_blank_lines: expected int, got 'two' \(str\)",
        ),
        (
            GOOD.replace("  format: jsonl\noutput", "  format: jsnl\noutput"),
            r"unknown input format 'jsnl'; did you mean 'jsonl'\?",
        ),
        (
            GOOD.replace("description", "descripton"),
            r"r\.yaml:1: descripton: unknown key; did you mean 'description'\?",
        ),
        (
            GOOD.replace('partition: "{language}"', "partiton: x"),
            r"r\.yaml:6: output\.partiton: unknown parameter; did you mean 'partition'\?",
        ),
        (
            GOOD.replace("  - fix_mojibake:\n", "  - fix_mojibake: 3\n"),
            r"steps\[0\]\.fix_mojibake: parameters must be a mapping, got 3",
        ),
        (
            GOOD + "  - normalize_unicode: {form: NFX}\n",
            r"steps\[2\]\.normalize_unicode\.form: expected one of 'NFC', 'NFKC', 'NFD', 'NFKD', got 'NFX'",
        ),
        ("steps: [a, [b]\n", r"r\.yaml:2: not valid YAML"),
        (
            GOOD.replace("format: jsonl\n  partition", "format: jsonl\n  output_folder: x\n  partition"),
            r"output\.output_folder: set by nordic-pile itself",
        ),
        (
            GOOD + "  - datatrove.pipeline.filters.GopherRepetitionFilter: {dup_line_frac: high}\n",
            r"GopherRepetitionFilter\.dup_line_frac: expected float or null, got 'high'",
        ),
    ],
)
def test_recipe_errors_name_file_line_key_and_fix(tmp_path, text, message):
    path = write_recipe(tmp_path / "r.yaml", text)
    with pytest.raises(ConfigError, match=message) as info:
        parse_recipe(str(path))
    assert "\n" not in str(info.value)


def test_good_recipe_and_datatrove_step_by_import_path(tmp_path):
    text = GOOD + "  - datatrove.pipeline.filters.GopherRepetitionFilter: {dup_line_frac: 0.5}\n"
    recipe = parse_recipe(str(write_recipe(tmp_path / "r.yaml", text)))
    assert [s.name for s in recipe.steps][-1] == "datatrove.pipeline.filters.GopherRepetitionFilter"
    assert recipe.output["partition"] == "{language}"


def test_cli_prints_one_line_and_exits_2(tmp_path, capsys):
    path = write_recipe(tmp_path / "r.yaml", GOOD.replace("fix_mojibake:", "fix_mojibak:"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text('{"text": "hej"}\n')
    assert run_cli("run", path, "--input", tmp_path / "in", "--output", tmp_path / "out") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nordic-pile run: error: ") and "fix_mojibak" in err and "\n" not in err
    assert not (tmp_path / "out").exists()  # nothing ran


def test_missing_input_is_one_line(tmp_path, capsys):
    path = write_recipe(tmp_path / "r.yaml", GOOD)
    assert run_cli("run", path, "--input", tmp_path / "nope", "--output", tmp_path / "out") == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_default_recipes_validate():
    import pathlib

    for path in sorted(pathlib.Path(__file__).resolve().parents[2].glob("pipelines/*.yaml")):
        parse_recipe(str(path))


def test_empty_input_folder_and_unmatched_glob_are_one_line(tmp_path, capsys):
    path = write_recipe(tmp_path / "r.yaml", GOOD)
    (tmp_path / "empty").mkdir()
    assert run_cli("run", path, "--input", tmp_path / "empty", "--output", tmp_path / "out") == 2
    assert "the folder holds no files" in capsys.readouterr().err
    assert run_cli("run", path, "--input", str(tmp_path / "empty" / "*.jsonl"), "--output", tmp_path / "out") == 2
    assert "the pattern matches no file" in capsys.readouterr().err
