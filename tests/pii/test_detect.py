"""Every PII type: what is found (with its span) and the look-alikes that are not."""

import pytest

from nordic_pile.pii.checksums import iban_ok, is_kennitala_ok, luhn_ok, no_fodselsnummer_ok
from nordic_pile.pii.detect import count_pii, find_pii, redact


def found(text, language=None):
    return [(s.type, text[s.start : s.end]) for s in find_pii(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Mitt personnummer är 811218-9876.", "swe", ("se_personnummer", "811218-9876")),
        ("Född 1912: 121212+1212 i registret.", "swe", ("se_personnummer", "121212+1212")),
        ("Personnummer 19811218-9876 gäller.", None, ("se_personnummer", "19811218-9876")),
        ("Samordningsnummer 701063-2391 är giltigt.", "swe", ("se_personnummer", "701063-2391")),
        ("Fødselsnummeret er 01010750160.", "nob", ("no_fodselsnummer", "01010750160")),
        ("D-nummer 53037133368 her.", "nob", ("no_fodselsnummer", "53037133368")),
        ("Mit CPR-nummer er 070761-4285.", "dan", ("dk_cpr", "070761-4285")),
        ("Kennitala 120174-3399 er rétt.", "isl", ("is_kennitala", "120174-3399")),
        ("Félagið, kt. 5302697609, greiðir.", "isl", ("is_kennitala", "5302697609")),
        ("Skriv till anna.berg+nyhet@post.firma.se.", None, ("email", "anna.berg+nyhet@post.firma.se")),
        ("Ring 070-123 45 67 i dag.", None, ("phone", "070-123 45 67")),
        ("Ring +46 (0)8-123 456 78 i dag.", None, ("phone", "+46 (0)8-123 456 78")),
        ("Tlf.: 22 33 44 55, Oslo.", None, ("phone", "22 33 44 55")),
        ("Ring 987 65 432 for bord.", None, ("phone", "987 65 432")),
        ("Ring +45 33 12 34 56.", None, ("phone", "+45 33 12 34 56")),
        ("Hringdu í síma 555-1234.", None, ("phone", "555-1234")),
        ("Ring +354 555 1234 núna.", None, ("phone", "+354 555 1234")),
        ("Ring +298 315500 í dag.", None, ("phone", "+298 315500")),
        ("Tlf. 22832288. huy.no", None, ("phone", "22832288")),
        ("Telefon 3312 3456 (hverdage).", None, ("phone", "3312 3456")),
        ("IBAN SE45 5000 0000 0583 9825 7466 tack.", None, ("iban", "SE45 5000 0000 0583 9825 7466")),
        ("Konto NO9386011117947 her.", None, ("iban", "NO9386011117947")),
        ("Servern 81.2.69.160 svarade.", None, ("ip", "81.2.69.160")),
        ("Adressen 2a00:1450:4001:81b::200e svarer.", None, ("ip", "2a00:1450:4001:81b::200e")),
    ],
)
def test_finds_each_type(text, language, expected):
    assert found(text, language) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Ordernummer 811218-9875 är skickat.",  # wrong Luhn digit
        "Organisationsnummer 556036-0793.",  # valid Luhn, month 60: a company
        "Datum 811318-9876 finns inte.",  # month 13
        "Fødselsnummer 01010750161 er ugyldig.",  # wrong second control digit
        "Kontonummer 1234.56.78903 og org.nr. 923 609 016.",
        "Sagsnummer 070761-4286 er lukket.",  # fails modulus 11 and no CPR keyword
        "Kennitala 120174-3379.",  # wrong check digit
        "Leverans 2023-05-12 kl. 14:30, tidsstämpel 20230512 143000.",
        "ISBN 978-91-7343-123-4 och ISBN 0-19-852663-6.",
        "Priset är 12 500 kr eller 1 299 000 kronor.",
        "Storgatan 12, 114 55 Stockholm; Postboks 123, 0150 Oslo.",
        "Ordrenummer 40012345 er sendt.",
        "Resultatet ble 21 17 19 21 poeng.",
        "Mellem 1999 2005 og 2010 2015 voksede byen.",
        "Version 5.10.120.1 and Chrome 120.0.6099.109.",
        "6.34.2.1. Fanen «Eigenskapar»",
        "Routern 192.168.1.1, 10.0.0.5, 127.0.0.1, 192.0.2.15 och 2001:db8::1.",
        "MAC 00:1a:2b:3c:4d:5e kl. 12:30:45; std::vector<int> a::b.",
        "Invalid 300.1.1.1 and logo@2x.png, @anna, user@localhost, a@b.",
        "IBAN SE45 5000 0000 0583 9825 7467 har fel kontrollsiffror.",
        "Part number XQ12 3456 7890 1234.",
        "M (1 048 576), GB (1 073 741 824)",
    ],
)
def test_look_alikes_are_not_reported(text):
    assert found(text, "swe") == []


def test_language_and_keyword_break_ties():
    number = "210131-9149"  # valid as an Icelandic kennitala and as a Swedish personnummer
    assert found(f"Umsækjandi: {number}.", "isl") == [("is_kennitala", number)]
    assert found(f"Sökande: {number}.", "swe") == [("se_personnummer", number)]
    assert found(f"Kennitala {number}.") == [("is_kennitala", number)]


def test_danish_cpr_without_modulus_11_needs_a_keyword():
    assert found("CPR-nr. 070761-4286.", "dan") == [("dk_cpr", "070761-4286")]
    assert found("Sag 070761-4286.", "dan") == []


def test_email_swallows_numbers_in_its_local_part():
    assert found("Mejla 811218-9876@firma.se nu.") == [("email", "811218-9876@firma.se")]


def test_checksums():
    assert luhn_ok("8112189876") and not luhn_ok("8112189875")
    assert no_fodselsnummer_ok("01010750160") and not no_fodselsnummer_ok("01010750161")
    assert is_kennitala_ok("1201743399") and not is_kennitala_ok("1201743389")
    assert iban_ok("GB82WEST12345698765432") and not iban_ok("GB82WEST12345698765433")


def test_count_and_redact():
    text = "Mejla anna@firma.se eller ring 070-123 45 67; pnr 811218-9876."
    spans = find_pii(text, "swe")
    assert count_pii(spans) == {"se_personnummer": 1, "email": 1, "phone": 1}
    assert redact(text, spans) == "Mejla <EMAIL> eller ring <PHONE>; pnr <SE_PERSONNUMMER>."
    assert redact(text, spans, "[{type}]") == "Mejla [email] eller ring [phone]; pnr [se_personnummer]."


def test_random_digit_soup_gives_sane_spans():
    import random

    from nordic_pile.pii import PII_TYPES

    rng = random.Random(5)
    alphabet = "0123456789" * 6 + " -+.:/()@,\n" + "abcdefSENOKDXQ" + "åäöæøðþ"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        spans = find_pii(text, rng.choice([None, "swe", "dan", "isl", "nob"]), public_ip=rng.random() < 0.5)
        for a, b in zip(spans, spans[1:], strict=False):
            assert a.end <= b.start
        for s in spans:
            assert s.type in PII_TYPES and 0 <= s.start < s.end <= len(text)
