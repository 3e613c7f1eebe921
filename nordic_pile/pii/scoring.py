"""Precision and recall of a span detector on labelled records (`{"text", "lang", "spans": [{type, start, end}]}`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from nordic_pile.pii import PII_TYPES

Predict = Callable[[str, str | None], Iterable[tuple[str, int, int]]]
"""(text, ISO 639-3 language or None) -> (type, start, end) spans."""


def score_spans(records: Iterable[dict], predict: Predict, types: Iterable[str] = PII_TYPES) -> dict[str, dict]:
    """Per type: tp, fp, fn, precision, recall; a span counts only with the same type, start and end."""
    from nordic_pile.languages import to_iso639_3

    tp, fp, fn = Counter(), Counter(), Counter()
    for record in records:
        gold = {(s["type"], s["start"], s["end"]) for s in record["spans"]}
        lang = to_iso639_3(record["lang"]) if record.get("lang") else None
        predicted = set(predict(record["text"], lang))
        for kind, *_ in gold & predicted:
            tp[kind] += 1
        for kind, *_ in predicted - gold:
            fp[kind] += 1
        for kind, *_ in gold - predicted:
            fn[kind] += 1
    out = {}
    for kind in types:
        t, p, n = tp[kind], fp[kind], fn[kind]
        out[kind] = {
            "tp": t,
            "fp": p,
            "fn": n,
            "precision": round(t / (t + p), 4) if t + p else None,
            "recall": round(t / (t + n), 4) if t + n else None,
        }
    return out
