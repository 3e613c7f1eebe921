"""Whitespace normalisation: runs of spaces, trailing spaces, too many blank lines. Indentation is kept (code)."""

from __future__ import annotations

import re

from datatrove.pipeline.formatters.base import BaseFormatter

_EXOTIC_SPACES = re.compile(r"[\u2000-\u200a\u205f\u3000]")  # en/em/thin... spaces; NBSP (\u00a0, \u202f) is kept
_INNER_RUNS = re.compile(r"(?<=\S)[ ]{2,}(?=\S)")
_TRAILING = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)


class WhitespaceNormalizer(BaseFormatter):
    """Collapse runs of spaces inside lines, drop trailing spaces, allow at most `max_blank_lines` blank lines."""

    name = "normalize_whitespace"

    def __init__(self, max_blank_lines: int = 2, collapse_inner_spaces: bool = True, keep_indentation: bool = True):
        super().__init__()
        self.max_blank_lines = max_blank_lines
        self.collapse_inner_spaces = collapse_inner_spaces
        self.keep_indentation = keep_indentation
        self._blank_runs = re.compile(rf"\n{{{max_blank_lines + 2},}}")

    def format(self, text: str) -> str:
        out = _EXOTIC_SPACES.sub(" ", text)
        out = _TRAILING.sub("", out)
        if self.collapse_inner_spaces:
            out = _INNER_RUNS.sub(" ", out)
        if not self.keep_indentation:
            out = re.sub(r"^[ \t]+", "", out, flags=re.MULTILINE)
        out = self._blank_runs.sub("\n" * (self.max_blank_lines + 1), out).strip("\n")
        if out != text:
            self.stat_update("whitespace_normalized")
        return out
