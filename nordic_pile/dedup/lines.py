"""Corpus-wide line or paragraph deduplication (CCNet, Wenzek et al. 2020): remove boilerplate repeated across documents.

A line (or paragraph: text between blank lines) whose normalised form (NFC, whitespace collapsed, optionally
case-folded) occurs in more than `max_occurrences` documents of the corpus is removed from every document. Each
document records in `metadata["line_dedup"]` how many units and characters it lost; a document left empty is
removed as `line_dedup_empty`.
"""

from __future__ import annotations

import os
import re

import numpy as np
import xxhash
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from nordic_pile.dedup import nodes as nd
from nordic_pile.dedup import shuffle
from nordic_pile.dedup.exact import SortedRunWriter, key_text
from nordic_pile.errors import ConfigError
from nordic_pile.recipe.stages import GlobalStep, Stage

UNIT = np.dtype([("key", "<u8"), ("ref", "<u8")])
FREQUENT = np.dtype([("ref", "<u8"), ("key", "<u8")])
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
_LINE_BREAK = re.compile(r"(\n)")


def split_units(text: str, unit: str) -> list[str]:
    """Units and their separators alternately (`"".join(...)` gives the text back)."""
    return (_PARAGRAPH_BREAK if unit == "paragraph" else _LINE_BREAK).split(text)


def unit_key(unit_text: str, casefold: bool) -> int | None:
    normalised = key_text(unit_text, casefold)
    return xxhash.xxh3_64_intdigest(normalised.encode("utf-8")) if normalised else None


class LineCollector(PipelineStep):
    """Document stage, before the barrier: the distinct unit keys of each document, in sorted runs."""

    type = "🫂 - DEDUP"
    name = "line-dedup-keys"
    preserves_order = True

    def __init__(self, work_dir: str, unit: str, casefold: bool, min_chars: int, buffer_records: int):
        super().__init__()
        self.work_dir, self.unit, self.casefold, self.min_chars = work_dir, unit, casefold, min_chars
        self.buffer_records = buffer_records

    def keys(self, text: str) -> list[int]:
        parts = split_units(text, self.unit)[::2]
        keys = {unit_key(p, self.casefold) for p in parts if len(p.strip()) >= self.min_chars}
        return sorted(k for k in keys if k is not None)

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        runs = SortedRunWriter(os.path.join(self.work_dir, "units"), rank, UNIT, ("key", "ref"), self.buffer_records)
        for pos, doc in enumerate(data or ()):
            with self.track_time():
                keys = self.keys(doc.text)
                records = np.zeros(len(keys), dtype=UNIT)
                records["key"], records["ref"] = keys, nd.make_ref(rank, pos)
                runs.add(records)
            yield doc
        runs.flush()
        shuffle.record_peak_rss(self)


class LineCountStage(PipelineStep):
    """Barrier task: count documents per unit key in this key range; write the frequent (ref, key) per task."""

    type = "🫂 - DEDUP"
    name = "line-dedup-counts"

    def __init__(self, work_dir: str, max_occurrences: int, doc_tasks: int):
        super().__init__()
        self.work_dir, self.max_occurrences, self.doc_tasks = work_dir, max_occurrences, doc_tasks

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        lo, hi = shuffle.range_bounds(rank, world_size)
        runs = shuffle.complete_files(os.path.join(self.work_dir, "units", "*.bin"))
        with self.track_time():
            records = np.sort(shuffle.read_hash_range(runs, UNIT, "key", lo, hi), order=["key", "ref"])
            keys, starts, counts = np.unique(records["key"], return_index=True, return_counts=True)
            frequent = np.repeat(counts > self.max_occurrences, counts)
            out = np.zeros(int(frequent.sum()), dtype=FREQUENT)
            out["ref"], out["key"] = records["ref"][frequent], records["key"][frequent]
        self.stat_update("frequent_units", value=int((counts > self.max_occurrences).sum()))
        shuffle.write_partitioned(
            os.path.join(self.work_dir, "frequent", f"{rank:05d}.bin"),
            out,
            nd.ref_rank(out["ref"]).astype(np.int64),
            self.doc_tasks,
        )
        shuffle.record_peak_rss(self)
        return
        yield


