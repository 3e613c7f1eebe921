"""One sentence per line with a blank line between documents (NorLM's format for NorBERT, Kutuzov et al. 2021),
so next-sentence prediction never crosses a document boundary. One output file per input file."""

from __future__ import annotations

import gzip
import os
from collections import defaultdict

from nordic_pile.mixture.inputs import CuratedDoc, InputFile, read_curated
from nordic_pile.mixture.tables import language_label
from nordic_pile.packing.jobs import FileJob, QuarantineFile, write_json
from nordic_pile.text.sentences import SentenceSplitter


def document_block(sentences: list[str]) -> str:
    """A document in the output: its sentences, one per line, then a blank line."""
    return "".join(s + "\n" for s in sentences) + "\n"


class SentenceLinesJob(FileJob):
    def __init__(self, output: str, prefixes: list[str], splitter: SentenceSplitter, compress: bool = True):
        self.output, self.prefixes, self.splitter, self.compress = output, prefixes, splitter, compress

    def _paths(self, index: int) -> tuple[str, str]:
        text = os.path.join(self.output, "data", self.prefixes[index]) + (".txt.gz" if self.compress else ".txt")
        return text, os.path.join(self.output, "records", self.prefixes[index] + ".json")

    def done(self, index: int, file: InputFile) -> bool:
        return all(os.path.isfile(p) for p in self._paths(index))

    def process(self, index: int, file: InputFile, step) -> None:
        path, record = self._paths(index)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        quarantine = QuarantineFile(
            os.path.join(self.output, "quarantine", self.prefixes[index] + ".jsonl"), "sentences"
        )
        by_language: dict[str, dict[str, int]] = defaultdict(lambda: {"documents": 0, "sentences": 0})
        empty = 0
        with open(path + ".partial", "wb") as raw:
            out = (
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) if self.compress else raw
            )
            for doc in read_curated(file):
                if not isinstance(doc, CuratedDoc):
                    quarantine.add(file.full, doc)
                    continue
                sentences = self.splitter.split(doc.text, language_label(doc.language))
                if not sentences:
                    empty += 1
                    continue
                out.write(document_block(sentences).encode("utf-8"))
                counts = by_language[language_label(doc.language)]
                counts["documents"] += 1
                counts["sentences"] += len(sentences)
            if out is not raw:
                out.close()
        os.replace(path + ".partial", path)
        quarantine.close()
        step.stat_update("sentences", value=sum(c["sentences"] for c in by_language.values()))
        write_json(
            record,
            {
                "languages": dict(by_language),
                "empty_documents": empty,
                "quarantined": quarantine.count,
                "input": file.full,
            },
        )
