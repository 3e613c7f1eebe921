import random

import pytest

from nordic_pile.evaluate.metrics import accuracy, entities, macro_f1, mcc, mean_sd, span_f1

seqeval = pytest.importorskip("seqeval.metrics")
from seqeval.metrics.sequence_labeling import get_entities, precision_recall_fscore_support  # noqa: E402

TYPES = ["PER", "ORG", "GPE_LOC", "MISC"]
TAGS = ["O"] * 6 + [f"{p}-{t}" for t in TYPES for p in "BI"]


def _random_pair(rng: random.Random, extra_tags=()):
    tags = TAGS + list(extra_tags)
    gold = [[rng.choice(tags) for _ in range(rng.randint(1, 12))] for _ in range(rng.randint(1, 6))]
    pred = [[t if rng.random() < 0.7 else rng.choice(tags) for t in s] for s in gold]
    return gold, pred


@pytest.mark.filterwarnings("ignore")  # seqeval warns on ill-defined scores and E-/S- tags; values matter here
@pytest.mark.parametrize("extra", [(), ("E-PER", "S-ORG", "S-MISC", "E-GPE_LOC")])
def test_strict_f1_is_identical_to_seqeval_on_random_predictions(extra):
    rng = random.Random(1234)
    for _ in range(400):
        gold, pred = _random_pair(rng, extra)
        ours = span_f1(gold, pred)
        p, r, f, support = precision_recall_fscore_support(gold, pred, average="micro")
        per_p, per_r, per_f, per_s = precision_recall_fscore_support(gold, pred, average=None)
        assert (ours["precision"], ours["recall"], ours["f1"], ours["support"]) == (p, r, f, support)
        names = sorted(ours["per_type"])
        assert [ours["per_type"][n]["f1"] for n in names] == list(per_f)
        assert [ours["per_type"][n]["precision"] for n in names] == list(per_p)
        assert [ours["per_type"][n]["support"] for n in names] == list(per_s)
        assert entities(gold) == get_entities(gold)
        assert ours["f1"] == seqeval.f1_score(gold, pred)  # the default (conlleval) mode


@pytest.mark.filterwarnings("ignore")
def test_f1_without_misc_drops_misc_from_gold_and_predictions():
    rng = random.Random(7)
    for _ in range(200):
        gold, pred = _random_pair(rng)
        strip = [[("O" if t.endswith("-MISC") else t) for t in s] for s in gold]
        strip_pred = [[("O" if t.endswith("-MISC") else t) for t in s] for s in pred]
        ours = span_f1(gold, pred, ignore_types=["MISC"])
        assert ours["f1"] == seqeval.f1_score(strip, strip_pred)
        assert "MISC" not in ours["per_type"]


def test_strict_matching_by_hand():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "I-ORG", "O"]]  # right, wrong type, wrong boundary
    result = span_f1(gold, pred)
    assert (result["correct"], result["predicted"], result["support"]) == (1, 3, 3)
    assert result["f1"] == pytest.approx(1 / 3)
    assert result["per_type"]["PER"]["f1"] == 1.0 and result["per_type"]["LOC"]["recall"] == 0.0
    assert span_f1([["O"]], [["O"]])["f1"] == 0.0  # nothing to find: 0, as seqeval


def test_accuracy_macro_f1_and_mcc_match_sklearn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(3)
    for classes in (["neg", "pos"], ["a", "b", "c", "d"]):
        for _ in range(50):
            gold = [rng.choice(classes) for _ in range(rng.randint(2, 40))]
            pred = [g if rng.random() < 0.6 else rng.choice(classes) for g in gold]
            assert macro_f1(gold, pred, classes) == pytest.approx(
                metrics.f1_score(gold, pred, average="macro", labels=classes, zero_division=0), abs=1e-12
            )
            assert mcc(gold, pred) == pytest.approx(metrics.matthews_corrcoef(gold, pred), abs=1e-12)
    assert accuracy([["A", "B"], ["C"]], [["A", "C"], ["C"]]) == pytest.approx(2 / 3)


def test_mean_and_sample_sd():
    stat = mean_sd([0.8, 0.9, 1.0])
    assert stat["mean"] == pytest.approx(0.9) and stat["sd"] == pytest.approx(0.1) and stat["n"] == 3
    assert mean_sd([0.5])["sd"] is None
