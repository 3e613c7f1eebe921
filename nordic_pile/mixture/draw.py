"""Seeded, order-free decisions about single documents: how many copies go into a mixture, and where each goes.

Every decision is a hash of the seed and the document's identity (its file, line and id), never of a random
stream, so the result does not depend on which task reads the document or in which order.
A slice with e epochs gives each document floor(e) copies plus one more for a seeded sample of e - floor(e) of the
slice: each document has a hash bin in [0, 65536), and the documents below the slice's bin limit are taken. The
limit comes from a histogram of the slice's bytes over the bins, so the sample holds the wanted share of the bytes
to within one bin (or one document in a small slice), where a coin flip per document would be off by far more in
a slice of a few dozen documents.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

_SCALE = float(1 << 64)
BINS = 1 << 16


def hash64(seed: int, *parts: str) -> int:
    """A 64-bit hash of the seed and the parts (blake2b; stable across Python versions and machines)."""
    digest = hashlib.blake2b("\x00".join((str(seed), *parts)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def unit(seed: int, *parts: str) -> float:
    """A uniform number in [0, 1) determined by the seed and the parts."""
    return hash64(seed, *parts) / _SCALE


def keep_bin(seed: int, identity: str) -> int:
    """The document's bin in [0, BINS) for fractional samples."""
    return hash64(seed, "keep", identity) >> 48


def copies(epochs: float, bin_: int, limit: int) -> int:
    """Copies of a document in a mixture that takes its slice `epochs` times: floor(epochs), plus one when its bin is
    below the slice's limit (see `bin_limit`)."""
    if epochs <= 0:
        return 0
    return math.floor(epochs) + (1 if bin_ < limit else 0)


def bin_limit(histogram: np.ndarray, fraction: float) -> int:
    """The limit L such that the documents in bins < L hold the share of the bytes closest to `fraction`.
    `histogram[b]` is the slice's bytes in bin b."""
    if fraction <= 1e-12:
        return 0
    cumulative = np.concatenate([[0], np.cumsum(histogram, dtype=np.float64)])  # bytes below each limit
    if cumulative[-1] <= 0:
        return 0
    target = fraction * cumulative[-1]
    return int(np.argmin(np.abs(cumulative - target)))


def fraction_of(epochs: float) -> float:
    return epochs - math.floor(epochs) if epochs > 0 else 0.0


def order_key(seed: int, identity: str, repeat: int) -> int:
    """The position of copy `repeat` of a document in the shuffled mixture (smaller keys come first)."""
    return hash64(seed, "order", identity, str(repeat))


def bucket_of(key: int, buckets: int) -> int:
    """Buckets are equal ranges of the key space, so concatenating them in order keeps the global key order."""
    return (key * buckets) >> 64


def sub_bucket_of(key: int, bucket: int, buckets: int, parts: int) -> int:
    """Equal ranges within `bucket`, for buckets too large for memory."""
    return min(parts - 1, max(0, ((key * buckets * parts) >> 64) - bucket * parts))


def identity_of(path: str, line: int, doc_id: str) -> str:
    return f"{path}\x00{line}\x00{doc_id}"
