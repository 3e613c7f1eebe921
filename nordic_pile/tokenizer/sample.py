"""The tokenizer's training text: a sample of the mixture (GPT-SW3 trained on 1% of it), one line per line of text.

A document of a slice with e epochs goes into the sample floor(e x fraction) times, plus once more for a seeded
sample holding the rest of the slice's share (as in `mix sample`); without a plan every slice has e = 1.
Lines longer than `max_line_bytes` are cut at a space, because sentencepiece skips over-long lines. One sample file
per input file, written as it is read, so memory stays small; the trainer keeps a seeded subset of the lines.
"""

from __future__ import annotations

import os
from collections import defaultdict

from nordic_pile.mixture.draw import copies, identity_of, keep_bin
from nordic_pile.mixture.fractions import weight_of
from nordic_pile.mixture.inputs import CuratedDoc, InputFile, read_curated
from nordic_pile.mixture.plan import slice_name
from nordic_pile.mixture.tables import language_label
from nordic_pile.packing.jobs import FileJob, QuarantineFile, write_json


def training_lines(text: str, max_line_bytes: int) -> list[str]:
    """The non-empty lines of `text`, each cut at spaces into pieces of at most `max_line_bytes` UTF-8 bytes."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        while len(line.encode("utf-8")) > max_line_bytes:
            head = line.encode("utf-8")[:max_line_bytes].decode("utf-8", errors="ignore")
            cut = head.rfind(" ")
            cut = cut if cut > 0 else len(head)
            out.append(line[:cut])
            line = line[cut:]
        if line.strip():
            out.append(line)
    return out


class TrainingSampleJob(FileJob):
    def __init__(
        self,
        output: str,
        prefixes: list[str],
        epochs: dict[str, float] | None,
        limits: dict[str, int],
        fraction: float,
        seed: int,
        max_line_bytes: int,
    ):
        self.output, self.prefixes, self.epochs, self.limits = output, prefixes, epochs, limits
        self.fraction, self.seed, self.max_line_bytes = fraction, seed, max_line_bytes

    def paths(self, index: int) -> tuple[str, str]:
        base = os.path.join(self.output, "sample", self.prefixes[index])
        return base + ".txt", base + ".json"

    def done(self, index: int, file: InputFile) -> bool:
        return all(os.path.isfile(p) for p in self.paths(index))

    def process(self, index: int, file: InputFile, step) -> None:
        path, record = self.paths(index)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        quarantine = QuarantineFile(
            os.path.join(self.output, "quarantine", self.prefixes[index] + ".jsonl"), "tokenizer_sample"
        )
        languages: dict[str, dict[str, int]] = defaultdict(lambda: {"documents": 0, "bytes": 0})
        lines = 0
        with open(path + ".partial", "w", encoding="utf-8") as out:
            for doc in read_curated(file):
                if not isinstance(doc, CuratedDoc):
                    quarantine.add(file.full, doc)
                    continue
                language = language_label(doc.language)
                name = slice_name(doc.category, language)
                n = copies(
                    weight_of(self.epochs, name, self.fraction),
                    keep_bin(self.seed, identity_of(file.path, doc.line, doc.id)),
                    self.limits.get(name, 0),
                )
                if not n:
                    continue
                text_lines = training_lines(doc.text, self.max_line_bytes)
                for _ in range(n):
                    out.writelines(line + "\n" for line in text_lines)
                languages[language]["documents"] += n
                languages[language]["bytes"] += n * len(doc.text.encode("utf-8"))
                lines += n * len(text_lines)
        os.replace(path + ".partial", path)
        quarantine.close()
        step.stat_update("lines", value=lines)
        write_json(record, {"languages": dict(languages), "lines": lines, "quarantined": quarantine.count})
