"""Markdown for fine-tuning results (NER, POS, classification): mean ± sd over seeds, baseline, per type, per seed."""

from __future__ import annotations

import os

from nordic_pile.evaluate.report import fmt, markdown_table

NAMES = {
    "f1": "strict span micro-F1",
    "f1_no_misc": "micro-F1 without MISC",
    "precision": "precision",
    "recall": "recall",
    "accuracy": "accuracy",
    "macro_f1": "macro-F1",
    "mcc": "MCC",
    "dev_best": "dev (best)",
    "train_seconds": "training time (s)",
}


def mean_sd_text(stat: dict, scale: float = 100.0, digits: int = 2) -> str:
    mean = stat["mean"] * scale
    if stat["sd"] is None:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {stat['sd'] * scale:.{digits}f}"


def to_markdown(result: dict) -> str:
    model = result["model"]
    tok = result["tokenizer"]
    name = model["gguf_file"] or os.path.basename(model["path"].rstrip("/"))
    test_files = ", ".join(
        f"{os.path.basename(f['path'])} ({f['sha256'][:12]})" for f in result["data"]["test"]["files"]
    )
    lines = [
        f"**{result['task']}** with **{name}** ({model['model_type']}, {model['parameters']:,} parameters; "
        f"tokenizer {tok['class']}, {tok['vocab_size']:,} tokens); seeds {result['seeds']}; test {test_files}; "
        f"scores x100, mean ± sd over seeds.",
        "",
    ]
    rows = []
    for key, stat in result["summary"].items():
        if key == "per_type_f1":
            continue
        scale = 1.0 if key == "train_seconds" else 100.0
        base = result["baseline"].get(key)
        rows.append(
            [
                NAMES.get(key, key),
                mean_sd_text(stat, scale, 1 if key == "train_seconds" else 2),
                "-" if base is None else f"{base * 100:.2f}",
            ]
        )
    lines += [markdown_table(["metric", "mean ± sd", f"majority baseline ({_baseline_name(result)})"], rows), ""]
    if "per_type_f1" in result["summary"]:
        support = result["runs"][0]["test"]["per_type"]
        rows = [
            [t, mean_sd_text(stat), support.get(t, {}).get("support", 0)]
            for t, stat in result["summary"]["per_type_f1"].items()
        ]
        lines += [markdown_table(["entity type", "F1", "test entities"], rows), ""]
    metric = result["metric"]
    rows = [
        [
            r["seed"],
            f"{r['dev_best'] * 100:.2f}",
            f"{r['test'][metric] * 100:.2f}",
            fmt(r["epochs"], 2),
            r["best_step"],
            fmt(r["train_seconds"], 1),
        ]
        for r in result["runs"]
    ]
    lines += [markdown_table(["seed", f"dev {metric}", f"test {metric}", "epochs", "best step", "train s"], rows)]
    return "\n".join(lines)


def _baseline_name(result: dict) -> str:
    base = result["baseline"]
    return str(base.get("tag", base.get("label", "")))