class LineFilter(PipelineStep):
    """Removes the frequent units from each document; records what it lost; removes documents left empty."""

    type = "🫂 - DEDUP"
    name = "line-dedup-filter"
    preserves_order = True

    def __init__(self, work_dir: str, unit: str, casefold: bool, min_chars: int):
        super().__init__()
        self.work_dir, self.unit, self.casefold, self.min_chars = work_dir, unit, casefold, min_chars

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        files = shuffle.partitioned_files(os.path.join(self.work_dir, "frequent"))
        frequent = np.sort(shuffle.read_partition(files, FREQUENT, rank), order=["ref", "key"])
        positions = nd.ref_pos(frequent["ref"]).astype(np.int64)
        for pos, doc in enumerate(data or ()):
            lo, hi = np.searchsorted(positions, pos, "left"), np.searchsorted(positions, pos, "right")
            if hi > lo:
                self.strip(doc, set(frequent["key"][lo:hi].tolist()))
                if not doc.text.strip():
                    self.stat_update("line_dedup_empty")
                    doc.metadata["filter_reason"] = "line_dedup_empty"
                    continue
            yield doc
        shuffle.record_peak_rss(self)

    def strip(self, doc, remove: set[int]) -> None:
        parts = split_units(doc.text, self.unit)
        kept, removed_units, removed_chars = [], 0, 0
        for i in range(0, len(parts), 2):
            unit = parts[i]
            if len(unit.strip()) >= self.min_chars and unit_key(unit, self.casefold) in remove:
                removed_units, removed_chars = removed_units + 1, removed_chars + len(unit)
                continue
            kept.append(unit)
        separator = "\n\n" if self.unit == "paragraph" else "\n"
        before = len(doc.text)
        doc.text = separator.join(kept).strip("\n")
        doc.metadata["line_dedup"] = {"units_removed": removed_units, "chars_removed": before - len(doc.text)}
        self.stat_update("units_removed", value=removed_units)
        self.stat_update("chars_removed", value=removed_chars)


class LineDedup(GlobalStep):
    """Remove lines or paragraphs repeated in more than max_occurrences documents corpus-wide (boilerplate)."""

    name = "line_dedup"

    def __init__(
        self,
        unit: str = "line",
        max_occurrences: int = 10,
        min_chars: int = 10,
        casefold: bool = False,
        count_tasks: int | None = None,
        buffer_records: int = 2_000_000,
    ):
        if unit not in ("line", "paragraph"):
            raise ConfigError(f"unit={unit!r}: use 'line' or 'paragraph' (text between blank lines)")
        if max_occurrences < 1:
            raise ConfigError(f"max_occurrences={max_occurrences}: at least 1 (a unit in more documents is removed)")
        self.unit, self.max_occurrences, self.min_chars, self.casefold = unit, max_occurrences, min_chars, casefold
        self.count_tasks, self.buffer_records = count_tasks, buffer_records

    def before_barrier(self, work_dir: str) -> list[PipelineStep]:
        return [LineCollector(work_dir, self.unit, self.casefold, self.min_chars, self.buffer_records)]

    def barrier_stages(self, work_dir: str, tasks: int) -> list[Stage]:
        parts = self.count_tasks or tasks
        return [
            Stage(
                f"{os.path.basename(work_dir)}_counts",
                [LineCountStage(work_dir, self.max_occurrences, tasks)],
                parts,
                handles_documents=False,
            )
        ]

    def after_barrier(self, work_dir: str) -> list[PipelineStep]:
        return [LineFilter(work_dir, self.unit, self.casefold, self.min_chars)]
