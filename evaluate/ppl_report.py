"""Perplexity tables: models x languages (GPT-SW3 Table 6) and per-model detail, as Markdown, CSV or JSON."""

from __future__ import annotations

import os

from nordic_pile.evaluate.report import csv_table, fmt, markdown_table, to_json
from nordic_pile.languages import NAMES, NORDIC

DETAIL = ("ppl_c", "bits_per_byte", "token_ppl", "chars", "tokens", "documents")


def model_name(model_result: dict) -> str:
    model = model_result["model"]
    return model["gguf_file"] or os.path.basename(model["path"].rstrip("/"))


def _order(codes) -> list[str]:
    """The Nordic languages first, in the toolkit's order, then the rest alphabetically."""
    return sorted(codes, key=lambda c: (c not in NORDIC, NORDIC.index(c) if c in NORDIC else 0, c))


def _languages(result: dict) -> list[str]:
    return _order({lang for m in result["models"] for lang in m.get("by_language", {})})


def settings_line(model_result: dict) -> str:
    return (
        f"window {model_result['window']} tokens, stride {model_result['stride']} "
        f"({'non-overlapping' if model_result['stride'] == model_result['window'] else 'overlapping'}), "
        f"prefix {model_result['prefix']}"
    )


def to_markdown(result: dict) -> str:
    langs = _languages(result)
    data = result["data"]
    lines = [
        f"Character-normalised perplexity PPL_c (lower is better); data sha256 {data['sha256'][:16]}, "
        f"{data['documents']:,} documents from {len(data['files'])} file(s).",
        "",
    ]
    if langs:
        header = ["model", *[f"{NAMES.get(c, c)} ({c})" for c in langs], "all"]
        rows = [
            [model_name(m), *[m["by_language"].get(c, {}).get("ppl_c") for c in langs], m["overall"]["ppl_c"]]
            for m in result["models"]
        ]
        lines += [markdown_table(header, rows), ""]
    for m in result["models"]:
        lines += [
            f"**{model_name(m)}** ({m['model']['model_type']}, {m['model']['parameters']:,} parameters, "
            f"tokenizer {m['tokenizer']['class']} with {m['tokenizer']['vocab_size']:,} tokens): "
            f"{settings_line(m)}; {fmt(m['tokens_per_s'], 1)} tokens/s.",
            "",
        ]
        for field in ("language", "source"):
            groups = m.get(f"by_{field}")
            if not groups:
                continue
            keys = _order(groups) if field == "language" else sorted(groups)
            rows = [[key, *[groups[key][k] for k in DETAIL]] for key in keys]
            rows.append(["all", *[m["overall"][k] for k in DETAIL]])
            lines += [markdown_table([field, *DETAIL], rows), ""]
    return "\n".join(lines).rstrip()


def to_csv(result: dict) -> str:
    header = ["model", "window", "stride", "group_by", "group", *DETAIL, "bytes", "nll_nats"]
    rows = []
    for m in result["models"]:
        name = model_name(m)
        groups = [("all", "all", m["overall"])]
        for field in ("language", "source"):
            groups += [(field, key, values) for key, values in m.get(f"by_{field}", {}).items()]
        for field, key, values in groups:
            rows.append(
                [
                    name,
                    m["window"],
                    m["stride"],
                    field,
                    key,
                    *[values[k] for k in DETAIL],
                    values["bytes"],
                    repr(values["nll_nats"]),
                ]
            )
    return csv_table(header, rows).rstrip("\n")


def render(result: dict, fmt_name: str) -> str:
    if fmt_name == "json":
        return to_json(result)
    if fmt_name == "csv":
        return to_csv(result)
    return to_markdown(result)
