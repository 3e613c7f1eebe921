"""The audit as one self-contained HTML file: inline SVG charts, inline CSS, no script, no server."""

from __future__ import annotations

import io
import re
from html import escape

from nordic_pile.audit import charts, comparison_charts
from nordic_pile.audit.charts import human
from nordic_pile.languages import NAMES

CSS = """
body{font:14px/1.5 -apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1a202c;background:#f7fafc;margin:0}
header{background:#1a365d;color:#fff;padding:22px 40px}header h1{margin:0;font-size:24px}
header p{margin:4px 0 0;color:#bee3f8;font-size:13px;word-break:break-all}
nav{background:#fff;border-bottom:1px solid #e2e8f0;padding:8px 40px;position:sticky;top:0;z-index:2}
nav a{margin-right:16px;color:#2b6cb0;text-decoration:none;font-size:13px}
main{max-width:1120px;margin:0 auto;padding:8px 40px 60px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:18px 24px;margin:20px 0}
h2{font-size:18px;margin:0 0 12px;color:#1a365d}h3{font-size:15px;margin:18px 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:#ebf8ff;border-radius:8px;padding:12px 14px}.card b{display:block;font-size:22px;color:#1a365d}
.card span{font-size:12px;color:#4a5568}.ok{color:#276749}.bad{color:#c53030}
figure{margin:10px 0}figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
th,td{padding:5px 8px;border-bottom:1px solid #edf2f7;text-align:left}th{background:#f7fafc;color:#4a5568}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.up{color:#276749}.down{color:#c53030}
details{border:1px solid #e2e8f0;border-radius:6px;margin:6px 0;padding:6px 10px}
summary{cursor:pointer;font-weight:600}
pre{white-space:pre-wrap;word-break:break-word;background:#f7fafc;padding:8px;border-radius:4px;font-size:12px;
max-height:260px;overflow:auto}.muted{color:#718096;font-size:12px}
"""


_COUNTER = iter(range(10**9))


