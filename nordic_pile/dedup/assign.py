"""From clusters to decisions: choose each cluster's representative, then keep or remove every document.

`RepresentativeStage` (one task per root partition) reads star records (root, member) whose root falls in its
partition, looks up every member's attributes, picks the representative (smallest priority, then shard path and
position: deterministic), and writes one ASSIGN record per member, partitioned by the member's task. The
`ClusterFilter` of task r reads partition r of those files and streams its documents past them in order: every
document gets `dup_cluster_id` and `dup_cluster_size`; members that are not the representative are removed.
"""

from __future__ import annotations

import os

import numpy as np
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from nordic_pile.dedup import nodes as nd
from nordic_pile.dedup import shuffle


def choose_representatives(
    roots: np.ndarray, members: np.ndarray, tables: nd.NodeTables, old_lookup=None
) -> np.ndarray:
    """ASSIGN records for every document of the clusters given as (root, member) star edges."""
    if not len(roots):
        return np.zeros(0, dtype=nd.ASSIGN)
    pairs = np.unique(np.stack([roots, members], axis=1), axis=0)
    cluster_roots = np.unique(pairs[:, 0])
    refs = np.concatenate([cluster_roots, pairs[:, 1]])
    group = np.concatenate([cluster_roots, pairs[:, 0]])
    order = np.lexsort((refs, group))
    refs, group = refs[order], group[order]
    is_old = (refs & nd.OLD_BIT) != 0
    attrs = np.zeros(len(refs), dtype=nd.NODE)
    attrs[~is_old] = tables.gather(refs[~is_old])
    old_cluster = np.zeros(len(refs), dtype=np.uint64)
    old_size = np.zeros(len(refs), dtype=np.uint64)
    if is_old.any():
        old_cluster[is_old], old_size[is_old] = old_lookup(refs[is_old])
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    bounds = np.r_[starts, len(refs)]
    out = np.zeros(len(refs), dtype=nd.ASSIGN)
    out["ref"] = refs
    for i, start in enumerate(starts):
        stop = bounds[i + 1]
        members_old = is_old[start:stop]
        new_weight = int(attrs["weight"][start:stop][~members_old].sum())
        if members_old.any():  # an indexed cluster is already published: its document stays the representative
            first_old = start + int(np.argmax(members_old))
            cluster, size = int(old_cluster[first_old]), int(old_size[first_old]) + new_weight
            keep_at = -1
        else:
            block = attrs[start:stop]
            best = np.lexsort((refs[start:stop], block["spos"], block["shard"], block["priority"]))[0]
            keep_at = start + int(best)
            shard = tables.shard_names[int(attrs["shard"][keep_at])]
            cluster, size = nd.cluster_id(shard, int(attrs["spos"][keep_at])), new_weight
        out["cluster"][start:stop] = cluster
        out["size"][start:stop] = size
        if keep_at >= 0:
            out["keep"][keep_at] = 1
    return out[~is_old]


class RepresentativeStage(PipelineStep):
    """Barrier task: representatives, cluster ids and sizes for the clusters whose root is in this partition."""

    type = "🫂 - DEDUP"
    name = "dedup-representatives"

    def __init__(self, work_dir: str, stars, doc_tasks: int, old_lookup_factory=None):
        super().__init__()
        self.work_dir, self.stars, self.doc_tasks = work_dir, stars, doc_tasks
        self.old_lookup_factory = old_lookup_factory

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        roots, members = self.stars(rank, world_size)
        tables = nd.NodeTables(os.path.join(self.work_dir, "nodes"))
        lookup = self.old_lookup_factory() if self.old_lookup_factory else None
        with self.track_time():
            records = choose_representatives(roots, members, tables, lookup)
        self.stat_update("clusters", value=int(len(np.unique(roots))))
        self.stat_update("clustered_docs", value=len(records))
        parts = nd.ref_rank(records["ref"]).astype(np.int64)
        shuffle.write_partitioned(
            os.path.join(self.work_dir, "assign", f"{rank:05d}.bin"), records, parts, self.doc_tasks
        )
        shuffle.record_peak_rss(self)
        return
        yield


class ClusterFilter(PipelineStep):
    """Sets `dup_cluster_id`/`dup_cluster_size` on every document and removes the non-representatives."""

    type = "🫂 - DEDUP"
    preserves_order = True

    def __init__(self, work_dir: str, reason: str, name: str):
        super().__init__()
        self.work_dir, self.reason, self.name = work_dir, reason, name

    def decisions(self, rank: int) -> np.ndarray:
        files = shuffle.partitioned_files(os.path.join(self.work_dir, "assign"))
        records = shuffle.read_partition(files, nd.ASSIGN, rank)
        return np.sort(records, order="ref")

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        decided = self.decisions(rank)
        positions = nd.ref_pos(decided["ref"]).astype(np.int64)
        shard_positions = nd.ShardPositions()
        i = 0
        for pos, doc in enumerate(data or ()):
            shard, _, spos = shard_positions.next(doc)
            if i < len(positions) and positions[i] == pos:
                row = decided[i]
                i += 1
                doc.metadata["dup_cluster_id"] = nd.format_cluster_id(row["cluster"])
                doc.metadata["dup_cluster_size"] = int(row["size"])
                self.on_clustered(doc)
                if not row["keep"]:
                    self.stat_update(self.reason)
                    doc.metadata["filter_reason"] = self.reason
                    continue
                self.stat_update("representatives")
            else:
                doc.metadata["dup_cluster_id"] = nd.format_cluster_id(nd.cluster_id(shard, spos))
                doc.metadata["dup_cluster_size"] = nd.weight(doc)
                self.stat_update("unique")
            yield doc
        shuffle.record_peak_rss(self)

    def on_clustered(self, doc) -> None:
        """Hook for subclasses (e.g. to record more per-document cluster details)."""
