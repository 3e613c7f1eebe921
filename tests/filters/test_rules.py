"""One test per drop reason: the rule alone drops its defect document with its reason and keeps clean prose."""

import pytest
from datatrove.data import Document

from nordic_pile.filters.quality import QualityFilter
from nordic_pile.filters.rules import REASONS, RULES, THRESHOLD_KEYS
from tests.filters import texts as T

RULE = {rule.reason: rule for rule in RULES}
N_GRAM_DUPLICATE = T.REPEATED_SENTENCE

# reason -> (defect document, threshold to set for this rule, or None to keep the shipped Swedish value)
CASES = {
    "gopher_too_few_words": (T.TOO_SHORT, None),
    "gopher_too_many_words": (T.SV, 40),
    "gopher_words_too_short": (T.SHORT_WORDS, None),
    "gopher_words_too_long": (T.LONG_WORDS, None),
    "gopher_too_many_hashes": (T.HASHTAGS, None),
    "gopher_too_many_ellipses": (T.ELLIPSES, None),
    "gopher_too_many_bullet_lines": (T.BULLETS, None),
    "gopher_too_many_ellipsis_lines": (T.ELLIPSIS_LINES, None),
    "gopher_too_few_alpha_words": (T.NUMBERS, None),
    "gopher_too_few_stop_words": (T.PRODUCT_SPEC, None),
    "gopher_too_many_dup_lines": (T.REPEATED_LINES, None),
    "gopher_too_many_dup_paragraphs": (T.REPEATED_LINES, None),
    "gopher_too_many_dup_line_chars": (T.REPEATED_LINES, None),
    "gopher_too_many_dup_paragraph_chars": (T.REPEATED_LINES, None),
    "gopher_top_2gram_too_frequent": (T.SPAM_PHRASE, None),
    "gopher_top_3gram_too_frequent": (T.SPAM_PHRASE, None),
    "gopher_top_4gram_too_frequent": (T.SPAM_PHRASE, None),
    **{f"gopher_too_many_dup_{n}gram_chars": (N_GRAM_DUPLICATE, None) for n in range(5, 11)},
    "fineweb_too_few_punct_lines": (T.MENU, None),
    "fineweb_too_many_short_lines": (T.MENU, None),
    "fineweb_too_many_dup_line_chars": (T.REPEATED_LINES, None),
    "fineweb_too_many_newlines": (T.ONE_WORD_LINES, None),
    "roots_char_repetition_too_high": (T.CHAR_REPEAT, None),
    "roots_word_repetition_too_high": (N_GRAM_DUPLICATE, None),
    "roots_too_many_special_chars": (T.SYMBOLS, None),
    "roots_too_few_stop_words": (T.PRODUCT_SPEC, None),
    "roots_too_many_flagged_words": (T.FLAGGED, None),
    "roots_language_score_too_low": (T.SV, 0.5),  # off by default; the document's language_score is 0.3 below
    "nordic_pile_too_short": (T.TOO_SHORT, None),
    "nordic_pile_no_alpha": (T.NO_ALPHA, None),
    "nordic_pile_too_many_digits": (T.NUMBERS, None),
    "nordic_pile_lines_too_short_mean": (T.ONE_WORD_LINES, None),
    "nordic_pile_lines_too_long_mean": (T.SV, 150),
    "nordic_pile_lines_too_short_median": (T.MENU, 10),
    "nordic_pile_lines_too_long_median": (T.SV, 150),
    "nordic_pile_too_few_words_per_line_mean": (T.MENU, 3),
    "nordic_pile_too_many_words_per_line_mean": (T.SV, 20),
    "nordic_pile_too_few_words_per_line_median": (T.MENU, 3),
    "nordic_pile_too_many_words_per_line_median": (T.SV, 20),
}


def only(reason: str, value=None, **kwargs) -> QualityFilter:
    """A filter running `reason`'s rule alone (every other threshold of its family off), Swedish thresholds."""
    rule = RULE[reason]
    section = {key: None for key in THRESHOLD_KEYS[rule.family] if key != rule.threshold}
    if value is not None:
        section[rule.threshold] = value
    return QualityFilter(families=[rule.family], thresholds={"swe": {rule.family: section}}, **kwargs)


def test_every_reason_has_a_case():
    assert set(CASES) == set(REASONS)


@pytest.mark.parametrize("reason", sorted(CASES))
def test_rule_drops_its_defect_with_its_reason(reason):
    text, value = CASES[reason]
    step = only(reason, value)
    metadata = {"language": "swe", "language_score": 0.3}
    assert step.filter(Document(text=text, id="defect", metadata=dict(metadata))) == (False, reason)
    clean = Document(text=T.SV, id="clean", metadata={"language": "swe", "language_score": 0.99})
    if value is None or reason in ("roots_language_score_too_low",):  # the shipped threshold keeps clean prose
        assert step.filter(clean) is True


@pytest.mark.parametrize("language", sorted(T.CLEAN))
def test_clean_prose_of_every_language_passes_the_shipped_profile(language):
    step = QualityFilter()
    doc = Document(text=T.CLEAN[language], id=language, metadata={"language": language})
    assert step.filter(doc) is True, doc.metadata["quality"]


@pytest.mark.parametrize(
    "junk",
    [
        T.MENU,
        T.PRODUCT_SPEC,
        T.NUMBERS,
        T.REPEATED_LINES,
        T.SPAM_PHRASE,
        T.HASHTAGS,
        T.SYMBOLS,
        T.BULLETS,
        T.CHAR_REPEAT,
        T.ONE_WORD_LINES,
        T.NO_ALPHA,
        T.TOO_SHORT,
        T.ELLIPSIS_LINES,
        T.FLAGGED,
    ],
)
def test_shipped_swedish_profile_drops_junk(junk):
    result = QualityFilter().filter(Document(text=junk, id="junk", metadata={"language": "swe"}))
    assert result is not True and result[1] in REASONS