def svg(fig) -> str:
    """A figure as inline SVG markup (text kept as text: small and searchable), its ids made unique in the page."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(charts.STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    markup = buf.getvalue()
    markup = markup[markup.index("<svg") :]
    markup = re.sub(r"<metadata>.*?</metadata>\s*", "", markup, flags=re.S)
    prefix = f"c{next(_COUNTER)}-"
    ids = set(re.findall(r'id="([^"]+)"', markup))
    markup = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', markup)
    return re.sub(r"#([\w.-]+)", lambda m: f"#{prefix}{m.group(1)}" if m.group(1) in ids else m.group(0), markup)


def _chart(audit: dict, name: str, caption: str = "") -> str:
    fig = (charts.CHARTS | comparison_charts.CHARTS)[name](audit)
    if fig is None:
        return ""
    cap = f"<figcaption class='muted'>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure class='chart' data-chart='{name}'>{svg(fig)}{cap}</figure>"


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th class='{'n' if i in numeric else ''}'>{escape(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td class='{'n' if i in numeric else ''}'>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _num(n) -> str:
    return "–" if n is None else f"{n:,}" if isinstance(n, int) else f"{n:,.2f}"


def _lang(code: str) -> str:
    return escape(f"{code} ({NAMES[code]})" if code in NAMES else code)


def _doc(item: dict) -> str:
    meta = " · ".join(escape(str(item[k])) for k in ("id", "source", "category", "url") if item.get(k))
    return (
        f"<details><summary>{escape(item.get('text', '')[:90].replace(chr(10), ' '))}…</summary>"
        f"<p class='muted'>{meta} · {item.get('chars', 0):,} characters</p><pre>{escape(item.get('text', ''))}"
        "</pre></details>"
    )


def _overview(audit: dict) -> str:
    t = audit["totals"]
    docs_with_pii = sum(audit["pii"]["docs_with_pii"].values())
    cards = [
        ("kept documents", human(t["kept"]["docs"])),
        ("estimated tokens", human(t["kept"]["tokens"])),
        ("kept characters", human(t["kept"]["chars"])),
        ("languages", str(len(audit["languages"]))),
        ("removed documents", human(t["removed"]["docs"])),
        ("quarantined", human(t["quarantined"]["docs"])),
        ("documents with PII", human(docs_with_pii)),
    ]
    html = "<div class='cards'>" + "".join(f"<div class='card'><b>{v}</b><span>{k}</span></div>" for k, v in cards)
    html += "</div>"
    ledger = audit.get("ledger")
    if ledger:
        state = (
            "<span class='ok'>balanced</span>" if ledger.get("balanced") else "<span class='bad'>NOT balanced</span>"
        )
        html += (
            f"<p>Run ledger (summary.json): read {_num(ledger.get('read'))} = kept {_num(ledger.get('kept'))} + "
            f"removed {_num(ledger.get('removed'))} + quarantined {_num(ledger.get('quarantined'))}: {state}. "
            f"Counted in the files: kept {_num(t['kept']['docs'])}, removed {_num(t['removed']['docs'])}, "
            f"quarantined {_num(t['quarantined']['docs'])}.</p>"
        )
    if t["unreadable_records"]:
        html += f"<p class='bad'>{t['unreadable_records']:,} records could not be read and are not counted.</p>"
    return html


def _sizes(audit: dict) -> str:
    headers = ["language", "category", "source", "docs", "words", "chars", "bytes", "est. tokens"]
    rows = [
        [
            _lang(s["language"]),
            escape(s["category"]),
            escape(s["source"]),
            _num(s["docs"]),
            _num(s["words"]),
            _num(s["chars"]),
            _num(s["bytes"]),
            _num(s["tokens"]),
        ]
        for s in audit["slices"][:200]
    ]
    more = len(audit["slices"]) - 200
    note = f"<p class='muted'>{more:,} smaller slices are in audit.json.</p>" if more > 0 else ""
    per_token = audit["options"]["bytes_per_token"]
    languages = [
        [_lang(k), _num(v["docs"]), _num(v["words"]), _num(v["chars"]), _num(v["bytes"]), _num(v["tokens"])]
        for k, v in audit["languages"].items()
    ]
    return (
        _chart(audit, "sizes", f"Tokens estimated as UTF-8 bytes / {per_token}.")
        + _table(["language", "docs", "words", "chars", "bytes", "est. tokens"], languages, {1, 2, 3, 4, 5})
        + f"<details><summary>Every language x category x source slice ({len(audit['slices']):,})</summary>"
        + _table(headers, rows, {3, 4, 5, 6, 7})
        + note
        + "</details>"
    )


def _distributions(audit: dict) -> str:
    parts = [
        _chart(audit, "length"),
        _chart(audit, "language_score"),
        _chart(audit, "statistics"),
        _chart(audit, "dup_cluster_size"),
    ]
    stats = audit["histograms"]["statistics"]
    if stats:
        rows = [
            [escape(name), escape(kind), _num(h["n"]), _num(h["p05"]), _num(h["p50"]), _num(h["p95"])]
            for name, by_kind in stats.items()
            for kind, h in by_kind.items()
        ]
        parts.append(
            "<h3>Filter statistics (approximate quantiles)</h3>"
            + _table(["statistic", "documents", "n", "p5", "median", "p95"], rows, {2, 3, 4, 5})
        )
    missing = [
        n
        for n, k in (("language-ID score", "language_score"), ("duplicate-cluster size", "dup_cluster_size"))
        if not audit["histograms"][k] or not audit["histograms"][k].get("bins", True)
    ]
    if missing:
        parts.append(f"<p class='muted'>No {' or '.join(missing)} in the metadata of these documents.</p>")
    return "".join(parts)


def _removed(audit: dict) -> str:
    rules = audit["removed"]["rules"]
    if not rules:
        return "<p>No removed documents were found (no <code>removed/</code> folder, or nothing was removed).</p>"
    kept = audit["totals"]["kept"]["docs"]
    total_in = kept + audit["totals"]["removed"]["docs"]
    rows = [
        [
            escape(r["step"]),
            escape(r["reason"]),
            _num(r["docs"]),
            f"{100 * r['docs'] / max(1, total_in):.2f}%",
            _num(r["chars"]),
            ", ".join(f"{escape(k)} {v['docs']:,}" for k, v in r["by_language"].items()),
        ]
        for r in rules
    ]
    examples = "".join(
        f"<h3>{escape(r['step'])}: {escape(r['reason'])}</h3>" + "".join(_doc(e) for e in r["examples"])
        for r in rules[:40]
    )
    return (
        _chart(audit, "removed")
        + _table(["step", "reason", "docs", "% of input", "chars", "per language"], rows, {2, 3, 4})
        + "<h3>Removed examples to read</h3>"
        + examples
    )


def _domains_pii_mixed(audit: dict) -> str:
    d = audit["domains"]
    parts = [_chart(audit, "domains") or "<p class='muted'>No kept document has a URL.</p>"]
    if d["count_error_at_most"]:
        parts.append(
            f"<p class='muted'>Domain counts are lower bounds, short by at most {d['count_error_at_most']:,}.</p>"
        )
    p = audit["pii"]
    parts.append("<h3>PII</h3>" + (_chart(audit, "pii") or "<p>No personal identifiers found.</p>"))
    if p["by_language"]:
        types = list(p["by_type"])
        rows = [
            [_lang(lang)] + [_num(v.get(t, 0)) for t in types] + [_num(p["docs_with_pii"].get(lang, 0))]
            for lang, v in p["by_language"].items()
        ]
        parts.append(_table(["language"] + types + ["docs with PII"], rows, set(range(1, len(types) + 2))))
    parts.append(
        f"<p class='muted'>{p['docs_scanned_by_audit']:,} kept documents had no <code>pii</code> metadata "
        "and were scanned by the audit itself.</p>"
    )
    parts.append(
        "<h3>Mixed-language documents</h3>"
        + (_chart(audit, "mixed_language") or "<p class='muted'>No <code>language_shares</code> metadata.</p>")
    )
    return "".join(parts)


def _samples(audit: dict) -> str:
    return "".join(
        f"<h3>{_lang(lang)}</h3>" + "".join(_doc(item) for item in items) for lang, items in audit["samples"].items()
    )


def _compare(audit: dict) -> str:
    cmp = audit["compare"]

    def cell(d):
        cls = "up" if d["change"] > 0 else "down" if d["change"] < 0 else ""
        return f"<span class='{cls}'>{d['change']:+,}</span>"

    totals = [[escape(k), _num(v["a"]), _num(v["b"]), cell(v)] for k, v in cmp["totals"].items()]
    slices = [
        [
            _lang(r["language"]),
            escape(r["category"]),
            _num(r["docs"]["a"]),
            _num(r["docs"]["b"]),
            cell(r["docs"]),
            _num(r["tokens"]["a"]),
            _num(r["tokens"]["b"]),
            cell(r["tokens"]),
        ]
        for r in cmp["slices"]
    ]
    rules = [
        [escape(r["step"]), escape(r["reason"]), _num(r["docs"]["a"]), _num(r["docs"]["b"]), cell(r["docs"])]
        for r in cmp["rules"]
    ]
    return (
        f"<p>This run: <code>{escape(audit['input'])}</code>; other run: <code>{escape(cmp['other'])}</code>.</p>"
        + _table(["kept", "this run", "other run", "change"], totals, {1, 2, 3})
        + _chart(audit, "compare_slices")
        + _chart(audit, "compare_rules")
        + _chart(audit, "compare_length")
        + "<h3>Per slice</h3>"
        + _table(
            ["language", "category", "docs", "other docs", "change", "tokens", "other tokens", "change"],
            slices,
            {2, 3, 4, 5, 6, 7},
        )
        + "<h3>Per rule</h3>"
        + _table(["step", "reason", "removed", "other removed", "change"], rules, {2, 3, 4})
    )


def render_html(audit: dict) -> str:
    global _COUNTER
    _COUNTER = iter(range(10**9))  # chart ids restart with every report: the same audit gives the same bytes
    sections = [
        ("overview", "Overview", _overview(audit)),
        ("sizes", "Size per slice", _sizes(audit)),
        ("distributions", "Distributions", _distributions(audit)),
        ("removed", "What the filters removed", _removed(audit)),
        ("content", "Domains, PII and mixed language", _domains_pii_mixed(audit)),
        ("samples", "Samples of kept documents", _samples(audit)),
    ]
    if audit.get("compare"):
        sections.insert(1, ("compare", "Compared with another run", _compare(audit)))
    if audit["quarantined"]:
        rows = [[escape(q["step"]), escape(q["error"]), _num(q["docs"])] for q in audit["quarantined"]]
        sections.append(("quarantine", "Quarantined records", _table(["step", "error", "records"], rows, {2})))
    nav = "".join(f"<a href='#{sid}'>{escape(title)}</a>" for sid, title, _ in sections)
    body = "".join(f"<section id='{sid}'><h2>{escape(title)}</h2>{html}</section>" for sid, title, html in sections)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>nordic-pile audit</title>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{CSS}</style></head><body>"
        f"<header><h1>nordic-pile audit</h1><p>{escape(audit['input'])} · layout {escape(audit['layout'])} · "
        f"nordic-pile {escape(audit['nordic_pile'])}</p></header><nav>{nav}</nav><main>{body}</main></body></html>"
    )
