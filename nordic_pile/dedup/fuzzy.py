"""Near-duplicate removal with MinHash LSH across all shards, optional exact-Jaccard verification, incremental index.

Stages (Broder 1997; the Nordic Pile, Öhman et al. 2023, verified LSH candidates by their true Jaccard similarity):
  signatures (document stage)  signature, band keys in sorted runs, shingle sets, node attributes per document
  buckets     bands x ranges   candidate pairs from shared band keys (also against a persisted index)
  clusters    rounds x P       verification (round 0) and distributed connected components
  representatives          P   kept document, cluster id and size of every cluster
  filter      (document stage) `dup_cluster_id`, `dup_cluster_size` on every document; the others removed
"""

from __future__ import annotations

import os

import numpy as np
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from nordic_pile.dedup import nodes as nd
from nordic_pile.dedup import shuffle
from nordic_pile.dedup.assign import ClusterFilter, RepresentativeStage
from nordic_pile.dedup.buckets import BAND, BucketStage
from nordic_pile.dedup.exact import SortedRunWriter
from nordic_pile.dedup.index import CLUSTER, IndexReader, SegmentWriter, check_params, segment_name
from nordic_pile.dedup.lsh_params import optimal_bands_rows
from nordic_pile.dedup.minhash import MinHasher, band_keys
from nordic_pile.dedup.rounds import ClusterRound, ConvergedStars
from nordic_pile.errors import ConfigError
from nordic_pile.recipe.stages import GlobalStep, Stage

BATCH = 1024


class MinhashCollector(PipelineStep):
    """Document stage, before the barrier: signatures -> band keys (sorted runs), shingle sets, node attributes."""

    type = "🫂 - DEDUP"
    name = "minhash-signatures"
    preserves_order = True

    def __init__(
        self,
        work_dir: str,
        hasher: MinHasher,
        bands: int,
        rows: int,
        verify: bool,
        keep: str,
        score_key: str | None,
        buffer_records: int,
    ):
        super().__init__()
        self.work_dir, self.hasher, self.bands, self.rows, self.verify = work_dir, hasher, bands, rows, verify
        self.keep, self.score_key, self.buffer_records = keep, score_key, buffer_records

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        runs = [
            SortedRunWriter(
                os.path.join(self.work_dir, "bands", f"{b:03d}"), rank, BAND, ("key", "ref"), self.buffer_records
            )
            for b in range(self.bands)
        ]
        nodes = nd.NodeWriter(os.path.join(self.work_dir, "nodes"), rank)
        shingle_path = os.path.join(self.work_dir, "shingles", f"{rank:05d}.bin")
        if self.verify:
            os.makedirs(os.path.dirname(shingle_path), exist_ok=True)
            shingle_file, offsets = open(shingle_path + ".tmp", "wb"), [0]  # noqa: SIM115 - closed below
        sigs = np.empty((BATCH, self.hasher.num_perm), dtype=np.uint32)
        refs, n = np.zeros(BATCH, dtype=np.uint64), 0
        for pos, doc in enumerate(data or ()):
            with self.track_time():
                nodes.add(doc, self.keep, self.score_key)
                if self.verify:
                    shingle_set = self.hasher.shingle_set(doc.text)
                    shingle_set.tofile(shingle_file)
                    offsets.append(offsets[-1] + len(shingle_set))
                    has_shingles = len(shingle_set) > 0
                else:
                    has_shingles = self.hasher.signature_into(doc.text, sigs[n]) > 0
                if self.verify and has_shingles:
                    sigs[n] = self.hasher.minhash(shingle_set)
                if has_shingles:  # a text without words has no signature: only exact dedup can match it
                    refs[n], n = nd.make_ref(rank, pos), n + 1
                else:
                    self.stat_update("no_shingles")
                if n == BATCH:
                    self._add_bands(runs, sigs, refs, n)
                    n = 0
            yield doc
        self._add_bands(runs, sigs, refs, n)
        for run in runs:
            run.flush()
        nodes.close()
        shuffle.record_peak_rss(self)
        if self.verify:
            shingle_file.close()
            os.replace(shingle_path + ".tmp", shingle_path)
            shuffle.atomic_write_array(shingle_path + ".idx", np.array(offsets, dtype=np.uint64))

    def _add_bands(self, runs: list[SortedRunWriter], sigs: np.ndarray, refs: np.ndarray, n: int) -> None:
        if not n:
            return
        keys = band_keys(sigs[:n], self.bands, self.rows)
        records = np.zeros(n, dtype=BAND)
        records["ref"] = refs[:n]
        for band, run in enumerate(runs):
            records["key"] = keys[:, band]
            run.add(records)


class MinhashFilter(ClusterFilter):
    """The cluster filter that also adds this run's share to the persisted index, when there is one."""

    def __init__(self, work_dir: str, segment: SegmentWriter | None):
        super().__init__(work_dir, "near_duplicate", "minhash-dedup-filter")
        self.segment = segment

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self.segment is None:
            yield from super().run(data, rank, world_size)
            return
        clusters = []

        def record(docs):
            for doc in docs or ():
                yield doc
                clusters.append((int(doc.metadata["dup_cluster_id"], 16), doc.metadata["dup_cluster_size"]))

        # `record` resumes after the filter has labelled each document (kept or removed alike)
        yield from super().run(record(data), rank, world_size)
        self.segment.write(rank, np.array(clusters, dtype=CLUSTER))


