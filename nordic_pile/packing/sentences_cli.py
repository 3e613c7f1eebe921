"""`nordic-pile sentences INPUT... --output DIR`: one sentence per line, a blank line between documents."""

from __future__ import annotations

import argparse
import glob
import os

from nordic_pile.packing.cli import add_executor_args


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Examples:\n"
        "  nordic-pile sentences curated/ --output norbert-text/ --tasks 4\n"
        "  nordic-pile sentences mixture/ --output text/ --splitter stanza --stanza-dir stanza_resources/\n"
        "For packed sentence data (token ids) use `nordic-pile pack --unit sentence`."
    )
    parser.add_argument("inputs", nargs="+", help="curated output, a mixture, JSONL folders, files or globs")
    parser.add_argument("--output", "-o", required=True, help="output folder: data/<input path>.txt.gz")
    parser.add_argument(
        "--splitter",
        choices=("rules", "stanza"),
        default="rules",
        help="rules: offline, Nordic abbreviations and ordinals (default); stanza: its neural "
        "tokenizer, from local model files",
    )
    parser.add_argument("--stanza-dir", help="stanza model folder (stanza.download(..., model_dir=DIR) elsewhere)")
    parser.add_argument("--no-compress", action="store_true", help="write .txt instead of .txt.gz")
    parser.add_argument("--overwrite", action="store_true", help="replace earlier output in --output")
    add_executor_args(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from nordic_pile.mixture.inputs import find_inputs
    from nordic_pile.mixture.render import Column, integer, render_rows
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
    from nordic_pile.packing.sentence_lines import SentenceLinesJob
    from nordic_pile.text.sentences import SentenceSplitter

    files = find_inputs(args.inputs)
    splitter = SentenceSplitter(args.splitter, args.stanza_dir)
    tasks = args.tasks or default_tasks(len(files))
    fingerprint = {
        "command": "sentences",
        "inputs": input_fingerprint(files),
        "splitter": args.splitter,
        "compress": not args.no_compress,
        "tasks": tasks,
    }
    prepare_output(
        args.output,
        fingerprint,
        ("data", "records", "logs", "quarantine", "sentences.json"),
        args.overwrite,
        "sentences",
    )
    prefixes = shard_prefixes(files)
    job = SentenceLinesJob(args.output, prefixes, splitter, not args.no_compress)
    run_steps(
        [FileMapStep(files, job)], tasks, args.workers, os.path.join(args.output, "logs", "sentences"), args.verbose
    ).run()
    totals: dict = {"languages": {}, "empty_documents": 0, "quarantined": 0}
    for path in sorted(glob.glob(os.path.join(args.output, "records", "**", "*.json"), recursive=True)):
        add_counts(totals, {k: v for k, v in read_json(path).items() if k != "input"})
    empty, quarantined = totals["empty_documents"], totals["quarantined"]
    write_json(
        os.path.join(args.output, "sentences.json"),
        {
            "languages": totals["languages"],
            "empty_documents": empty,
            "quarantined": quarantined,
            "splitter": args.splitter,
        },
    )
    rows = [{"language": k} | v for k, v in sorted(totals["languages"].items())]
    print(
        render_rows(
            rows,
            [
                Column("language", "language", left=True),
                Column("documents", "documents", integer),
                Column("sentences", "sentences", integer),
            ],
            "table",
        )
    )
    print(f"{empty} document(s) without text; {quarantined} unreadable line(s) quarantined")
    print(f"sentences: {os.path.join(args.output, 'data')} (one per line, a blank line between documents)")
    return 0
