"""Repetition statistics over word and character n-grams, computed with 64-bit hashes.

Word n-grams follow Gopher (Rae et al. 2021, App. A.1.1, as datatrove implements it): the most frequent 2/3/4-gram's
share of the characters and the characters covered by duplicated 5..10-grams. ROOTS (Laurençon et al. 2022) adds a
word 5-gram repetition ratio and a character 10-gram repetition ratio. An n-gram is a polynomial hash mod 2^64 of
word hashes (or code points); no n-gram string is ever made.

The n-gram rows of a document (2..5-grams, and the lower-case 5-grams for ROOTS) are built by slicing and sorted in
one call; the 6..10-grams only when a 5-gram repeats. numpy's per-call cost, not sorting, dominates documents of a
few hundred words, so the number of array operations per document is what is kept small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads ids over 64 bits (Fibonacci hashing)
_BASE = np.uint64(0x100000001B3)  # FNV prime: the polynomial base


def word_ids(words: list[str]) -> np.ndarray:
    """A 64-bit id per word, equal for equal words: Python's string hash (SipHash; computed in C).

    The hash seed changes between processes, but only equality within one document is used; two different words of
    a document share an id with probability about 2^-64 per pair.
    """
    ids = np.fromiter(map(hash, words), dtype=np.int64, count=len(words)).view(np.uint64)
    return ids * _MIX  # array arithmetic wraps mod 2^64 silently


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values in sorted_set (sorted, non-empty): a binary search, cheaper than np.isin's sorts."""
    at = np.searchsorted(sorted_set, values)
    np.minimum(at, len(sorted_set) - 1, out=at)
    return sorted_set[at] == values


def _run_counts(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first index of each run of equal values in sorted `ordered`, run lengths)."""
    starts = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1))
    return starts, np.diff(np.append(starts, len(ordered)))


_SENTINEL_MIX = np.uint64(0xD6E8FEB86659FD93)
_sentinels = np.zeros(0, dtype=np.uint64)


def _sentinel_tail(size: int) -> np.ndarray:
    """`size` distinct values that stand in for n-grams past the end of a row (so they never make a repeat)."""
    global _sentinels
    if len(_sentinels) < size:
        _sentinels = (np.arange(max(size, 2 * len(_sentinels)), dtype=np.uint64) + np.uint64(1)) * _SENTINEL_MIX
    return _sentinels


def _ngram_rows(ids: np.ndarray, ns: tuple[int, ...]) -> np.ndarray:
    """(len(ns), len(ids)) for increasing `ns`: row r holds the hashes of the ns[r]-grams at 0..len-ns[r], then
    distinct sentinels (never equal to each other: they cannot make a repeat)."""
    m = len(ids)
    rows = np.empty((len(ns), m), dtype=np.uint64)
    current, n = ids, 1
    for r, target in enumerate(ns):
        while n < target and len(current) > 1:  # (n+1)-gram hashes from n-gram hashes, by slicing
            current = current[:-1] * _BASE + ids[n:]
            n += 1
        valid = max(m - target + 1, 0)
        rows[r, :valid] = current[:valid]
        rows[r, valid:] = _sentinel_tail(m)[valid:m]
    return rows


@dataclass(frozen=True)
class WordRepetition:
    """Gopher's and ROOTS' word n-gram numbers of one document."""

    top_chars: dict[int, int]  # n -> count x characters (words joined by spaces) of the most frequent n-gram
    duplicate_chars: dict[int, int]  # n -> characters (no spaces) of duplicated n-grams, Gopher's greedy scan
    repeated_ratio: float | None  # ROOTS: share of the `ratio_n`-gram occurrences that repeat (lower case)


def _chars(words: list[str], i: int, n: int) -> int:
    return sum(map(len, words[i : i + n]))


def _scan_duplicates(row: np.ndarray, repeated: np.ndarray, words: list[str], n: int) -> int:
    """Gopher's greedy scan over the positions of repeated n-grams (see `word_repetition`)."""
    seen: set[int] = set()
    chars = free = 0
    for i, x in zip(np.flatnonzero(repeated).tolist(), row[repeated].tolist(), strict=True):
        if i < free:  # jumped over
            continue
        if x in seen:
            chars += _chars(words, i, n)
            free = i + n
        else:
            seen.add(x)
    return chars


