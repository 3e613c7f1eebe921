"""Charts of an audit (the dict in audit.json) as matplotlib figures; the HTML report and the notebook share them.

Every function takes the audit dict and returns a Figure, or None when the audit has nothing to draw for it.
"""

from __future__ import annotations

import functools
import math

import matplotlib
import matplotlib.ticker
from matplotlib.figure import Figure

from nordic_pile.audit.sketches import Histogram
from nordic_pile.languages import NAMES

PALETTE = [
    "#2b6cb0",
    "#dd6b20",
    "#2f855a",
    "#c53030",
    "#6b46c1",
    "#b7791f",
    "#2c7a7b",
    "#97266d",
    "#4a5568",
    "#718096",
]
STYLE = {
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e2e8f0",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.edgecolor": "#a0aec0",
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "legend.frameon": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "nordic-pile",  # stable element ids: the same audit gives the same bytes
    "font.family": "DejaVu Sans",
}


def _figure(width: float, height: float) -> Figure:
    # a bare Figure, not pyplot: no backend is switched, so the notebook's inline backend shows these too
    return Figure(figsize=(width, height), layout="constrained")


def _styled(chart):
    @functools.wraps(chart)
    def draw(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return chart(*args, **kwargs)

    return draw


def _name(code: str) -> str:
    return f"{code} ({NAMES[code]})" if code in NAMES else code


def human(n: float) -> str:
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.1f}{unit}"
    return f"{n:.0f}" if float(n).is_integer() else f"{n:.2f}"


def hist_bars(h: dict, max_bars: int = 60) -> tuple[list[float], list[float], list[int]]:
    """(left edges, widths, counts) of a stored histogram, merged into at most `max_bars` bars."""
    if not h or not h.get("bins"):
        return [], [], []
    edge = Histogram(h["scale"], h["step"]).edge
    keys = [k for k, _ in h["bins"]]
    lo, hi = min(keys), max(keys)
    factor = max(1, math.ceil((hi - lo + 1) / max_bars))
    merged: dict[int, int] = {}
    for k, c in h["bins"]:
        g = lo + (k - lo) // factor * factor
        merged[g] = merged.get(g, 0) + c
    lefts = [edge(g) for g in sorted(merged)]
    widths = [edge(g + factor) - edge(g) for g in sorted(merged)]
    return lefts, widths, [merged[g] for g in sorted(merged)]


def _top_languages(audit: dict, n: int = 6) -> list[str]:
    return list(audit["languages"])[:n]


@_styled
def sizes(audit: dict) -> Figure | None:
    """Kept estimated tokens per language, stacked by category; documents written at the bar ends."""
    languages = list(audit["languages"])[:20]
    if not languages:
        return None
    categories: dict[str, dict[str, int]] = {}
    for s in audit["slices"]:
        if s["language"] in languages:
            categories.setdefault(s["category"], {}).setdefault(s["language"], 0)
            categories[s["category"]][s["language"]] += s["tokens"]
    order = sorted(categories, key=lambda c: -sum(categories[c].values()))
    fig = _figure(9, 0.9 + 0.32 * len(languages))
    ax = fig.subplots()
    y = list(range(len(languages)))[::-1]
    left = [0.0] * len(languages)
    for i, category in enumerate(order[:9] + (["other"] if len(order) > 9 else [])):
        cats = [category] if category != "other" else order[9:]
        values = [sum(categories[c].get(lang, 0) for c in cats) for lang in languages]
        ax.barh(y, values, left=left, color=PALETTE[i % len(PALETTE)], label=category, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for yi, lang, total in zip(y, languages, left, strict=True):
        ax.text(
            total, yi, f"  {human(audit['languages'][lang]['docs'])} docs", va="center", fontsize=8, color="#4a5568"
        )
    ax.set_yticks(y, [_name(lang) for lang in languages])
    ax.set_xlabel("estimated tokens (kept)")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: human(v)))
    ax.set_xlim(0, max(left) * 1.18 or 1)
    ax.legend(title="category", loc="lower right", fontsize=8)
    ax.set_title("Kept data per language and category")
    return fig


