"""Read the CSV (and JSON) inputs of `nordic-pile mix plan`: sizes, targets, weights and reference epochs.

Columns: sizes `category,language,size` (or the columns `nordic-pile mix measure` writes, choosing one with
`column`), targets `category,language,percent`, weights `category,language,weight` (`*` matches any), epochs
`category,language,epochs`. Language labels become ISO 639-3 codes where nordic-pile knows them (`sv` -> `swe`);
other labels (`other`, `code`) are kept in lower case. Every error names the file, the line and the fix.
"""

from __future__ import annotations

import csv
import json
import os

from nordic_pile.errors import ConfigError, InputError
from nordic_pile.languages import UNDETERMINED, to_iso639_3
from nordic_pile.mixture.plan import MixturePlan, PlannedSlice, Slice, Target, WeightRule

SIZE_COLUMNS = ("size", "tokens", "bytes", "chars", "words", "documents")
"""The size column used when none is chosen: the first of these that the file has."""


def language_label(label: str) -> str:
    """`sv` -> `swe`, `nb` -> `nob`; an unknown label such as `other` stays as it is (lower case); `*` stays."""
    label = label.strip()
    if label == "*":
        return label
    code = to_iso639_3(label)
    if code == UNDETERMINED and label.lower() not in ("und", ""):
        return label.lower()
    return code


def category_label(label: str) -> str:
    return label.strip()


def _decimals(text: str) -> int | None:
    text = text.strip()
    if "e" in text.lower():
        return None
    return len(text.split(".", 1)[1]) if "." in text else 0


def _number(path: str, line: int, column: str, text: str) -> float:
    if "," in text:
        raise ConfigError(
            f"{path}:{line}: {column}={text!r}: write numbers with a decimal point and no thousands "
            "separator (12.5, 1208.69)"
        )
    try:
        value = float(text.replace("_", "")) if text.strip() not in ("", "-") else 0.0
    except ValueError:
        raise ConfigError(
            f"{path}:{line}: {column}={text!r} is not a number; write a plain number such as 12.5 (empty or - means 0)"
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(f"{path}:{line}: {column}={text!r} is not a finite number")
    return value


def _rows(path: str, required: tuple[str, ...], choose: tuple[str, ...] = ()) -> tuple[list[tuple[int, dict]], list]:
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        missing = [c for c in required if c not in header]
        if missing or (choose and not any(c in header for c in choose)):
            want = ",".join(required + ((choose[0],) if choose else ()))
            raise ConfigError(f"{path}: the header is {','.join(header) or '(empty)'}; it needs the columns {want}")
        rows = [(i + 2, {k: (v or "").strip() for k, v in row.items() if k}) for i, row in enumerate(reader)]
    return [(n, r) for n, r in rows if any(r.values())], header


def read_sizes(path: str, column: str | None = None) -> tuple[list[Slice], str]:
    """The slices of a sizes CSV (or the JSON of `mix measure`/`mix plan`) and the name of the size column used."""
    if path.endswith(".json"):
        return _sizes_from_json(path, column)
    rows, header = _rows(path, ("category", "language"), SIZE_COLUMNS if column is None else (column,))
    column = column or next(c for c in SIZE_COLUMNS if c in header)
    if column not in header:
        raise ConfigError(f"{path}: no column {column!r}; columns: {', '.join(header)}")
    slices = []
    for line, row in rows:
        text = row.get(column, "")
        slices.append(
            Slice(
                category_label(row["category"]),
                language_label(row["language"]),
                _number(path, line, column, text),
                _decimals(text) if text not in ("", "-") else None,
            )
        )
    return slices, column


def _sizes_from_json(path: str, column: str | None) -> tuple[list[Slice], str]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    items = data.get("slices", data) if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: expected a list of slices (the JSON of `nordic-pile mix measure`)")
    column = column or next((c for c in SIZE_COLUMNS if c in items[0]), None)
    if column is None or column not in items[0]:
        raise ConfigError(
            f"{path}: the slices have no size field {column!r}; choose one of "
            f"{', '.join(k for k in items[0] if k not in ('category', 'language'))} with --size-column"
        )
    return [
        Slice(category_label(str(i["category"])), language_label(str(i["language"])), float(i[column] or 0))
        for i in items
    ], column


def read_targets(path: str) -> list[Target]:
    rows, _ = _rows(path, ("category", "language", "percent"))
    return [
        Target(
            category_label(r["category"]),
            language_label(r["language"]),
            _number(path, n, "percent", r["percent"]),
            _decimals(r["percent"]),
        )
        for n, r in rows
    ]


def read_weights(path: str) -> list[WeightRule]:
    rows, _ = _rows(path, ("category", "language", "weight"))
    return [
        WeightRule(
            category_label(r["category"]) or "*",
            language_label(r["language"] or "*"),
            _number(path, n, "weight", r["weight"]),
        )
        for n, r in rows
    ]


def read_epochs(path: str) -> dict[tuple[str, str], float]:
    rows, _ = _rows(path, ("category", "language", "epochs"))
    return {
        (category_label(r["category"]), language_label(r["language"])): _number(path, n, "epochs", r["epochs"])
        for n, r in rows
    }


def plan_to_json(plan: MixturePlan) -> dict:
    return {
        "format": "nordic-pile-mixture-plan-v1",
        "unit": plan.unit,
        "total": plan.total,
        "repetition_limit": plan.repetition_limit,
        "warnings": list(plan.warnings),
        "notes": list(plan.notes),
        "slices": [
            {
                "category": s.category,
                "language": s.language,
                "size": s.size,
                "epochs": s.epochs,
                "share": s.share,
                "target_percent": s.target,
                "weight": s.weight,
            }
            for s in plan.slices
        ],
    }


def load_plan(path: str) -> MixturePlan:
    """A plan saved with `nordic-pile mix plan --format json --output PLAN.json`."""
    if not os.path.isfile(path):
        raise InputError(
            f"--plan {path}: no such file; write one with `nordic-pile mix plan ... --format json --output PLAN.json`"
        )
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ConfigError(
                f"--plan {path}: not JSON ({e}); give the JSON output of `nordic-pile mix plan`"
            ) from None
    if not isinstance(data, dict) or "slices" not in data:
        raise ConfigError(f"--plan {path}: no `slices`; give the JSON output of `nordic-pile mix plan`")
    slices = tuple(
        PlannedSlice(
            s["category"],
            s["language"],
            float(s["size"]),
            float(s["epochs"]),
            float(s.get("share", 0.0)),
            s.get("target_percent"),
            s.get("weight"),
        )
        for s in data["slices"]
    )
    return MixturePlan(
        slices,
        float(data.get("total", 0.0)),
        data.get("unit", "bytes"),
        float(data.get("repetition_limit", 4.0)),
        tuple(data.get("warnings", ())),
    )
