"""The shipped two-stage identifier on real held-out sentences, pairs of close languages, and edge cases."""

import pickle

import pytest

from nordic_pile.lang_id.identifier import LID176_SURE, NORDIC_MASS, NordicIdentifier, Prediction
from nordic_pile.lang_id.text import normalize
from nordic_pile.languages import NORDIC

LANGUAGES = [*NORDIC, "eng", "fin"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_on_real_sentences(identifier, sentences, language):
    texts = sentences[language]
    predicted = [p.language for p in identifier.identify(texts)]
    right = sum(p == language for p in predicted)
    assert len(texts) == 20
    assert right >= 17, f"{language}: {right}/20 right; predicted {predicted}"


@pytest.mark.parametrize("pair", [("nob", "nno"), ("isl", "fao"), ("dan", "nob")])
def test_close_pairs_as_paragraphs(identifier, sentences, pair):
    """Five sentences together are enough to separate the closest pairs without a single error."""
    for language in pair:
        texts = sentences[language]
        paragraphs = [" ".join(texts[i : i + 5]) for i in range(0, 20, 5)]
        assert [p.language for p in identifier.identify(paragraphs)] == [language] * 4


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Eg veit ikkje kva ho meiner om det, men eg skal spørje henne i morgon.", "nno"),
        ("Jeg vet ikke hva hun mener om det, men jeg skal spørre henne i morgen.", "nob"),
        ("Jeg ved ikke hvad hun mener om det, men jeg skal spørge hende i morgen.", "dan"),
        ("Jag vet inte vad hon menar om det, men jag ska fråga henne i morgon.", "swe"),
        ("Ég veit ekki hvað hún meinar um það, en ég ætla að spyrja hana á morgun.", "isl"),
        ("Eg veit ikki, hvat hon meinar um tað, men eg skal spyrja hana í morgin.", "fao"),
    ],
)
def test_one_sentence_in_six_languages(identifier, text, language):
    assert identifier.identify([text])[0].language == language


@pytest.mark.parametrize("text", ["", "   \n\t ", "1234 5678 -- !!! %%%", "🙂🙂🙂 ✓", "3.14 + 2.71 = 5.85"])
def test_text_without_letters_is_undetermined(identifier, text):
    assert identifier.identify([text]) == [Prediction("und", 0.0)]


def test_scores_are_probabilities_and_higher_when_right(identifier, sentences):
    predictions = [(lang, p) for lang, texts in sentences.items() for p in identifier.identify(texts)]
    assert all(0.0 <= p.score <= 1.0 for _, p in predictions)
    right = [p.score for lang, p in predictions if p.language == lang]
    wrong = [p.score for lang, p in predictions if p.language != lang]
    assert right and sum(right) / len(right) > 0.8
    if wrong:
        assert sum(wrong) / len(wrong) < sum(right) / len(right)


def test_other_languages_go_to_lid176(identifier):
    texts = [
        "Der Hund läuft schnell über die Straße, weil er nach Hause will.",
        "Le chien court vite dans la rue parce qu'il veut rentrer à la maison.",
        "Собака быстро бежит по улице, потому что хочет домой.",
    ]
    assert [p.language for p in identifier.identify(texts)] == ["deu", "fra", "rus"]


def test_batch_order_and_mixture_of_empty_texts(identifier, sentences):
    texts = [sentences["swe"][0], "", sentences["fao"][0], "42", sentences["nno"][0]]
    assert [p.language for p in identifier.identify(texts)] == ["swe", "und", "fao", "und", "nno"]


def test_pickles_without_the_loaded_model(identifier, sentences):
    identifier.identify(sentences["dan"][:1])  # loads both models
    copy = pickle.loads(pickle.dumps(identifier))
    assert copy.stage1._model is None and copy._meta is None
    assert copy.identify(sentences["dan"][:1])[0].language == "dan"


def test_missing_model_file_says_where_it_should_be(tmp_path):
    from nordic_pile.errors import ConfigError

    missing = tmp_path / "nordic-langid.ftz"
    with pytest.raises(ConfigError, match=f"no model file at {missing}"):
        NordicIdentifier(str(missing)).identify(["hej"])


def test_longer_text_earns_a_higher_score(identifier, sentences):
    """Calibration is per length: two words are right less often than five sentences at the same raw probability."""
    for language in ("nob", "fao"):
        words = " ".join(sentences[language][0].split()[:2])
        paragraph = " ".join(sentences[language][:5])
        short, long = identifier.identify([words, paragraph])
        assert long.language == language
        assert long.score > short.score


def test_unsure_lid176_does_not_override_nordic_evidence():
    """Through stage 2 (every text sent there): lid.176 unsure of a non-Nordic guess (Estonian at 0.12) does not
    override stage 1's Nordic evidence; lid.176 sure of English does."""
    identifier = NordicIdentifier(confirm_below=1.01)
    text = "%%% $$$ &&& *** Handla {nu} [rea] <<<>>> ||| 100% @@@ ### ~~~ " * 3
    line = normalize(text)
    (lid_labels,), (lid_probs,) = identifier.stage2.predict([line], k=1)
    (labels,), (probs,) = identifier.stage1.predict([line], k=-1)
    nordic_mass = sum(float(p) for label, p in zip(labels, probs, strict=True) if label in NORDIC)
    assert lid_labels[0] not in ("sv", "da", "no", "nn", "is", "fo") and lid_probs[0] < LID176_SURE
    assert nordic_mass >= NORDIC_MASS
    (prediction,) = identifier.identify([text])
    assert prediction.language == "swe" and 0.2 < prediction.score <= nordic_mass + 1e-4
    (english,) = identifier.identify(["The quick brown fox jumps over the lazy dog and runs into the forest."])
    assert english.language == "eng"