def _overlay(ax, hists: dict[str, dict], log_x: bool, labels: dict[str, str] | None = None) -> None:
    for i, (key, h) in enumerate(hists.items()):
        lefts, widths, counts = hist_bars(h)
        if not counts:
            continue
        n = sum(counts)
        xs = lefts + [lefts[-1] + widths[-1]]
        ys = [c / n for c in counts]
        ax.stairs(
            ys,
            xs,
            color=PALETTE[i % len(PALETTE)],
            linewidth=1.6,
            label=(labels or {}).get(key, key) + f" (n={human(n)})",
        )
        ax.stairs(ys, xs, color=PALETTE[i % len(PALETTE)], alpha=0.08, fill=True)
    if log_x:
        ax.set_xscale("symlog", linthresh=1)
    ax.set_ylabel("share of documents")
    ax.legend(fontsize=8)


@_styled
def length(audit: dict) -> Figure | None:
    hists = {
        k: audit["histograms"]["length_chars"][k]
        for k in _top_languages(audit)
        if k in audit["histograms"]["length_chars"]
    }
    if not hists:
        return None
    fig = _figure(9, 3.4)
    ax = fig.subplots()
    _overlay(ax, hists, log_x=True, labels={k: _name(k) for k in hists})
    ax.set_xlabel("document length (characters, log scale)")
    ax.set_title("Document length (kept)")
    return fig


@_styled
def language_score(audit: dict) -> Figure | None:
    hists = audit["histograms"]["language_score"]
    hists = {k: hists[k] for k in _top_languages(audit, 8) if k in hists}
    if not hists:
        return None
    fig = _figure(9, 3.2)
    ax = fig.subplots()
    _overlay(ax, hists, log_x=False, labels={k: _name(k) for k in hists})
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("language-ID score of the assigned language")
    ax.set_title("Language-ID confidence (kept)")
    return fig


@_styled
def statistics(audit: dict, max_panels: int = 24) -> Figure | None:
    stats = dict(list(audit["histograms"]["statistics"].items())[:max_panels])
    if not stats:
        return None
    cols = 4
    rows = math.ceil(len(stats) / cols)
    fig = _figure(10, 2.1 * rows + 0.4)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, (name, by_kind) in zip(axes, stats.items(), strict=False):
        _overlay(ax, by_kind, log_x=True)
        ax.set_title(name, fontsize=8.5)
        ax.set_ylabel("")
        ax.legend(fontsize=6.5)
    for ax in axes[len(stats) :]:
        ax.set_visible(False)
    fig.suptitle("Filter statistics: kept vs removed documents (share of each)", fontweight="bold", fontsize=10)
    return fig


@_styled
def dup_cluster_size(audit: dict) -> Figure | None:
    h = audit["histograms"]["dup_cluster_size"]
    lefts, widths, counts = hist_bars(h, 40)
    if not counts:
        return None
    fig = _figure(9, 3)
    ax = fig.subplots()
    ax.bar(lefts, counts, width=widths, align="edge", color=PALETTE[0], edgecolor="white", linewidth=0.4)
    ax.set_xscale("symlog", linthresh=1)
    ax.set_yscale("log")
    ax.set_xlabel("duplicate-cluster size (log scale)")
    ax.set_ylabel("kept documents")
    ax.set_title("Duplicate-cluster size of kept documents")
    return fig


