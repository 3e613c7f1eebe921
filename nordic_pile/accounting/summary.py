"""The run summary: `OUTPUT/summary.json` built from every task's ledger, the balance check, and the tables."""

from __future__ import annotations

import glob
import json
import os
from collections import defaultdict

from datatrove.utils.stats import MetricStats

from nordic_pile.accounting import ledger
from nordic_pile.errors import AccountingError


def _zero():
    return {"docs": 0, "chars": 0}


def _add(slot: dict, unit: str, value: float) -> None:
    slot[unit] = slot.get(unit, 0) + int(value)


def _total(value) -> float:
    return value["total"] if isinstance(value, dict) else value


class _Tally:
    def __init__(self):
        self.totals = {
            name: _zero() for name in (ledger.READ, ledger.KEPT, ledger.REMOVED, ledger.QUARANTINED, ledger.CREATED)
        }
        self.languages = defaultdict(
            lambda: {
                "kept": _zero(),
                "removed": _zero(),
                "quarantined": _zero(),
                "removed_by_reason": defaultdict(_zero),
            }
        )
        self.steps = defaultdict(
            lambda: {
                "removed": _zero(),
                "quarantined": _zero(),
                "by_reason": defaultdict(lambda: {**_zero(), "by_language": defaultdict(_zero)}),
            }
        )
        self.shards = defaultdict(lambda: {n: _zero() for n in ("read", "kept", "removed", "quarantined")})
        self.categories = defaultdict(_zero)
        self.quarantine_errors = defaultdict(_zero)
        self.step_stats: dict[str, MetricStats] = defaultdict(dict)

    def add(self, fields: list, unit: str, value: float) -> None:
        event = fields[0]
        _add(self.totals[event], unit, value)
        if event == ledger.READ:
            _add(self.shards[fields[1]]["read"], unit, value)
        elif event == ledger.KEPT:
            language, category, shard = fields[1:]
            _add(self.languages[language]["kept"], unit, value)
            _add(self.categories[f"{language}/{category}"], unit, value)
            _add(self.shards[shard]["kept"], unit, value)
        elif event == ledger.REMOVED:
            step, reason, language, shard = fields[1:]
            lang = self.languages[language]
            _add(lang["removed"], unit, value)
            _add(lang["removed_by_reason"][f"{step}/{reason}"], unit, value)
            s = self.steps[step]
            _add(s["removed"], unit, value)
            _add(s["by_reason"][reason], unit, value)
            _add(s["by_reason"][reason]["by_language"][language], unit, value)
            _add(self.shards[shard]["removed"], unit, value)
        elif event == ledger.QUARANTINED:
            shard, error, language = fields[1:]
            _add(self.languages[language]["quarantined"], unit, value)
            _add(self.quarantine_errors[error], unit, value)
            _add(self.shards[shard]["quarantined"], unit, value)


def _plain(obj):
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in sorted(obj.items())}
    return obj


def _step_stats(raw: dict) -> dict:
    out = {}
    for key, value in raw.items():
        stats = value if isinstance(value, MetricStats) else MetricStats.from_dict(value)
        out[key] = stats.to_dict()
    return out


def collect(output: str) -> _Tally:
    """Read `OUTPUT/logs/*/stats/*.json` (one file per completed task) into a tally."""
    tally = _Tally()
    for path in sorted(glob.glob(os.path.join(output, "logs", "*", "stats", "*.json"))):
        stage = os.path.basename(os.path.dirname(os.path.dirname(path)))
        with open(path, encoding="utf-8") as f:
            steps = json.load(f)
        for step in steps:
            merged = tally.step_stats.setdefault(f"{stage}/{step['name']}", {})
            for key, value in step.get("stats", {}).items():
                parsed = ledger.parse_key(key)
                if parsed is not None:
                    tally.add(parsed[0], parsed[1], _total(value))
                    continue
                stats = MetricStats.from_dict(value)
                merged[key] = merged[key] + stats if key in merged else stats
    return tally


def build_summary(output: str, info: dict | None = None) -> dict:
    """The summary dict; `balanced` says whether read + created == kept + removed + quarantined (documents)."""
    t = collect(output)
    n = {name: t.totals[name]["docs"] for name in t.totals}
    balanced = n["read"] + n["created"] == n["kept"] + n["removed"] + n["quarantined"]
    languages = {}
    for code, lang in t.languages.items():
        entry = {k: lang[k] for k in ("kept", "removed", "quarantined")}
        entry["in"] = {u: sum(lang[k][u] for k in ("kept", "removed", "quarantined")) for u in ("docs", "chars")}
        entry["removed_by_reason"] = dict(lang["removed_by_reason"])
        languages[code] = entry
    summary = {
        "read": n["read"],
        "kept": n["kept"],
        "removed": n["removed"],
        "quarantined": n["quarantined"],
        "created": n["created"],
        "balanced": balanced,
        "chars": {
            "read": t.totals["read"]["chars"],
            "kept": t.totals["kept"]["chars"],
            "removed": t.totals["removed"]["chars"],
            "quarantined_raw_size": t.totals["quarantined"]["chars"],
        },
        **(info or {}),
        "languages": languages,
        "categories": dict(t.categories),
        "steps": {name: {"removed": s["removed"], "by_reason": s["by_reason"]} for name, s in t.steps.items()},
        "quarantine": {"by_error": dict(t.quarantine_errors)},
        "shards": dict(t.shards),
        "step_stats": {name: _step_stats(stats) for name, stats in sorted(t.step_stats.items()) if stats},
    }
    return json.loads(json.dumps(_plain(summary)))


def write_summary(output: str, info: dict | None = None, check: bool = True) -> dict:
    """Write `OUTPUT/summary.json`; raise AccountingError if the document counts do not add up."""
    summary = build_summary(output, info)
    tmp = os.path.join(output, "summary.json.partial")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, os.path.join(output, "summary.json"))
    if check and not summary["balanced"]:
        raise AccountingError(
            f"document counts do not add up in {output}/summary.json: read {summary['read']} + created "
            f"{summary['created']} != kept {summary['kept']} + removed {summary['removed']} + quarantined "
            f"{summary['quarantined']}"
        )
    return summary
