"""LSH bucket stage: documents sharing a band key become candidate pairs (one task per band x key range).

Each task memory-maps the sorted band-key runs of every document task (and of the persisted index segments, whose
refs carry bit 63), copies only its key range, and writes candidate pairs (a < b) partitioned by a, for the
clustering rounds. Without verification a bucket needs only a star (its first document -> every other); with
verification each document is also paired with the next `neighbours` documents of its bucket, so that one
false positive at the head of a bucket does not disconnect true duplicates. Pairs between two indexed (old)
documents are dropped: those were settled by the run that indexed them.
"""

from __future__ import annotations

import os

import numpy as np
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from nordic_pile.dedup import nodes as nd
from nordic_pile.dedup import shuffle

BAND = np.dtype([("key", "<u8"), ("ref", "<u8")])


def candidate_pairs(records: np.ndarray, neighbours: int) -> np.ndarray:
    """EDGE pairs (a < b) from band records sorted by (key, ref): star from each bucket's first ref, plus neighbours."""
    keys, refs = records["key"], records["ref"]
    if len(refs) < 2:
        return np.empty(0, dtype=nd.EDGE)
    head = np.r_[True, keys[1:] != keys[:-1]]
    first = np.maximum.accumulate(np.where(head, np.arange(len(refs)), 0))
    a, b = [refs[first[~head]]], [refs[~head]]
    for d in range(1, neighbours + 1):
        same = keys[d:] == keys[:-d]
        a.append(refs[:-d][same])
        b.append(refs[d:][same])
    a, b = np.concatenate(a), np.concatenate(b)
    keep = (a != b) & ~(((a & nd.OLD_BIT) != 0) & ((b & nd.OLD_BIT) != 0))
    pairs = np.zeros(int(keep.sum()), dtype=nd.EDGE)
    pairs["a"], pairs["b"] = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    return np.unique(pairs)


class BucketStage(PipelineStep):
    """Barrier task: candidate pairs of the units (band, key range) rank, rank + world_size, ... of bands x ranges."""

    type = "🫂 - DEDUP"
    name = "minhash-buckets"

    def __init__(self, work_dir: str, bands: int, ranges: int, partitions: int, neighbours: int, index=None):
        super().__init__()
        self.work_dir, self.bands, self.ranges, self.partitions = work_dir, bands, ranges, partitions
        self.neighbours, self.index = neighbours, index

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for unit in range(rank, self.bands * self.ranges, world_size):
            self.unit(unit)
        shuffle.record_peak_rss(self)
        return
        yield

    def unit(self, unit: int) -> None:
        band, part = divmod(unit, self.ranges)
        lo, hi = shuffle.range_bounds(part, self.ranges)
        runs = shuffle.complete_files(os.path.join(self.work_dir, "bands", f"{band:03d}", "*.bin"))
        with self.track_time():
            records = [shuffle.read_hash_range(runs, BAND, "key", lo, hi)]
            for path, tag in self.index.band_runs(band) if self.index else ():
                old = shuffle.read_hash_range([path], BAND, "key", lo, hi)
                old["ref"] |= tag
                records.append(old)
            records = np.sort(np.concatenate(records), order=["key", "ref"])
            pairs = candidate_pairs(records, self.neighbours)
        self.stat_update("band_records", value=len(records))
        self.stat_update("candidate_pairs", value=len(pairs))
        shuffle.write_partitioned(
            os.path.join(self.work_dir, "candidates", f"{unit:05d}.bin"),
            pairs,
            shuffle.partition_of(pairs["a"], self.partitions),
            self.partitions,
        )
