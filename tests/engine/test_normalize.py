import unicodedata

import pytest

from nordic_pile.normalize.control import ControlCharRemover
from nordic_pile.normalize.detokenize import Detokenizer
from nordic_pile.normalize.mojibake import MojibakeFixer
from nordic_pile.normalize.unicode import UnicodeNormalizer
from nordic_pile.normalize.whitespace import WhitespaceNormalizer


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Hej pÃ¥ dig, hur mÃ¥r du?", "Hej på dig, hur mår du?"),
        ("BlÃ¥bÃ¦rsyltetÃ¸y", "Blåbærsyltetøy"),
        ("Ãžetta er Ã­slenska", "Þetta er íslenska"),
        ("Det kostarÂ 10Â kr", "Det kostar\u00a010\u00a0kr"),
        ("â€œCitatâ€\x9d", "“Citat”"),
    ],
)
def test_mojibake_is_repaired(broken, fixed):
    assert MojibakeFixer().format(broken) == fixed


@pytest.mark.parametrize("text", ["Århus, Ærø og Ålesund", "São Paulo – «sitat» ’n’ “quote”", "ﬁnans", "ＡＢＣ"])
def test_clean_text_is_untouched_by_mojibake_repair(text):
    assert MojibakeFixer().format(text) == text


def test_nfc_composes_and_never_folds():
    text = unicodedata.normalize("NFD", "Åsa ÆØÅ þð")
    out = UnicodeNormalizer().format(text)
    assert out == "Åsa ÆØÅ þð" and unicodedata.is_normalized("NFC", out)


def test_control_characters_are_removed_keeping_newlines_tabs_and_joiners():
    text = "a\x00b\x07c\r\nd\re\tf\u200bg\u00adh\ufeffi\u200dj\u2028k"
    assert ControlCharRemover().format(text) == "abc\nd\ne\tfghi\u200dj\nk"


def test_whitespace_runs_trailing_spaces_and_blank_lines():
    text = "\n\nHej  på   dig.   \n\n\n\n\n    def f():\n        return 1\u2003x\n"
    assert WhitespaceNormalizer().format(text) == "Hej på dig.\n\n\n    def f():\n        return 1 x"
    assert WhitespaceNormalizer(max_blank_lines=1).format("a\n\n\n\nb") == "a\n\nb"
    assert WhitespaceNormalizer().format("10\u00a0000 kr") == "10\u00a0000 kr"


@pytest.mark.parametrize(
    ("tokenized", "text"),
    [
        ("Oslo , 12. mai .", "Oslo, 12. mai."),
        ("Han sa : « Nei ! »", "Han sa: «Nei!»"),
        ('Det var " bra " ( veldig ) .', 'Det var "bra" (veldig).'),
        ("Prisen steg 5 % i fjor ...", "Prisen steg 5% i fjor..."),
    ],
)
def test_detokenize_news_text(tokenized, text):
    assert Detokenizer().format(tokenized) == text
