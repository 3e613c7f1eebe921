import pytest

from nordic_pile.text.words import word_spans, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Det er bl.a. snakk om f.eks. skatt, d.v.s. penger.",
            ["Det", "er", "bl.a.", "snakk", "om", "f.eks.", "skatt", "d.v.s.", "penger"],
        ),
        ("Han kom 12. mai 2023.", ["Han", "kom", "12", "mai", "2023"]),
        ("EU-landa og e-posten til 17-åringen", ["EU-landa", "og", "e-posten", "til", "17-åringen"]),
        ("Anne's rock'n'roll – «sjøl» …", ["Anne's", "rock'n'roll", "sjøl"]),
        ("Þórður og Ásgeir fóru í gær.", ["Þórður", "og", "Ásgeir", "fóru", "í", "gær"]),
        ("Hon sa: -Nej! t.ex. 3,5 %", ["Hon", "sa", "Nej", "t.ex.", "3", "5"]),
        ("snake_case __init__", ["snake_case", "__init__"]),
        ("osv. och t.ex. e.g.", ["osv", "och", "t.ex.", "e.g."]),
        ("", []),
        ("!!! ### ...", []),
    ],
)
def test_nordic_words(text, expected):
    assert words(text) == expected


def test_spans_index_the_text():
    text = "Dét er bl.a. æøå."
    assert [text[s:e] for s, e in word_spans(text)] == words(text)
