"""MinHash signatures and LSH band keys (Broder 1997; bands as in Leskovec et al., Mining of Massive Datasets 3.4).

Permutations follow datasketch's default "affine32" scheme: every 32-bit shingle hash is pre-mixed with the
MurmurHash3 finalizer and permuted as a*x + b mod 2^32 (a odd), with (a, b) drawn from
`np.random.RandomState(seed)` exactly as `datasketch.MinHash` draws them. With `hashing="datasketch"` the shingles
are hashed with sha1 as datasketch does, and the signature equals `datasketch.MinHash(num_perm, seed)` updated with
the same shingle strings; `scheme="legacy"` reproduces datasketch < 2.0 ((a*h + b) mod (2^61 - 1), 32 bits).
The default `hashing="fast"` hashes shingles in C (`_fastminhash`) without building any string.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nordic_pile.dedup import shingles as sh
from nordic_pile.errors import ConfigError

MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH32 = np.uint64((1 << 32) - 1)
EMPTY = np.uint32(0xFFFFFFFF)


def affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch 2.x `MinHash._init_permutations` for scheme affine32."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def legacy_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch < 2.0 (and 2.x scheme legacy): pairs drawn in turn below the Mersenne prime."""
    gen = np.random.RandomState(seed)
    pairs = np.array(
        [
            (gen.randint(1, MERSENNE_PRIME, dtype=np.uint64), gen.randint(0, MERSENNE_PRIME, dtype=np.uint64))
            for _ in range(num_perm)
        ],
        dtype=np.uint64,
    )
    return pairs[:, 0], pairs[:, 1]


@dataclass
class MinHasher:
    """Signatures of texts for one (shingling, hashing, permutations) configuration; picklable, cheap to build."""

    num_perm: int = 128
    seed: int = 1
    shingle: str = "word"
    n: int = 5
    fold: bool = True
    hashing: str = "fast"
    scheme: str = "affine32"
    a: np.ndarray = field(init=False, repr=False)
    b: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        if self.shingle not in sh.MODES:
            raise ConfigError(f"shingle={self.shingle!r}: use 'word' (word n-grams) or 'char' (character n-grams)")
        if not 1 <= self.n <= 64:
            raise ConfigError(f"n={self.n}: the shingle size must be between 1 and 64 (5 words or 10 characters)")
        if self.hashing not in ("fast", "datasketch"):
            raise ConfigError(f"hashing={self.hashing!r}: use 'fast' or 'datasketch'")
        if self.scheme not in ("affine32", "legacy"):
            raise ConfigError(f"scheme={self.scheme!r}: use 'affine32' (datasketch >= 2.0) or 'legacy'")
        if self.scheme == "legacy" and self.hashing != "datasketch":
            raise ConfigError("scheme='legacy' reproduces old datasketch signatures: use it with hashing='datasketch'")
        if self.num_perm < 2:
            raise ConfigError(f"num_perm={self.num_perm}: needs at least 2 permutations (128 is typical)")
        perms = legacy_permutations if self.scheme == "legacy" else affine32_permutations
        self.a, self.b = perms(self.num_perm, self.seed)

    # ------------------------------------------------------------------ shingles
    def shingle_hashes(self, text: str) -> np.ndarray:
        """32-bit hashes of the shingles of `text` (with repeats, in text order)."""
        if self.hashing == "datasketch":
            return sh.sha1_hashes(sh.shingle_strings(text, self.shingle, self.n, self.fold))
        return sh.fast_shingle_hashes(text, self.shingle, self.n, self.fold)

    def shingle_set(self, text: str) -> np.ndarray:
        """The sorted distinct shingle hashes (for exact Jaccard verification)."""
        return np.unique(self.shingle_hashes(text))

    # ------------------------------------------------------------------ signatures
    def signature_into(self, text: str, out: np.ndarray) -> int:
        """Write the signature of `text` into `out` (uint32[num_perm]); returns the number of shingles."""
        if self.hashing == "fast" and sh._c is not None:
            return sh._c.signature_into(text, sh.MODES[self.shingle], self.n, self.fold, self.a, self.b, out)
        hashes = self.shingle_hashes(text)
        out[:] = self.minhash(hashes)
        return len(hashes)

    def signature(self, text: str) -> np.ndarray:
        out = np.empty(self.num_perm, dtype=np.uint64 if self.scheme == "legacy" else np.uint32)
        self.signature_into(text, out)
        return out

    def minhash(self, hashes: np.ndarray) -> np.ndarray:
        """The signature of 32-bit shingle hashes (all EMPTY when there are none)."""
        if self.scheme == "legacy":
            if not len(hashes):
                return np.full(self.num_perm, MAX_HASH32, dtype=np.uint64)
            h = hashes.astype(np.uint64)[:, None]
            return (((h * self.a + self.b) % MERSENNE_PRIME) & MAX_HASH32).min(axis=0)
        if not len(hashes):
            return np.full(self.num_perm, EMPTY, dtype=np.uint32)
        if sh._c is not None:
            out = np.empty(self.num_perm, dtype=np.uint32)
            sh._c.minhash_into(np.ascontiguousarray(hashes, dtype=np.uint32), self.a, self.b, out)
            return out
        x = sh.fmix(hashes.astype(np.uint32), 32)[:, None]
        return (x * self.a + self.b).min(axis=0)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(docs, bands) uint64 keys: a 64-bit hash of each band's `rows` signature values and the band's index."""
    sig = signatures.astype(np.uint64)
    keys = np.empty((len(sig), bands), dtype=np.uint64)
    for band in range(bands):
        h = np.full(len(sig), (band * int(sh.MIX_K) + rows) & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64)
        for col in range(band * rows, (band + 1) * rows):
            h = (h ^ sig[:, col]) * sh.MIX_K
            h = (h << np.uint64(29)) | (h >> np.uint64(35))
        keys[:, band] = sh.fmix(h)
    return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct values."""
    if not len(a) and not len(b):
        return 1.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    idx = np.searchsorted(large, small)
    idx[idx == len(large)] = 0
    inter = int(np.count_nonzero(large[idx] == small)) if len(large) else 0
    return inter / (len(a) + len(b) - inter)
