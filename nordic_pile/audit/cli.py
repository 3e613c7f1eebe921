"""`nordic-pile audit DIR [--compare OTHER_DIR] [--out REPORT_DIR]`: what a corpus or a run's output contains."""

from __future__ import annotations

import argparse
import json
import os
import time


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "DIR is a run's --output folder (data/, removed/, quarantine/, summary.json) or any folder of JSONL "
        "(.jsonl, .jsonl.gz, .jsonl.zst) or Parquet documents.\n\nExamples:\n"
        "  nordic-pile audit curated/                      # writes curated/audit/audit.html and audit.json\n"
        "  nordic-pile audit curated/ --compare old-run/ --out report/"
    )
    parser.add_argument("folder", help="a run's output folder, or a folder of JSONL/Parquet documents")
    parser.add_argument(
        "--compare",
        metavar="OTHER",
        help="another run's output folder (or its audit.json) to compare with, per slice and per rule",
    )
    parser.add_argument("--out", help="report folder (default: FOLDER/audit)")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes reading files in parallel (default: 2)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the document samples (default: 0)")
    parser.add_argument("--samples", type=int, default=5, help="kept documents to show per language (default: 5)")
    parser.add_argument("--examples", type=int, default=3, help="removed documents to show per rule (default: 3)")
    parser.add_argument(
        "--bytes-per-token",
        type=float,
        default=4.0,
        help="UTF-8 bytes per token for the token estimate (default: 4.0)",
    )
    parser.add_argument(
        "--no-pii",
        action="store_true",
        help="do not scan documents that lack `pii` metadata (faster; PII counts then cover only "
        "documents the pii step saw)",
    )
    parser.set_defaults(func=audit)


def _options(args: argparse.Namespace) -> dict:
    return {
        "workers": args.workers,
        "seed": args.seed,
        "samples": args.samples,
        "examples": args.examples,
        "bytes_per_token": args.bytes_per_token,
        "compute_pii": not args.no_pii,
    }


def _load_other(path: str, args: argparse.Namespace, run_audit) -> dict:
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    return run_audit(path, **_options(args))


def audit(args: argparse.Namespace) -> int:
    from nordic_pile.audit.build import run_audit
    from nordic_pile.audit.compare import compare_audits
    from nordic_pile.audit.report import render_html

    start = time.perf_counter()
    out = args.out or os.path.join(args.folder, "audit")
    result = run_audit(args.folder, **_options(args), skip=out)
    if args.compare:
        result["compare"] = compare_audits(result, _load_other(args.compare, args, run_audit))
    os.makedirs(out, exist_ok=True)
    json_path, html_path = os.path.join(out, "audit.json"), os.path.join(out, "audit.html")
    for path, content in (
        (json_path, json.dumps(result, indent=1, ensure_ascii=False) + "\n"),
        (html_path, render_html(result)),
    ):
        with open(path + ".partial", "w", encoding="utf-8") as f:
            f.write(content)
        os.replace(path + ".partial", path)
    t = result["totals"]
    print(
        f"audited {t['kept']['docs']:,} kept, {t['removed']['docs']:,} removed, {t['quarantined']['docs']:,} "
        f"quarantined documents in {time.perf_counter() - start:.1f} s"
    )
    print(f"report: {html_path} ({os.path.getsize(html_path) / 1e6:.1f} MB)")
    print(f"numbers: {json_path}")
    return 0
