"""Plain-text tables of a run summary for the terminal."""

from __future__ import annotations

from nordic_pile.languages import NAMES


def _fmt(n: int) -> str:
    return f"{n:,}"


def _chars(n: int) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)


def render(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r):
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def language_table(summary: dict) -> str:
    """Documents and characters in, kept, removed and quarantined per language, with a total row."""
    header = ["language", "docs in", "chars in", "kept", "kept chars", "removed", "removed chars", "quarantined"]
    rows, total = [], [0] * 7
    langs = summary["languages"]
    for code in sorted(langs, key=lambda c: -langs[c]["in"]["docs"]):
        e = langs[code]
        values = [
            e["in"]["docs"],
            e["in"]["chars"],
            e["kept"]["docs"],
            e["kept"]["chars"],
            e["removed"]["docs"],
            e["removed"]["chars"],
            e["quarantined"]["docs"],
        ]
        total = [a + b for a, b in zip(total, values)]
        name = f"{code} ({NAMES.get(code, '?')})"
        rows.append([name, *(_chars(v) if i % 2 else _fmt(v) for i, v in enumerate(values))])
    rows.append(["total", *(_chars(v) if i % 2 else _fmt(v) for i, v in enumerate(total))])
    return render(rows, header)


def reason_table(summary: dict, max_languages: int = 9) -> str:
    """Documents removed per step/reason and language."""
    langs = sorted(summary["languages"], key=lambda c: -summary["languages"][c]["in"]["docs"])[:max_languages]
    rows = []
    for step, s in summary["steps"].items():
        for reason, r in sorted(s["by_reason"].items(), key=lambda kv: -kv[1]["docs"]):
            by_lang = r["by_language"]
            rows.append(
                [f"{step}: {reason}", _fmt(r["docs"]), *(_fmt(by_lang.get(code, {}).get("docs", 0)) for code in langs)]
            )
    if not rows:
        return "(nothing removed)"
    return render(rows, ["removed by step: reason", "docs", *langs])
