"""The labelled set: precision >= 0.99 and recall >= 0.95 for every type; the set is reproducible from its script."""

import importlib.util
import json

import pytest

from nordic_pile.pii import PII_TYPES
from nordic_pile.pii.detect import find_pii
from nordic_pile.pii.scoring import score_spans
from tests.conftest import DATA

LABELLED = DATA / "pii" / "labelled.jsonl"


def _records():
    with open(LABELLED, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _ours(text, language):
    return [(s.type, s.start, s.end) for s in find_pii(text, language)]


def test_the_set_has_positives_and_look_alikes_for_every_type():
    kinds = {r["kind"] for r in _records()}
    assert {f"positive:{t}" for t in PII_TYPES} <= kinds
    assert len([k for k in kinds if k.startswith("negative:")]) >= 25


@pytest.mark.parametrize("kind", PII_TYPES)
def test_precision_and_recall_per_type(kind):
    scores = score_spans(_records(), _ours)[kind]
    assert scores["tp"] >= 30, scores
    assert scores["precision"] >= 0.99, scores
    assert scores["recall"] >= 0.95, scores


def test_without_a_language_hint_ties_cost_little():
    scores = score_spans(_records(), lambda text, _: _ours(text, None))
    for kind in PII_TYPES:
        assert scores[kind]["precision"] >= 0.97 and scores[kind]["recall"] >= 0.95, (kind, scores[kind])


def test_the_set_is_rebuilt_byte_for_byte(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_labelled", DATA / "pii" / "make_labelled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in module.build()]
    assert "".join(lines) == LABELLED.read_text(encoding="utf-8")