@_styled
def removed(audit: dict, top: int = 20) -> Figure | None:
    rules = audit["removed"]["rules"][:top]
    if not rules:
        return None
    languages = sorted(
        {lang for r in rules for lang in r["by_language"]},
        key=lambda lang: -sum(r["by_language"].get(lang, {}).get("docs", 0) for r in rules),
    )[:8]
    fig = _figure(10, 1.4 + 0.34 * len(rules))
    ax_docs, ax_chars = fig.subplots(1, 2, sharey=True)
    y = list(range(len(rules)))[::-1]
    for ax, unit in ((ax_docs, "docs"), (ax_chars, "chars")):
        left = [0] * len(rules)
        for i, lang in enumerate(languages):
            values = [r["by_language"].get(lang, {}).get(unit, 0) for r in rules]
            ax.barh(y, values, left=left, color=PALETTE[i % len(PALETTE)], label=_name(lang), height=0.7)
            left = [a + b for a, b in zip(left, values, strict=True)]
        rest = [r[unit] - lf for r, lf in zip(rules, left, strict=True)]
        if any(rest):
            ax.barh(y, rest, left=left, color="#cbd5e0", label="other", height=0.7)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: human(v)))
        ax.set_xlabel(f"removed {'documents' if unit == 'docs' else 'characters'}")
    ax_docs.set_yticks(y, [f"{r['step']}: {r['reason']}" for r in rules])
    fig.legend(
        *ax_docs.get_legend_handles_labels(),
        loc="outside lower center",
        ncols=min(9, len(languages) + 1),
        fontsize=7.5,
    )
    fig.suptitle("What each rule removed, per language", fontweight="bold", fontsize=10)
    return fig


@_styled
def domains(audit: dict, top: int = 20) -> Figure | None:
    rows = audit["domains"]["top"][:top]
    if not rows:
        return None
    fig = _figure(9, 0.8 + 0.28 * len(rows))
    ax = fig.subplots()
    y = list(range(len(rows)))[::-1]
    ax.barh(y, [r["docs"] for r in rows], color=PALETTE[2], height=0.7)
    ax.set_yticks(y, [r["domain"] for r in rows])
    ax.set_xlabel("kept documents")
    ax.set_title(f"Top domains ({human(audit['domains']['docs_with_url'])} kept documents have a URL)")
    return fig


@_styled
def pii(audit: dict) -> Figure | None:
    by_type = audit["pii"]["by_type"]
    if not by_type:
        return None
    fig = _figure(10, 3.2)
    ax_type, ax_lang = fig.subplots(1, 2, width_ratios=[1, 1.2])
    types = list(by_type)
    ax_type.barh(list(range(len(types)))[::-1], [by_type[t] for t in types], color=PALETTE[3], height=0.7)
    ax_type.set_yticks(list(range(len(types)))[::-1], types)
    ax_type.set_xlabel("identifiers found")
    ax_type.set_title("PII by type (kept)")
    languages = [lang for lang in audit["languages"] if lang in audit["pii"]["docs_with_pii"]][:12]
    shares = [
        100 * audit["pii"]["docs_with_pii"][lang] / max(1, audit["languages"][lang]["docs"]) for lang in languages
    ]
    ax_lang.bar(range(len(languages)), shares, color=PALETTE[4])
    ax_lang.set_xticks(range(len(languages)), languages)
    ax_lang.set_ylabel("% of documents")
    ax_lang.set_title("Documents with any PII, per language")
    return fig


@_styled
def mixed_language(audit: dict) -> Figure | None:
    rows = {lang: v for lang, v in audit["mixed_language"].items() if v["docs_with_shares"]}
    if not rows:
        return None
    fig = _figure(9, 2.8)
    ax = fig.subplots()
    languages = list(rows)
    ax.bar(range(len(languages)), [100 * rows[lang]["share"] for lang in languages], color=PALETTE[5])
    ax.set_xticks(range(len(languages)), languages)
    ax.set_ylabel("% of documents")
    ax.set_title("Mixed-language documents (largest language share below 80%)")
    return fig


CHARTS = {
    "sizes": sizes,
    "length": length,
    "language_score": language_score,
    "statistics": statistics,
    "dup_cluster_size": dup_cluster_size,
    "removed": removed,
    "domains": domains,
    "pii": pii,
    "mixed_language": mixed_language,
}
"""Name -> chart function, in report order (the charts of `--compare` are in `comparison_charts`)."""
