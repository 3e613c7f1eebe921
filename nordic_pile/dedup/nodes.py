"""Documents as graph nodes: 64-bit refs, per-document attributes for choosing representatives, cluster ids.

A ref is `rank << 40 | position` (position = order among the documents that reached the step in that task); refs
from a persisted index segment carry bit 63 and the segment number. The collector writes, per task,
`nodes/<rank>.bin` (priority, weight, shard, position in shard) and `nodes/<rank>.shards.json`; the representative
of a cluster is the member with the smallest (priority, shard path, position in shard), so `keep: first` keeps the
document that comes first in the sorted input files, whatever the number of tasks.
"""

from __future__ import annotations

import json
import math
import os

import numpy as np
import xxhash
from datatrove.data import Document

from nordic_pile.errors import ConfigError

POS_BITS = 40
OLD_BIT = np.uint64(1 << 63)
SEGMENT_SHIFT = 56
NODE = np.dtype([("priority", "<f8"), ("weight", "<u8"), ("shard", "<u4"), ("spos", "<u4")])
EDGE = np.dtype([("a", "<u8"), ("b", "<u8")])
ASSIGN = np.dtype([("ref", "<u8"), ("cluster", "<u8"), ("size", "<u8"), ("keep", "u1")])
KEEP_RULES = ("first", "longest", "highest_score")


def make_ref(rank: int, pos: int) -> int:
    return (rank << POS_BITS) | pos


def ref_rank(refs: np.ndarray) -> np.ndarray:
    return ((refs & ~OLD_BIT) >> np.uint64(POS_BITS)) & np.uint64((1 << (SEGMENT_SHIFT - POS_BITS)) - 1)


def ref_pos(refs: np.ndarray) -> np.ndarray:
    return refs & np.uint64((1 << POS_BITS) - 1)


def cluster_id(shard: str, position: int) -> int:
    """The id of a cluster: a 64-bit hash of where its kept document is (its shard and position in the shard)."""
    return xxhash.xxh3_64_intdigest(f"{shard}\x00{position}")


def format_cluster_id(value: int) -> str:
    return f"{int(value):016x}"


def check_keep(keep: str, score_key: str | None) -> None:
    if keep not in KEEP_RULES:
        raise ConfigError(f"keep={keep!r}: use one of {', '.join(KEEP_RULES)}")
    if keep == "highest_score" and not score_key:
        raise ConfigError(
            "keep='highest_score' needs score_key, the metadata field holding the score "
            "(dotted for nested fields, e.g. score_key: quality.score)"
        )


def metadata_value(doc: Document, dotted: str):
    value = doc.metadata
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def priority(doc: Document, keep: str, score_key: str | None) -> float:
    """Smaller wins: 0 for `first`, minus the length for `longest`, minus the score (or +inf) for `highest_score`."""
    if keep == "first":
        return 0.0
    if keep == "longest":
        return -float(len(doc.text))
    score = metadata_value(doc, score_key)
    try:
        score = float(score)
    except (TypeError, ValueError):
        return math.inf
    return -score if math.isfinite(score) else math.inf


def weight(doc: Document) -> int:
    """How many input documents this one already stands for (an earlier dedup step's cluster size), else 1."""
    size = doc.metadata.get("dup_cluster_size")
    return int(size) if isinstance(size, int) and size > 0 else 1


class ShardPositions:
    """Position of each document within its shard, counted the same way before and after the barrier."""

    def __init__(self):
        self.shards: dict[str, int] = {}
        self.counts: list[int] = []

    def next(self, doc: Document) -> tuple[str, int, int]:
        """(shard, local shard index, position in shard) of the next document."""
        shard = str(doc.metadata.get("shard") or "?")
        index = self.shards.setdefault(shard, len(self.shards))
        if index == len(self.counts):
            self.counts.append(0)
        position = self.counts[index]
        self.counts[index] += 1
        return shard, index, position


class NodeTables:
    """Read access to every task's node attributes, with a global shard order (sorted shard paths)."""

    def __init__(self, nodes_dir: str):
        self.dir = nodes_dir
        lists = {}
        for name in sorted(os.listdir(nodes_dir)) if os.path.isdir(nodes_dir) else []:
            if name.endswith(".shards.json"):
                with open(os.path.join(nodes_dir, name), encoding="utf-8") as f:
                    lists[int(name.split(".")[0])] = json.load(f)
        self.shard_names = sorted({s for names in lists.values() for s in names})
        order = {s: i for i, s in enumerate(self.shard_names)}
        self.ordinals = {rank: np.array([order[s] for s in names], dtype=np.int64) for rank, names in lists.items()}
        self.local_names = lists

    def gather(self, refs: np.ndarray) -> np.ndarray:
        """NODE records of `refs` (new refs only), in the order given; shard is the global ordinal."""
        out = np.zeros(len(refs), dtype=NODE)
        ranks, positions = ref_rank(refs).astype(np.int64), ref_pos(refs).astype(np.int64)
        for rank in np.unique(ranks):
            sel = np.flatnonzero(ranks == rank)
            table = np.memmap(os.path.join(self.dir, f"{rank:05d}.bin"), dtype=NODE, mode="r")
            rows = np.array(table[positions[sel]])
            del table
            rows["shard"] = self.ordinals[int(rank)][rows["shard"]]
            out[sel] = rows
        return out


class NodeWriter:
    """Appends NODE records of one task to `nodes/<rank>.bin` in chunks; renamed into place by `close`."""

    def __init__(self, nodes_dir: str, rank: int, chunk: int = 65536):
        os.makedirs(nodes_dir, exist_ok=True)
        self.path = os.path.join(nodes_dir, f"{rank:05d}.bin")
        self.file = open(self.path + ".tmp", "wb")  # noqa: SIM115 - closed in close()
        self.buffer = np.zeros(chunk, dtype=NODE)
        self.n = 0
        self.positions = ShardPositions()

    def add(self, doc: Document, keep: str, score_key: str | None) -> None:
        _, shard_index, spos = self.positions.next(doc)
        self.buffer[self.n] = (priority(doc, keep, score_key), weight(doc), shard_index, spos)
        self.n += 1
        if self.n == len(self.buffer):
            self.flush()

    def flush(self) -> None:
        self.buffer[: self.n].tofile(self.file)
        self.n = 0

    def close(self) -> None:
        self.flush()
        self.file.close()
        os.replace(self.path + ".tmp", self.path)
        shards = list(self.positions.shards)
        tmp = self.path.replace(".bin", ".shards.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(shards, f, ensure_ascii=False)
        os.replace(tmp, tmp[: -len(".tmp")])
