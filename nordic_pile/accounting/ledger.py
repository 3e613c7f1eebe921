"""Ledger entries recorded as datatrove stats, so they are saved with each task's completion marker.

Each event updates two plain counters of the step that saw it: documents (+1) and characters (+len). Keys are
`ledger:` followed by a JSON array; the run summary (`summary.py`) parses them back. Keeping the ledger inside
datatrove's per-task stats means a killed task leaves no partial counts: its stats file is only written when the
task completes, and a rerun of the task writes it again.
"""

from __future__ import annotations

import json

from datatrove.data import Document
from datatrove.pipeline.base import PipelineStep

from nordic_pile.languages import UNDETERMINED

PREFIX = "ledger:"

READ = "read"
KEPT = "kept"
REMOVED = "removed"
QUARANTINED = "quarantined"


def language_of(doc: Document) -> str:
    return doc.metadata.get("language") or UNDETERMINED


def shard_of(doc: Document) -> str:
    return doc.metadata.get("shard") or "?"


def category_of(doc: Document) -> str:
    return doc.metadata.get("category") or "unknown"


_KEYS: dict[tuple, tuple[str, str]] = {}
"""fields -> (docs key, chars key): building a key costs more than counting with it. Bounded by the distinct
(event, step, reason, language, shard) combinations a process sees."""


def _record(step: PipelineStep, fields: tuple, chars: int) -> None:
    keys = _KEYS.get(fields)
    if keys is None:
        key = PREFIX + json.dumps(fields, ensure_ascii=False)
        keys = _KEYS[fields] = (key + "|docs", key + "|chars")
    stats = step.stats
    stats[keys[0]].update(1)
    if chars:
        stats[keys[1]].update(chars)


def record_read(step: PipelineStep, shard: str, chars: int) -> None:
    """One input record (readable or not) of `shard`; quarantined records are also recorded as read."""
    _record(step, (READ, shard), chars)


def record_quarantined(step: PipelineStep, shard: str, error: str, language: str, size: int) -> None:
    """`size` is the raw record's length (bytes or characters, whatever was there)."""
    _record(step, (QUARANTINED, shard, error, language), size)


def record_removed(step: PipelineStep, step_id: str, reason: str, doc: Document) -> None:
    _record(step, (REMOVED, step_id, reason, language_of(doc), shard_of(doc)), len(doc.text))


def record_kept(step: PipelineStep, doc: Document) -> None:
    _record(step, (KEPT, language_of(doc), category_of(doc), shard_of(doc)), len(doc.text))


def parse_key(key: str) -> tuple[list, str] | None:
    """`ledger:[...]|docs` -> ([...], "docs"); None for keys that are not ledger entries."""
    if not key.startswith(PREFIX):
        return None
    body, _, unit = key[len(PREFIX) :].rpartition("|")
    return json.loads(body), unit


CREATED = "created"


def record_created(step: PipelineStep, doc: Document) -> None:
    """A document that a step made without reading it (splitting, say): it must end kept or removed too."""
    _record(step, (CREATED, shard_of(doc)), len(doc.text))
