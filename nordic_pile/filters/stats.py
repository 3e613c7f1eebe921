"""The numbers behind every quality rule, computed in one pass: lines split once, words tokenised once, counted once.

Families: Gopher quality and repetition (Rae et al. 2021, App. A.1.1), FineWeb line statistics (Penedo et al. 2024),
ROOTS (Laurençon et al. 2022, BLOOM's corpus) and the Nordic Pile additions (Öhman et al. 2023). Words are the
shared Nordic words of `nordic_pile.text.words` for every rule. The result is a flat dict of plain numbers (what
`doc.metadata["quality"]` stores), rounded to `DIGITS` decimals: rules compare the rounded numbers, so thresholds
re-applied to stored statistics decide exactly as the first run did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datatrove.utils.text import TERMINAL_PUNCTUATION

from nordic_pile.filters import ngrams
from nordic_pile.text.words import WORD_RE

GROUPS = ("gopher_quality", "gopher_repetition", "fineweb_lines", "roots", "nordic_pile")
"""The rule families, in the order their rules are checked."""

DIGITS = 6
SHORT_LINE_CHARS = 30  # FineWeb: a line of at most 30 characters is short
CHAR_NGRAM = 10  # ROOTS character repetition length (even: hashed two code points at a time)
WORD_NGRAM = 5  # ROOTS word repetition length
TOP_NGRAMS = (2, 3, 4)  # Gopher: most frequent n-gram's character share
DUP_NGRAMS = (5, 6, 7, 8, 9, 10)  # Gopher: duplicated n-grams' character share

# Bullets that open a list line. En and em dashes are left out: Nordic prose opens dialogue lines with them.
BULLETS = ("•", "‣", "◦", "▪", "▫", "●", "○", "■", "□", "►", "*", "-", "·")
ELLIPSES = ("...", "…")
TERMINAL = tuple(sorted(TERMINAL_PUNCTUATION))  # FineWeb's terminal punctuation of all scripts
CLOSERS = " \t\"'”’»)]"  # closing quotes/brackets may follow the terminal mark: «Hei.» or (se kap. 3.)

_WHITESPACE = " \n\t\r\f\v\xa0\u202f\u2009\u3000"  # what the whitespace normaliser leaves
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# a word (in the space-joined word list) without a letter: numbers, `_`, joiners
_NON_ALPHA_WORD = re.compile(r"(?<![^ ])[\d_'’\-.]+(?![^ ])")


@dataclass(frozen=True, slots=True)
class WordLists:
    """The language's word lists (lower case). Empty lists leave their statistics out."""

    gopher_stop_words: frozenset[str] = frozenset()
    stop_words: frozenset[str] = frozenset()
    flagged_words: frozenset[str] = frozenset()


def _ratio(a: float, b: float) -> float:
    return round(a / b, DIGITS) if b else 0.0


def _duplicates(items: list[str]) -> tuple[int, int]:
    """(count, characters) of the items that repeat an earlier one."""
    seen: set[str] = set()
    n = chars = 0
    for item in items:
        if item in seen:
            n += 1
            chars += len(item)
        else:
            seen.add(item)
    return n, chars


def _median(values: list[int]) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    mid = len(s) // 2
    return float(s[mid]) if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def quality_stats(
    text: str,
    lists: WordLists = WordLists(),
    groups: tuple[str, ...] | frozenset[str] = GROUPS,
) -> dict[str, float | int]:
    """Every statistic of the families in `groups` for `text`. Pure: no thresholds, no I/O."""
    n_chars = len(text)
    lines = [line for line in text.split("\n") if line and not line.isspace()]
    per_line = "nordic_pile" in groups
    if per_line:
        line_words = [WORD_RE.findall(line) for line in lines]
        words = [w for lw in line_words for w in lw]
    else:
        words = WORD_RE.findall(text)
    n_words = len(words)
    joined = " ".join(words)
    lower = joined.lower().split(" ") if n_words else []
    word_chars = len(joined) - max(n_words - 1, 0)
    # every letter, digit and `_` is inside a word; words add only the joiners ' ’ - . to them
    digits = sum(map(text.count, "0123456789"))
    letters = word_chars - digits - text.count("_") - sum(map(joined.count, "'’-."))
    out: dict[str, float | int] = {"n_chars": n_chars, "n_words": n_words, "n_lines": len(lines)}

    if "gopher_quality" in groups:
        out.update(_gopher_quality(text, lines, joined, n_words, word_chars, lower, lists))
    if "gopher_repetition" in groups or "roots" in groups:
        rep = _repetition(text, lines, words, lower, groups)
        out.update(rep)
    if "fineweb_lines" in groups:
        out.update(_fineweb_lines(text, lines, n_words))
    if "roots" in groups:
        out.update(_roots(n_chars, letters, lower, lists))
    if per_line:
        out.update(_nordic_pile(text, lines, line_words, digits, letters))
    return out


