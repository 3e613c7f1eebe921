"""Audit a folder: read every document file once (in worker processes), merge the summaries, add the run's ledger."""

from __future__ import annotations

import json
import os
from functools import partial

from nordic_pile import __version__
from nordic_pile.audit.collect import AuditCollector
from nordic_pile.audit.sources import DocFile, find_files, is_run_output, read_docs
from nordic_pile.errors import ConfigError

AUDIT_VERSION = 1


def _collect_files(files: list[DocFile], options: dict) -> AuditCollector:
    collector = AuditCollector(**options)
    for file in files:
        for doc in read_docs(file.path):
            collector.add(doc, file.kind, file.group)
    return collector


def _batches(files: list[DocFile], n: int) -> list[list[DocFile]]:
    """Consecutive runs of files of about equal size (merged back in file order, so results stay stable)."""
    target = sum(f.size for f in files) / n
    batches, current, size = [], [], 0
    for file in files:
        current.append(file)
        size += file.size
        if size >= target and len(batches) < n - 1:
            batches.append(current)
            current, size = [], 0
    return batches + ([current] if current else [])


def _ledger(folder: str) -> dict | None:
    """The run's own accounting (summary.json), which counts removals even when removed files were not written."""
    path = os.path.join(folder, "summary.json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        summary = json.load(f)
    keep = ("read", "kept", "removed", "quarantined", "created", "balanced", "chars", "recipe", "input")
    out = {k: summary[k] for k in keep if k in summary}
    out["removed_by_step"] = {
        step: {
            "docs": s["removed"]["docs"],
            "chars": s["removed"].get("chars", 0),
            "by_reason": {
                r: {"docs": v["docs"], "chars": v.get("chars", 0)} for r, v in s.get("by_reason", {}).items()
            },
        }
        for step, s in summary.get("steps", {}).items()
    }
    return out


def run_audit(
    folder: str,
    workers: int = 2,
    seed: int = 0,
    samples: int = 5,
    examples: int = 3,
    bytes_per_token: float = 4.0,
    compute_pii: bool = True,
    skip: str | None = None,
) -> dict:
    """The audit of `folder` as a JSON-ready dict (the content of audit.json)."""
    if workers < 1:
        raise ConfigError(f"--workers {workers}: must be at least 1")
    if bytes_per_token <= 0:
        raise ConfigError(f"--bytes-per-token {bytes_per_token}: must be positive (4 is usual for BPE tokenizers)")
    files = find_files(folder, skip)
    options = {"seed": seed, "samples": samples, "examples": examples, "compute_pii": compute_pii}
    total = AuditCollector(**options)
    work = partial(_collect_files, options=options)
    if workers == 1 or len(files) == 1:
        total.merge(work(files))
    else:
        import multiprocessing

        batches = _batches(files, 4 * workers)
        # biggest batches first keeps every worker busy to the end; merging in file order keeps results stable
        order = sorted(range(len(batches)), key=lambda i: (-sum(f.size for f in batches[i]), i))
        with multiprocessing.get_context("forkserver").Pool(min(workers, len(batches))) as pool:
            results = dict(zip(order, pool.imap(work, [batches[i] for i in order]), strict=True))
        for i in range(len(batches)):
            total.merge(results.pop(i))
    audit = {
        "audit_version": AUDIT_VERSION,
        "nordic_pile": __version__,
        "input": os.path.abspath(folder),
        "layout": "run" if is_run_output(folder) else "folder",
        "files": {kind: sum(f.kind == kind for f in files) for kind in ("kept", "removed", "quarantined")},
        "options": {
            "seed": seed,
            "samples_per_language": samples,
            "examples_per_rule": examples,
            "bytes_per_token": bytes_per_token,
            "pii_computed_when_missing": compute_pii,
        },
        **total.to_dict(bytes_per_token),
        "ledger": _ledger(folder),
    }
    return audit
