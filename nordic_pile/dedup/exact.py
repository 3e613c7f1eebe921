"""Exact document deduplication across all shards: a 128-bit key of the normalised text, one kept copy per key.

Stages: the collector (in the document stage) writes (key, ref) records in sorted runs; the group stage (one task
per key range) finds keys seen more than once and writes star edges (first ref -> every other copy); the
representative stage picks each cluster's kept copy; the filter removes the others as `exact_duplicate`.
"""

from __future__ import annotations

import os
import re
import unicodedata

import numpy as np
import xxhash
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from nordic_pile.dedup import nodes as nd
from nordic_pile.dedup import shuffle
from nordic_pile.dedup.assign import ClusterFilter, RepresentativeStage
from nordic_pile.errors import ConfigError
from nordic_pile.recipe.stages import GlobalStep, Stage

KEY = np.dtype([("hi", "<u8"), ("lo", "<u8"), ("ref", "<u8")])
_SPACE = re.compile(r"\s+")


def key_text(text: str, casefold: bool = False) -> str:
    """The text the key is computed from: NFC, whitespace runs as one space, stripped, optionally case-folded."""
    out = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return out.casefold() if casefold else out


def exact_key(text: str, casefold: bool = False) -> tuple[int, int]:
    """(high, low) 64-bit halves of the xxh3-128 digest of `key_text`."""
    digest = xxhash.xxh3_128_intdigest(key_text(text, casefold).encode("utf-8"))
    return digest >> 64, digest & 0xFFFFFFFFFFFFFFFF


class SortedRunWriter:
    """Buffers records and writes them as sorted runs `<folder>/<rank>.<run>.bin` (external sort, bounded memory)."""

    def __init__(self, folder: str, rank: int, dtype, order: tuple[str, ...], buffer_records: int):
        self.folder, self.rank, self.dtype, self.order = folder, rank, dtype, order
        self.buffer = np.zeros(max(1, buffer_records), dtype=dtype)
        self.n = self.runs = 0
        os.makedirs(folder, exist_ok=True)
        for old in shuffle.complete_files(os.path.join(folder, f"{rank:05d}.*.bin")):
            os.remove(old)  # an earlier, killed attempt of this task

    def add(self, records: np.ndarray) -> None:
        while len(records):
            take = min(len(records), len(self.buffer) - self.n)
            self.buffer[self.n : self.n + take] = records[:take]
            self.n += take
            records = records[take:]
            if self.n == len(self.buffer):
                self.flush()

    def flush(self) -> None:
        if self.n:
            path = os.path.join(self.folder, f"{self.rank:05d}.{self.runs:04d}.bin")
            shuffle.write_sorted_run(path, self.buffer[: self.n], self.order)
            self.runs += 1
            self.n = 0


class ExactKeyCollector(PipelineStep):
    """Document stage, before the barrier: records each document's key and attributes; passes documents on."""

    type = "🫂 - DEDUP"
    name = "exact-dedup-keys"
    preserves_order = True

    def __init__(self, work_dir: str, casefold: bool, keep: str, score_key: str | None, buffer_records: int):
        super().__init__()
        self.work_dir, self.casefold, self.keep, self.score_key = work_dir, casefold, keep, score_key
        self.buffer_records = buffer_records

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        runs = SortedRunWriter(
            os.path.join(self.work_dir, "keys"), rank, KEY, ("hi", "lo", "ref"), self.buffer_records
        )
        nodes = nd.NodeWriter(os.path.join(self.work_dir, "nodes"), rank)
        record = np.zeros(1, dtype=KEY)
        for pos, doc in enumerate(data or ()):
            with self.track_time():
                record[0] = (*exact_key(doc.text, self.casefold), nd.make_ref(rank, pos))
                runs.add(record)
                nodes.add(doc, self.keep, self.score_key)
            yield doc
        runs.flush()
        nodes.close()
        shuffle.record_peak_rss(self)


class ExactGroupStage(PipelineStep):
    """Barrier task: keys in this task's range seen more than once -> star edges (first ref, other copy)."""

    type = "🫂 - DEDUP"
    name = "exact-dedup-groups"

    def __init__(self, work_dir: str, partitions: int):
        super().__init__()
        self.work_dir, self.partitions = work_dir, partitions

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        lo, hi = shuffle.range_bounds(rank, world_size)
        runs = shuffle.complete_files(os.path.join(self.work_dir, "keys", "*.bin"))
        with self.track_time():
            records = np.sort(shuffle.read_hash_range(runs, KEY, "hi", lo, hi), order=["hi", "lo", "ref"])
            new_key = np.ones(len(records), dtype=bool)
            new_key[1:] = (records["hi"][1:] != records["hi"][:-1]) | (records["lo"][1:] != records["lo"][:-1])
            first = np.maximum.accumulate(np.where(new_key, np.arange(len(records)), 0))
            dup = ~new_key
            edges = np.zeros(int(dup.sum()), dtype=nd.EDGE)
            edges["a"], edges["b"] = records["ref"][first[dup]], records["ref"][dup]
        self.stat_update("duplicate_copies", value=len(edges))
        shuffle.write_partitioned(
            os.path.join(self.work_dir, "stars", f"{rank:05d}.bin"),
            edges,
            shuffle.partition_of(edges["a"], self.partitions),
            self.partitions,
        )
        shuffle.record_peak_rss(self)
        return
        yield


class StarSource:
    """Star edges (root, member) of root partition `rank` from a folder of partitioned files."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, rank: int, world_size: int) -> tuple[np.ndarray, np.ndarray]:
        edges = shuffle.read_partition(shuffle.partitioned_files(self.folder), nd.EDGE, rank)
        return edges["a"], edges["b"]


class ExactDedup(GlobalStep):
    """Remove exact duplicates (NFC, whitespace-collapsed text; optionally case-folded for the key) across shards."""

    name = "exact_dedup"

    def __init__(
        self,
        casefold: bool = False,
        keep: str = "first",
        score_key: str | None = None,
        group_tasks: int | None = None,
        buffer_records: int = 1_000_000,
    ):
        nd.check_keep(keep, score_key)
        if group_tasks is not None and group_tasks < 1:
            raise ConfigError(f"group_tasks={group_tasks}: must be at least 1 (default: the run's task count)")
        self.casefold, self.keep, self.score_key = casefold, keep, score_key
        self.group_tasks, self.buffer_records = group_tasks, buffer_records

    def before_barrier(self, work_dir: str) -> list[PipelineStep]:
        return [ExactKeyCollector(work_dir, self.casefold, self.keep, self.score_key, self.buffer_records)]

    def barrier_stages(self, work_dir: str, tasks: int) -> list[Stage]:
        parts, step = self.group_tasks or tasks, os.path.basename(work_dir)
        return [
            Stage(f"{step}_groups", [ExactGroupStage(work_dir, parts)], parts, handles_documents=False),
            Stage(
                f"{step}_representatives",
                [RepresentativeStage(work_dir, StarSource(os.path.join(work_dir, "stars")), tasks)],
                parts,
                handles_documents=False,
            ),
        ]

    def after_barrier(self, work_dir: str) -> list[PipelineStep]:
        return [ClusterFilter(work_dir, "exact_duplicate", "exact-dedup-filter")]
