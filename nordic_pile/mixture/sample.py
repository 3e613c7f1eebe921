"""Materialise a mixture: whole documents, each slice repeated by its epochs, shuffled across slices, in shards.

Two datatrove stages, with memory bounded by `memory_bytes` whatever the corpus size (an external shuffle):
    scatter  (tasks over the input files)  every copy of every document gets a seeded 64-bit key and goes to the
             bucket of its key range (`work/buckets/BBBBB/RRRRR.jsonl.zst`, the key in front of each line)
    gather   (one task per bucket)          a bucket's lines are sorted by key and written as shard
             `data/BBBBB.jsonl.gz`; a bucket larger than `memory_bytes` is first split into key sub-ranges on disk
Keys depend only on the seed and each document's file, line and id, so the output is the same bytes for any number
of tasks and any memory limit. Each output document carries `metadata.mixture = {slice, repeat, epochs}`.
"""

from __future__ import annotations

import glob
import gzip
import io
import math
import os
import shutil
from collections import defaultdict

import orjson
import zstandard
from datatrove.pipeline.base import PipelineStep

from nordic_pile.mixture.draw import bucket_of, copies, identity_of, keep_bin, order_key, sub_bucket_of
from nordic_pile.mixture.inputs import CuratedDoc, InputFile, read_curated
from nordic_pile.mixture.plan import slice_name
from nordic_pile.mixture.tables import language_label
from nordic_pile.packing.jobs import QuarantineFile, add_counts, read_json, write_json

KEY_CHARS = 17  # 16 hex digits and a tab in front of every bucket line


def _new_slice_stats() -> dict:
    return {"documents": 0, "bytes": 0, "copies": 0, "bytes_out": 0}


class MixtureScatter(PipelineStep):
    """Give every copy of every document its shuffle key and write it to the bucket of that key."""

    name = "mixture-scatter"
    type = "🔀 - SHUFFLE"

    def __init__(
        self,
        files: list[InputFile],
        epochs: dict[str, float],
        limits: dict[str, int],
        seed: int,
        buckets: int,
        work_dir: str,
        quarantine_dir: str,
    ):
        super().__init__()
        self.files, self.epochs, self.limits, self.seed, self.buckets = files, epochs, limits, seed, buckets
        self.work_dir, self.quarantine_dir = work_dir, quarantine_dir

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        writers: dict[int, tuple] = {}
        bucket_bytes = [0] * self.buckets
        slices: dict[str, dict] = defaultdict(_new_slice_stats)
        quarantine = QuarantineFile(os.path.join(self.quarantine_dir, f"{rank:05d}.jsonl"), "mix_sample")
        for index in range(rank, len(self.files), world_size):
            file = self.files[index]
            for doc in read_curated(file):
                if not isinstance(doc, CuratedDoc):
                    quarantine.add(file.full, doc)
                    continue
                name = slice_name(doc.category, language_label(doc.language))
                stats = slices[name]
                size = len(doc.text.encode("utf-8"))
                stats["documents"] += 1
                stats["bytes"] += size
                epochs = self.epochs.get(name, 0.0)
                identity = identity_of(file.path, doc.line, doc.id)
                n = copies(epochs, keep_bin(self.seed, identity), self.limits.get(name, 0))
                for repeat in range(n):
                    key = order_key(self.seed, identity, repeat)
                    bucket = bucket_of(key, self.buckets)
                    record = {
                        "text": doc.text,
                        "id": doc.id,
                        "metadata": doc.metadata
                        | {"mixture": {"slice": name, "repeat": repeat, "epochs": round(epochs, 6)}},
                    }
                    line = f"{key:016x}\t".encode() + orjson.dumps(record) + b"\n"
                    self._writer(writers, bucket, rank).write(line)
                    bucket_bytes[bucket] += len(line)
                    stats["copies"] += 1
                    stats["bytes_out"] += size
                self.stat_update("documents")
        for raw, stream, path in writers.values():
            stream.close()
            raw.close()
            os.replace(path + ".partial", path)
        quarantine.close()
        write_json(
            os.path.join(self.work_dir, "scatter", f"{rank:05d}.json"),
            {"slices": slices, "bucket_bytes": bucket_bytes, "quarantined": quarantine.count},
        )
        if data:
            yield from data

    def _writer(self, writers: dict, bucket: int, rank: int):
        if bucket not in writers:
            path = os.path.join(self.work_dir, "buckets", f"{bucket:05d}", f"{rank:05d}.jsonl.zst")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            raw = open(path + ".partial", "wb")
            writers[bucket] = (raw, zstandard.ZstdCompressor(level=1).stream_writer(raw, closefd=False), path)
        return writers[bucket][1]


