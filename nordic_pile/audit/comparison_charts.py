"""Charts of `--compare`: what another run keeps and removes beside this one (audit["compare"])."""

from __future__ import annotations

import matplotlib.ticker
from matplotlib.figure import Figure

from nordic_pile.audit.charts import PALETTE, _figure, _name, _overlay, _styled, _top_languages, human


@_styled
def compare_slices(audit: dict, top: int = 24) -> Figure | None:
    cmp = audit.get("compare")
    if not cmp or not cmp["slices"]:
        return None
    changed = [r for r in cmp["slices"] if r["docs"]["change"] or r["tokens"]["change"]] or cmp["slices"]
    rows = sorted(changed, key=lambda r: -abs(r["tokens"]["change"]))[:top]
    fig = _figure(10, 1.0 + 0.3 * len(rows))
    ax_docs, ax_tok = fig.subplots(1, 2, sharey=True)
    y = list(range(len(rows)))[::-1]
    labels = [f"{r['language']} / {r['category']}" for r in rows]
    for ax, unit, title in ((ax_docs, "docs", "documents"), (ax_tok, "tokens", "estimated tokens")):
        values = [r[unit]["change"] for r in rows]
        ax.barh(y, values, color=[PALETTE[2] if v >= 0 else PALETTE[3] for v in values], height=0.7)
        ax.axvline(0, color="#4a5568", linewidth=0.8)
        ax.set_xlabel(f"change in kept {title} (other - this)")
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: human(v)))
    ax_docs.set_yticks(y, labels)
    fig.suptitle("Per slice: what the other run keeps more (green) or less (red)", fontweight="bold", fontsize=10)
    return fig


@_styled
def compare_rules(audit: dict, top: int = 20) -> Figure | None:
    cmp = audit.get("compare")
    if not cmp or not cmp["rules"]:
        return None
    rows = sorted(cmp["rules"], key=lambda r: -max(r["docs"]["a"], r["docs"]["b"]))[:top]
    fig = _figure(10, 1.0 + 0.34 * len(rows))
    ax = fig.subplots()
    y = list(range(len(rows)))
    ax.barh(
        [v + 0.2 for v in y][::-1], [r["docs"]["a"] for r in rows], height=0.38, color=PALETTE[0], label="this run"
    )
    ax.barh(
        [v - 0.2 for v in y][::-1], [r["docs"]["b"] for r in rows], height=0.38, color=PALETTE[1], label="other run"
    )
    ax.set_yticks(y[::-1], [f"{r['step']}: {r['reason']}" for r in rows])
    ax.set_xlabel("removed documents")
    ax.legend(fontsize=8)
    ax.set_title("Per rule: removed documents in both runs")
    return fig


@_styled
def compare_length(audit: dict) -> Figure | None:
    cmp = audit.get("compare")
    if not cmp:
        return None
    languages = [lang for lang in _top_languages(audit, 3) if lang in cmp["other_histograms"]["length_chars"]]
    if not languages:
        return None
    fig = _figure(10, 3)
    axes = fig.subplots(1, len(languages), squeeze=False).ravel()
    for ax, lang in zip(axes, languages, strict=True):
        _overlay(
            ax,
            {
                "this run": audit["histograms"]["length_chars"][lang],
                "other run": cmp["other_histograms"]["length_chars"][lang],
            },
            log_x=True,
        )
        ax.set_title(_name(lang), fontsize=9)
        ax.set_xlabel("characters (log)")
    fig.suptitle("Document length: this run vs the other", fontweight="bold", fontsize=10)
    return fig


CHARTS = {"compare_slices": compare_slices, "compare_rules": compare_rules, "compare_length": compare_length}
"""Name -> chart function, in report order; each returns None for an audit made without --compare."""
