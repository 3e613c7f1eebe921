"""Text preparation for language ID: one normal form for training and prediction, paragraphs for shares.

fastText splits on whitespace and reads one line at a time, so a document becomes one line. Everything that is
not a letter (punctuation, digits, symbols, `_`) becomes a space and the text is lower-cased: the model then
sees the same thing whether a sentence comes with its casing and punctuation (web, news, software strings) or
without them (NordicDSL's Wikipedia sentences), so neither style can become a cue for a language.
"""

from __future__ import annotations

import re

LETTERS = re.compile(r"[^\W\d_]+")
"""Runs of letters: what is neither a non-word character nor a digit nor `_`."""
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def normalize(text: str) -> str:
    """Lower-case, and keep the runs of letters with one space between them: `Dét 3. år!` -> `dét år`.

    Collecting the letter runs is a fifth faster than replacing the runs of non-letters (most of which are single
    spaces) and gives the same words."""
    return " ".join(LETTERS.findall(text.lower()))


def word_count(line: str) -> int:
    """Words of a normalised line (single spaces between words)."""
    return line.count(" ") + 1 if line else 0


def letter_count(text: str) -> int:
    """Number of letters in `text` (what paragraph shares are measured in)."""
    return sum(map(str.isalpha, text))


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs; a text without blank lines is split at its line breaks instead."""
    parts = _BLANK_LINE.split(text.strip())
    if len(parts) == 1:
        parts = text.strip().split("\n")
    return [p for p in parts if p.strip()]
