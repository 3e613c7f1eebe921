import pytest

from nordic_pile.errors import ConfigError, InputError
from nordic_pile.evaluate.conll import read_tagged
from nordic_pile.evaluate.token_splits import check_labels, label_inventory, parse_label_map, read_split
from tests.evaluate.conftest import NER


def test_conllu_entities_from_misc_name_and_upos():
    """NorNE-style CoNLL-U (entity tags as `name=B-PER` in MISC), built from DDT by make_ddt_fixtures.py."""
    ner = read_tagged(str(NER / "da_ddt_test.conllu"), "ner")
    pos = read_tagged(str(NER / "da_ddt_test.conllu"), "pos")
    assert ner.format == "conllu" and len(ner.sentences) == 50
    first = ner.sentences[0]
    assert first.words[:3] == ["Året", "efter", "gentog"] and first.line == 3  # after the two comment lines
    assert [s.words for s in pos.sentences] == [s.words for s in ner.sentences]
    assert pos.sentences[0].tags[:3] == ["NOUN", "ADV", "VERB"]
    tags = {t for s in ner.sentences for t in s.tags}
    assert {"O", "B-PER", "I-PER", "B-ORG", "B-LOC"} <= tags and all(t == "O" or t[:2] in ("B-", "I-") for t in tags)
    person_pos = [p for n, s in zip(ner.sentences, pos.sentences) for t, p in zip(n.tags, s.tags) if t.endswith("PER")]
    assert len(person_pos) > 20 and person_pos.count("PROPN") / len(person_pos) > 0.9  # two annotations agree


def test_bio_with_doc_comments():
    """NorNE's `.bio` layout (a `# doc = ...` line before each sentence), built from DDT."""
    split = read_split([str(NER / "da_ddt_train.bio")], "ner")
    assert len(split.words) == 604 and split.info[0]["scheme"] == "bio"
    assert not any(w.startswith("#") for s in split.words for w in s)
    assert split.info[0]["words"] == sum(map(len, split.words)) == 10069  # the words of the DDT file


def test_danish_ddt_whitespace_separator_lines_and_an_i_opening():
    split = read_split([str(NER / "da_ddt_dev_slice.conll")], "ner")
    assert len(split.words) == 31  # blank lines holding a tab still end sentences
    assert split.info[0]["scheme"] == "bio" and split.info[0]["tags_changed_to_iob2"] == 1


def test_swedish_webbnyheter_io_tags_with_space_separators():
    split = read_split([str(NER / "sv_webbnyheter_test_slice.txt")], "ner")
    assert split.info[0]["scheme"] == "io"
    assert split.words[0][:3] == ["Inger", "Atterstam", ":"]
    assert split.tags[0][:3] == ["B-PER", "I-PER", "O"]


def test_malformed_line_is_an_error_or_skipped_and_listed():
    path = str(NER / "sv_webbnyheter_train_malformed.txt")
    with pytest.raises(InputError, match=r"sv_webbnyheter_train_malformed.txt:20: expected 'TOKEN<TAB>TAG'"):
        read_split([path], "ner")
    split = read_split([path], "ner", skip_malformed=True)
    assert split.info[0]["skipped_malformed_lines"] == [20]


def test_conllu_with_a_label_map():
    mapping = parse_label_map(["LOC=PLACE", "MISC=O"])
    split = read_split([str(NER / "da_ddt_dev.conllu")], "ner", label_map=mapping)
    tags = {t for s in split.tags for t in s}
    assert "B-PLACE" in tags and not any("LOC" in t or "MISC" in t for t in tags)
    with pytest.raises(ConfigError, match="FROM=TO"):
        parse_label_map(["GPE_LOC"])


def test_missing_name_in_misc_is_a_clear_error(tmp_path):
    path = tmp_path / "x.conllu"
    path.write_text("1\tHei\thei\tINTJ\t_\t_\t0\troot\t_\t_\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x.conllu:1: no name= in the MISC column"):
        read_tagged(str(path), "ner")
    assert read_tagged(str(path), "pos").sentences[0].tags == ["INTJ"]


def test_label_set_mismatch_names_the_label_and_place():
    # the Swedish slice has no ORG entity; the Danish test file has
    train = read_split([str(NER / "sv_webbnyheter_test_slice.txt")], "ner")
    test = read_split([str(NER / "da_ddt_test.conllu")], "ner")
    labels = label_inventory("ner", train)
    assert "B-ORG" not in labels
    with pytest.raises(ConfigError, match=r"label set mismatch: --test .*ORG.*da_ddt_test.conllu:\d+"):
        check_labels(labels, test, "test", allow_unseen=False)
    extended = check_labels(labels, test, "test", allow_unseen=True)
    assert extended[: len(labels)] == labels and "B-ORG" in extended
