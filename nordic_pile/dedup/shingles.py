"""Shingles of a text: word n-grams (the shared Nordic word tokeniser) or character n-grams, as 32-bit hashes.

Two hashings: `fast` (FNV-1a over code points per word, words combined in order, MurmurHash3 finalizer; computed
by the C extension `_fastminhash`, or by the numpy code below when it is not built: both give the same numbers)
and `datasketch` (the shingle as a UTF-8 string - words joined by one space - hashed with datasketch's default
`sha1_hash32`, so that signatures equal `datasketch.MinHash` fed with the same strings).

A text with fewer words (characters) than n is one shingle of all of them; a text without any is no shingle.
Character shingles are taken over the text with whitespace runs collapsed to one space.
"""

from __future__ import annotations

import hashlib
import struct

import numpy as np

from nordic_pile.text.words import WORD_RE

try:
    from nordic_pile.dedup import _fastminhash as _c
except ImportError:  # no compiler at install time: the numpy path below gives the same hashes, slower
    _c = None

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
MIX_K = np.uint64(0x9E3779B97F4A7C15)
MODES = {"word": 0, "char": 1}


# MurmurHash3 finalizer constants per width: shift, multiplier, shift, multiplier, shift
_FMIX = {
    32: (np.uint32, 16, 0x85EBCA6B, 13, 0xC2B2AE35, 16),
    64: (np.uint64, 33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33),
}


def fmix(h: np.ndarray, width: int = 64) -> np.ndarray:
    """MurmurHash3's finalizer (an avalanching bijection) element-wise on uint32/uint64 arrays (wrapping)."""
    t, s1, m1, s2, m2, s3 = _FMIX[width]
    h = h ^ (h >> t(s1))
    h = h * t(m1)
    h = h ^ (h >> t(s2))
    h = h * t(m2)
    return h ^ (h >> t(s3))


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)


def _fnv_spans(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """FNV-1a 64 of every span [start, end) of `cps`, vectorised over spans."""
    h = np.full(len(starts), FNV_OFFSET, dtype=np.uint64)
    lengths = ends - starts
    for j in range(int(lengths.max()) if len(lengths) else 0):
        live = lengths > j
        h[live] = (h[live] ^ cps[starts[live] + j]) * FNV_PRIME
    return h


def _combine(word_hashes: np.ndarray, n: int) -> np.ndarray:
    """Hash of each window of n consecutive word hashes (one window of all of them when there are fewer)."""
    width = min(n, len(word_hashes))
    windows = len(word_hashes) - width + 1
    h = np.full(windows, width, dtype=np.uint64)
    for j in range(width):
        h = (h ^ word_hashes[j : j + windows]) * MIX_K
        h = (h << np.uint64(31)) | (h >> np.uint64(33))
    return fmix(h)


class _LowerTable(dict):
    """str.translate table lower-casing one code point at a time, as the C extension does (Σ -> σ at a word's end
    too, unlike str.lower()); İ, whose lower case is two code points, becomes i as in the C extension."""

    def __missing__(self, cp: int) -> int:
        low = chr(cp).lower()
        self[cp] = ord(low[0]) if low else cp
        return self[cp]


_LOWER = _LowerTable()


def _fold(text: str, fold: bool) -> str:
    if not fold:
        return text
    return text.lower() if text.isascii() else text.translate(_LOWER)


def numpy_shingle_hashes(text: str, mode: str, n: int, fold: bool) -> np.ndarray:
    """The fast shingle hashes without the C extension (uint32, in text order)."""
    if mode == "word":
        spans = np.array([m.span() for m in WORD_RE.finditer(text)], dtype=np.int64).reshape(-1, 2)
        if not len(spans):
            return np.empty(0, dtype=np.uint32)
        word_hashes = _fnv_spans(_code_points(_fold(text, fold)), spans[:, 0], spans[:, 1])
        return _combine(word_hashes, n).astype(np.uint32)
    collapsed = _fold(" ".join(text.split()), fold)
    if not collapsed:
        return np.empty(0, dtype=np.uint32)
    cps = _code_points(collapsed)
    width = min(n, len(cps))
    starts = np.arange(len(cps) - width + 1, dtype=np.int64)
    return fmix(_fnv_spans(cps, starts, starts + width)).astype(np.uint32)


def fast_shingle_hashes(text: str, mode: str, n: int, fold: bool) -> np.ndarray:
    if _c is None:
        return numpy_shingle_hashes(text, mode, n, fold)
    return np.frombuffer(_c.shingle_hashes(text, MODES[mode], n, fold), dtype=np.uint32)


def shingle_strings(text: str, mode: str, n: int, fold: bool) -> list[str]:
    """The shingles as strings (the `datasketch` hashing): words joined by one space, or character windows."""
    if mode == "word":
        words = [_fold(w, fold) for w in WORD_RE.findall(text)]
        if not words:
            return []
        width = min(n, len(words))
        return [" ".join(words[i : i + width]) for i in range(len(words) - width + 1)]
    collapsed = _fold(" ".join(text.split()), fold)
    if not collapsed:
        return []
    width = min(n, len(collapsed))
    return [collapsed[i : i + width] for i in range(len(collapsed) - width + 1)]


def sha1_hashes(strings: list[str]) -> np.ndarray:
    """datasketch's `sha1_hash32` of each UTF-8 string."""
    sha1, unpack = hashlib.sha1, struct.Struct("<I").unpack_from
    return np.fromiter(
        (unpack(sha1(s.encode("utf-8")).digest())[0] for s in strings), dtype=np.uint32, count=len(strings)
    )
