"""E-mail addresses, Nordic phone numbers and IP addresses: validation of the candidates the detector finds."""

from __future__ import annotations

import ipaddress
import re

from nordic_pile.pii.national import has_keyword

LOCAL_PART = re.compile(r"[\w.+\-]{1,65}\Z")
DOMAIN = re.compile(r"(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.)+([^\W\d_]{2,24})(?!\w|\.[^\W_])")
NOT_TLDS = frozenset(
    "png jpg jpeg gif svg webp bmp tif tiff ico css js json html htm php txt pdf exe dll xml yaml yml rst ini cfg "
    "log tmp bak gz tgz bz2 xz jar class java cpp hpp mp3 mp4 wav ogg avi mov mkv doc docx xls xlsx ppt pptx csv "
    "lock so".split()
)
"""File extensions after an @ (`logo@2x.png`, `pkg@1.2.tgz`) are not top-level domains."""


def email_span(text: str, at: int) -> tuple[int, int] | None:
    """The e-mail address around the `@` at `at`, as (start, end), or None."""
    local = LOCAL_PART.search(text, max(0, at - 65), at)
    if local is None:
        return None
    start = local.start()
    while start < at and text[start] == ".":
        start += 1
    part = text[start:at]
    if not part or len(part) > 64 or part.endswith(".") or ".." in part:
        return None
    domain = DOMAIN.match(text, at + 1)
    if domain is None or domain.group(1).lower() in NOT_TLDS or domain.end() - at - 1 > 253:
        return None
    return start, domain.end()


# National significant number lengths (without the trunk 0) after each country code.
PHONE_LENGTHS = {"46": (7, 8, 9), "47": (8,), "45": (8,), "354": (7, 9), "298": (6,)}
UNITS_AFTER = re.compile(r"\s?(?:kr|nok|sek|dkk|isk|eur|usd|%|mm|cm|km|kg|m²|st|stk|p|poeng|points?|stig|mål)\b", re.I)


def international_ok(candidate: str) -> int | None:
    """`+46 70 123 45 67`, `0047 22 33 44 55`, `+46 (0)8-123 456 78`: the length of the valid number, or None.

    The candidate may run on into a following number: the longest prefix that ends between two digit groups and
    has the right length for its country is the phone number. Only Sweden has a trunk 0, which some write after
    the country code (`+46 (0)70`, `+46 070`); it is skipped.
    """
    body = candidate[1:] if candidate[0] == "+" else candidate[2:]
    cc = next(c for c in ("354", "298", "46", "47", "45") if body.startswith(c))
    lengths = PHONE_LENGTHS[cc]
    best, digits, first = None, 0, True
    for j in range(len(candidate) - len(body) + len(cc), len(candidate)):
        ch = candidate[j]
        if not ch.isdigit():
            continue
        if first:
            first = False
            if ch == "0":
                if cc != "46":
                    return None
                continue
        digits += 1
        if (j + 1 == len(candidate) or not candidate[j + 1].isdigit()) and digits in lengths:
            best = j + 1
    return best


def swedish_national_ok(candidate: str, text: str, start: int) -> bool:
    """`08-123 456 78`, `070-123 45 67`, `(031) 12 34 56`: trunk 0, an area code, 8 to 10 digits in all.

    Groups of three after a space (`073 741 824`) are a large number written in thousands, unless a phone
    keyword comes before."""
    digits = re.sub(r"\D", "", candidate)
    if not (8 <= len(digits) <= 10 and digits[1] != "0"):
        return False
    groups = candidate.split(" ")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and groups[0].isdigit():
        return has_keyword("phone", text, start)
    return True


def grouped_ok(candidate: str, text: str, start: int, end: int) -> bool:
    """Norwegian/Danish `22 33 44 55` and `987 65 432`; `3312 3456`, Icelandic `555 1234`, Faroese `31 55 00` and
    unbroken `22334455` only after a phone keyword; never before a currency or unit."""
    if UNITS_AFTER.match(text, end):
        return False
    compact = candidate.replace(" ", "").replace("-", "")
    keyword = has_keyword("phone", text, start)
    if (
        len(compact) == 8 and " " in candidate
    ):  # 2-2-2-2 and 3-2-3 anywhere; 4-4 (`3312 3456`, `1999 2005`) after a keyword
        return compact[0] in "23456789" and (keyword or candidate.count(" ") > 1)
    if len(compact) == 8:
        return keyword and compact[0] in "23456789"
    if len(compact) == 7:
        return keyword and compact[0] in "45678"
    return keyword and len(compact) == 6


def ipv4_ok(candidate: str, text: str, start: int, public_only: bool) -> bool:
    parts = candidate.split(".")
    if any(len(p) > 1 and p[0] == "0" for p in parts) or any(int(p) > 255 for p in parts):
        return False
    if all(int(p) < 32 for p in parts) and len(set(parts)) > 1:
        return False  # 2.4.1.3 and 12.1.3.2 are versions or section numbers far more often than addresses
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and re.match(r"\.?[ \t]+\S", text[start + len(candidate) :]):
        return False  # a numbered heading: "6.34.2.1. Fanen «Eigenskapar»"
    if re.search(
        r"(?:version|versjon|versio|ver|v|release|útgáfa|kapitel|kapittel|kafli|avsnitt|afsnit|section|sektion"
        r"|seksjon|§)"
        r"\.?\s*\Z",
        text[max(0, start - 12) : start],
        re.I,
    ):
        return False
    return not public_only or ipaddress.IPv4Address(candidate).is_global


def ipv6_ok(candidate: str, public_only: bool) -> bool:
    groups = [g for g in candidate.split(":") if g]
    if len(groups) < 3 and not (len(groups) == 2 and len(groups[0]) == 4):  # not a::b, std::io
        return False
    if "::" not in candidate and candidate.count(":") != 7:
        return False
    try:
        address = ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return not public_only or address.is_global
