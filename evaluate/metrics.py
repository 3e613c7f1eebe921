"""Strict span F1 with conlleval semantics (the rules of seqeval's default mode), accuracy, macro-F1 and MCC.

An entity counts as correct only with exact boundaries and type. Chunks are read as conlleval reads them: an
I-X after O or after another type opens an entity, so IOB1 input must be converted to IOB2 first
(`tagging.to_iob2`). Sentences are joined with an O between them. Zero divisions give 0, as in seqeval.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

HIGHER_IS_BETTER = {
    "f1": True,
    "precision": True,
    "recall": True,
    "f1_no_misc": True,
    "accuracy": True,
    "macro_f1": True,
    "mcc": True,
}


def _parts(tag: str) -> tuple[str, str]:
    return tag[0], tag[1:].split("-", maxsplit=1)[-1] or "_"


def _ends(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    return prev_tag not in ("O", ".") and prev_type != type_


def _starts(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if tag in ("B", "S"):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag not in ("O", ".") and prev_type != type_


def entities(sentences: Sequence[Sequence[str]]) -> list[tuple[str, int, int]]:
    """(type, first, last) of every entity, positions counted over the sentences joined with one O between."""
    flat = [tag for sentence in sentences for tag in (*sentence, "O")]
    chunks = []
    parts: dict[str, tuple[str, str]] = {}
    prev_tag, prev_type, begin = "O", "", 0
    for i, chunk in enumerate([*flat, "O"]):
        if chunk == "O" and prev_tag == "O":  # nothing ends or starts between two O (most tokens)
            prev_type = "_"
            continue
        if chunk not in parts:
            parts[chunk] = _parts(chunk)
        tag, type_ = parts[chunk]
        if _ends(prev_tag, tag, prev_type, type_):
            chunks.append((prev_type, begin, i - 1))
        if _starts(prev_tag, tag, prev_type, type_):
            begin = i
        prev_tag, prev_type = tag, type_
    return chunks


def _prf(tp: int, n_pred: int, n_true: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    denom = precision + recall
    return precision, recall, (2.0 * precision * recall / denom if denom else 0.0)


def span_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], ignore_types: Sequence[str] = ()) -> dict:
    """Micro precision/recall/F1 over exact (type, span) matches and the same per type.

    `ignore_types` are removed from gold and predictions alike (ScandEval's "without MISC")."""
    if len(gold) != len(pred) or any(len(g) != len(p) for g, p in zip(gold, pred, strict=True)):
        raise ValueError("gold and predicted tag sequences differ in length")
    if ignore_types:
        drop = set(ignore_types)
        gold = [[t if _parts(t)[1] not in drop or t == "O" else "O" for t in s] for s in gold]
        pred = [[t if _parts(t)[1] not in drop or t == "O" else "O" for t in s] for s in pred]
    true_by, pred_by = defaultdict(set), defaultdict(set)
    for type_, start, end in entities(gold):
        true_by[type_].add((start, end))
    for type_, start, end in entities(pred):
        pred_by[type_].add((start, end))
    per_type = {}
    tp_all = pred_all = true_all = 0
    for type_ in sorted(set(true_by) | set(pred_by)):
        tp = len(true_by[type_] & pred_by[type_])
        n_pred, n_true = len(pred_by[type_]), len(true_by[type_])
        p, r, f = _prf(tp, n_pred, n_true)
        per_type[type_] = {"precision": p, "recall": r, "f1": f, "support": n_true, "predicted": n_pred}
        tp_all, pred_all, true_all = tp_all + tp, pred_all + n_pred, true_all + n_true
    p, r, f = _prf(tp_all, pred_all, true_all)
    return {
        "precision": p,
        "recall": r,
        "f1": f,
        "support": true_all,
        "predicted": pred_all,
        "correct": tp_all,
        "per_type": per_type,
    }


def accuracy(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    pairs = [(g, p) for gs, ps in zip(gold, pred, strict=True) for g, p in zip(gs, ps, strict=True)]
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean of per-class F1 over `labels` (a class never gold nor predicted scores 0)."""
    gold_n, pred_n, hit = Counter(gold), Counter(pred), Counter(g for g, p in zip(gold, pred, strict=True) if g == p)
    return sum(_prf(hit[c], pred_n[c], gold_n[c])[2] for c in labels) / len(labels) if labels else 0.0


def mcc(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Matthews correlation coefficient, multi-class (Gorodkin 2004), as sklearn's `matthews_corrcoef`."""
    n = len(gold)
    if n == 0:
        return 0.0
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    t, p = Counter(gold), Counter(pred)
    classes = set(t) | set(p)
    cov_tp = correct * n - sum(t[c] * p[c] for c in classes)
    cov_pp = n * n - sum(p[c] ** 2 for c in classes)
    cov_tt = n * n - sum(t[c] ** 2 for c in classes)
    if cov_pp == 0 or cov_tt == 0:
        return 0.0
    return cov_tp / math.sqrt(cov_tt * cov_pp)


def mean_sd(values: Sequence[float]) -> dict:
    """Mean and sample standard deviation (n - 1; null for a single value), as NorLM's tables report seeds."""
    n = len(values)
    mean = sum(values) / n if n else math.nan
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else None
    return {"mean": mean, "sd": sd, "n": n, "values": list(values)}