def _read_lines(paths: list[str]):
    for path in paths:
        with open(path, "rb") as raw:
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            yield from io.BufferedReader(reader)


class MixtureGather(PipelineStep):
    """Sort one bucket by key (in key sub-ranges if it exceeds the memory limit) and write it as one shard."""

    name = "mixture-gather"
    type = "🔀 - SHUFFLE"

    def __init__(self, work_dir: str, data_dir: str, buckets: int, memory_bytes: int):
        super().__init__()
        self.work_dir, self.data_dir, self.buckets, self.memory_bytes = work_dir, data_dir, buckets, memory_bytes

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        bucket = rank
        parts = sorted(glob.glob(os.path.join(self.work_dir, "buckets", f"{bucket:05d}", "*.jsonl.zst")))
        size = sum(
            read_json(p)["bucket_bytes"][bucket] for p in glob.glob(os.path.join(self.work_dir, "scatter", "*.json"))
        )
        out_path = os.path.join(self.data_dir, f"{bucket:05d}.jsonl.gz")
        os.makedirs(self.data_dir, exist_ok=True)
        documents = 0
        with open(out_path + ".partial", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as out:
                for lines in self._sorted_ranges(parts, bucket, size):
                    for line in lines:
                        out.write(line[KEY_CHARS:])
                    documents += len(lines)
        os.replace(out_path + ".partial", out_path)
        self.stat_update("documents", value=documents)
        write_json(
            os.path.join(self.work_dir, "gather", f"{bucket:05d}.json"),
            {"documents": documents, "path": os.path.basename(out_path)},
        )
        if data:
            yield from data

    def _sorted_ranges(self, parts: list[str], bucket: int, size: int):
        ranges = max(1, math.ceil(size / self.memory_bytes))
        if ranges == 1:
            yield sorted(_read_lines(parts))
            return
        split_dir = os.path.join(self.work_dir, "split", f"{bucket:05d}")
        shutil.rmtree(split_dir, ignore_errors=True)
        os.makedirs(split_dir)
        files = [open(os.path.join(split_dir, f"{j:05d}.jsonl"), "wb") for j in range(ranges)]
        for line in _read_lines(parts):
            files[sub_bucket_of(int(line[:16], 16), bucket, self.buckets, ranges)].write(line)
        for f in files:
            f.close()
        for j in range(ranges):
            path = os.path.join(split_dir, f"{j:05d}.jsonl")
            with open(path, "rb") as f:
                lines = sorted(f)
            os.remove(path)
            yield lines
        shutil.rmtree(split_dir, ignore_errors=True)


def summarize(work_dir: str, planned: dict[str, float], buckets: int) -> dict:
    """Per-slice documents in and copies out with the epochs achieved, from the scatter and gather records."""
    totals: dict = {"slices": {}, "quarantined": 0}
    for path in sorted(glob.glob(os.path.join(work_dir, "scatter", "*.json"))):
        add_counts(totals, {k: v for k, v in read_json(path).items() if k != "bucket_bytes"})
    slices, quarantined = totals["slices"], totals["quarantined"]
    shards = [read_json(os.path.join(work_dir, "gather", f"{b:05d}.json")) for b in range(buckets)]
    out = {}
    for name in sorted(set(slices) | {n for n, e in planned.items() if e > 0}):
        s = slices.get(name, _new_slice_stats())
        achieved = s["bytes_out"] / s["bytes"] if s["bytes"] else 0.0
        out[name] = s | {"planned_epochs": planned.get(name, 0.0), "epochs": achieved}
    return {
        "slices": out,
        "shards": shards,
        "quarantined": quarantined,
        "documents_in": sum(s["documents"] for s in slices.values()),
        "documents_out": sum(s["documents"] for s in shards),
    }


def estimate_output_bytes(files: list[InputFile], epochs: dict[str, float]) -> int:
    """A guess of the mixture's size from the input files' sizes (compressed ~3.5x) and their slices' epochs, used
    only to choose the number of shards."""
    from nordic_pile.mixture.inputs import slice_from_path

    mean = sum(epochs.values()) / len(epochs) if epochs else 1.0
    total = 0.0
    for f in files:
        language, category = slice_from_path(f.path)
        e = epochs.get(slice_name(category, language_label(language)), mean) if language else mean
        ratio = 3.5 if f.path.endswith((".gz", ".zst", ".bz2")) else 1.0
        total += os.path.getsize(f.full) * ratio * e
    return int(total)


def sample_mixture(
    plan,
    inputs: list[str],
    output: str,
    seed: int = 1234,
    shards: int | None = None,
    shard_bytes: int = 512 << 20,
    memory_bytes: int = 1 << 30,
    tasks: int | None = None,
    workers: int = -1,
    overwrite: bool = False,
    keep_work: bool = False,
    verbose: bool = False,
) -> dict:
    """Write the mixture to `output/data/` and its record to `output/mixture.json`; returns that record."""
    from nordic_pile.errors import ConfigError
    from nordic_pile.mixture.fractions import bin_limits
    from nordic_pile.mixture.inputs import find_inputs
    from nordic_pile.mixture.tables import plan_to_json
    from nordic_pile.packing.jobs import default_tasks, input_fingerprint, prepare_output, run_steps

    files = find_inputs(inputs)
    epochs = {slice_name(s.category, s.language): s.epochs for s in plan.slices}
    tasks = tasks or default_tasks(len(files))
    if shards is None:
        shards = max(1, math.ceil(estimate_output_bytes(files, epochs) / shard_bytes))
    if shards < 1 or memory_bytes < 1 << 10:
        raise ConfigError(f"--shards {shards} must be >= 1 and --memory-mb at least 1")
    fingerprint = {
        "command": "mix sample",
        "plan": plan_to_json(plan),
        "inputs": input_fingerprint(files),
        "seed": seed,
        "shards": shards,
        "tasks": tasks,
    }
    prepare_output(
        output, fingerprint, ("data", "work", "logs", "quarantine", "mixture.json"), overwrite, "mix sample"
    )
    work, data = os.path.join(output, "work"), os.path.join(output, "data")
    limits = bin_limits(files, epochs, 1.0, seed, os.path.join(work, "fractions"), tasks, workers, verbose)
    scatter = run_steps(
        [MixtureScatter(files, epochs, limits, seed, shards, work, os.path.join(output, "quarantine"))],
        tasks,
        workers,
        os.path.join(output, "logs", "scatter"),
        verbose,
    )
    gather = run_steps(
        [MixtureGather(work, data, shards, memory_bytes)],
        shards,
        workers,
        os.path.join(output, "logs", "gather"),
        verbose,
        depends=scatter,
    )
    gather.run()
    record = summarize(work, epochs, shards) | {
        "seed": seed,
        "plan": plan_to_json(plan),
        "inputs": [f.full for f in files],
    }
    write_json(os.path.join(output, "mixture.json"), record)
    if not keep_work:
        shutil.rmtree(os.path.join(work, "buckets"), ignore_errors=True)
    return record
