"""The one-pass statistics: exact against the reference algorithms, defined on every input, Nordic words."""

import collections
import json
import math

import pytest
from datatrove.pipeline.filters.gopher_repetition_filter import find_all_duplicate, find_top_duplicate, get_n_grams

from nordic_pile.filters import ngrams
from nordic_pile.filters.stats import GROUPS, WordLists, quality_stats
from nordic_pile.text.words import words
from tests.conftest import DATA
from tests.filters import texts as T

SLICE = [json.loads(line) for line in (DATA / "filters" / "nordic_docs.jsonl").read_text("utf-8").splitlines()]
CRAFTED = [
    "a b c d e f " * 50,
    "ord ett två tre fyra fem sex sju " * 7 + "slut",
    "x y " * 100,
    "kort",
    "",
    "a b a b c",
    "a " * 12,
    "A a b B a b",
    T.SPAM_PHRASE,
    T.REPEATED_SENTENCE,
    T.MENU,
]
TEXTS = [d["text"] for d in SLICE] + CRAFTED


def roots_char_repetition(text: str, n: int = 10) -> float:
    """ROOTS' own definition (bigscience data-preparation, filtering.py), on strings."""
    freq = sorted(collections.Counter(text[i : i + n] for i in range(len(text) - n + 1)).values(), reverse=True)
    if not freq:
        return 0.0
    k = min(math.isqrt(len(freq)), len(freq) - sum(1 for f in freq if f == 1))
    return sum(freq[:k]) / sum(freq)


def roots_word_repetition(ws: list[str], n: int = 5) -> float:
    grams = [" ".join(ws[i : i + n]) for i in range(len(ws) - n + 1)]
    return sum(c for c in collections.Counter(grams).values() if c > 1) / len(grams) if grams else 0.0


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_ngram_statistics_equal_the_reference_implementations(text):
    w = words(text)
    lower = [x.lower() for x in w]
    rep = ngrams.word_repetition(ngrams.word_ids(w), w, (2, 3, 4), (5, 6, 7, 8, 9, 10), ngrams.word_ids(lower), 5)
    for n in (2, 3, 4):
        grams = get_n_grams(w, n)
        assert rep.top_chars[n] == (find_top_duplicate(grams) if grams else 0), n
    for n in range(5, 11):
        assert rep.duplicate_chars[n] == find_all_duplicate(w, n), n
    assert rep.repeated_ratio == pytest.approx(roots_word_repetition(lower), abs=1e-12)
    assert ngrams.char_repetition_ratio(text) == pytest.approx(roots_char_repetition(text), abs=1e-12)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "!!!", "1", "å", "\n".join(["—"] * 5)])
def test_every_statistic_is_defined_on_degenerate_input(text):
    stats = quality_stats(text, WordLists(frozenset({"og"}), frozenset({"og"}), frozenset({"porno"})))
    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in stats.values())
    assert stats["n_words"] == len(words(text))


def test_groups_compute_only_their_statistics():
    everything = quality_stats(T.SV)
    assert set(quality_stats(T.SV, groups=("nordic_pile",))) < set(everything)
    for group in GROUPS:
        part = quality_stats(T.SV, groups=(group,))
        assert all(everything[k] == v for k, v in part.items())


def test_nordic_words_are_counted_as_one():
    stats = quality_stats("Det gäller bl.a. EU-länderna, t.ex. Sverige; d.v.s. 12. mai.", groups=("gopher_quality",))
    assert stats["n_words"] == 9  # Det gäller bl.a. EU-länderna t.ex. Sverige d.v.s. 12 mai


def test_line_statistics_ignore_blank_lines_between_paragraphs():
    one = quality_stats("Första stycket.\nAndra raden.\nTredje raden.")
    two = quality_stats("Första stycket.\n\nAndra raden.\n\nTredje raden.")
    for key in (
        "n_lines",
        "line_punct_ratio",
        "short_line_ratio",
        "newline_word_ratio",
        "mean_line_chars",
        "median_line_words",
        "bullet_lines_ratio",
    ):
        assert one[key] == two[key], key


def test_dialogue_dashes_are_not_bullets_and_closing_quotes_end_sentences():
    dialogue = "– Hej, sa han.\n– Hej själv, svarade hon.\n«Kom hit», ropte mor.\n”Ja.”"
    stats = quality_stats(dialogue)
    assert stats["bullet_lines_ratio"] == 0.0
    assert stats["line_punct_ratio"] == 1.0


def test_special_characters_keep_nordic_letters_out():
    stats = quality_stats("Æøå þðö ÆØÅ ÞÐÖ", groups=("roots",))
    assert stats["special_char_ratio"] == pytest.approx(3 / 15, abs=1e-6)  # the three spaces only
