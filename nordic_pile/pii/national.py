"""Which national identity number a digit string is, if any: checksum and date first, then context to break ties.

Ten digits (`DDMMYY-NNNN` or `YYMMDD-NNNN`) can be a Swedish personnummer, a Danish CPR number, an Icelandic
kennitala or a Swedish mobile number at once. Every reading whose checksum and date hold is a candidate; a keyword
in the 40 characters before the number picks one, then the document's language, then the fixed order
se_personnummer, is_kennitala, dk_cpr, phone.

Danish CPR numbers: modulus-11 applies to numbers issued before 1 October 2007; since then CPR-kontoret issues
numbers that fail it. A number with a valid date that passes modulus-11 is reported anywhere; one that fails it is
reported only after a CPR keyword ("CPR", "cpr-nr.", "personnummer"), because a valid date alone is too weak.
"""

from __future__ import annotations

import re

from nordic_pile.pii.checksums import (
    dk_cpr_date_ok,
    dk_mod11_ok,
    is_kennitala_ok,
    no_fodselsnummer_ok,
    se_personnummer_ok,
)

KEYWORDS = {
    "se_personnummer": re.compile(r"person\s?(?:nummer|nr)|pers\.?\s?nr|\bp-?nr|samordningsn|\bpnr", re.I),
    "dk_cpr": re.compile(r"\bcpr|personnummer|personnr", re.I),
    "is_kennitala": re.compile(r"kennit(?:ala|ölu|ölur)|\bkt\.", re.I),
    "no_fodselsnummer": re.compile(r"fødsels\s?(?:nummer|nr)|\bfnr|d-nummer|personnummer", re.I),
    "phone": re.compile(
        r"\b(?:tlf|tel|telefon\w*|mobil\w*|mob|ring|sms|fax|s[ií]m[ia]\w*|gsm|phone|farsím\w*|"
        r"tlfnr)\b",
        re.I,
    ),
}
"""A keyword before a number says which kind it is (Swedish, Danish, Icelandic, Norwegian, and phone words)."""

LANGUAGE_PREFERENCE = {"swe": "se_personnummer", "dan": "dk_cpr", "isl": "is_kennitala", "fao": "is_kennitala"}
PRIORITY = ("se_personnummer", "is_kennitala", "dk_cpr", "phone")
CONTEXT = 40
SE_MOBILE = re.compile(r"07[02369]\d{7}")


def has_keyword(kind: str, text: str, start: int) -> bool:
    return KEYWORDS[kind].search(text, max(0, start - CONTEXT), start) is not None


def ten_digit_kind(digits: str, sep: str, text: str, start: int, language: str | None) -> str | None:
    """The type of a 10-digit candidate (`sep` is '', '-' or '+'), or None when no reading is valid enough."""
    kinds = []
    if se_personnummer_ok(digits, plus=sep == "+"):
        kinds.append("se_personnummer")
    if sep != "+":
        if is_kennitala_ok(digits):
            kinds.append("is_kennitala")
        if dk_cpr_date_ok(digits) and (dk_mod11_ok(digits) or has_keyword("dk_cpr", text, start)):
            kinds.append("dk_cpr")
    mobile = sep == "" and SE_MOBILE.fullmatch(digits) is not None
    if mobile:
        kinds.append("phone")
    if len(kinds) <= 1:
        return kinds[0] if kinds else None
    for kind in kinds:
        if has_keyword(kind, text, start):
            return kind
    if mobile:
        return "phone"
    preferred = LANGUAGE_PREFERENCE.get(language or "")
    if preferred in kinds:
        return preferred
    return next(k for k in PRIORITY if k in kinds)


def twelve_digit_ok(digits: str, sep: str) -> bool:
    """A Swedish personnummer with the century, YYYYMMDD-NNNN (the Luhn digit covers the last ten digits)."""
    return se_personnummer_ok(digits[2:], plus=sep == "+", century=int(digits[:2]))


def eleven_digit_ok(digits: str) -> bool:
    return no_fodselsnummer_ok(digits)
