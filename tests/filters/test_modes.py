"""Filter vs annotate mode, re-applying thresholds to stored statistics, and the per-family steps."""

import json

import pytest
from datatrove.data import Document

from nordic_pile.filters.quality import (
    FineWebLineRules,
    GopherQualityRules,
    GopherRepetitionRules,
    NordicPileRules,
    QualityFilter,
    QualityThresholdFilter,
    RootsRules,
)
from tests.filters import texts as T

DOCS = [
    ("clean", T.SV),
    ("menu", T.MENU),
    ("spam", T.SPAM_PHRASE),
    ("spec", T.PRODUCT_SPEC),
    ("short", T.TOO_SHORT),
    ("dup", T.REPEATED_LINES),
]


def docs():
    return [Document(text=text, id=name, metadata={"language": "swe"}) for name, text in DOCS]


def test_filter_mode_drops_with_the_first_failing_rule_annotate_keeps_all():
    filtering, annotating = QualityFilter(), QualityFilter(mode="annotate")
    for f_doc, a_doc in zip(docs(), docs(), strict=True):
        result = filtering.filter(f_doc)
        assert annotating.filter(a_doc) is True
        failed = a_doc.metadata["quality_failed"]
        if result is True:
            assert failed == []
        else:
            assert result == (False, failed[0])  # the first of all the failed rules
        assert a_doc.metadata["quality"] == f_doc.metadata["quality"]  # the same statistics either way
    assert annotating.stats["would_remove/gopher_too_few_words"].total == 3  # menu, spam, short
    assert annotating.stats["would_remove/swe/gopher_too_few_stop_words"].total >= 1
    assert "quality_failed" not in docs()[0].metadata


def test_statistics_are_plain_json_numbers():
    d = docs()[0]
    QualityFilter(mode="annotate").filter(d)
    stored = json.loads(json.dumps(d.metadata["quality"]))
    assert stored == d.metadata["quality"]
    assert stored["profile"] == "swe"
    assert all(isinstance(v, (int, float)) for k, v in stored.items() if k != "profile")
    assert len(stored) >= 40


def test_thresholds_reapplied_to_annotations_decide_like_a_fresh_run():
    stricter = {"swe": {"gopher_quality": {"min_words": 70}, "fineweb_lines": {"max_short_line_ratio": 0.1}}}
    annotated = docs()
    for d in annotated:
        QualityFilter(mode="annotate").filter(d)
    reapply = QualityThresholdFilter(thresholds=stricter)
    fresh = QualityFilter(thresholds=stricter)
    for a_doc, f_doc in zip(annotated, docs(), strict=True):
        assert reapply.filter(a_doc) == fresh.filter(f_doc)
    assert reapply.stats["stats_reused"].total == len(DOCS)
    assert "stats_computed" not in reapply.stats.stats


def test_reapplying_without_stored_statistics_computes_them():
    reapply = QualityThresholdFilter()
    d = docs()[0]
    assert reapply.filter(d) is True
    assert reapply.stats["stats_computed"].total == 1
    other_language = Document(text=T.SV, id="x", metadata={"language": "swe", "quality": {"profile": "nob"}})
    reapply.filter(other_language)  # stop-word counts depend on the profile's lists: computed again
    assert reapply.stats["stats_computed"].total == 2


def test_language_score_is_read_from_metadata():
    step = QualityFilter(families=["roots"], thresholds={"*": {"roots": {"min_language_score": 0.5}}})
    low = Document(text=T.SV, id="a", metadata={"language": "swe", "language_score": 0.2})
    high = Document(text=T.SV, id="b", metadata={"language": "swe", "language_score": 0.9})
    unknown = Document(text=T.SV, id="c", metadata={"language": "swe"})
    assert step.filter(low) == (False, "roots_language_score_too_low")
    assert step.filter(high) is True
    assert step.filter(unknown) is True  # no score: the rule cannot be judged and does not drop


@pytest.mark.parametrize(
    ("cls", "family", "junk", "prefix"),
    [
        (GopherQualityRules, "gopher_quality", T.PRODUCT_SPEC, "gopher_"),
        (GopherRepetitionRules, "gopher_repetition", T.SPAM_PHRASE, "gopher_"),
        (FineWebLineRules, "fineweb_lines", T.MENU, "fineweb_"),
        (RootsRules, "roots", T.SYMBOLS, "roots_"),
        (NordicPileRules, "nordic_pile", T.ONE_WORD_LINES, "nordic_pile_"),
    ],
)
def test_family_steps_compute_and_check_only_their_family(cls, family, junk, prefix):
    step = cls()
    d = Document(text=junk, id="j", metadata={"language": "swe"})
    result = step.filter(d)
    assert result is not True and result[1].startswith(prefix)
    assert step.filter(Document(text=T.SV, id="c", metadata={"language": "swe"})) is True
    everything = Document(text=junk, id="e", metadata={"language": "swe"})
    QualityFilter(mode="annotate").filter(everything)
    assert set(d.metadata["quality"]) < set(everything.metadata["quality"])


def test_family_steps_add_to_the_same_statistics():
    d = Document(text=T.SV, id="c", metadata={"language": "swe"})
    GopherQualityRules().filter(d)
    RootsRules().filter(d)
    assert {"n_gopher_stop_words", "char_repetition_ratio"} <= set(d.metadata["quality"])
