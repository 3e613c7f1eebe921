"""The size of every (language, category) slice of curated output: documents, characters, UTF-8 bytes, words and,
with a tokenizer, tokens. Tasks count their share of the files; the counts are added up at the end."""

from __future__ import annotations

import glob
import os
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass

from datatrove.pipeline.base import PipelineStep

from nordic_pile.mixture.inputs import CuratedDoc, InputFile, read_curated
from nordic_pile.mixture.tables import language_label
from nordic_pile.packing.jobs import read_json, write_json
from nordic_pile.text.words import WORD_RE

BATCH_CHARS = 2_000_000


@dataclass
class SliceSize:
    category: str
    language: str
    documents: int = 0
    chars: int = 0
    bytes: int = 0
    words: int = 0
    tokens: int | None = None


def text_size(text: str) -> tuple[int, int, int]:
    """(characters, UTF-8 bytes, words) of one text."""
    return len(text), len(text.encode("utf-8")), sum(1 for _ in WORD_RE.finditer(text))


class SliceMeasurer(PipelineStep):
    """Count documents, characters, bytes, words (and tokens) per slice in this rank's files."""

    name = "mix-measure"
    type = "📏 - MEASURE"

    def __init__(self, files: list[InputFile], work_dir: str, tokenizer=None):
        super().__init__()
        self.files, self.work_dir, self.tokenizer = files, work_dir, tokenizer

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        unreadable = 0
        batch: list[tuple[str, str]] = []
        batch_chars = 0
        for index in range(rank, len(self.files), world_size):
            for doc in read_curated(self.files[index]):
                if not isinstance(doc, CuratedDoc):
                    unreadable += 1
                    continue
                name = f"{doc.category}\t{language_label(doc.language)}"
                c = counts[name]
                chars, size, words = text_size(doc.text)
                c[0] += 1
                c[1] += chars
                c[2] += size
                c[3] += words
                if self.tokenizer is not None:
                    batch.append((name, doc.text))
                    batch_chars += chars
                    if batch_chars > BATCH_CHARS:
                        self._count_tokens(batch, counts)
                        batch, batch_chars = [], 0
        self._count_tokens(batch, counts)
        write_json(os.path.join(self.work_dir, f"{rank:05d}.json"), {"slices": dict(counts), "unreadable": unreadable})
        if data:
            yield from data

    def _count_tokens(self, batch, counts) -> None:
        if batch and self.tokenizer is not None:
            for (name, _), ids in zip(batch, self.tokenizer.encode_batch([t for _, t in batch]), strict=True):
                counts[name][4] += len(ids)


def measure(
    inputs: list[str], tokenizer: str | None = None, tasks: int | None = None, workers: int = -1, verbose: bool = False
) -> tuple[list[SliceSize], int]:
    """Every slice's size, sorted by category and language, and the number of unreadable lines."""
    from nordic_pile.mixture.inputs import find_inputs
    from nordic_pile.packing.jobs import default_tasks, run_steps
    from nordic_pile.tokenizer.backends import load_tokenizer

    files = find_inputs(inputs)
    backend = load_tokenizer(tokenizer) if tokenizer else None
    tasks = tasks or default_tasks(len(files))
    with tempfile.TemporaryDirectory(prefix="nordic-pile-measure-") as work:
        run_steps(
            [SliceMeasurer(files, os.path.join(work, "counts"), backend)],
            tasks,
            workers,
            os.path.join(work, "logs"),
            verbose,
        ).run()
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        unreadable = 0
        for path in sorted(glob.glob(os.path.join(work, "counts", "*.json"))):
            record = read_json(path)
            unreadable += record["unreadable"]
            for name, values in record["slices"].items():
                totals[name] = [a + b for a, b in zip(totals[name], values, strict=True)]
    sizes = []
    for name in sorted(totals):
        category, language = name.split("\t")
        d, c, b, w, t = totals[name]
        sizes.append(SliceSize(category, language, d, c, b, w, t if backend is not None else None))
    return sizes, unreadable


def sizes_to_rows(sizes: list[SliceSize]) -> list[dict]:
    rows = [asdict(s) for s in sizes]
    if all(s.tokens is None for s in sizes):
        for row in rows:
            row.pop("tokens")
    return rows
