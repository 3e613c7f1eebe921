"""A persisted LSH index for incremental deduplication: segments of sorted band-key files on disk.

`INDEX/segments/<name>/` holds what one finished run computed, so that a later batch is deduplicated against it
without recomputing the old corpus:
    segment.json                      the MinHash/LSH parameters (a later run must use the same) and task count
    bands/<band>/<rank>.<run>.bin     (band key, ref) records sorted by key: memory-mapped and binary-searched
    clusters/<rank>.bin               (cluster id, cluster size) of every document, by position
    shingles/<rank>.bin, .idx         distinct shingle hashes per document (for verification), offsets
    done/<rank>                       written last by each task: a segment is used only when every task is done
Segments are append-only and written by the tasks of a run in parallel, with no central commit: a reader uses the
complete segments other than its own run's. Several runs can share one index folder on a shared filesystem.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import numpy as np

from nordic_pile.dedup import nodes as nd
from nordic_pile.dedup import shuffle
from nordic_pile.errors import ConfigError

CLUSTER = np.dtype([("cluster", "<u8"), ("size", "<u8")])
MAX_SEGMENTS = 127


def segment_name(work_dir: str) -> str:
    return "run-" + hashlib.sha1(os.path.abspath(work_dir).encode()).hexdigest()[:12]


def _is_complete(path: str) -> bool:
    try:
        with open(os.path.join(path, "segment.json"), encoding="utf-8") as f:
            tasks = json.load(f)["tasks"]
    except (OSError, ValueError, KeyError):
        return False
    done = os.path.join(path, "done")
    return os.path.isdir(done) and len(os.listdir(done)) >= tasks


def complete_segments(index_dir: str, exclude: str) -> list[str]:
    root = os.path.join(index_dir, "segments")
    names = sorted(os.listdir(root)) if os.path.isdir(root) else []
    return [n for n in names if n != exclude and _is_complete(os.path.join(root, n))]


def check_params(index_dir: str, exclude: str, params: dict) -> None:
    """ConfigError (before any work) when an existing segment was built with other MinHash/LSH parameters."""
    for name in complete_segments(index_dir, exclude):
        with open(os.path.join(index_dir, "segments", name, "segment.json"), encoding="utf-8") as f:
            theirs = json.load(f)["params"]
        if theirs != params:
            changed = sorted(k for k in set(theirs) | set(params) if theirs.get(k) != params.get(k))
            raise ConfigError(
                f"index {index_dir}: segment {name} was built with other parameters ({', '.join(changed)}"
                f": {[theirs.get(k) for k in changed]}); use the same settings or a new index folder"
            )


class IndexReader:
    """The segments a run deduplicates against, frozen at first use so every stage of the run sees the same list."""

    def __init__(self, index_dir: str, work_dir: str):
        self.index_dir, self.work_dir = index_dir, work_dir
        self._names: list[str] | None = None
        self._tables: dict = {}

    @property
    def names(self) -> list[str]:
        if self._names is None:
            frozen = os.path.join(self.work_dir, "index_segments.json")
            if not os.path.exists(frozen):
                names = complete_segments(self.index_dir, segment_name(self.work_dir))[:MAX_SEGMENTS]
                os.makedirs(self.work_dir, exist_ok=True)
                tmp = f"{frozen}.{os.getpid()}.tmp"
                with open(tmp, "w", encoding="utf-8") as f:
                    json.dump(names, f)
                try:
                    os.link(tmp, frozen)  # the first task to get here decides; the others read its list
                except FileExistsError:
                    pass
                os.remove(tmp)
            with open(frozen, encoding="utf-8") as f:
                self._names = json.load(f)
        return self._names

    def segment_dir(self, number: int) -> str:
        return os.path.join(self.index_dir, "segments", self.names[number])

    @staticmethod
    def tag(number: int) -> np.uint64:
        return nd.OLD_BIT | np.uint64(number << nd.SEGMENT_SHIFT)

    def band_runs(self, band: int) -> list[tuple[str, np.uint64]]:
        out = []
        for number in range(len(self.names)):
            folder = os.path.join(self.segment_dir(number), "bands", f"{band:03d}")
            out += [(p, self.tag(number)) for p in shuffle.complete_files(os.path.join(folder, "*.bin"))]
        return out

    def locate(self, ref: int) -> tuple[str, int, int]:
        """(segment folder, rank, position) of an old ref."""
        number = (ref >> nd.SEGMENT_SHIFT) & MAX_SEGMENTS
        rank = (ref >> nd.POS_BITS) & ((1 << (nd.SEGMENT_SHIFT - nd.POS_BITS)) - 1)
        return self.segment_dir(number), rank, ref & ((1 << nd.POS_BITS) - 1)

    def clusters(self, refs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cluster id, cluster size) recorded in the index for each old ref."""
        cluster, size = np.zeros(len(refs), np.uint64), np.zeros(len(refs), np.uint64)
        for i, ref in enumerate(refs.tolist()):
            folder, rank, pos = self.locate(ref)
            key = (folder, rank)
            if key not in self._tables:
                self._tables[key] = shuffle.mmap_array(os.path.join(folder, "clusters", f"{rank:05d}.bin"), CLUSTER)
            cluster[i], size[i] = self._tables[key][pos]
        return cluster, size


class SegmentWriter:
    """Adds one task's share of a finished run to the index (called by the filter task at its end)."""

    def __init__(self, index_dir: str, work_dir: str, params: dict, tasks: int):
        self.dir = os.path.join(index_dir, "segments", segment_name(work_dir))
        self.work_dir, self.params, self.tasks = work_dir, params, tasks

    def write(self, rank: int, clusters: np.ndarray) -> None:
        os.makedirs(os.path.join(self.dir, "done"), exist_ok=True)
        meta = os.path.join(self.dir, "segment.json")
        if not os.path.exists(meta):
            tmp = f"{meta}.{rank}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"params": self.params, "tasks": self.tasks, "work_dir": os.path.abspath(self.work_dir)}, f)
            os.replace(tmp, meta)
        for src in shuffle.complete_files(os.path.join(self.work_dir, "bands", "*", f"{rank:05d}.*.bin")):
            band = os.path.basename(os.path.dirname(src))
            _place(src, os.path.join(self.dir, "bands", band, os.path.basename(src)))
        for suffix in (".bin", ".bin.idx"):
            src = os.path.join(self.work_dir, "shingles", f"{rank:05d}{suffix}")
            if os.path.exists(src):
                _place(src, os.path.join(self.dir, "shingles", f"{rank:05d}{suffix}"))
        shuffle.atomic_write_array(os.path.join(self.dir, "clusters", f"{rank:05d}.bin"), clusters)
        with open(os.path.join(self.dir, "done", f"{rank:05d}"), "w") as f:
            f.write("done\n")


def _place(src: str, dst: str) -> None:
    """Hard-link (same filesystem) or copy `src` to `dst`, atomically."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    tmp = dst + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
