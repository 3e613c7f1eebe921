"""What a training run did, from its CSV logs (every restart's version folder): steps, tokens, the loss curve at a
glance, validation losses and throughput."""

from __future__ import annotations

import csv
import glob
import os
import statistics

from nordic_pile.errors import InputError


def read_metrics(run_dir: str) -> list[dict[str, float]]:
    """Rows of every `csv/version_*/metrics.csv` in version order; a restarted run's later rows win per step."""
    paths = sorted(
        glob.glob(os.path.join(run_dir, "csv", "version_*", "metrics.csv")),
        key=lambda p: int(os.path.basename(os.path.dirname(p))[len("version_") :]),
    )
    if not paths:
        raise InputError(f"{run_dir}: no csv/version_*/metrics.csv; give the trainer.default_root_dir of a run")
    rows = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            rows += [{k: float(v) for k, v in row.items() if v not in ("", None)} for row in csv.DictReader(f)]
    return rows


def summarize(run_dir: str, window: int = 10) -> dict:
    rows = read_metrics(run_dir)
    train = {int(r["step"]): r["train/loss"] for r in rows if "train/loss" in r}
    if not train:
        raise InputError(f"{run_dir}: the logs hold no train/loss yet")
    steps = sorted(train)
    val = sorted({int(r["step"]): r[k] for r in rows for k in r if k in ("val/loss", "val/mlm_loss")}.items())
    speed = [r["perf/tokens_per_s"] for r in rows if "perf/tokens_per_s" in r]
    tokens = max((r["train/tokens"] for r in rows if "train/tokens" in r), default=0.0)
    first = statistics.fmean(train[s] for s in steps[:window])
    last = statistics.fmean(train[s] for s in steps[-window:])
    return {
        "steps": steps[-1] + 1,
        "tokens": int(tokens),
        "first_loss": first,
        "last_loss": last,
        "val": val,
        "tokens_per_s": statistics.median(speed) if speed else None,
        "mfu": statistics.median(r["perf/mfu"] for r in rows if "perf/mfu" in r)
        if any("perf/mfu" in r for r in rows)
        else None,
    }


def render(summary: dict, window: int = 10) -> str:
    lines = [
        f"steps {summary['steps']:,}, tokens {summary['tokens']:,}",
        f"train loss (nats/token): first {window} steps {summary['first_loss']:.3f} -> last {window} steps "
        f"{summary['last_loss']:.3f}",
    ]
    if summary["val"]:
        lines.append("validation loss: " + ", ".join(f"step {s}: {v:.3f}" for s, v in summary["val"]))
    if summary["tokens_per_s"]:
        lines.append(
            f"throughput: {summary['tokens_per_s']:,.0f} tokens/s (median)"
            + (f", MFU {100 * summary['mfu']:.1f}%" if summary["mfu"] is not None else "")
        )
    return "\n".join(lines)
