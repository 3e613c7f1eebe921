"""The word vote between close Nordic classes: counts, table bytes, the log ratio and when it overrules stage 1."""

import math
from collections import Counter

import pytest

from nordic_pile.errors import ConfigError
from nordic_pile.lang_id.word_evidence import (
    ResolverSpec,
    WordEvidence,
    count_words,
    evidence_path,
    resolve,
    save_counts,
)

TEXTS = {
    "nno": ["eg veit ikkje kva han meiner", "ho er ein fin lærar", "dei kjem ikkje i dag"] * 2,
    "nob": ["jeg vet ikke hva han mener", "hun er en fin lærer", "de kommer ikke i dag"] * 2,
}


def test_counts_keep_words_seen_min_count_times_in_all_languages_together():
    counts = count_words(TEXTS, min_count=3)
    assert counts["nno"]["ikkje"] == 4 and counts["nob"]["ikke"] == 4
    assert counts["nno"]["han"] == 2 and counts["nob"]["han"] == 2  # 4 together: kept
    assert "ho" not in counts["nno"]  # 2 in all: left out


def test_the_table_round_trips_and_has_the_same_bytes_for_the_same_counts(tmp_path):
    counts = count_words(TEXTS, min_count=1)
    save_counts(counts, str(tmp_path / "a.words.tsv.zst"))
    save_counts({k: Counter(dict(reversed(list(v.items())))) for k, v in counts.items()}, str(tmp_path / "b.tsv.zst"))
    assert (tmp_path / "a.words.tsv.zst").read_bytes() == (tmp_path / "b.tsv.zst").read_bytes()
    loaded = WordEvidence.load(str(tmp_path / "a.words.tsv.zst"), alpha=0.5)
    direct = WordEvidence(counts, alpha=0.5)
    assert loaded.languages == ("nno", "nob") and loaded.logp == direct.logp


def test_log_ratio_adds_the_evidence_of_every_word():
    evidence = WordEvidence(count_words(TEXTS, min_count=1), alpha=0.5)
    one = evidence.log_ratio(["ikkje"], "nno", "nob")
    assert one == pytest.approx(math.log(4.5) - math.log(0.5))  # the totals are equal here: they cancel
    assert evidence.log_ratio(["ikkje", "ikkje"], "nno", "nob") == pytest.approx(2 * one)
    assert evidence.log_ratio(["han", "i", "dag", "unseen"], "nno", "nob") == pytest.approx(0.0)
    assert evidence.log_ratio(["ikke"], "nno", "nob") == pytest.approx(-one)


def test_the_vote_overrules_a_weak_stage_1_decision_but_not_a_sure_one():
    evidence = WordEvidence(count_words(TEXTS, min_count=1), alpha=0.5)
    spec = ResolverSpec(beta=1.0, below=0.99)
    line = "han er ikkje i dag"
    p, label = resolve([(0.6, "__label__nob"), (0.35, "__label__nno")], line, evidence, spec)
    z = math.log(0.35 / 0.6) + math.log(9)
    assert label == "__label__nno" and p == pytest.approx(0.95 / (1 + math.exp(-z)))
    assert resolve([(0.995, "__label__nob"), (0.004, "__label__nno")], line, evidence, spec) == (0.995, "__label__nob")
    # a pair outside the table (stage 1 thinks English) is left as it is
    assert resolve([(0.6, "__label__eng"), (0.3, "__label__nno")], line, evidence, spec) == (0.6, "__label__eng")
    assert resolve([(0.6, "__label__nob")], line, evidence, spec) == (0.6, "__label__nob")


def test_a_missing_table_is_one_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match=r"model.words.tsv.zst: cannot read the model's word table"):
        WordEvidence.load(evidence_path(str(tmp_path / "model.ftz")), alpha=0.5)


def test_a_cut_off_table_is_one_error_not_a_smaller_table(tmp_path):
    counts = count_words({"nno": [f"ord{i} eg" for i in range(3000)], "nob": ["jeg"] * 10}, min_count=1)
    save_counts(counts, str(tmp_path / "m.words.tsv.zst"))
    data = (tmp_path / "m.words.tsv.zst").read_bytes()
    (tmp_path / "m.words.tsv.zst").write_bytes(data[: len(data) // 2])
    with pytest.raises(ConfigError, match=r"m.words.tsv.zst: the model's word table is cut short"):
        WordEvidence.load(str(tmp_path / "m.words.tsv.zst"), alpha=0.5)
