"""Bounded-memory data exchange between deduplication stages: sorted runs and partitioned record files.

Every file is a flat array of fixed-width records (numpy structured dtype), written as `<name>.tmp` and renamed, so a
killed task never leaves a file that looks complete and its rerun overwrites the same names.

- A *sorted run* holds records sorted by their first field (a 64-bit hash). A task that reads hash range [lo, hi)
  memory-maps every run and copies only its slice (binary search), so its memory is its share of the records.
- A *partitioned file* holds records grouped by destination partition, with the offsets of each partition in a
  sidecar `<name>.idx`; partition p of a shuffle is the concatenation of slice p of every source file. One file per
  source task (not one per source x destination pair) keeps the file count linear in the task count.
"""

from __future__ import annotations

import glob
import os
import resource

import numpy as np

from nordic_pile.dedup.shingles import fmix

UINT64_SPAN = 1 << 64


def atomic_write_array(path: str, array: np.ndarray) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        np.ascontiguousarray(array).tofile(f)
    os.replace(tmp, path)


def read_array(path: str, dtype) -> np.ndarray:
    """A whole record file (empty array for an empty file)."""
    return np.fromfile(path, dtype=dtype)


def mmap_array(path: str, dtype) -> np.ndarray:
    if os.path.getsize(path) == 0:
        return np.empty(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r")


def complete_files(pattern: str) -> list[str]:
    """Files matching `pattern`, sorted, without the `.tmp` leftovers of killed tasks."""
    return sorted(p for p in glob.glob(pattern) if not p.endswith(".tmp"))


def mix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, element-wise (uint64 wraps, as intended)."""
    return fmix(x.astype(np.uint64))


def partition_of(keys: np.ndarray, partitions: int) -> np.ndarray:
    """Partition of each 64-bit key (refs are not uniform, so they are mixed first)."""
    return (mix64(keys) % np.uint64(partitions)).astype(np.int64)


def range_bounds(part: int, parts: int) -> tuple[int, int]:
    """Hash range [lo, hi) of part `part` of `parts` equal ranges of the uint64 space (hi may be 2**64)."""
    return part * UINT64_SPAN // parts, (part + 1) * UINT64_SPAN // parts


# ---------------------------------------------------------------------------------------------- sorted runs
def write_sorted_run(path: str, records: np.ndarray, order: tuple[str, ...]) -> None:
    atomic_write_array(path, np.sort(records, order=list(order)))


def read_hash_range(paths: list[str], dtype, field: str, lo: int, hi: int) -> np.ndarray:
    """The records of every sorted run in `paths` whose `field` lies in [lo, hi), concatenated (not re-sorted)."""
    chunks = []
    for path in paths:
        run = mmap_array(path, dtype)
        if not len(run):
            continue
        keys = run[field]
        start = int(np.searchsorted(keys, np.uint64(lo), side="left"))
        stop = len(run) if hi >= UINT64_SPAN else int(np.searchsorted(keys, np.uint64(hi), side="left"))
        if stop > start:
            chunks.append(np.array(run[start:stop]))
        del run, keys
    return np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)


# ---------------------------------------------------------------------------------------------- partitioned files
def write_partitioned(path: str, records: np.ndarray, parts: np.ndarray, partitions: int) -> None:
    """Write `records` grouped by `parts` (stable, so order within a partition is kept) plus the offsets sidecar."""
    order = np.argsort(parts, kind="stable")
    counts = np.bincount(parts, minlength=partitions) if len(parts) else np.zeros(partitions, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
    atomic_write_array(path + ".idx", offsets)
    atomic_write_array(path, records[order])


def read_partition(paths: list[str], dtype, part: int) -> np.ndarray:
    """Partition `part` of every partitioned file in `paths`, concatenated in path order."""
    chunks = []
    for path in paths:
        offsets = np.fromfile(path + ".idx", dtype=np.uint64)
        start, stop = int(offsets[part]), int(offsets[part + 1])
        if stop > start:
            data = mmap_array(path, dtype)
            chunks.append(np.array(data[start:stop]))
            del data
    return np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)


def partitioned_files(folder: str) -> list[str]:
    """The complete partitioned files of a folder (those whose data file exists beside the offsets)."""
    return [p for p in complete_files(os.path.join(folder, "*.bin")) if os.path.exists(p + ".idx")]


def record_peak_rss(step) -> None:
    """Add this process's peak resident memory so far (MB) to the step's stats (`max` over tasks in summary.json)."""
    step.stat_update("peak_rss_mb", value=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