class MinhashDedup(GlobalStep):
    """Remove near-duplicates with MinHash LSH (word or character shingles), verified, clustered across shards."""

    name = "minhash_dedup"

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 112,
        bands: int | None = None,
        rows: int | None = None,
        lsh_weights: list[float] = (0.02, 0.98),
        shingle: str = "word",
        n: int | None = None,
        casefold: bool = True,
        seed: int = 1,
        hashing: str = "fast",
        scheme: str = "affine32",
        verify: bool = True,
        keep: str = "first",
        score_key: str | None = None,
        index: str | None = None,
        bucket_tasks: int | None = None,
        cluster_tasks: int | None = None,
        cluster_rounds: int = 8,
        buffer_records: int = 250_000,
    ):
        nd.check_keep(keep, score_key)
        self.hasher = MinHasher(
            num_perm=num_perm,
            seed=seed,
            shingle=shingle,
            n=n or (5 if shingle == "word" else 10),
            fold=casefold,
            hashing=hashing,
            scheme=scheme,
        )
        if (bands is None) != (rows is None):
            raise ConfigError("give both bands and rows, or neither (then they follow from threshold and lsh_weights)")
        if len(lsh_weights) != 2 or abs(sum(lsh_weights) - 1.0) > 1e-9 or min(lsh_weights) < 0:
            raise ConfigError(
                f"lsh_weights={list(lsh_weights)}: two non-negative weights (false positive, false "
                "negative) that sum to 1, e.g. [0.02, 0.98]"
            )
        if bands is None:
            bands, rows = optimal_bands_rows(threshold, num_perm, *lsh_weights)
        elif bands < 1 or rows < 1 or bands * rows > num_perm:
            raise ConfigError(f"bands={bands} x rows={rows}: both positive, with bands * rows <= num_perm={num_perm}")
        if not 0 < threshold < 1:
            raise ConfigError(f"threshold={threshold}: a Jaccard similarity between 0 and 1 (e.g. 0.8)")
        if cluster_rounds < 1:
            raise ConfigError(
                f"cluster_rounds={cluster_rounds}: must be at least 1 (rounds after convergence cost nothing)"
            )
        self.threshold, self.bands, self.rows, self.verify = threshold, bands, rows, verify
        self.keep, self.score_key, self.index = keep, score_key, index
        self.bucket_tasks, self.cluster_tasks, self.cluster_rounds = bucket_tasks, cluster_tasks, cluster_rounds
        self.buffer_records = buffer_records
        self._tasks = 1

    @property
    def params(self) -> dict:
        h = self.hasher
        return {
            "num_perm": h.num_perm,
            "seed": h.seed,
            "shingle": h.shingle,
            "n": h.n,
            "casefold": h.fold,
            "hashing": h.hashing,
            "scheme": h.scheme,
            "bands": self.bands,
            "rows": self.rows,
            "verify": self.verify,
        }

    def _index_reader(self, work_dir: str) -> IndexReader | None:
        return IndexReader(self.index, work_dir) if self.index else None

    def before_barrier(self, work_dir: str) -> list[PipelineStep]:
        return [
            MinhashCollector(
                work_dir,
                self.hasher,
                self.bands,
                self.rows,
                self.verify,
                self.keep,
                self.score_key,
                self.buffer_records,
            )
        ]

    def barrier_stages(self, work_dir: str, tasks: int) -> list[Stage]:
        if self.index:
            check_params(self.index, segment_name(work_dir), self.params)
        self._tasks = tasks  # the filter's index segment records how many tasks must finish
        bucket_tasks = self.bucket_tasks or tasks
        ranges = max(1, -(-bucket_tasks // self.bands))  # key ranges per band: memory per unit ~ band records / ranges
        parts, step = self.cluster_tasks or tasks, os.path.basename(work_dir)
        index = self._index_reader(work_dir)
        neighbours = 4 if self.verify else 0
        stages = [
            Stage(
                f"{step}_buckets",
                [BucketStage(work_dir, self.bands, ranges, parts, neighbours, index)],
                bucket_tasks,
                handles_documents=False,
            )
        ]
        for k in range(self.cluster_rounds + 1):
            threshold = self.threshold if self.verify and k == 0 else None
            stages.append(
                Stage(
                    f"{step}_clusters{k}",
                    [ClusterRound(work_dir, k, threshold, index)],
                    parts,
                    handles_documents=False,
                )
            )
        lookup = _OldClusters(index) if index else None
        stages.append(
            Stage(
                f"{step}_representatives",
                [RepresentativeStage(work_dir, ConvergedStars(work_dir, self.cluster_rounds + 1), tasks, lookup)],
                parts,
                handles_documents=False,
            )
        )
        return stages

    def after_barrier(self, work_dir: str) -> list[PipelineStep]:
        segment = SegmentWriter(self.index, work_dir, self.params, self._tasks) if self.index else None
        return [MinhashFilter(work_dir, segment)]


class _OldClusters:
    """Picklable factory of the old-cluster lookup for the representative stage."""

    def __init__(self, index: IndexReader):
        self.index = index

    def __call__(self):
        return self.index.clusters
