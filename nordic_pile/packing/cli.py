"""`nordic-pile pack INPUT... --tokenizer TOK --output DIR`: Megatron .bin/.idx shards with a manifest."""

from __future__ import annotations

import argparse
import os


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Examples:\n"
        "  nordic-pile pack mixture/ --tokenizer tok/ --output packed/ --tasks 8\n"
        "  nordic-pile pack mixture/ --tokenizer tok/ --output packed-bert/ --unit sentence\n\n"
        "Every document ends with the tokenizer's end-of-text id (unit document). A killed pack finishes "
        "when the same command is given again."
    )
    parser.add_argument("inputs", nargs="+", help="`mix sample` output, curated output, JSONL folders/files/globs")
    parser.add_argument(
        "--tokenizer",
        "-t",
        required=True,
        help="a `tokenizer train` folder, a SentencePiece .model, or a Hugging Face tokenizer folder",
    )
    parser.add_argument("--output", "-o", required=True, help="output folder: shards/, tokenizer/, manifest.json")
    parser.add_argument(
        "--unit",
        choices=("document", "sentence"),
        default="document",
        help="document: one sequence per document, eos after each (GPT); sentence: one sequence per "
        "sentence, grouped by document (BERT, next-sentence prediction)",
    )
    parser.add_argument("--bos", action="store_true", help="also put the bos id before every document")
    parser.add_argument(
        "--splitter", choices=("rules", "stanza"), default="rules", help="sentence splitter for --unit sentence"
    )
    parser.add_argument("--stanza-dir", help="stanza model folder for --splitter stanza")
    parser.add_argument("--overwrite", action="store_true", help="replace an earlier pack in --output")
    add_executor_args(parser)
    parser.set_defaults(func=run)


def add_executor_args(parser: argparse.ArgumentParser) -> None:
    """--tasks, --workers and --verbose, as every command that runs on datatrove executors has them."""
    parser.add_argument("--tasks", type=int, help="datatrove tasks (default: one per core, at most one per file)")
    parser.add_argument("--workers", type=int, default=-1, help="tasks run at the same time (default: all)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print datatrove's INFO logs")


def run(args: argparse.Namespace) -> int:
    from nordic_pile.mixture.render import Column, integer, render_rows
    from nordic_pile.packing.pack import pack

    manifest = pack(
        args.inputs,
        args.tokenizer,
        args.output,
        args.unit,
        args.bos,
        args.tasks,
        args.workers,
        args.overwrite,
        args.splitter,
        args.stanza_dir,
        args.verbose,
    )
    rows = [{"slice": name} | counts for name, counts in manifest.slices.items()]
    print(
        render_rows(
            rows,
            [
                Column("slice", "slice (language/category)", left=True),
                Column("documents", "documents", integer),
                Column("tokens", "tokens", integer),
                Column("chars", "characters", integer),
            ],
            "table",
            {
                "slice": "total",
                "documents": manifest.total_documents,
                "tokens": manifest.total_tokens,
                "chars": sum(c["chars"] for c in manifest.slices.values()),
            },
        )
    )
    created = manifest.created_by
    print(
        f"{len(manifest.shards)} shard(s), {manifest.dtype}, unit {manifest.unit}; "
        f"{created['empty_documents']} empty document(s) skipped, {created['quarantined']} unreadable line(s) "
        "quarantined"
    )
    print(
        f"manifest: {os.path.join(args.output, 'manifest.json')} (tokenizer sha256 {manifest.tokenizer.sha256[:16]}…)"
    )
    return 0
