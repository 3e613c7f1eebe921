"""Tables for the terminal, CSV, Markdown and JSON, from rows of dicts and a list of columns."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

FORMATS = ("table", "csv", "markdown", "json")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    text: Callable[[object], str] = str  # how the table and Markdown show a value; CSV writes it unformatted
    left: bool = False  # text columns are left-aligned, numbers right-aligned


def number(decimals: int) -> Callable[[object], str]:
    def fmt(value) -> str:
        return "" if value is None else f"{value:,.{decimals}f}"

    return fmt


def integer(value) -> str:
    return "" if value is None else f"{int(value):,}"


def percent(decimals: int = 2) -> Callable[[object], str]:
    def fmt(value) -> str:
        return "" if value is None else f"{100 * value:.{decimals}f}%"

    return fmt


def render_rows(rows: Sequence[dict], columns: Sequence[Column], fmt: str, footer: dict | None = None) -> str:
    """`rows` in `fmt` (table | csv | markdown); `footer` is a total row shown in table and Markdown only."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        for row in rows:
            writer.writerow(["" if row.get(c.key) is None else _plain(row.get(c.key)) for c in columns])
        return out.getvalue().rstrip("\n")
    shown = [[c.text(row.get(c.key)) if row.get(c.key) is not None else "" for c in columns] for row in rows]
    if footer:
        shown.append([c.text(footer[c.key]) if footer.get(c.key) is not None else "" for c in columns])
    if fmt == "markdown":
        lines = [
            "| " + " | ".join(c.header for c in columns) + " |",
            "|" + "|".join(" --- " if c.left else " ---: " for c in columns) + "|",
        ]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in shown]
        return "\n".join(lines)
    if fmt == "table":
        return _terminal(shown, columns)
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")


def _terminal(shown: list[list[str]], columns: Sequence[Column]) -> str:
    widths = [
        max(len(c.header), *(len(r[i]) for r in shown)) if shown else len(c.header) for i, c in enumerate(columns)
    ]

    def line(cells):
        return "  ".join(
            cell.ljust(w) if c.left else cell.rjust(w) for cell, w, c in zip(cells, widths, columns, strict=True)
        ).rstrip()

    return "\n".join([line([c.header for c in columns]), "  ".join("-" * w for w in widths), *map(line, shown)])


def _plain(value) -> str:
    if isinstance(value, float):
        return repr(round(value, 10))
    return str(value)


def to_json(data) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False)
