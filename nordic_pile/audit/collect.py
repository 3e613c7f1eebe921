"""One streaming pass over documents: sizes per slice, distributions, removals per rule, domains, PII, samples."""

from __future__ import annotations

import xxhash

from nordic_pile.audit.sketches import BottomK, Histogram, TopK
from nordic_pile.languages import UNDETERMINED, to_iso639_3
from nordic_pile.pii import PII_TYPES

NOT_STATISTICS = frozenset({"pii", "language_shares"})
"""Metadata dicts that are not a filter family's numbers."""
MAX_SLICES = 5000
MAX_STATISTICS = 64
MIXED_BELOW = 0.8
"""A document is mixed-language when its largest language share is below this."""


def _language(meta: dict) -> str:
    hint = meta.get("language") or meta.get("lang")
    return to_iso639_3(hint) if isinstance(hint, str) and hint else UNDETERMINED


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def domain_of(url) -> str | None:
    """The host of an http(s) URL without `www.`, port and user; None for anything else."""
    if not isinstance(url, str):
        return None
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return None
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if host.startswith("["):  # an IPv6 literal
        return host.split("]", 1)[0] + "]"
    host = host.split(":", 1)[0].lower()
    return host.removeprefix("www.") or None


def pii_counts(meta: dict) -> dict[str, int] | None:
    """Counts from the `pii` step (`{type: n}`) or from `pii scan` (a list of spans); None when absent."""
    value = meta.get("pii")
    if isinstance(value, dict):
        return {k: int(v) for k, v in value.items() if k in PII_TYPES and _number(v) and v}
    if isinstance(value, list):
        counts: dict[str, int] = {}
        for span in value:
            if isinstance(span, dict) and span.get("type") in PII_TYPES:
                counts[span["type"]] = counts.get(span["type"], 0) + 1
        return counts
    return None


