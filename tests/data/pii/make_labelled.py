"""Build the labelled PII set `labelled.jsonl`: synthetic identifiers inside real Nordic sentences.

    python tests/data/pii/make_labelled.py      # rewrites labelled.jsonl (deterministic: seed 7)

Every identifier is generated here at random with its own check-digit code (independent of nordic_pile.pii, so
the set checks the detector instead of repeating it). Positives carry their spans; look-alike negatives (wrong
check digits, impossible dates, organisation and account numbers, dates, prices, postal codes, ISBNs, version and
section numbers, private addresses, ...) carry none. The sentences are Universal Dependencies test/dev sentences
(`ud_sentences.jsonl`, CC BY-SA 4.0). No identifier belongs to a real person on purpose; none is attached to a name
of a real person, and any coincidence with an issued number is chance.
"""

from __future__ import annotations

import calendar
import json
import pathlib
import random

HERE = pathlib.Path(__file__).parent
SEED = 7
PER_FORM = 12  # positives per form of each type
NEGATIVES_PER_FORM = 10
rng = random.Random(SEED)


# ---------------------------------------------------------------- check digits (written out here on purpose)
def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def mod11(body: str, weights) -> int:
    r = 11 - sum(int(c) * w for c, w in zip(body, weights, strict=False)) % 11
    return 0 if r == 11 else r


def random_date(y0: int, y1: int) -> tuple[int, int, int]:
    y = rng.randint(y0, y1)
    m = rng.randint(1, 12)
    return y, m, rng.randint(1, calendar.monthrange(y, m)[1])


def se_number(coordination: bool = False, valid: bool = True) -> tuple[str, int]:
    """YYMMDDNNNC (10 digits) and the birth year."""
    y, m, d = random_date(1925, 2015)
    body = f"{y % 100:02d}{m:02d}{d + (60 if coordination else 0):02d}{rng.randint(0, 999):03d}"
    check = luhn_digit(body)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return body + check, y


def no_number(d_number: bool = False, valid: bool = True) -> str:
    while True:
        y, m, d = random_date(1930, 2020)
        if y >= 2000:
            ind = rng.randint(500, 999)
        else:
            ind = rng.randint(0, 499)
        body = f"{d + (40 if d_number else 0):02d}{m:02d}{y % 100:02d}{ind:03d}"
        k1 = mod11(body, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        if k1 == 10:
            continue
        k2 = mod11(body + str(k1), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k2 == 10:
            continue
        digits = body + str(k1) + str(k2)
        if not valid:
            i = rng.choice((9, 10))
            digits = digits[:i] + str((int(digits[i]) + rng.randint(1, 9)) % 10) + digits[i + 1 :]
        return digits


def dk_number(mod11_valid: bool = True) -> str:
    while True:
        y, m, d = random_date(1930, 2020)
        first = rng.choice("0123") if y < 2000 else rng.choice("49")
        body = f"{d:02d}{m:02d}{y % 100:02d}{first}{rng.randint(0, 999):03d}"
        ok = sum(int(c) * w for c, w in zip(body, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1), strict=False)) % 11 == 0
        if ok == mod11_valid:
            return body


def is_number(company: bool = False, valid: bool = True) -> str:
    while True:
        y, m, d = random_date(1930, 2015)
        body = f"{d + (40 if company else 0):02d}{m:02d}{y % 100:02d}{rng.randint(20, 99):02d}"
        c = mod11(body, (3, 2, 7, 6, 5, 4, 3, 2))
        if c == 10:
            continue
        if not valid:
            c = (c + rng.randint(1, 9)) % 10
        return body + str(c) + ("9" if y < 2000 else "0")


def _date_ok(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def some_reading_valid(d10: str) -> bool:
    """Whether ten digits pass as a Swedish, Danish (modulus 11) or Icelandic number: such a number is no negative."""
    a, b, c = int(d10[:2]), int(d10[2:4]), int(d10[4:6])
    se = _date_ok(2000 if a == 0 else 1900 + a, b, c - 60 if c > 60 else c) and luhn_digit(d10[:9]) == d10[9]
    dk_year = 1900 + c if d10[6] in "0123" or c > 57 else 2000 + c
    dk = (
        _date_ok(dk_year, b, a)
        and sum(int(x) * w for x, w in zip(d10, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1), strict=False)) % 11 == 0
    )
    is_century = {"8": 1800, "9": 1900, "0": 2000}.get(d10[9])
    is_ = (
        is_century is not None
        and _date_ok(is_century + c, b, a - 40 if a > 40 else a)
        and mod11(d10[:8], (3, 2, 7, 6, 5, 4, 3, 2)) == int(d10[8])
    )
    return se or dk or is_


def negative_digits(make) -> str:
    while True:
        d10 = make()
        if not some_reading_valid(d10.replace("-", "")):
            return d10


IBAN_SPECS = {
    "SE": (20, "n"),
    "NO": (11, "n"),
    "DK": (14, "n"),
    "FI": (14, "n"),
    "IS": (22, "n"),
    "FO": (14, "n"),
    "DE": (18, "n"),
    "GB": (18, "a4n14"),
}


def iban(country: str, valid: bool = True) -> str:
    n, kind = IBAN_SPECS[country]
    bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) if kind == "a4n14" else ""
    bban += "".join(rng.choice("0123456789") for _ in range(n - len(bban)))
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    check = 98 - int(numeric) % 97
    if not valid:
        check = (check + rng.randint(1, 50)) % 97 + 2
    return f"{country}{check:02d}{bban}"


