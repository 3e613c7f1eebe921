"""Tokenise JSONL shards into Megatron indexed datasets, one `.bin`/`.idx` pair per input file, plus a manifest.

GPT-SW3's first runs were spoiled because its binarisation put no end-of-text token between documents; here every
document ends with the tokenizer's eos id (unit `document`: one sequence per document). With unit `sentence`
(BERT-style data, NorLM's format) every sentence is a sequence and documents group them (`end_document()`); no
eos is added, since BERT models add their own [CLS]/[SEP]. Each input file becomes its own shard, so the bytes do
not depend on the number of tasks, and a shard whose record (`PREFIX.json`) exists is not packed again.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from nordic_pile.errors import ConfigError
from nordic_pile.mixture.inputs import CuratedDoc, InputFile, read_curated
from nordic_pile.mixture.tables import language_label
from nordic_pile.packing.indexed import IndexedDatasetWriter
from nordic_pile.packing.jobs import FileJob, QuarantineFile, write_json
from nordic_pile.text.sentences import SentenceSplitter

BATCH_CHARS = 4_000_000  # characters encoded per call: amortises the call, bounds memory


@dataclass(frozen=True)
class PackOptions:
    unit: str = "document"  # document | sentence
    add_bos: bool = False
    eos_id: int = 3
    bos_id: int = 2
    dtype: str = "uint16"

    def __post_init__(self):
        if self.unit not in ("document", "sentence"):
            raise ConfigError(f"--unit {self.unit!r}; use document (GPT packing) or sentence (BERT data)")
        if self.unit == "document" and self.eos_id < 0:
            raise ConfigError(
                "the tokenizer has no end-of-text (eos) token; every document must end with one: "
                "train with `nordic-pile tokenizer train` (eos <|endoftext|> = 3) or give another"
            )
        if self.add_bos and self.bos_id < 0:
            raise ConfigError("--bos: the tokenizer has no bos token")
        if self.add_bos and self.unit == "sentence":
            raise ConfigError("--bos applies to --unit document; BERT-style models add their own [CLS] to sentences")


def shard_prefixes(files: list[InputFile]) -> list[str]:
    """The shard name of every input file: its path without extension, under a root number if there are several
    roots (two inputs may both hold `swe/web/00000.jsonl.gz`)."""
    roots = sorted({f.root for f in files})
    if len(roots) == 1:
        return [f.stem for f in files]
    return [f"{roots.index(f.root):03d}/{f.stem}" for f in files]


class PackJob(FileJob):
    def __init__(
        self,
        tokenizer,
        options: PackOptions,
        output: str,
        prefixes: list[str],
        splitter: SentenceSplitter | None = None,
    ):
        self.tokenizer, self.options, self.output, self.prefixes = tokenizer, options, output, prefixes
        self.splitter = splitter

    def _paths(self, index: int) -> tuple[str, str]:
        prefix = os.path.join(self.output, "shards", self.prefixes[index])
        return prefix, prefix + ".json"

    def done(self, index: int, file: InputFile) -> bool:
        prefix, record = self._paths(index)
        return all(os.path.isfile(p) for p in (record, prefix + ".bin", prefix + ".idx"))

    def process(self, index: int, file: InputFile, step) -> None:
        prefix, record_path = self._paths(index)
        writer = IndexedDatasetWriter(prefix, np.dtype(self.options.dtype))
        quarantine = QuarantineFile(os.path.join(self.output, "quarantine", self.prefixes[index] + ".jsonl"), "pack")
        slices: dict[str, dict[str, int]] = defaultdict(lambda: {"documents": 0, "tokens": 0, "chars": 0})
        totals = {"documents": 0, "tokens": 0, "sequences": 0, "chars": 0, "empty_documents": 0}
        batch: list[CuratedDoc] = []
        chars = 0
        for doc in read_curated(file):
            if not isinstance(doc, CuratedDoc):
                quarantine.add(file.full, doc)
                continue
            if not doc.text:
                totals["empty_documents"] += 1
                continue
            batch.append(doc)
            chars += len(doc.text)
            if chars >= BATCH_CHARS:
                self._write_batch(batch, writer, slices, totals)
                batch, chars = [], 0
        self._write_batch(batch, writer, slices, totals)
        writer.finalize()
        quarantine.close()
        step.stat_update("tokens", value=totals["tokens"])
        write_json(record_path, totals | {"slices": dict(slices), "quarantined": quarantine.count, "input": file.full})

    def _write_batch(self, batch: list[CuratedDoc], writer: IndexedDatasetWriter, slices: dict, totals: dict) -> None:
        if not batch:
            return
        opts = self.options
        if opts.unit == "document":
            encoded = self.tokenizer.encode_batch([d.text for d in batch])
            head = [opts.bos_id] if opts.add_bos else []
            for doc, ids in zip(batch, encoded, strict=True):
                tokens = head + ids + [opts.eos_id]
                writer.add_document(tokens)
                self._count(doc, len(tokens), 1, slices, totals)
            return
        sentences = [self.splitter.split(d.text, language_label(d.language)) for d in batch]
        encoded = self.tokenizer.encode_batch([s for group in sentences for s in group])
        k = 0
        for doc, group in zip(batch, sentences, strict=True):
            if not group:
                totals["empty_documents"] += 1
                continue
            n = 0
            for ids in encoded[k : k + len(group)]:
                writer.add_sequence(ids)
                n += len(ids)
            k += len(group)
            writer.end_document()
            self._count(doc, n, len(group), slices, totals)

    @staticmethod
    def _count(doc: CuratedDoc, tokens: int, sequences: int, slices: dict, totals: dict) -> None:
        name = f"{language_label(doc.language)}/{doc.category}"
        slices[name]["documents"] += 1
        slices[name]["tokens"] += tokens
        slices[name]["chars"] += len(doc.text)
        totals["documents"] += 1
        totals["tokens"] += tokens
        totals["sequences"] += sequences
        totals["chars"] += len(doc.text)


def _copy_tokenizer(backend, folder: str):
    """Copy the tokenizer into the packed folder; returns (model path, Hugging Face folder or None)."""
    import shutil

    from nordic_pile.tokenizer.backends import SentencePieceBackend

    target = os.path.join(folder, "tokenizer")
    os.makedirs(target, exist_ok=True)
    if isinstance(backend, SentencePieceBackend):
        model = os.path.join(target, "tokenizer.model")
        shutil.copyfile(backend.path, model)
        hf = os.path.join(target, "hf")
        beside = os.path.join(os.path.dirname(os.path.abspath(backend.path)), "hf")
        if os.path.isfile(os.path.join(beside, "tokenizer.json")):
            shutil.rmtree(hf, ignore_errors=True)
            shutil.copytree(beside, hf)
            return model, hf
        try:
            from nordic_pile.tokenizer.export import export_hf

            return model, export_hf(model, hf)
        except ImportError:  # transformers is in the `tokenizer` extra
            return model, None
    hf = os.path.join(target, "hf")
    source = backend.path if os.path.isdir(backend.path) else os.path.dirname(backend.path)
    shutil.rmtree(hf, ignore_errors=True)
    shutil.copytree(source, hf)
    return os.path.join(hf, "tokenizer.json"), hf


def pack(
    inputs: list[str],
    tokenizer: str,
    output: str,
    unit: str = "document",
    add_bos: bool = False,
    tasks: int | None = None,
    workers: int = -1,
    overwrite: bool = False,
    splitter: str = "rules",
    stanza_dir: str | None = None,
    verbose: bool = False,
):
    """Pack every JSONL file under `inputs` into `output/shards/` and write `output/manifest.json`."""
    from nordic_pile.mixture.inputs import find_inputs
    from nordic_pile.packing.indexed import token_dtype
    from nordic_pile.packing.jobs import (
        FileMapStep,
        add_counts,
        default_tasks,
        input_fingerprint,
        prepare_output,
        read_json,
        run_steps,
    )
    from nordic_pile.packing.manifest import PackManifest, ShardInfo, TokenizerInfo
    from nordic_pile.tokenizer.backends import load_tokenizer
    from nordic_pile.tokenizer.train import sha256_file

    files = find_inputs(inputs)
    backend = load_tokenizer(tokenizer)
    special, vocab_size = backend.special(), backend.vocab_size
    dtype = token_dtype(vocab_size)
    options = PackOptions(unit, add_bos, special["eos_id"], special["bos_id"], dtype.name)
    sentence_splitter = SentenceSplitter(splitter, stanza_dir) if unit == "sentence" else None
    model_file = backend.path if not os.path.isdir(backend.path) else os.path.join(backend.path, "tokenizer.json")
    sha = sha256_file(model_file)
    tasks = tasks or default_tasks(len(files))
    fingerprint = {
        "command": "pack",
        "inputs": input_fingerprint(files),
        "tokenizer_sha256": sha,
        "unit": unit,
        "add_bos": add_bos,
        "splitter": splitter,
        "tasks": tasks,
    }
    prepare_output(
        output, fingerprint, ("shards", "logs", "quarantine", "tokenizer", "manifest.json"), overwrite, "pack"
    )
    model_copy, hf_dir = _copy_tokenizer(backend, output)
    prefixes = shard_prefixes(files)
    job = PackJob(backend, options, output, prefixes, sentence_splitter)
    run_steps([FileMapStep(files, job)], tasks, workers, os.path.join(output, "logs", "pack"), verbose).run()
    shards, totals = [], {}
    for prefix in prefixes:
        record = read_json(os.path.join(output, "shards", prefix + ".json"))
        shards.append(
            ShardInfo(
                os.path.join("shards", prefix),
                record["documents"],
                record["tokens"],
                record["sequences"],
                record["chars"],
            )
        )
        add_counts(totals, {k: record[k] for k in ("slices", "empty_documents", "quarantined")})
    slices, empty, quarantined = totals.get("slices", {}), totals["empty_documents"], totals["quarantined"]
    info = TokenizerInfo(
        os.path.abspath(model_copy),
        sha,
        vocab_size,
        special["bos_id"],
        special["eos_id"],
        special["pad_id"],
        special["unk_id"],
        os.path.abspath(hf_dir) if hf_dir else None,
    )
    manifest = PackManifest(
        info,
        dtype.name,
        shards,
        dict(sorted(slices.items())),
        unit=unit,
        eos_after_every_document=unit == "document",
        created_by={
            "command": "nordic-pile pack",
            "inputs": [f.full for f in files],
            "tokenizer_source": os.path.abspath(tokenizer),
            "add_bos": add_bos,
            "splitter": splitter if unit == "sentence" else None,
            "empty_documents": empty,
            "quarantined": quarantined,
        },
    )
    manifest.save(output)
    return manifest
