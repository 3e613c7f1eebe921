"""Differences between two audits: per language x category slice, per removal rule, per PII type."""

from __future__ import annotations


def _delta(a: float, b: float) -> dict:
    return {"a": a, "b": b, "change": b - a, "ratio": (b / a) if a else None}


def compare_audits(a: dict, b: dict) -> dict:
    """`a` is this run, `b` the other one; each row gives a, b, change = b - a and ratio = b / a."""

    def by_slice(audit):
        out: dict[tuple[str, str], list[int]] = {}
        for s in audit["slices"]:
            slot = out.setdefault((s["language"], s["category"]), [0, 0, 0])
            slot[0] += s["docs"]
            slot[1] += s["chars"]
            slot[2] += s["tokens"]
        return out

    sa, sb = by_slice(a), by_slice(b)
    slices = [
        {
            "language": k[0],
            "category": k[1],
            "docs": _delta(sa.get(k, [0] * 3)[0], sb.get(k, [0] * 3)[0]),
            "chars": _delta(sa.get(k, [0] * 3)[1], sb.get(k, [0] * 3)[1]),
            "tokens": _delta(sa.get(k, [0] * 3)[2], sb.get(k, [0] * 3)[2]),
        }
        for k in sorted(set(sa) | set(sb))
    ]
    ra = {(r["step"], r["reason"]): r for r in a["removed"]["rules"]}
    rb = {(r["step"], r["reason"]): r for r in b["removed"]["rules"]}
    rules = [
        {
            "step": k[0],
            "reason": k[1],
            "docs": _delta(ra[k]["docs"] if k in ra else 0, rb[k]["docs"] if k in rb else 0),
            "chars": _delta(ra[k]["chars"] if k in ra else 0, rb[k]["chars"] if k in rb else 0),
        }
        for k in sorted(set(ra) | set(rb))
    ]
    pa, pb = a["pii"]["by_type"], b["pii"]["by_type"]
    return {
        "other": b["input"],
        "totals": {k: _delta(a["totals"]["kept"][k], b["totals"]["kept"][k]) for k in ("docs", "chars", "tokens")},
        "removed_docs": _delta(a["totals"]["removed"]["docs"], b["totals"]["removed"]["docs"]),
        "slices": slices,
        "rules": rules,
        "pii": {k: _delta(pa.get(k, 0), pb.get(k, 0)) for k in sorted(set(pa) | set(pb))},
        "length_p50": {
            lang: _delta(
                a["histograms"]["length_chars"].get(lang, {}).get("p50") or 0,
                b["histograms"]["length_chars"].get(lang, {}).get("p50") or 0,
            )
            for lang in sorted(set(a["histograms"]["length_chars"]) | set(b["histograms"]["length_chars"]))
        },
        "other_histograms": {"length_chars": b["histograms"]["length_chars"]},
    }
