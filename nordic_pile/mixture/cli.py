"""`nordic-pile mix measure|plan|sample`: slice sizes, the epochs table of a mixture, and the mixture itself."""

from __future__ import annotations

import argparse
import sys

from nordic_pile.errors import ConfigError
from nordic_pile.packing.cli import add_executor_args

EXAMPLES = """Examples:
  nordic-pile mix measure curated/ --format csv --output sizes.csv
  nordic-pile mix plan --sizes sizes.csv --target target.csv --format json --output plan.json
  nordic-pile mix plan --sizes sizes.csv --weights weights.csv --total 300e9 --size-column tokens
  nordic-pile mix plan --sizes tests/data/gpt_sw3/sizes.csv --target tests/data/gpt_sw3/target.csv --unit GB \\
      --compare-epochs tests/data/gpt_sw3/epochs.csv
  nordic-pile mix sample --plan plan.json curated/ --output mixture/ --tasks 8
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    sub = parser.add_subparsers(title="subcommands", metavar="{measure,plan,sample}")

    m = sub.add_parser(
        "measure",
        help="documents, characters, bytes, words (and tokens) per language and category",
        description="Measure every (language, category) slice of curated output.",
    )
    m.add_argument("inputs", nargs="+", help="a run's output folder, its data/ folder, JSONL folders, files or globs")
    m.add_argument(
        "--tokenizer",
        help="also count tokens: a SentencePiece .model, a `tokenizer train` folder or a "
        "Hugging Face tokenizer folder",
    )
    _common_output(m)
    add_executor_args(m)
    m.set_defaults(func=run_measure)

    p = sub.add_parser(
        "plan",
        help="epochs per slice from a target distribution or weights, with warnings",
        description="Compute the epochs of every slice of a mixture.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXAMPLES,
    )
    p.add_argument("--sizes", required=True, help="CSV category,language,size (or the CSV/JSON of `mix measure`)")
    goal = p.add_mutually_exclusive_group(required=True)
    goal.add_argument("--target", help="CSV category,language,percent: the share of every slice (sums to 100)")
    goal.add_argument("--weights", help="CSV category,language,weight (`*` matches any): relative epochs")
    p.add_argument(
        "--total",
        type=_amount,
        help="size of the mixture in the sizes' unit, e.g. 1208.69 or 300e9 or 300G (default: the sum of the sizes)",
    )
    p.add_argument("--size-column", help="the sizes column to use (default: size, else tokens, bytes, ...)")
    p.add_argument("--unit", help="name of the size unit in the output (default: the size column's name)")
    p.add_argument(
        "--repetition-limit",
        type=float,
        default=4.0,
        help="warn about slices repeated more often than this (default 4 epochs)",
    )
    p.add_argument(
        "--cap",
        action="store_true",
        help="cap epochs at the repetition limit and give the shortfall to the other slices",
    )
    p.add_argument("--normalize", action="store_true", help="scale targets that do not sum to 100%% to 100%%")
    p.add_argument(
        "--compare-epochs",
        help="CSV category,language,epochs: reference epochs (a published table) "
        "to compare with; every cell beyond --tolerance is explained",
    )
    p.add_argument("--tolerance", type=float, default=0.15, help="relative tolerance of --compare-epochs (0.15)")
    _common_output(p)
    p.set_defaults(func=run_plan)

    s = sub.add_parser(
        "sample",
        help="write the mixture: whole documents, repeated and shuffled, as shards",
        description="Materialise a mixture plan as shuffled JSONL shards with provenance.",
    )
    s.add_argument("--plan", required=True, help="the JSON of `nordic-pile mix plan --format json`")
    s.add_argument("inputs", nargs="+", help="curated output: run folders, data/ folders, JSONL folders or globs")
    s.add_argument("--output", "-o", required=True, help="output folder: data/NNNNN.jsonl.gz and mixture.json")
    s.add_argument("--seed", type=int, default=1234, help="seed of the fractional samples and the shuffle (1234)")
    s.add_argument("--shards", type=int, help="number of output shards (default: about one per --shard-size-mb)")
    s.add_argument("--shard-size-mb", type=int, default=512, help="target shard size when --shards is not given")
    s.add_argument(
        "--memory-mb",
        type=int,
        default=1024,
        help="most bucket data a shuffle task holds in memory "
        "(larger buckets are split on disk; the output is the same)",
    )
    s.add_argument("--keep-work", action="store_true", help="keep work/buckets (the unshuffled copies)")
    s.add_argument("--overwrite", action="store_true", help="replace an earlier sample in --output")
    add_executor_args(s)
    s.set_defaults(func=run_sample)


def _common_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "markdown", "json"), default="table")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")


def _amount(text: str) -> float:
    scale = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "B": 1e9, "T": 1e12}
    try:
        if text and text[-1] in scale:
            return float(text[:-1]) * scale[text[-1]]
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write a number such as 1208.69, 300e9 or 300G") from None


def _emit(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        print(f"wrote {output}", file=sys.stderr)
    else:
        print(text)


def run_measure(args: argparse.Namespace) -> int:
    from nordic_pile.mixture.measure import measure, sizes_to_rows
    from nordic_pile.mixture.render import Column, integer, render_rows, to_json

    sizes, unreadable = measure(args.inputs, args.tokenizer, args.tasks, args.workers, args.verbose)
    rows = sizes_to_rows(sizes)
    if args.format == "json":
        _emit(to_json({"slices": rows, "unreadable_lines": unreadable}), args.output)
    else:
        keys = [k for k in ("documents", "chars", "bytes", "words", "tokens") if rows and k in rows[0]]
        columns = [
            Column("category", "category", left=True),
            Column("language", "language", left=True),
            *(Column(k, k, integer) for k in keys),
        ]
        footer = {"category": "total"} | {k: sum(r[k] for r in rows) for k in keys}
        _emit(render_rows(rows, columns, args.format, footer), args.output)
    if unreadable:
        print(f"warning: {unreadable} unreadable line(s) were not counted", file=sys.stderr)
    return 0


def run_plan(args: argparse.Namespace) -> int:
    from nordic_pile.mixture.compare import compare_epochs
    from nordic_pile.mixture.plan import plan_from_targets, plan_from_weights
    from nordic_pile.mixture.tables import read_epochs, read_sizes, read_targets, read_weights

    sizes, column = read_sizes(args.sizes, args.size_column)
    unit = args.unit or column
    comparisons, targets = None, None
    if args.target:
        targets = read_targets(args.target)
        plan = plan_from_targets(sizes, targets, args.total, unit, args.repetition_limit, args.cap, args.normalize)
    else:
        plan = plan_from_weights(sizes, read_weights(args.weights), args.total, unit, args.repetition_limit, args.cap)
    if args.compare_epochs:
        reference = read_epochs(args.compare_epochs)
        comparisons = compare_epochs(
            plan,
            reference,
            args.tolerance,
            {(t.category, t.language): t.decimals for t in targets or ()},
            {(s.category, s.language): s.decimals for s in sizes},
        )
    text = format_plan(plan, comparisons, args.format, args.tolerance)
    _emit(text, args.output)
    if args.format in ("csv", "json") or args.output:
        for line in plan.warnings:
            print(f"warning: {line}", file=sys.stderr)
    return 0


def format_plan(plan, comparisons, fmt: str, tolerance: float = 0.15) -> str:
    """The plan in `fmt`; table and Markdown end with the warnings, notes and the comparison summary."""
    from nordic_pile.mixture.render import Column, integer, number, percent, render_rows, to_json
    from nordic_pile.mixture.tables import plan_to_json

    by_cell = {(c.category, c.language): c for c in comparisons or ()}
    if fmt == "json":
        data = plan_to_json(plan)
        if comparisons is not None:
            data["comparison"] = {
                "tolerance": tolerance,
                "within": sum(c.within for c in comparisons),
                "cells": len(comparisons),
                "cells_detail": [c.__dict__ for c in comparisons],
            }
        return to_json(data)
    rows = []
    for s in plan.slices:
        row = {
            "category": s.category,
            "language": s.language,
            "size": s.size,
            "target_percent": s.target,
            "weight": s.weight,
            "epochs": s.epochs,
            "share": s.share,
            "amount": s.amount,
        }
        if (s.category, s.language) in by_cell:
            c = by_cell[(s.category, s.language)]
            row |= {"reference_epochs": c.reference, "difference": c.difference, "explanation": c.explanation}
        rows.append(row)
    whole = all(float(s.size).is_integer() for s in plan.slices)
    sized = integer if whole else number(2)
    columns = [
        Column("category", "category", left=True),
        Column("language", "language", left=True),
        Column("size", f"size ({plan.unit})", sized),
    ]
    if any(s.target is not None for s in plan.slices):
        columns.append(Column("target_percent", "target %", number(2)))
    if any(s.weight is not None for s in plan.slices):
        columns.append(Column("weight", "weight", number(3)))
    columns += [
        Column("epochs", "epochs", number(2)),
        Column("share", "share", percent()),
        Column("amount", f"in mixture ({plan.unit})", sized),
    ]
    if comparisons is not None:
        columns += [
            Column("reference_epochs", "reference", number(2)),
            Column("difference", "difference", lambda v: f"{100 * v:+.0f}%"),
            Column("explanation", "why it differs", left=True),
        ]
    footer = {"category": "total", "size": sum(s.size for s in plan.slices), "share": 1.0, "amount": plan.total}
    text = render_rows(rows, columns, fmt, footer if fmt != "csv" else None)
    if fmt == "csv":
        return text
    lines = [text, ""]
    if comparisons is not None:
        within = sum(c.within for c in comparisons)
        lines.append(
            f"{within} of {len(comparisons)} reference cells within {100 * tolerance:.0f}%; every other "
            "cell is explained in the last column"
        )
    lines += [f"warning: {w}" for w in plan.warnings] + [f"note: {n}" for n in plan.notes]
    return "\n".join(lines).rstrip()


def run_sample(args: argparse.Namespace) -> int:
    from nordic_pile.mixture.sample import sample_mixture
    from nordic_pile.mixture.tables import load_plan

    if args.shards is not None and args.shards < 1:
        raise ConfigError(f"--shards {args.shards} must be at least 1")
    plan = load_plan(args.plan)
    record = sample_mixture(
        plan,
        args.inputs,
        args.output,
        args.seed,
        args.shards,
        args.shard_size_mb << 20,
        args.memory_mb << 20,
        args.tasks,
        args.workers,
        args.overwrite,
        args.keep_work,
        args.verbose,
    )
    print(format_sample(record))
    return 0


def format_sample(record: dict) -> str:
    from nordic_pile.mixture.render import Column, integer, number, render_rows

    rows = [{"slice": name} | s for name, s in record["slices"].items()]
    columns = [
        Column("slice", "slice (language/category)", left=True),
        Column("documents", "documents in", integer),
        Column("copies", "documents out", integer),
        Column("planned_epochs", "planned epochs", number(3)),
        Column("epochs", "epochs (bytes out / in)", number(3)),
    ]
    lines = [render_rows(rows, columns, "table"), ""]
    for name, s in record["slices"].items():
        if s["planned_epochs"] > 0 and s["documents"] == 0:
            lines.append(f"warning: {name} has {s['planned_epochs']:.2f} planned epochs but no documents in the input")
        elif s["documents"] and not s["planned_epochs"]:
            lines.append(f"note: {name}: {s['documents']:,} documents are not in the mixture (no share in the plan)")
        elif s["documents"] and abs(s["epochs"] / s["planned_epochs"] - 1) > 0.05:
            lines.append(
                f"note: {name}: {s['epochs']:.3f} epochs instead of {s['planned_epochs']:.3f}: the "
                "fractional sample takes whole documents, and this slice has few or large ones"
            )
    if record["quarantined"]:
        lines.append(f"warning: {record['quarantined']} unreadable line(s) quarantined")
    lines.append(
        f"{record['documents_in']:,} documents in, {record['documents_out']:,} out in {len(record['shards'])} shard(s)"
    )
    return "\n".join(lines)