def grouped(s: str, size: int = 4) -> str:
    return " ".join(s[i : i + size] for i in range(0, len(s), size))


def public_ipv4() -> str:
    while True:
        a = rng.choice(
            [
                rng.randint(1, 9),
                rng.randint(11, 99),
                rng.randint(100, 126),
                rng.randint(128, 168),
                rng.randint(170, 191),
                rng.randint(193, 223),
            ]
        )
        b, c, d = rng.randint(32, 255), rng.randint(0, 255), rng.randint(1, 254)
        return f"{a}.{b}.{c}.{d}"


def public_ipv6() -> str:
    groups = [f"{rng.randint(0x2400, 0x2A0F):x}"] + [f"{rng.randint(0, 0xFFFF):x}" for _ in range(7)]
    if rng.random() < 0.5:
        return ":".join(groups)
    return ":".join(groups[:3]) + "::" + groups[-1]


def digits(n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


# ---------------------------------------------------------------- templates: (language, text with {x})
SE = [
    ("sv", "Mitt personnummer är {x}."),
    ("sv", "Sökande: {x}, Storgatan 12, Umeå."),
    ("sv", "Fyll i personnumret {x} i rutan."),
    ("sv", "({x})"),
]
NO = [
    ("nb", "Fødselsnummeret mitt er {x}."),
    ("nn", "Oppgje fødselsnummer {x} på skjemaet."),
    ("nb", "Søker: {x}, Storgata 3, Oslo."),
]
DK = [
    ("da", "Mit CPR-nummer er {x}."),
    ("da", "Ansøger: {x}, Vestergade 5, Aarhus."),
    ("da", "Angiv cpr-nr. {x} på blanketten."),
]
IS = [
    ("is", "Kennitalan mín er {x}."),
    ("is", "Umsækjandi: {x}, Laugavegur 8, Reykjavík."),
    ("is", "Félagið, kt. {x}, greiðir reikninginn."),
]
EMAIL = [
    ("sv", "Skicka ett mejl till {x} om du har frågor."),
    ("nb", "Send e-post til {x}."),
    ("da", "Skriv til {x} for mere information."),
    ("is", "Sendu tölvupóst á {x}."),
    ("fo", "Skriva til {x}."),
    ("en", "Contact <{x}> for details."),
]
PHONE = [
    ("sv", "Ring mig på {x} efter klockan fem."),
    ("nb", "Ring {x} for å bestille bord."),
    ("da", "Du kan ringe på {x} hele dagen."),
    ("is", "Hringdu í {x}."),
    ("en", "Call {x} today."),
]
IBAN = [
    ("sv", "Betala till IBAN {x} senast fredag."),
    ("nb", "Kontonummer (IBAN): {x}."),
    ("da", "Overfør beløbet til {x}."),
    ("en", "Wire the money to {x} please."),
]
IP = [
    ("sv", "Anropet kom från {x} i natt."),
    ("nb", "Serveren svarer på {x}."),
    ("da", "Adressen {x} blev blokeret."),
    ("en", "Requests from {x} were logged."),
]


def emails() -> list[str]:
    first = ["anna", "lars", "sigrid", "jon", "mette", "olafur", "kari", "bjorn", "freja", "eirikur"]
    last = ["svensson", "hansen", "jonsdottir", "nielsen", "berg", "olsen", "lind", "dahl"]
    domains = [
        "firma.se",
        "post.example.no",
        "mail.dk",
        "simnet.is",
        "olavstoftan.fo",
        "kommune-nord.no",
        "uni2go.se",
        "eksempel.dk",
    ]
    forms = [
        lambda: f"{rng.choice(first)}.{rng.choice(last)}@{rng.choice(domains)}",
        lambda: f"{rng.choice(first)}{rng.randint(1, 99)}@{rng.choice(domains)}",
        lambda: f"{rng.choice(first)}+news@{rng.choice(domains)}",
        lambda: f"{rng.choice(first)}_{rng.choice(last)}@sub.{rng.choice(domains)}",
    ]
    return [form() for form in forms for _ in range(PER_FORM * 2)]


def phones() -> list[tuple[str, str]]:
    """(number, keyword-or-empty): forms people write; the weak forms only after a phone word."""
    out = []
    for _ in range(PER_FORM):
        sub = digits(7)
        out += [
            (f"070-{sub[:3]} {sub[3:5]} {sub[5:]}", ""),
            (f"08-{digits(3)} {digits(3)} {digits(2)}", ""),
            (f"031-{digits(2)} {digits(2)} {digits(2)}", ""),
            (f"+46 70 {sub[:3]} {sub[3:5]} {sub[5:]}", ""),
            (f"+46 (0)8-{digits(3)} {digits(2)} {digits(2)}", ""),
            (f"0046 73 {digits(3)} {digits(4)}", ""),
            (f"+47 {rng.choice('49')}{digits(2)} {digits(2)} {digits(3)}", ""),
            (f"{rng.choice('2345679')}{digits(1)} {digits(2)} {digits(2)} {digits(2)}", ""),
            (f"{rng.choice('49')}{digits(2)} {digits(2)} {digits(3)}", ""),
            (f"+45 {rng.choice('2345679')}{digits(1)} {digits(2)} {digits(2)} {digits(2)}", ""),
            (f"+354 {rng.choice('5678')}{digits(2)} {digits(4)}", ""),
            (f"{rng.choice('5678')}{digits(2)}-{digits(4)}", "síma "),
            (f"+298 {rng.choice('2345679')}{digits(5)}", ""),
            (f"{digits(2)} {digits(2)} {digits(2)}", "tlf. "),
            (f"{rng.choice('29')}{digits(7)}", "Tlf. "),
        ]
    return out


def positives() -> list[tuple[str, str, str, str]]:
    """(language, template, identifier, type)."""
    out = []
    for _ in range(PER_FORM):
        n, year = se_number()
        out.append((*rng.choice(SE), f"{n[:6]}-{n[6:]}", "se_personnummer"))
        out.append((*rng.choice(SE), f"{year}{n[2:6]}-{n[6:]}", "se_personnummer"))
        out.append((*rng.choice(SE), f"{year}{n[2:]}", "se_personnummer"))
        n, year = se_number(coordination=True)
        out.append((*rng.choice(SE), f"{n[:6]}-{n[6:]}", "se_personnummer"))
        n, year = se_number()
        out.append(("sv", "Personnummer {x}.", n if not n.startswith("07") else f"{year}{n[2:]}", "se_personnummer"))
        n = no_number()
        out.append((*rng.choice(NO), n, "no_fodselsnummer"))
        out.append((*rng.choice(NO), f"{n[:6]} {n[6:]}", "no_fodselsnummer"))
        out.append((*rng.choice(NO), no_number(d_number=True), "no_fodselsnummer"))
        n = dk_number()
        out.append((*rng.choice(DK), f"{n[:6]}-{n[6:]}", "dk_cpr"))
        out.append((*rng.choice(DK), n, "dk_cpr"))
        n = dk_number(mod11_valid=False)  # issued since 2007 without modulus 11: only after a CPR keyword
        out.append(("da", rng.choice(["CPR-nr. {x}.", "Hans cpr-nummer er {x}."]), f"{n[:6]}-{n[6:]}", "dk_cpr"))
        n = is_number()
        out.append((*rng.choice(IS), f"{n[:6]}-{n[6:]}", "is_kennitala"))
        out.append((*rng.choice(IS), n, "is_kennitala"))
        n = is_number(company=True)
        out.append((*rng.choice(IS), f"{n[:6]}-{n[6:]}", "is_kennitala"))
        for country in IBAN_SPECS:
            code = iban(country)
            out.append((*rng.choice(IBAN), grouped(code) if rng.random() < 0.6 else code, "iban"))
        out.append((*rng.choice(IP), public_ipv4(), "ip"))
        out.append((*rng.choice(IP), public_ipv4(), "ip"))
        out.append((*rng.choice(IP), public_ipv6(), "ip"))
    for address in emails():
        out.append((*rng.choice(EMAIL), address, "email"))
    for number, keyword in phones():
        lang, template = rng.choice(PHONE)
        out.append((lang, template.replace("{x}", keyword + "{x}"), number, "phone"))
    return out


def negatives() -> list[tuple[str, str, str]]:
    """(language, text, look-alike family): none of them holds an identifier."""
    out = []
    for _ in range(NEGATIVES_PER_FORM):
        n = negative_digits(lambda: se_number(valid=False)[0])
        out.append(("sv", f"Ordernummer {n[:6]}-{n[6:]} är skickat.", "se_wrong_luhn"))
        org = f"55{rng.randint(20, 99)}{digits(5)}"
        out.append(("sv", f"Bolaget har organisationsnummer {org[:6]}-{org[6:]}{luhn_digit(org)}.", "se_orgnr"))
        out.append(
            (
                "sv",
                f"Födelsedatum 19{rng.randint(30, 99)}1{rng.randint(3, 9)}{rng.randint(10, 28)}-"
                f"{digits(4)} är ogiltigt.",
                "se_bad_month",
            )
        )
        out.append(
            (
                "sv",
                f"Leverans {rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                f"kl. {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}.",
                "date_time",
            )
        )
        out.append(
            ("sv", f"ISBN 978-91-{digits(4)}-{digits(3)}-{digits(1)} och ISBN 91-{digits(4)}-{digits(3)}-X.", "isbn")
        )
        out.append(("nb", f"Fødselsnummer {no_number(valid=False)} er ugyldig.", "no_wrong_control"))
        out.append(
            (
                "nb",
                f"Kontonummer {digits(4)}.{digits(2)}.{digits(5)} og org.nr. {digits(3)} {digits(3)} {digits(3)}.",
                "no_account_orgnr",
            )
        )
        out.append(
            ("nb", f"Postadresse: Postboks {rng.randint(1, 999)}, {rng.randint(1, 9999):04d} Oslo.", "postal_code")
        )
        dk = negative_digits(lambda: dk_number(mod11_valid=False))
        out.append(("da", f"Sagsnummer {dk[:6]}-{dk[6:]} er afsluttet.", "dk_no_mod11_no_keyword"))
        d = negative_digits(lambda: f"3{rng.randint(2, 9)}{rng.randint(1, 12):02d}{digits(6)}")
        out.append(("da", f"Dato {d[:6]}-{d[6:]} findes ikke.", "dk_bad_date"))
        out.append(("da", f"CVR-nr. {rng.randint(10, 99)}{digits(6)} og varenummer {digits(8)}.", "dk_cvr"))
        k = negative_digits(lambda: is_number(valid=False))
        out.append(("is", f"Kennitala {k[:6]}-{k[6:]} er ógild.", "is_wrong_check"))
        k = negative_digits(lambda: is_number()[:9] + rng.choice("1234567"))
        out.append(("is", f"Númerið {k} er ekki kennitala.", "is_bad_century"))
        out.append(
            (
                "sv",
                f"Priset är {rng.randint(1, 99)} {digits(3)} kr eller {rng.randint(1, 9)} {digits(3)} "
                f"{digits(3)} kronor.",
                "price",
            )
        )
        out.append(
            (
                "sv",
                f"Adress: Storgatan {rng.randint(1, 99)}, {rng.randint(100, 984)} {digits(2)} Stockholm.",
                "postal_code",
            )
        )
        out.append(
            (
                "nb",
                f"Resultatet ble {rng.randint(0, 9)}-{rng.randint(0, 9)} og tiden {rng.randint(1, 59)}:"
                f"{digits(2)}.{digits(2)}.",
                "score_time",
            )
        )
        out.append(("da", f"Ordrenummer {rng.choice('2345679')}{digits(7)} er sendt.", "order_number"))
        out.append(("sv", f"Vi räknade {rng.randint(1, 9)} {digits(3)} {digits(3)} besökare.", "thousands"))
        out.append(
            (
                "en",
                f"Lottery row: {rng.randint(1, 9)} {rng.randint(10, 19)} {rng.randint(20, 29)} "
                f"{rng.randint(30, 39)} {rng.randint(40, 49)}",
                "number_list",
            )
        )
        code = iban(rng.choice(list(IBAN_SPECS)), valid=False)
        out.append(("sv", f"IBAN {grouped(code)} har fel kontrollsiffror.", "iban_wrong_check"))
        code = iban("SE")
        out.append(("sv", f"Koden {code[:-2]} är för kort.", "iban_wrong_length"))
        out.append(("en", f"Part number XQ{digits(2)} {digits(4)} {digits(4)} {digits(4)}.", "iban_unknown_country"))
        out.append(
            (
                "en",
                f"Upgrade to version {rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 200)}."
                f"{rng.randint(0, 99)} now.",
                "version",
            )
        )
        out.append(
            (
                "en",
                f"Chrome {rng.randint(100, 130)}.0.{rng.randint(4000, 6999)}.{rng.randint(10, 200)} was released.",
                "version",
            )
        )
        out.append(
            (
                "nb",
                f"{rng.randint(1, 12)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}. "
                "Oppsett av nettverket",
                "section_number",
            )
        )
        out.append(
            (
                "sv",
                f"Routern har adressen 192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)} och "
                f"10.{rng.randint(0, 255)}.0.{rng.randint(1, 254)}.",
                "private_ip",
            )
        )
        out.append(
            (
                "en",
                f"Use 127.0.0.1, 192.0.2.{rng.randint(1, 254)} or 2001:db8::{rng.randint(1, 999)} in examples.",
                "reserved_ip",
            )
        )
        out.append(
            (
                "en",
                f"MAC {':'.join(f'{rng.randint(0, 255):02x}' for _ in range(6))} at "
                f"{rng.randint(10, 23)}:{digits(2)}:{digits(2)}; std::vector<int>.",
                "mac_time_code",
            )
        )
        out.append(
            (
                "en",
                f"Invalid 3{rng.randint(0, 9)}{rng.randint(0, 9)}.{rng.randint(1, 255)}.1.1 address.",
                "ip_out_of_range",
            )
        )
        out.append(
            (
                "en",
                f"Image logo@2x.png, handle @{rng.choice(['anna', 'nordic'])} and user@localhost.",
                "email_lookalike",
            )
        )
        out.append(
            (
                "sv",
                f"Skriv anna snabel-a firma punkt se, eller a@b, eller {rng.choice(['x', 'y'])}@@firma.se.",
                "email_lookalike",
            )
        )
    return out


def build() -> list[dict]:
    sentences: dict[str, list[str]] = {}
    with open(HERE / "ud_sentences.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            sentences.setdefault(record["lang"], []).append(record["text"])
    records = []
    for lang, template, identifier, kind in positives():
        context = rng.choice(sentences[lang])
        before, _, after = template.partition("{x}")
        if rng.random() < 0.5:
            text, start = f"{context} {before}", len(context) + 1 + len(before)
            text += identifier + after
        else:
            text, start = before, len(before)
            text += identifier + after + " " + context
        records.append(
            {
                "text": text,
                "lang": lang,
                "spans": [{"type": kind, "start": start, "end": start + len(identifier)}],
                "kind": f"positive:{kind}",
            }
        )
    for lang, sentence, family in negatives():
        context = rng.choice(sentences[lang if lang in sentences else "en"])
        text = f"{context} {sentence}" if rng.random() < 0.5 else f"{sentence} {context}"
        records.append({"text": text, "lang": lang, "spans": [], "kind": f"negative:{family}"})
    for lang, texts in sorted(sentences.items()):  # the real sentences alone hold no identifiers
        for text in texts[:20]:
            records.append({"text": text, "lang": lang, "spans": [], "kind": "negative:real_sentence"})
    return records


def main() -> None:
    with open(HERE / "labelled.jsonl", "w", encoding="utf-8") as f:
        for record in build():
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
