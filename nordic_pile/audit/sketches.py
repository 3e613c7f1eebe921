"""Bounded-memory, mergeable summaries for a streaming pass: fixed-bin histograms, seeded samples, top-k counts.

Each one gives the same result whatever order or partition the items came in (top-k up to its stated error),
so per-file summaries computed in worker processes merge into the numbers a single pass would give.
"""

from __future__ import annotations

import heapq
import math

import xxhash


class Histogram:
    """Counts in fixed, data-independent bins: `linear` (width `step`) or `log` (width `step` in log10(1 + |v|)).

    Bins are stored sparsely, so a histogram costs memory only for the bins that occur (at most a few hundred for
    any value below 1e9 with step 0.02).
    """

    def __init__(self, scale: str = "log", step: float = 0.02):
        self.scale, self.step = scale, step
        self.counts: dict[int, int] = {}
        self.n = 0
        self.total = 0.0

    def _key(self, v: float) -> int:
        if self.scale == "linear":
            return math.floor(v / self.step)
        k = math.floor(math.log10(1 + abs(v)) / self.step)
        return k if v >= 0 else -k - 1

    def edge(self, key: int) -> float:
        """The lower edge of bin `key`; bin `key` spans [edge(key), edge(key + 1))."""
        if self.scale == "linear":
            return key * self.step
        if key >= 0:
            return 10 ** (key * self.step) - 1
        return -(10 ** (-key * self.step) - 1)

    def add(self, v: float, count: int = 1) -> None:
        if v != v or v in (math.inf, -math.inf):  # NaN, inf: not a number to bin
            return
        key = self._key(v)
        self.counts[key] = self.counts.get(key, 0) + count
        self.n += count
        self.total += v * count

    def merge(self, other: Histogram) -> None:
        for key, c in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + c
        self.n += other.n
        self.total += other.total

    def quantile(self, q: float) -> float | None:
        if not self.n:
            return None
        target, seen = q * self.n, 0
        for key in sorted(self.counts):
            seen += self.counts[key]
            if seen >= target:
                return (self.edge(key) + self.edge(key + 1)) / 2
        return self.edge(max(self.counts) + 1)

    def to_dict(self) -> dict:
        keys = sorted(self.counts)
        return {
            "scale": self.scale,
            "step": self.step,
            "n": self.n,
            # 9 significant digits: the float sum differs in its last bits with the order of merging
            "mean": float(f"{self.total / self.n:.9g}") if self.n else None,
            "p05": self.quantile(0.05),
            "p50": self.quantile(0.5),
            "p95": self.quantile(0.95),
            "bins": [[k, self.counts[k]] for k in keys],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Histogram:
        h = cls(d["scale"], d["step"])
        h.counts = {int(k): int(c) for k, c in d["bins"]}
        h.n = d["n"]
        h.total = (d["mean"] or 0.0) * h.n
        return h


class BottomK:
    """A seeded uniform sample of `k` items: the ones whose hash(seed, key) is smallest (mergeable, order-free)."""

    def __init__(self, k: int, seed: int = 0):
        self.k, self.seed = k, seed
        self._heap: list[tuple[int, str, dict]] = []  # (-priority, key, item): a max-heap of the k smallest

    def priority(self, key: str) -> int:
        return xxhash.xxh64_intdigest(key, seed=self.seed)

    def wants(self, key: str) -> int | None:
        """The priority of `key` if it would enter the sample, else None (so that costly items are built only then)."""
        p = self.priority(key)
        if len(self._heap) < self.k or -self._heap[0][0] > p:
            return p
        return None

    def offer(self, key: str, item: dict, priority: int | None = None) -> None:
        p = self.priority(key) if priority is None else priority
        entry = (-p, key, item)
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, entry)
        elif -self._heap[0][0] > p:
            heapq.heapreplace(self._heap, entry)

    def merge(self, other: BottomK) -> None:
        for neg, key, item in other._heap:
            self.offer(key, item, -neg)

    def items(self) -> list[dict]:
        return [item for _, _, item in sorted(self._heap, key=lambda e: (-e[0], e[1]))]


class TopK:
    """Approximate heavy hitters with bounded memory: exact counts until 2 x `capacity` keys, then the smallest are
    pruned; `error` bounds how much any reported count may be short."""

    def __init__(self, capacity: int = 2000):
        self.capacity = capacity
        self.counts: dict[str, int] = {}
        self.error = 0

    def add(self, key: str, count: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + count
        if len(self.counts) > 2 * self.capacity:
            self._prune()

    def _prune(self) -> None:
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        self.error = max(self.error, ranked[self.capacity][1])
        self.counts = dict(ranked[: self.capacity])

    def merge(self, other: TopK) -> None:
        for key, c in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + c
        self.error += other.error
        if len(self.counts) > 2 * self.capacity:
            self._prune()

    def top(self, n: int) -> list[tuple[str, int]]:
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
