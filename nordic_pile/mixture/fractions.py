"""The bin limit of every slice's fractional sample, from a histogram of its bytes over the documents' hash bins.

One pass over the input (tasks over the files) adds each document's UTF-8 bytes to its slice's histogram; the
histograms are summed and `bin_limit` picks, per slice, the limit whose documents hold the wanted share.
"""

from __future__ import annotations

import glob
import os

import numpy as np
from datatrove.pipeline.base import PipelineStep

from nordic_pile.mixture.draw import BINS, bin_limit, fraction_of, identity_of, keep_bin
from nordic_pile.mixture.inputs import CuratedDoc, InputFile, read_curated
from nordic_pile.mixture.plan import slice_name
from nordic_pile.mixture.tables import language_label


def weight_of(epochs: dict[str, float] | None, name: str, scale: float) -> float:
    """The epochs of slice `name` times `scale`; every slice has 1 when there is no plan."""
    return scale * (1.0 if epochs is None else epochs.get(name, 0.0))


class FractionHistogram(PipelineStep):
    """Sum the bytes of every slice's documents per hash bin, for slices with a fractional number of epochs."""

    name = "mixture-fractions"
    type = "📏 - MEASURE"

    def __init__(
        self, files: list[InputFile], epochs: dict[str, float] | None, scale: float, seed: int, work_dir: str
    ):
        super().__init__()
        self.files, self.epochs, self.scale, self.seed, self.work_dir = files, epochs, scale, seed, work_dir

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        histograms: dict[str, np.ndarray] = {}
        for index in range(rank, len(self.files), world_size):
            file = self.files[index]
            for doc in read_curated(file):
                if not isinstance(doc, CuratedDoc):
                    continue
                name = slice_name(doc.category, language_label(doc.language))
                if fraction_of(weight_of(self.epochs, name, self.scale)) <= 0:
                    continue
                if name not in histograms:
                    histograms[name] = np.zeros(BINS, dtype=np.int64)
                histograms[name][keep_bin(self.seed, identity_of(file.path, doc.line, doc.id))] += len(
                    doc.text.encode("utf-8")
                )
        os.makedirs(self.work_dir, exist_ok=True)
        path = os.path.join(self.work_dir, f"{rank:05d}.npz")
        with open(path + ".partial", "wb") as f:
            np.savez(f, **{f"s{i}": h for i, h in enumerate(histograms.values())}, names=np.array(list(histograms)))
        os.replace(path + ".partial", path)
        if data:
            yield from data


def bin_limits(
    files: list[InputFile],
    epochs: dict[str, float] | None,
    scale: float,
    seed: int,
    work_dir: str,
    tasks: int,
    workers: int,
    verbose: bool,
) -> dict[str, int]:
    """{slice: bin limit} for every slice whose scaled epochs have a fractional part."""
    from nordic_pile.packing.jobs import run_steps

    counts = os.path.join(work_dir, "histograms")
    run_steps(
        [FractionHistogram(files, epochs, scale, seed, counts)],
        tasks,
        workers,
        os.path.join(work_dir, "logs"),
        verbose,
    ).run()
    total: dict[str, np.ndarray] = {}
    for path in sorted(glob.glob(os.path.join(counts, "*.npz"))):
        with np.load(path) as data:
            for i, name in enumerate(data["names"].tolist()):
                total[name] = total.get(name, 0) + data[f"s{i}"]
    return {name: bin_limit(h, fraction_of(weight_of(epochs, name, scale))) for name, h in sorted(total.items())}
