import pytest

from nordic_pile.errors import InputError
from nordic_pile.evaluate.tagging import detect_scheme, iob2_labels, to_iob2


@pytest.mark.parametrize(
    ("tags", "scheme", "expected"),
    [
        # IOB1: entities open with I-; B- only splits two adjacent entities of one type
        (["I-PER", "I-PER", "O", "I-LOC"], "iob1", ["B-PER", "I-PER", "O", "B-LOC"]),
        (["I-PER", "B-PER", "I-PER"], "iob1", ["B-PER", "B-PER", "I-PER"]),
        (["I-PER", "I-LOC", "I-LOC"], "iob1", ["B-PER", "B-LOC", "I-LOC"]),
        (["O", "I-ORG", "I-ORG", "I-ORG"], "iob1", ["O", "B-ORG", "I-ORG", "I-ORG"]),
        # BIO stays as it is; an I- after O is read as conlleval does: it opens an entity
        (["B-PER", "I-PER", "O", "B-LOC", "B-LOC"], "bio", ["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]),
        (["O", "I-MISC", "I-MISC"], "bio", ["O", "B-MISC", "I-MISC"]),
        (["B-PER", "I-LOC"], "bio", ["B-PER", "B-LOC"]),
        # IO (Webbnyheter: 0 is outside): runs of one type are one entity
        (["PER", "PER", "0", "LOC", "ORG", "ORG"], "io", ["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG"]),
        # BIOES and BILOU
        (["S-PER", "B-LOC", "E-LOC", "S-LOC"], "bioes", ["B-PER", "B-LOC", "I-LOC", "B-LOC"]),
        (["U-PER", "B-ORG", "I-ORG", "L-ORG"], "bioes", ["B-PER", "B-ORG", "I-ORG", "I-ORG"]),
    ],
)
def test_conversion_to_iob2(tags, scheme, expected):
    converted, changed = to_iob2(tags, scheme)
    assert converted == expected
    assert changed == sum(a != b for a, b in zip(tags, expected, strict=True))
    assert to_iob2(converted, "bio") == (converted, 0)  # IOB2 is a fixed point


@pytest.mark.parametrize(
    ("sentences", "scheme"),
    [
        ([["I-PER", "I-PER", "O"], ["I-LOC", "B-LOC"]], "iob1"),
        ([["B-PER", "I-PER", "O"], ["O", "B-LOC"]], "bio"),
        ([["B-PER", "O"], ["O", "I-LOC"]], "bio"),  # one slip in a BIO file does not make it IOB1
        ([["PER", "PER", "0"]], "io"),
        ([["S-PER", "O"]], "bioes"),
        ([["O", "O"]], "bio"),
    ],
)
def test_scheme_detection(sentences, scheme):
    assert detect_scheme(sentences) == scheme


def test_mixed_prefixed_and_bare_tags_is_an_error():
    with pytest.raises(InputError, match="mix B-/I- prefixes and bare types"):
        detect_scheme([["B-PER", "LOC"]], "x.conll")


def test_label_inventory():
    assert iob2_labels({"PER", "GPE_LOC"}) == ["O", "B-GPE_LOC", "I-GPE_LOC", "B-PER", "I-PER"]