def _gopher_quality(text, lines, joined, n_words, word_chars, lower, lists) -> dict:
    n_lines = len(lines)
    non_alpha = len(_NON_ALPHA_WORD.findall(joined))
    out = {
        "mean_word_length": _ratio(word_chars, n_words),
        "hash_word_ratio": _ratio(text.count("#"), n_words),
        "ellipsis_word_ratio": _ratio(text.count("...") + text.count("…"), n_words),
        "bullet_lines_ratio": _ratio(sum(1 for line in lines if line.lstrip().startswith(BULLETS)), n_lines),
        "ellipsis_lines_ratio": _ratio(sum(1 for line in lines if line.rstrip().endswith(ELLIPSES)), n_lines),
        "alpha_words_ratio": _ratio(n_words - non_alpha, n_words),
    }
    if lists.gopher_stop_words:
        out["n_gopher_stop_words"] = len(lists.gopher_stop_words.intersection(lower))
    return out


def _repetition(text, lines, words, lower, groups) -> dict:
    n_chars, out = len(text), {}
    gopher, roots = "gopher_repetition" in groups, "roots" in groups
    if gopher:
        paragraphs = _PARAGRAPH_BREAK.split(text.strip())
        n_dup, dup_chars = _duplicates(paragraphs)
        out["dup_para_frac"] = _ratio(n_dup, len(paragraphs))
        out["dup_para_char_frac"] = _ratio(dup_chars, n_chars)
        n_dup, dup_chars = _duplicates(lines)
        out["dup_line_frac"] = _ratio(n_dup, len(lines))
        out["dup_line_char_frac"] = _ratio(dup_chars, n_chars)
    rep = ngrams.word_repetition(
        ngrams.word_ids(words),
        words,
        TOP_NGRAMS if gopher else (),
        DUP_NGRAMS if gopher else (),
        ngrams.word_ids(lower) if roots else None,
        WORD_NGRAM,
    )
    if gopher:
        for n, chars in rep.top_chars.items():
            out[f"top_{n}gram_char_frac"] = _ratio(chars, n_chars)
        for n, chars in rep.duplicate_chars.items():
            out[f"dup_{n}gram_char_frac"] = _ratio(chars, n_chars)
    if roots:
        out["word_repetition_ratio"] = round(rep.repeated_ratio, DIGITS)
        out["char_repetition_ratio"] = round(ngrams.char_repetition_ratio(text, CHAR_NGRAM), DIGITS)
    return out


def _fineweb_lines(text, lines, n_words) -> dict:
    n_lines = len(lines)
    punct = sum(1 for line in lines if line.rstrip(CLOSERS).endswith(TERMINAL))
    short = sum(1 for line in lines if len(line) <= SHORT_LINE_CHARS)
    dup_chars = _duplicates(lines)[1]
    return {
        "line_punct_ratio": _ratio(punct, n_lines),
        "short_line_ratio": _ratio(short, n_lines),
        "line_char_dup_ratio": _ratio(dup_chars, len(text) - text.count("\n")),
        # breaks between text lines; blank lines between paragraphs do not count twice
        "newline_word_ratio": _ratio(max(n_lines - 1, 0), n_words),
    }


def _roots(n_chars, letters, lower, lists) -> dict:
    n_words = len(lower)
    out = {"special_char_ratio": _ratio(n_chars - letters, n_chars)}
    if lists.stop_words:
        out["stop_word_ratio"] = _ratio(sum(map(lists.stop_words.__contains__, lower)), n_words)
    if lists.flagged_words:
        out["flagged_word_ratio"] = _ratio(sum(map(lists.flagged_words.__contains__, lower)), n_words)
    return out


def _nordic_pile(text, lines, line_words, digits, letters) -> dict:
    non_ws = len(text) - sum(map(text.count, _WHITESPACE))
    line_chars = [len(line.strip()) for line in lines]
    words_per_line = [len(lw) for lw in line_words]
    return {
        "n_non_ws_chars": non_ws,
        "digit_fraction": _ratio(digits, non_ws),
        "alpha_present": int(letters > 0),
        "mean_line_chars": _ratio(sum(line_chars), len(lines)),
        "median_line_chars": _median(line_chars),
        "mean_line_words": _ratio(sum(words_per_line), len(lines)),
        "median_line_words": _median(words_per_line),
    }
