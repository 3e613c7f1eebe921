"""Per-language threshold selection, the default profile, overrides and configuration errors."""

import pickle

import pytest
from datatrove.data import Document

from nordic_pile.errors import ConfigError
from nordic_pile.filters.profiles import build_profiles, flagged_words, load_table, stop_words
from nordic_pile.filters.quality import QualityFilter
from tests.filters import texts as T


def doc(text, language=None, **metadata):
    if language is not None:
        metadata["language"] = language
    return Document(text=text, id="d", metadata=metadata)


def test_each_language_uses_its_own_stop_words():
    step = QualityFilter(families=["gopher_quality"])
    assert step.filter(doc(T.SV, "swe")) is True
    # Icelandic prose judged as Swedish has (almost) none of Swedish's most frequent function words
    assert step.filter(doc(T.IS, "swe")) == (False, "gopher_too_few_stop_words")
    assert step.filter(doc(T.IS, "isl")) is True
    d = doc(T.FO, "fao")
    assert step.filter(d) is True
    assert d.metadata["quality"]["profile"] == "fao"


def test_language_labels_are_mapped_to_iso_639_3():
    step = QualityFilter(families=["gopher_quality"])
    d = doc(T.SV, "sv")
    assert step.filter(d) is True
    assert d.metadata["quality"]["profile"] == "swe"
    d = doc(T.NB, "no")
    step.filter(d)
    assert d.metadata["quality"]["profile"] == "nob"


def test_unknown_language_gets_the_declared_default_profile_not_english():
    step = QualityFilter()
    for language in ("fin", "und", None):
        d = doc(T.SV, language)
        assert step.filter(d) is True
        assert d.metadata["quality"]["profile"] == "default"
        assert "n_gopher_stop_words" not in d.metadata["quality"]  # the default profile has no stop-word rules
    assert step.stats["default_profile_for/fin"].total == 1
    # English, had it been the fallback, would drop Swedish prose for its missing stop words
    english = QualityFilter(families=["gopher_quality"], default_profile="eng")
    assert english.filter(doc(T.SV, "fin")) == (False, "gopher_too_few_stop_words")


def test_language_parameter_forces_one_profile():
    step = QualityFilter(families=["gopher_quality"], language="dan")
    d = doc(T.DA, "swe")
    assert step.filter(d) is True
    assert d.metadata["quality"]["profile"] == "dan"


def test_overrides_apply_to_their_language_only():
    step = QualityFilter(families=["gopher_quality"], thresholds={"swe": {"gopher_quality": {"min_words": 500}}})
    assert step.filter(doc(T.SV, "swe")) == (False, "gopher_too_few_words")
    assert step.filter(doc(T.NB, "nob")) is True
    every = QualityFilter(families=["gopher_quality"], thresholds={"*": {"gopher_quality": {"min_words": 500}}})
    assert every.filter(doc(T.NB, "nob")) == (False, "gopher_too_few_words")


def test_null_switches_a_rule_off():
    step = QualityFilter(families=["gopher_quality"], thresholds={"*": {"gopher_quality": {"min_stop_words": None}}})
    assert step.filter(doc(T.PRODUCT_SPEC, "swe")) is True


def test_nordic_profiles_differ_where_measured():
    profiles = build_profiles(load_table())
    assert set(profiles) >= {"default", "swe", "nob", "nno", "dan", "isl", "fao", "eng"}
    nno = profiles["nno"].thresholds["gopher_repetition"]
    assert nno["max_top_2gram_char_frac"] <= 0.2  # FineWeb-2's 0.899 for Nynorsk is not used
    assert profiles["fao"].thresholds["fineweb_lines"]["min_line_punct_ratio"] > 0  # Faroese rules are on
    assert profiles["default"].lists.gopher_stop_words == frozenset()


def test_shipped_word_lists():
    for language in ("swe", "nob", "nno", "dan", "isl", "fao", "eng"):
        assert {"og", "och", "the", "i", "í"} & stop_words(language), language
        assert len(flagged_words(language)) >= 5
    assert "ø" not in stop_words("dan")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "drop"}, "mode='drop'"),
        ({"families": ["gopher"]}, "families=['gopher']"),
        ({"thresholds": {"swe": {"gopher": {}}}}, "thresholds.swe.gopher: unknown rule family; did you mean"),
        ({"thresholds": {"swe": {"gopher_quality": {"min_word": 3}}}}, "did you mean 'min_words'"),
        ({"thresholds": {"swe": {"gopher_quality": {"min_words": "many"}}}}, "expected a number or null"),
        ({"thresholds": {"sv": {}}}, "thresholds.sv='sv' is not an ISO 639-3 code"),
        ({"thresholds": {"swe": {"roots": {"stop_words": "xx"}}}}, "no shipped stop_words list for 'xx'"),
        ({"language": "klingon"}, "language='klingon'"),
        ({"default_profile": "xyz"}, "default_profile='xyz'"),
        ({"thresholds_file": "/no/such.yaml"}, "thresholds_file='/no/such.yaml'"),
    ],
)
def test_config_errors_name_the_field_and_the_fix(kwargs, message):
    with pytest.raises(ConfigError) as e:
        QualityFilter(**kwargs)
    assert message.split("=")[0] in str(e.value)


def test_thresholds_file_replaces_the_shipped_one(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("default:\n  gopher_quality: {min_words: 5}\nswe:\n  gopher_quality: {min_words: 500}\n")
    step = QualityFilter(families=["gopher_quality"], thresholds_file=str(path))
    assert step.filter(doc(T.SV, "swe")) == (False, "gopher_too_few_words")
    assert step.filter(doc("Kiitos paljon avusta, se oli todella tarpeen tänään.", "fin")) is True


def test_step_pickles_and_decides_the_same():
    step = QualityFilter()
    clone = pickle.loads(pickle.dumps(step))
    for text in (T.SV, T.MENU, T.SPAM_PHRASE):
        assert clone.filter(doc(text, "swe")) == step.filter(doc(text, "swe"))