class AuditCollector:
    """Add documents with `add(doc, kind, group)`; `merge` another collector; `to_dict` for audit.json."""

    def __init__(
        self, seed: int = 0, samples: int = 5, examples: int = 3, snippet: int = 600, compute_pii: bool = True
    ):
        self.seed, self.n_samples, self.n_examples, self.snippet = seed, samples, examples, snippet
        self.compute_pii = compute_pii
        self.slices: dict[tuple[str, str, str], list[int]] = {}  # -> docs, words, chars, bytes
        self.length: dict[str, Histogram] = {}
        self.language_score: dict[str, Histogram] = {}
        self.statistics: dict[str, dict[str, Histogram]] = {}  # family.field -> kept/removed
        self.dup_cluster_size = Histogram("log", 0.05)
        self.removed: dict[tuple[str, str], dict[str, list[int]]] = {}  # (step, reason) -> language -> docs, chars
        self.examples: dict[tuple[str, str], BottomK] = {}
        self.quarantined: dict[tuple[str, str], list[int]] = {}  # (step, error) -> docs, chars
        self.domains = TopK()
        self.docs_with_url = 0
        self.pii: dict[str, dict[str, int]] = {}  # language -> type -> count
        self.pii_docs: dict[str, list[int]] = {}  # language -> docs with PII, docs computed here
        self.mixed: dict[str, list[int]] = {}  # language -> docs with shares, mixed docs
        self.samples: dict[str, BottomK] = {}
        self.unreadable = 0

    # ------------------------------------------------------------------ adding
    def _item(self, doc: dict, meta: dict, language: str) -> dict:
        text = doc["text"]
        item = {
            "id": doc["id"],
            "language": language,
            "category": meta.get("category"),
            "source": meta.get("source"),
            "url": meta.get("url"),
            "chars": len(text),
            "text": text[: self.snippet] + ("…" if len(text) > self.snippet else ""),
        }
        return {k: v for k, v in item.items() if v is not None}

    def _key(self, doc: dict) -> str:
        return doc["id"] or xxhash.xxh64_hexdigest(doc["text"])

    def _add_statistics(self, meta: dict, kind: str) -> None:
        for family, values in meta.items():
            if family in NOT_STATISTICS or not isinstance(values, dict):
                continue
            for field, v in values.items():
                if not _number(v):
                    continue
                name = f"{family}.{field}"
                hists = self.statistics.get(name)
                if hists is None:
                    if len(self.statistics) >= MAX_STATISTICS:
                        continue
                    hists = self.statistics[name] = {}
                hist = hists.get(kind)
                if hist is None:
                    hist = hists[kind] = Histogram("log", 0.02)
                hist.add(v)

    def add(self, doc: dict | None, kind: str = "kept", group: str = "") -> None:
        if doc is None:
            self.unreadable += 1
            return
        meta = doc["metadata"]
        if kind == "quarantined":
            key = (group, str(meta.get("error_type") or "unknown"))
            slot = self.quarantined.setdefault(key, [0, 0])
            slot[0] += 1
            slot[1] += len(doc["text"])
            return
        language = _language(meta)
        self._add_statistics(meta, kind)
        if kind == "removed":
            self._add_removed(doc, meta, language, group)
        else:
            self._add_kept(doc, meta, language)

    def _add_removed(self, doc: dict, meta: dict, language: str, group: str) -> None:
        key = (str(meta.get("removed_by") or group), str(meta.get("filter_reason") or "unknown"))
        slot = self.removed.setdefault(key, {}).setdefault(language, [0, 0])
        slot[0] += 1
        slot[1] += len(doc["text"])
        self._sample(self.examples, key, self.n_examples, doc, meta, language)

    def _add_kept(self, doc: dict, meta: dict, language: str) -> None:
        text = doc["text"]
        chars = len(text)
        words = len(text.split())
        n_bytes = len(text.encode("utf-8")) if not text.isascii() else chars
        key = (language, str(meta.get("category") or "unknown"), str(meta.get("source") or "unknown"))
        if key not in self.slices and len(self.slices) >= MAX_SLICES:
            key = (key[0], key[1], "(other sources)")
        slot = self.slices.setdefault(key, [0, 0, 0, 0])
        slot[0] += 1
        slot[1] += words
        slot[2] += chars
        slot[3] += n_bytes
        self.length.setdefault(language, Histogram("log", 0.05)).add(chars)
        score = meta.get("language_score")
        if _number(score):
            self.language_score.setdefault(language, Histogram("linear", 0.02)).add(score)
        size = meta.get("dup_cluster_size")
        if _number(size):
            self.dup_cluster_size.add(size)
        domain = domain_of(meta.get("url"))
        if domain:
            self.docs_with_url += 1
            self.domains.add(domain)
        self._add_pii(text, meta, language)
        self._add_mixed(meta, language)
        self._sample(self.samples, language, self.n_samples, doc, meta, language)

    def _sample(self, samples: dict, key, k: int, doc: dict, meta: dict, language: str) -> None:
        sample = samples.get(key)
        if sample is None:
            sample = samples[key] = BottomK(k, self.seed)
        priority = sample.wants(self._key(doc))
        if priority is not None:  # the snippet is built only for documents that enter the sample
            sample.offer(self._key(doc), self._item(doc, meta, language), priority)

    def _add_pii(self, text: str, meta: dict, language: str) -> None:
        counts = pii_counts(meta)
        docs = self.pii_docs.setdefault(language, [0, 0])
        if counts is None:
            if not self.compute_pii:
                return
            from nordic_pile.pii.detect import count_pii, find_pii

            counts = count_pii(find_pii(text, language))
            docs[1] += 1
        if counts:
            docs[0] += 1
            by_type = self.pii.setdefault(language, {})
            for kind, n in counts.items():
                by_type[kind] = by_type.get(kind, 0) + n

    def _add_mixed(self, meta: dict, language: str) -> None:
        shares = meta.get("language_shares")
        if isinstance(shares, list):  # [[lang, share], ...]
            shares = {str(p[0]): p[1] for p in shares if isinstance(p, (list, tuple)) and len(p) == 2}
        if not isinstance(shares, dict) or not shares:
            return
        values = [v for v in shares.values() if _number(v)]
        if not values:
            return
        slot = self.mixed.setdefault(language, [0, 0])
        slot[0] += 1
        slot[1] += max(values) < MIXED_BELOW

    # ------------------------------------------------------------------ merging and output
    def merge(self, other: AuditCollector) -> None:
        for key, slot in other.slices.items():
            if key not in self.slices and len(self.slices) >= MAX_SLICES:
                key = (key[0], key[1], "(other sources)")
            mine = self.slices.setdefault(key, [0, 0, 0, 0])
            for i, v in enumerate(slot):
                mine[i] += v
        for mine, theirs in ((self.length, other.length), (self.language_score, other.language_score)):
            for key, hist in theirs.items():
                mine.setdefault(key, Histogram(hist.scale, hist.step)).merge(hist)
        for name, hists in other.statistics.items():
            if name not in self.statistics and len(self.statistics) >= MAX_STATISTICS:
                continue
            for kind, hist in hists.items():
                self.statistics.setdefault(name, {}).setdefault(kind, Histogram(hist.scale, hist.step)).merge(hist)
        self.dup_cluster_size.merge(other.dup_cluster_size)
        for key, by_language in other.removed.items():
            for language, (docs, chars) in by_language.items():
                slot = self.removed.setdefault(key, {}).setdefault(language, [0, 0])
                slot[0] += docs
                slot[1] += chars
        for mine, theirs, k in (
            (self.examples, other.examples, self.n_examples),
            (self.samples, other.samples, self.n_samples),
        ):
            for key, sample in theirs.items():
                mine.setdefault(key, BottomK(k, self.seed)).merge(sample)
        for key, (docs, chars) in other.quarantined.items():
            slot = self.quarantined.setdefault(key, [0, 0])
            slot[0] += docs
            slot[1] += chars
        self.domains.merge(other.domains)
        self.docs_with_url += other.docs_with_url
        for language, by_type in other.pii.items():
            mine = self.pii.setdefault(language, {})
            for kind, n in by_type.items():
                mine[kind] = mine.get(kind, 0) + n
        for mine, theirs in ((self.pii_docs, other.pii_docs), (self.mixed, other.mixed)):
            for language, (a, b) in theirs.items():
                slot = mine.setdefault(language, [0, 0])
                slot[0] += a
                slot[1] += b
        self.unreadable += other.unreadable

    def to_dict(self, bytes_per_token: float, top_domains: int = 50) -> dict:
        def sizes(docs, words, chars, n_bytes):
            return {
                "docs": docs,
                "words": words,
                "chars": chars,
                "bytes": n_bytes,
                "tokens": round(n_bytes / bytes_per_token),
            }

        slices = [
            {"language": k[0], "category": k[1], "source": k[2], **sizes(*v)}
            for k, v in sorted(self.slices.items(), key=lambda kv: (-kv[1][2], kv[0]))
        ]
        languages: dict[str, list[int]] = {}
        for (language, _, _), v in self.slices.items():
            slot = languages.setdefault(language, [0, 0, 0, 0])
            for i, x in enumerate(v):
                slot[i] += x
        kept = [sum(v[i] for v in self.slices.values()) for i in range(4)]
        rules = []
        for (step, reason), by_language in self.removed.items():
            docs = sum(v[0] for v in by_language.values())
            chars = sum(v[1] for v in by_language.values())
            rules.append(
                {
                    "step": step,
                    "reason": reason,
                    "docs": docs,
                    "chars": chars,
                    "by_language": {lang: {"docs": d, "chars": c} for lang, (d, c) in sorted(by_language.items())},
                    "examples": self.examples[(step, reason)].items(),
                }
            )
        rules.sort(key=lambda r: (-r["docs"], r["step"], r["reason"]))
        pii_total: dict[str, int] = {}
        for by_type in self.pii.values():
            for kind, n in by_type.items():
                pii_total[kind] = pii_total.get(kind, 0) + n
        return {
            "totals": {
                "kept": sizes(*kept),
                "removed": {"docs": sum(r["docs"] for r in rules), "chars": sum(r["chars"] for r in rules)},
                "quarantined": {"docs": sum(v[0] for v in self.quarantined.values())},
                "unreadable_records": self.unreadable,
            },
            "languages": {lang: sizes(*v) for lang, v in sorted(languages.items(), key=lambda kv: -kv[1][2])},
            "slices": slices,
            "histograms": {
                "length_chars": {k: h.to_dict() for k, h in sorted(self.length.items())},
                "language_score": {k: h.to_dict() for k, h in sorted(self.language_score.items())},
                "dup_cluster_size": self.dup_cluster_size.to_dict(),
                "statistics": {
                    name: {kind: h.to_dict() for kind, h in sorted(hists.items())}
                    for name, hists in sorted(self.statistics.items())
                },
            },
            "removed": {"rules": rules},
            "quarantined": [
                {"step": s, "error": e, "docs": d, "chars": c} for (s, e), (d, c) in sorted(self.quarantined.items())
            ],
            "domains": {
                "docs_with_url": self.docs_with_url,
                "count_error_at_most": self.domains.error,
                "top": [{"domain": d, "docs": n} for d, n in self.domains.top(top_domains)],
            },
            "pii": {
                "by_type": {k: pii_total[k] for k in PII_TYPES if k in pii_total},
                "by_language": {lang: {k: v[k] for k in PII_TYPES if k in v} for lang, v in sorted(self.pii.items())},
                "docs_with_pii": {lang: v[0] for lang, v in sorted(self.pii_docs.items())},
                "docs_scanned_by_audit": sum(v[1] for v in self.pii_docs.values()),
            },
            "mixed_language": {
                lang: {"docs_with_shares": a, "mixed": b, "share": b / a if a else None}
                for lang, (a, b) in sorted(self.mixed.items())
            },
            "samples": {lang: s.items() for lang, s in sorted(self.samples.items())},
        }
