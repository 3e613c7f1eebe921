"""Check digits and birth dates of Nordic identity numbers, and the IBAN mod-97 check. Pure functions on digits."""

from __future__ import annotations

import calendar

IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
}  # fmt: skip
"""IBAN length per country (SWIFT IBAN registry, release 99, 2025)."""


def valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) over all of `digits`, the last one being the check digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mod11_digit(digits: str, weights: tuple[int, ...]) -> int:
    """11 - weighted sum mod 11, with 11 -> 0; 10 means no valid check digit exists."""
    r = 11 - sum(w * (ord(c) - 48) for w, c in zip(weights, digits, strict=False)) % 11
    return 0 if r == 11 else r


def se_personnummer_ok(digits10: str, plus: bool = False, century: int | None = None) -> bool:
    """Swedish personnummer/samordningsnummer YYMMDDNNNC: a real date (day + 60 for samordningsnummer) and Luhn.

    With the century unknown, 29 February is accepted in years divisible by four; `plus` (the `+` separator of
    people aged 100 or more) rules out 2000.
    """
    yy, mm, dd = int(digits10[:2]), int(digits10[2:4]), int(digits10[4:6])
    if dd > 60:
        dd -= 60
    if century is not None:
        year = century * 100 + yy
    else:
        year = 1900 + yy if plus or yy else 2000  # only leap years matter here
    return valid_date(year, mm, dd) and luhn_ok(digits10)


NO_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
NO_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def no_birth_year(yy: int, individual: int) -> int | None:
    """Century of a Norwegian fødselsnummer from its individual number (Skatteetaten's table)."""
    if individual <= 499:
        return 1900 + yy
    if individual <= 749 and yy >= 54:
        return 1800 + yy
    if individual >= 500 and yy <= 39:
        return 2000 + yy
    if individual >= 900 and yy >= 40:
        return 1900 + yy
    return None


def no_fodselsnummer_ok(digits11: str) -> bool:
    """Norwegian fødselsnummer or D-nummer (day + 40) DDMMYYIIIKK: a real date and both mod-11 control digits."""
    dd, mm, yy = int(digits11[:2]), int(digits11[2:4]), int(digits11[4:6])
    if dd > 40:
        dd -= 40
    year = no_birth_year(yy, int(digits11[6:9]))
    if year is None or not valid_date(year, mm, dd):
        return False
    k1 = _mod11_digit(digits11, NO_K1)
    if k1 == 10 or k1 != ord(digits11[9]) - 48:
        return False
    k2 = _mod11_digit(digits11, NO_K2)
    return k2 != 10 and k2 == ord(digits11[10]) - 48


def dk_birth_year(yy: int, digit7: int) -> int:
    """Century of a Danish CPR number from the first digit of its serial number (CPR-kontoret's table)."""
    if digit7 <= 3:
        return 1900 + yy
    if digit7 in (4, 9):
        return 2000 + yy if yy <= 36 else 1900 + yy
    return 2000 + yy if yy <= 57 else 1800 + yy


DK_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def dk_cpr_date_ok(digits10: str) -> bool:
    dd, mm, yy = int(digits10[:2]), int(digits10[2:4]), int(digits10[4:6])
    return valid_date(dk_birth_year(yy, ord(digits10[6]) - 48), mm, dd)


def dk_mod11_ok(digits10: str) -> bool:
    return sum(w * (ord(c) - 48) for w, c in zip(DK_WEIGHTS, digits10, strict=False)) % 11 == 0


IS_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
IS_CENTURY = {"8": 1800, "9": 1900, "0": 2000}


def is_kennitala_ok(digits10: str) -> bool:
    """Icelandic kennitala DDMMYYRRCK (companies: day + 40): a real date, century digit K in 8/9/0, check digit C."""
    century = IS_CENTURY.get(digits10[9])
    if century is None:
        return False
    dd, mm, yy = int(digits10[:2]), int(digits10[2:4]), int(digits10[4:6])
    if dd > 40:
        dd -= 40
    if not valid_date(century + yy, mm, dd):
        return False
    c = _mod11_digit(digits10, IS_WEIGHTS)
    return c != 10 and c == ord(digits10[8]) - 48


def iban_ok(compact: str) -> bool:
    """`compact`: an IBAN without spaces, upper case. Country length from the registry, then mod 97 == 1."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1