def word_repetition(
    ids: np.ndarray,
    words: list[str],
    top_ns: tuple[int, ...],
    dup_ns: tuple[int, ...],
    lower_ids: np.ndarray | None = None,
    ratio_n: int = 5,
) -> WordRepetition:
    """Every word n-gram number from a few sorts: the n-gram rows of `ids` up to the first duplicate n (and the
    `ratio_n`-gram row of `lower_ids`) are hashed and sorted together; the longer duplicate n-grams only when the
    first has repeats. numpy's per-call cost, not sorting, dominates documents of a few hundred words.

    Top n-gram: among equally frequent n-grams the first to occur is taken, as `Counter.most_common(1)` picks.
    Duplicates: scanning left to right, an n-gram seen before adds its characters and the scan jumps past it;
    n-grams jumped over are not remembered (datatrove's `find_all_duplicate`). An n-gram that occurs once can
    neither hit nor be hit, so only positions of repeated n-grams are visited, in order: the same result.
    """
    m = len(ids)
    top = dict.fromkeys(top_ns, 0)
    dup = dict.fromkeys(dup_ns, 0)
    ratio = None if lower_ids is None else 0.0
    if m == 0:
        return WordRepetition(top, dup, ratio)
    first = (*top_ns, *dup_ns[:1])
    parts = [_ngram_rows(ids, first)] if first else []
    if lower_ids is not None:
        parts.append(_ngram_rows(lower_ids, (ratio_n,)))
    rows = np.vstack(parts) if len(parts) > 1 else parts[0]
    ordered = np.sort(rows, axis=1)
    again = ordered[:, 1:] == ordered[:, :-1]
    repeats = again.any(axis=1).tolist()
    for r, n in enumerate(top_ns):
        if m < n:
            continue
        i, count = 0, 1
        if repeats[r]:
            starts, counts = _run_counts(ordered[r])
            count = int(counts.max())
            i = int(np.argmax(_member(rows[r], ordered[r][starts[counts == count]])))
        top[n] = count * (_chars(words, i, n) + n - 1)
    if dup_ns and repeats[len(top_ns)]:
        r = len(top_ns)
        dup[dup_ns[0]] = _scan_duplicates(rows[r], _member(rows[r], ordered[r, 1:][again[r]]), words, dup_ns[0])
        if len(dup_ns) > 1:  # a repeated (n+1)-gram contains a repeated n-gram: only now the longer ones
            longer = _ngram_rows(ids, dup_ns[1:])
            longer_sorted = np.sort(longer, axis=1)
            longer_again = longer_sorted[:, 1:] == longer_sorted[:, :-1]
            for k, n in enumerate(dup_ns[1:]):
                if not longer_again[k].any():
                    break
                dup[n] = _scan_duplicates(
                    longer[k], _member(longer[k], longer_sorted[k, 1:][longer_again[k]]), words, n
                )
    if lower_ids is not None and m >= ratio_n and repeats[-1]:
        eq = again[-1]
        runs = int(eq[0]) + int(np.count_nonzero(eq[1:] & ~eq[:-1]))  # each run of equal n-grams adds its first
        ratio = (int(np.count_nonzero(eq)) + runs) / (m - ratio_n + 1)
    return WordRepetition(top, dup, ratio)


def char_repetition_ratio(text: str, n: int = 10) -> float:
    """ROOTS character repetition: share of character n-grams taken by the sqrt(distinct) most frequent repeated ones.

    Of the distinct n-grams, the k = min(floor(sqrt(distinct)), number repeated) most frequent are summed. The
    n-grams are hashed from 64-bit pairs of code points (n even), so n/2 multiply-adds make every hash.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    m = len(codes) - n + 1
    if m <= 0:
        return 0.0
    pairs = codes[:-1].astype(np.uint64)
    pairs <<= np.uint64(32)
    pairs |= codes[1:]
    h = pairs[:m] * _MIX
    for k in range(2, n, 2):  # in place: no temporaries
        np.multiply(h, _BASE, out=h)
        np.add(h, pairs[k : k + m], out=h)
    counts = _run_counts(np.sort(h))[1]
    repeated = counts[counts > 1]
    k = min(math.isqrt(len(counts)), len(repeated))
    if k == 0:
        return 0.0
    return float(np.sort(repeated)[-k:].sum()) / m
