"""Read tagged sentences: CoNLL-U (UPOS/XPOS, NorNE entities as `name=` in MISC) and CoNLL-style columns.

Column files (CoNLL-2003, DDT NER `.conll`, NorNE `.bio`, Webbnyheter `.txt`) have one token per line with the
tag in the last column, separated by tabs (or, where a line has no tab, by spaces); a blank or whitespace-only
line ends a sentence and `# ...` lines with other than two fields are comments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from nordic_pile.errors import ConfigError, InputError

FORMATS = ("auto", "conllu", "columns")
POS_COLUMNS = {"upos": 3, "xpos": 4}


@dataclass(frozen=True, slots=True)
class Sentence:
    words: list[str]
    tags: list[str]
    line: int  # where the sentence starts in its file (1-based)


@dataclass(frozen=True, slots=True)
class TaggedFile:
    path: str
    format: str
    sentences: list[Sentence]
    skipped_lines: list[int]
    """Malformed lines left out with --skip-malformed (line numbers); empty otherwise."""


def _misc_value(misc: str, key: str) -> str | None:
    for item in misc.split("|"):
        name, sep, value = item.partition("=")
        if sep and name == key:
            return value
    return None


class _Malformed(Exception):
    """A line that is neither a token, a comment nor a sentence break (the message says what was expected)."""


def _sentences(path: str, lines: list[str], parse, skip_malformed: bool) -> tuple[list[Sentence], list[int]]:
    """Sentences from blank-line-separated blocks; `parse(line, number)` gives (word, tag), or None to skip."""
    sentences, skipped = [], []
    words: list[str] = []
    tags: list[str] = []
    start = 1
    for number, raw in enumerate([*lines, ""], 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if words:
                sentences.append(Sentence(words, tags, start))
            words, tags = [], []
            continue
        try:
            token = parse(line, number)
        except _Malformed as e:
            if skip_malformed:
                skipped.append(number)
                continue
            raise InputError(
                f"{path}:{number}: {e}; fix the line or pass --skip-malformed (skipped lines are listed in the result)"
            ) from None
        if token is None:
            continue
        if not words:
            start = number
        words.append(token[0])
        tags.append(token[1])
    return sentences, skipped


def _conllu_parser(path: str, tag_of):
    def parse(line: str, number: int) -> tuple[str, str] | None:
        if line.startswith("#"):
            return None
        cols = line.split("\t")
        if len(cols) != 10:
            raise _Malformed(f"a CoNLL-U token line has 10 tab-separated columns, this has {len(cols)}")
        if "-" in cols[0] or "." in cols[0]:  # multiword token ranges and empty nodes carry no tags of their own
            return None
        return cols[1], tag_of(cols, path, number)

    return parse


def _columns_line(line: str, number: int) -> tuple[str, str] | None:
    fields = [f.strip() for f in (line.split("\t") if "\t" in line else line.split())]
    if line.startswith("#") and len(fields) != 2:
        return None
    if len(fields) < 2 or not fields[0] or not fields[-1]:
        raise _Malformed(f"expected 'TOKEN<TAB>TAG', got {line!r}")
    return fields[0], fields[-1]


def read_tagged(
    path: str,
    task: str,
    fmt: str = "auto",
    misc_key: str = "name",
    pos_column: str = "upos",
    skip_malformed: bool = False,
) -> TaggedFile:
    """Sentences of `path` with NER tags (`task="ner"`) or part-of-speech tags (`task="pos"`), as written."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt}: use one of {', '.join(FORMATS)}")
    if pos_column not in POS_COLUMNS:
        raise ConfigError(f"--pos-column {pos_column}: use one of {', '.join(POS_COLUMNS)}")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 ({e.reason} at byte {e.start}); convert it to UTF-8") from None
    if lines and lines[-1] == "":
        lines.pop()
    if fmt == "auto":
        fmt = "conllu" if os.path.basename(path).lower().endswith(".conllu") else "columns"
    if fmt == "columns":
        parse = _columns_line
    else:
        parse = _conllu_parser(path, _tag_reader(task, misc_key, pos_column))
    sentences, skipped = _sentences(path, lines, parse, skip_malformed)
    if not sentences:
        raise InputError(f"{path}: no tagged sentences found (format {fmt})")
    return TaggedFile(path, fmt, sentences, skipped)


def _tag_reader(task: str, misc_key: str, pos_column: str):
    if task == "pos":
        column = POS_COLUMNS[pos_column]
        return lambda cols, path, number: cols[column]

    def ner_tag(cols: list[str], path: str, number: int) -> str:
        value = _misc_value(cols[9], misc_key)
        if value is None:
            raise InputError(
                f"{path}:{number}: no {misc_key}= in the MISC column ({cols[9]!r}); entity tags "
                f"must be there (NorNE writes name=B-PER), or pass --misc-key"
            )
        return value

    return ner_tag
