"""`nordic-pile summary OUTPUT`: print the tables of a finished run again (from OUTPUT/summary.json)."""

from __future__ import annotations

import argparse
import json
import os

from nordic_pile.errors import InputError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", help="the --output folder of a run")
    parser.add_argument("--rebuild", action="store_true", help="recompute summary.json from the task stats")
    parser.set_defaults(func=show)


def show(args: argparse.Namespace) -> int:
    from nordic_pile.accounting.summary import write_summary
    from nordic_pile.accounting.table import language_table, reason_table

    path = os.path.join(args.output, "summary.json")
    if args.rebuild:
        info = {}
        if os.path.isfile(path):  # keep what the run recorded about itself (recipe, input, output folders)
            with open(path, encoding="utf-8") as f:
                info = {k: v for k, v in json.load(f).items() if k in ("recipe", "input", "output", "outputs")}
        summary = write_summary(args.output, info, check=False)
    elif not os.path.isfile(path):
        raise InputError(f"{path}: no summary; the run has not finished (run it again to resume) or use --rebuild")
    else:
        with open(path, encoding="utf-8") as f:
            summary = json.load(f)
    print(language_table(summary))
    print()
    print(reason_table(summary))
    status = "balanced" if summary["balanced"] else "NOT BALANCED"
    print(
        f"\nread {summary['read']:,} = kept {summary['kept']:,} + removed {summary['removed']:,} + quarantined "
        f"{summary['quarantined']:,} ({status})"
    )
    return 0 if summary["balanced"] else 1
