"""Distributed connected components: rounds of local union-find over node-partitioned edges.

Round 0 (task p): the candidate pairs whose smaller ref hashes to p, made unique (a pair found in several bands
is checked once), verified by their exact Jaccard similarity when asked, then contracted: the task finds the
connected components of the edges it holds and writes, for each component, star edges (member -> smallest
member), keyed by both endpoints. Round k: task p holds every edge incident to its nodes and contracts again.
Contraction never joins nodes that are not connected and keeps every edge's endpoints connected, so components are
preserved; when no task changes anything, every component is a star around its smallest node (see
`ConvergedStars`). Each round is one stage of `partitions` tasks with memory ~ edges / partitions; rounds after
convergence do nothing. If the configured rounds end before convergence, `ConvergedStars` finishes the remaining
edges exactly in one pass (and logs it): correct, but then memory grows with the remaining edges.
"""

from __future__ import annotations

import json
import os

import numpy as np
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.logging import logger

from nordic_pile.dedup import nodes as nd
from nordic_pile.dedup import shuffle
from nordic_pile.dedup.components import connected_components, star_edges
from nordic_pile.dedup.minhash import jaccard


def round_dir(work_dir: str, k: int) -> str:
    return os.path.join(work_dir, "cc", f"round{k:02d}")


def _status(work_dir: str, k: int) -> list[dict]:
    folder = os.path.join(round_dir(work_dir, k), "status")
    out = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                out.append(json.load(f))
    return out


def _undirected(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    pairs = np.zeros(len(a), dtype=nd.EDGE)
    pairs["a"], pairs["b"] = np.minimum(a, b), np.maximum(a, b)
    return np.unique(pairs)


class ShingleSets:
    """Distinct shingle hashes of any document of this run or of an indexed segment, by ref. Read with pread, not
    memory-mapped: mapped pages of every task's file would count towards this task's memory as it touches them."""

    def __init__(self, work_dir: str, index=None):
        self.work_dir, self.index, self.open = work_dir, index, {}

    def __call__(self, ref: int) -> np.ndarray:
        if ref & int(nd.OLD_BIT):
            folder, rank, pos = self.index.locate(ref)
        else:
            folder, rank, pos = self.work_dir, ref >> nd.POS_BITS, ref & ((1 << nd.POS_BITS) - 1)
        key = (folder, rank)
        if key not in self.open:
            path = os.path.join(folder, "shingles", f"{rank:05d}.bin")
            self.open[key] = (os.open(path, os.O_RDONLY), shuffle.mmap_array(path + ".idx", np.uint64))
        fd, offsets = self.open[key]
        start, stop = int(offsets[pos]), int(offsets[pos + 1])
        return np.frombuffer(os.pread(fd, 4 * (stop - start), 4 * start), dtype=np.uint32)

    def close(self) -> None:
        for fd, _ in self.open.values():
            os.close(fd)
        self.open.clear()


class ClusterRound(PipelineStep):
    """Barrier task: one round of connected components for node partition `rank`."""

    type = "🫂 - DEDUP"
    name = "minhash-clusters"

    def __init__(self, work_dir: str, k: int, threshold: float | None = None, index=None):
        super().__init__()
        self.work_dir, self.k, self.threshold, self.index = work_dir, k, threshold, index

    def _write_status(self, rank: int, status: dict) -> None:
        folder = os.path.join(round_dir(self.work_dir, self.k), "status")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{rank:05d}.json.tmp"), "w", encoding="utf-8") as f:
            json.dump(status, f)
        os.replace(os.path.join(folder, f"{rank:05d}.json.tmp"), os.path.join(folder, f"{rank:05d}.json"))

    def verify(self, pairs: np.ndarray) -> np.ndarray:
        sets = ShingleSets(self.work_dir, self.index)
        similar = np.array(
            [
                jaccard(sets(int(a)), sets(int(b))) >= self.threshold
                for a, b in zip(pairs["a"], pairs["b"], strict=True)
            ],
            dtype=bool,
        )
        sets.close()
        self.stat_update("verified_pairs", value=int(similar.sum()))
        self.stat_update("rejected_pairs", value=int((~similar).sum()))
        return pairs[similar]

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self.k == 0:
            files = shuffle.partitioned_files(os.path.join(self.work_dir, "candidates"))
            edges = np.unique(shuffle.read_partition(files, nd.EDGE, rank))
            self.stat_update("candidate_pairs", value=len(edges))
            if self.threshold is not None and len(edges):
                with self.track_time("verify"):
                    edges = self.verify(edges)
        else:
            previous = _status(self.work_dir, self.k - 1)
            if all(s["stable"] for s in previous):
                self._write_status(rank, {"stable": True, "skipped": True})
                return
            files = shuffle.partitioned_files(round_dir(self.work_dir, self.k - 1))
            edges = shuffle.read_partition(files, nd.EDGE, rank)
        with self.track_time("contract"):
            members, roots = star_edges(*connected_components(edges["a"], edges["b"]))
            stable = self.k > 0 and np.array_equal(_undirected(edges["a"], edges["b"]), _undirected(members, roots))
            out = np.zeros(2 * len(members), dtype=nd.EDGE)
            out["a"] = np.concatenate([members, roots])
            out["b"] = np.concatenate([roots, members])
        shuffle.write_partitioned(
            os.path.join(round_dir(self.work_dir, self.k), f"{rank:05d}.bin"),
            out,
            shuffle.partition_of(out["a"], world_size),
            world_size,
        )
        self.stat_update("edges_in", value=len(edges))
        self.stat_update("edges_out", value=len(members))
        self._write_status(
            rank, {"stable": bool(stable), "skipped": False, "edges_in": len(edges), "edges_out": len(members)}
        )
        shuffle.record_peak_rss(self)
        return
        yield


class ConvergedStars:
    """Star edges (root, member) of root partition `rank` from the last round that ran."""

    def __init__(self, work_dir: str, rounds: int):
        self.work_dir, self.rounds = work_dir, rounds

    def __call__(self, rank: int, world_size: int) -> tuple[np.ndarray, np.ndarray]:
        last = max(k for k in range(self.rounds) if not any(s.get("skipped") for s in _status(self.work_dir, k)))
        files = shuffle.partitioned_files(round_dir(self.work_dir, last))
        if all(s["stable"] for s in _status(self.work_dir, last)):
            edges = shuffle.read_partition(files, nd.EDGE, rank)
            edges = edges[edges["a"] < edges["b"]]  # (root, member); the (member, root) copies live with the member
            return edges["a"], edges["b"]
        logger.warning(
            f"clustering did not converge in {self.rounds} rounds; finishing the remaining edges in one "
            "pass in every task (raise cluster_rounds to keep memory per task bounded)"
        )
        edges = np.concatenate([shuffle.read_partition(files, nd.EDGE, p) for p in range(world_size)])
        members, roots = star_edges(*connected_components(edges["a"], edges["b"]))
        mine = shuffle.partition_of(roots, world_size) == rank
        return roots[mine], members[mine]
