"""`nordic-pile tokenizer train`: sample the mixture, train SentencePiece, export for Hugging Face, check the export.

Output folder: `tokenizer.model` and `tokenizer.vocab` (SentencePiece), `hf/` (a fast tokenizer for
`AutoTokenizer.from_pretrained`), `training.json` (settings, sample sizes per language, sha256, export check).
"""

from __future__ import annotations

import glob
import os
import random
import shutil

from nordic_pile.errors import ConfigError
from nordic_pile.tokenizer.settings import TokenizerSettings

EDGE_CASES = (
    "",
    " ",
    "  ",
    "\n",
    "\nEn rad",
    "  två mellanslag",
    "slutt.   \n  neste",
    "tab\t\tx\t",
    "a\r\nb",
    "def f(x):\n    return x  ==  1\n\t\tpass",
    "12345 og 3,14 kr",
    "Ærø, Þórshöfn og Ålesund",
    "emoji 😀 og 中文 𝔘",
    "<|endoftext|> <s> <pad> <unk> <|code:python|>",
    "▁ literal ▁▁",
    "end   ",
)
"""Texts whose encoding the export check always compares: whitespace runs, specials typed as text, bytes."""


def check_texts(sample_files: list[str], limit: int = 3000, seed: int = 0) -> list[str]:
    """Edge cases plus up to `limit` sample lines (and pairs of lines joined by a line break)."""
    lines: list[str] = []
    for path in sample_files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                lines.append(line.rstrip("\n"))
                if len(lines) >= 20 * limit:
                    break
    rng = random.Random(seed)
    picked = rng.sample(lines, min(limit, len(lines)))
    joined = ["\n".join(picked[i : i + 3]) for i in range(0, min(len(picked), 600), 3)]
    return [*EDGE_CASES, *picked, *joined]


def build_tokenizer(
    inputs: list[str],
    output: str,
    settings: TokenizerSettings,
    plan=None,
    fraction: float = 0.01,
    tasks: int | None = None,
    workers: int = -1,
    overwrite: bool = False,
    keep_sample: bool = False,
    export: bool = True,
    verbose: bool = False,
) -> dict:
    from nordic_pile.mixture.fractions import bin_limits
    from nordic_pile.mixture.inputs import find_inputs
    from nordic_pile.mixture.plan import slice_name
    from nordic_pile.mixture.tables import plan_to_json
    from nordic_pile.packing.jobs import (
        FileMapStep,
        add_counts,
        default_tasks,
        input_fingerprint,
        prepare_output,
        read_json,
        run_steps,
        write_json,
    )
    from nordic_pile.packing.pack import shard_prefixes
    from nordic_pile.tokenizer.sample import TrainingSampleJob
    from nordic_pile.tokenizer.train import sha256_file, special_ids, train_sentencepiece

    if not 0 < fraction:
        raise ConfigError(f"--fraction {fraction} must be positive (GPT-SW3: 0.01, 1% of the mixture)")
    files = find_inputs(inputs)
    epochs = {slice_name(s.category, s.language): s.epochs for s in plan.slices} if plan is not None else None
    tasks = tasks or default_tasks(len(files))
    fingerprint = {
        "command": "tokenizer train",
        "inputs": input_fingerprint(files),
        "fraction": fraction,
        "plan": plan_to_json(plan) if plan is not None else None,
        "settings": settings.to_json(),
        "tasks": tasks,
    }
    prepare_output(
        output,
        fingerprint,
        ("sample", "work", "logs", "quarantine", "hf", "tokenizer.model", "tokenizer.vocab", "training.json"),
        overwrite,
        "tokenizer train",
    )
    prefixes = shard_prefixes(files)
    limits = bin_limits(
        files, epochs, fraction, settings.seed, os.path.join(output, "work", "fractions"), tasks, workers, verbose
    )
    job = TrainingSampleJob(output, prefixes, epochs, limits, fraction, settings.seed, settings.max_sentence_length)
    run_steps([FileMapStep(files, job)], tasks, workers, os.path.join(output, "logs", "sample"), verbose).run()
    sample_files = [job.paths(i)[0] for i in range(len(files))]
    totals: dict = {"languages": {}, "lines": 0}
    for i in range(len(files)):
        add_counts(totals, read_json(job.paths(i)[1]))
    languages, lines = totals["languages"], totals["lines"]
    model = train_sentencepiece(sample_files, output, settings)
    info = {
        "settings": settings.to_json(),
        "fraction": fraction,
        "sample_lines": lines,
        "sample_languages": dict(sorted(languages.items())),
        "sha256": sha256_file(model),
        "special_ids": special_ids(model).__dict__,
        "plan": fingerprint["plan"],
        "inputs": [f.full for f in files],
    }
    if export:
        from nordic_pile.tokenizer.export import check_export, export_hf

        hf = export_hf(model, os.path.join(output, "hf"))
        texts = check_texts([f for f in sample_files if os.path.getsize(f)])
        wrong = check_export(model, hf, texts)
        info["hf_export"] = {"dir": "hf", "checked_texts": len(texts), "mismatches": len(wrong), "examples": wrong[:5]}
    write_json(os.path.join(output, "training.json"), info)
    if not keep_sample:
        shutil.rmtree(os.path.join(output, "sample"), ignore_errors=True)
        for path in glob.glob(os.path.join(output, "logs", "sample", "completions", "*")):
            os.remove(path)  # without the sample, a rerun must draw it again
    return info
