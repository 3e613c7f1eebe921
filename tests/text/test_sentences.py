"""The offline sentence splitter: Nordic abbreviations, ordinals, initials, numbered lists, quotes; nothing lost."""

import gzip
import json
import re

import pytest

from nordic_pile.errors import ConfigError
from nordic_pile.text.sentences import SentenceSplitter, StanzaSentenceSplitter, split_sentences
from tests.conftest import DATA


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("nob", "Vi kjøpte bl.a. epler og pærer. Det var godt.", ["Vi kjøpte bl.a. epler og pærer.", "Det var godt."]),
        (
            "nob",
            "Dette gjelder f.eks. Oslo og Bergen. Trondheim kommer senere.",
            ["Dette gjelder f.eks. Oslo og Bergen.", "Trondheim kommer senere."],
        ),
        ("nob", "Han kom 12. mai. Så dro han.", ["Han kom 12. mai.", "Så dro han."]),
        (
            "nob",
            "Grunnlovsdagen er 17. Mai hvert år. Alle feirer.",
            ["Grunnlovsdagen er 17. Mai hvert år.", "Alle feirer."],
        ),
        ("nob", "Det var i 1999. Etterpå ble alt bra.", ["Det var i 1999.", "Etterpå ble alt bra."]),
        (
            "nob",
            "Han gikk i 5. 6. og 7. klasse. Deretter videregående.",
            ["Han gikk i 5. 6. og 7. klasse.", "Deretter videregående."],
        ),
        (
            "dan",
            "Det er d.v.s. sådan. Vi har æbler, pærer osv. Næste uge mere.",
            ["Det er d.v.s. sådan.", "Vi har æbler, pærer osv.", "Næste uge mere."],
        ),
        (
            "dan",
            "Det kostede ca. 100 kr. pr. stk. Hvor billigt!",
            ["Det kostede ca. 100 kr. pr. stk.", "Hvor billigt!"],
        ),
        (
            "swe",
            "Hon köpte t.ex. mjölk o.s.v. Sen gick hon hem.",
            ["Hon köpte t.ex. mjölk o.s.v.", "Sen gick hon hem."],
        ),
        ("swe", "Vad är klockan? Den är tre... Tack.", ["Vad är klockan?", "Den är tre...", "Tack."]),
        ("isl", "Það er þ.e.a.s. ekki rétt. Hann fór heim.", ["Það er þ.e.a.s. ekki rétt.", "Hann fór heim."]),
        ("isl", "Sjá t.d. 3. kafla. Þar stendur það.", ["Sjá t.d. 3. kafla.", "Þar stendur það."]),
        ("fao", "Tað er t.d. ikki rætt. Hann fór heim.", ["Tað er t.d. ikki rætt.", "Hann fór heim."]),
        (
            "eng",
            "J. R. R. Tolkien wrote it. H.C. Andersen did not.",
            ["J. R. R. Tolkien wrote it.", "H.C. Andersen did not."],
        ),
        ("nob", "Dr. Hansen kom. Han var sen.", ["Dr. Hansen kom.", "Han var sen."]),
        ("nob", "Han heter Jan. Han bor i Oslo.", ["Han heter Jan.", "Han bor i Oslo."]),
        ("nob", "«Kommer du?» spurte han. «Ja.» Hun gikk.", ["«Kommer du?» spurte han.", "«Ja.»", "Hun gikk."]),
        ("nob", "1. Første punkt\n2. Andre punkt", ["1. Første punkt", "2. Andre punkt"]),
        (
            "nob",
            "12.1. RAID og LVM er teknikker. De er nyttige.",
            ["12.1. RAID og LVM er teknikker.", "De er nyttige."],
        ),
        ("nob", "Kapittel 12. Avansert administrasjon", ["Kapittel 12. Avansert administrasjon"]),
        (
            "nno",
            "Figur 17.3. Gaussisk sløring\n\nDet er eit filter.",
            ["Figur 17.3. Gaussisk sløring", "Det er eit filter."],
        ),
        ("nob", "Se side 12. Der står det.", ["Se side 12.", "Der står det."]),
        (
            "nob",
            "Overskrift uten punktum\nFørste setning. Andre.",
            ["Overskrift uten punktum", "Første setning.", "Andre."],
        ),
    ],
)
def test_sentences(language, text, expected):
    assert split_sentences(text, language) == expected


def test_nothing_is_lost_on_real_documents():
    for path in sorted(DATA.glob("curated/*/*/00000.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                sentences = split_sentences(doc["text"], doc["metadata"]["language"])
                assert all(s and s == s.strip() and "\n" not in s for s in sentences)
                assert re.sub(r"\s+", "", "".join(sentences)) == re.sub(r"\s+", "", doc["text"])


def test_stanza_without_model_files_says_where_to_put_them(tmp_path):
    with pytest.raises(ConfigError, match="stanza model folder .* does not exist; download the tokenizers"):
        SentenceSplitter("stanza", str(tmp_path / "missing"))
    splitter = StanzaSentenceSplitter(str(tmp_path))
    pytest.importorskip("stanza")
    with pytest.raises(ConfigError, match=r"no stanza tokenizer for language 'nob'.*expected .*/nb/tokenize/"):
        splitter.split("Hei. Hallo.", "nob")


def test_unknown_backend_is_a_config_error():
    with pytest.raises(ConfigError, match="--splitter 'spacy'; use rules"):
        SentenceSplitter("spacy")
