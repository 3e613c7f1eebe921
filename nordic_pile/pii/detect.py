"""Find personal identifiers in text: one combined regular-expression pass finds candidates, validators decide.

`find_pii(text)` returns character spans `PiiSpan(type, start, end)`; `count_pii` counts them per type and
`redact` replaces them with typed placeholders (`<SE_PERSONNUMMER>`). Precision comes first: a number is reported
only when its check digits and date hold (see `checksums.py` and `national.py`), a phone number only in the
grouping people write, an IP address only when it is public (as datatrove's PIIFormatter does).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nordic_pile.pii import PII_TYPES
from nordic_pile.pii.checksums import IBAN_LENGTHS, iban_ok
from nordic_pile.pii.contact import (
    email_span,
    grouped_ok,
    international_ok,
    ipv4_ok,
    ipv6_ok,
    swedish_national_ok,
)
from nordic_pile.pii.national import eleven_digit_ok, ten_digit_kind, twelve_digit_ok


@dataclass(frozen=True, slots=True)
class PiiSpan:
    type: str  # one of PII_TYPES
    start: int  # character offsets into the text, end exclusive
    end: int


# Every candidate starts with a digit, `@`, `:`, `+` or `(`: the pattern opens with that one character class so
# that the regex engine skips to those characters at C speed, and the branches check what came before with
# look-behinds (which is why branches start one character into their candidate). A number starts after anything
# but a word character, number punctuation (`-12`, `1.5`, `3/4`, `+1`) or a digit and a space (`1 048 576`), and
# ends before neither a word character nor punctuation that goes on with a digit (`811218-9876-1`, `12.5`).
_NUMBER_END = r"(?![\w@+]|[.,:/\-–]\d)"
_COMBINED = re.compile(
    r"[\d@:+(](?:"
    r"(?<=@)(?P<at>)"
    r"|(?<=:)(?P<ip6>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){1,7}(?:\.\d{1,3}){0,3})(?![\w:])"
    r"|(?<=(?<!\w)[A-Z]{2}\d)(?P<iban>\d(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)(?!\w)"
    r"|(?<![\w,/@+\-–].)(?<!\d[.:].)(?<!\d .)(?:"
    r"(?:(?P<se12>(?:(?<=1)[89]|(?<=2)0)\d{6}(?P<sep12>[-+]?)\d{4})"
    r"|(?<=\d)(?P<no11>\d{5} ?\d{5})"
    r"|(?<=\d)(?P<id10>\d{5}(?P<sep10>[-+]?)\d{4})"
    r"|(?<=\d)(?P<ip4>\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3})"
    r"|(?P<sen>(?:(?<=\()0\d{1,3}\) ?|(?<=0)[1-9]\d{0,2}[ \-–/])\d{2,3}(?: ?\d{2,3}){1,3})"
    r"|(?<=\d)(?P<grp>\d(?: \d\d){3}|\d\d \d\d \d{3}|\d{3} \d{4}|\d\d[ \-]\d{4}|\d \d\d \d\d|\d{7})"
    rf"){_NUMBER_END}(?! \d)"
    r"|(?P<intl>(?:(?<=\+)|(?<=0)0)(?:46|47|45|354|298)(?:[ \-–]?\(0\))?[ \-–]?\d(?:[ \-–]?\d){5,11})"
    rf"{_NUMBER_END}))"
)
_HEX = frozenset("0123456789abcdefABCDEF")


def _iban_end(text: str, start: int, end: int) -> int | None:
    """End of the IBAN that starts at `start`: the candidate cut to its country's length, at a group end."""
    length = IBAN_LENGTHS.get(text[start : start + 2])
    if length is None:
        return None
    n = 0
    for j in range(start, end):
        if text[j] != " ":
            n += 1
            if n == length:
                cut = j + 1
                if cut < end and text[cut] != " ":
                    return None
                return cut if iban_ok(text[start:cut].replace(" ", "")) else None
    return None


def _ipv6_start(text: str, colon: int) -> int | None:
    """Start of the IPv6 address whose first colon is at `colon`: up to four hex digits before it."""
    start = colon
    while start > colon - 4 and start > 0 and text[start - 1] in _HEX:
        start -= 1
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_:."):
        return None
    return start


def _classify(m: re.Match, text: str, language: str | None, public_ip: bool) -> PiiSpan | None:
    kind, start, end = m.lastgroup, m.start(), m.end(m.lastgroup)
    if kind == "at":
        span = email_span(text, start)
        return PiiSpan("email", *span) if span else None
    value = text[start:end]
    if kind == "id10":
        found = ten_digit_kind(value.replace("-", "").replace("+", ""), m.group("sep10"), text, start, language)
        return PiiSpan(found, start, end) if found else None
    if kind == "se12":
        ok = twelve_digit_ok(value.replace("-", "").replace("+", ""), m.group("sep12"))
        return PiiSpan("se_personnummer", start, end) if ok else None
    if kind == "no11":
        return PiiSpan("no_fodselsnummer", start, end) if eleven_digit_ok(value.replace(" ", "")) else None
    if kind == "intl":
        length = international_ok(value)
        return PiiSpan("phone", start, start + length) if length else None
    if kind == "sen":
        return PiiSpan("phone", start, end) if swedish_national_ok(value, text, start) else None
    if kind == "grp":
        return PiiSpan("phone", start, end) if grouped_ok(value, text, start, end) else None
    if kind == "ip4":
        return PiiSpan("ip", start, end) if ipv4_ok(value, text, start, public_ip) else None
    if kind == "ip6":
        first = _ipv6_start(text, start)
        ok = first is not None and ipv6_ok(text[first:end], public_ip)
        return PiiSpan("ip", first, end) if ok else None
    cut = _iban_end(text, start - 2, end)  # iban: the match starts at its check digits
    return PiiSpan("iban", start - 2, cut) if cut else None


def find_pii(
    text: str, language: str | None = None, types: frozenset[str] | None = None, public_ip: bool = True
) -> list[PiiSpan]:
    """Every identifier in `text`, in order, not overlapping. `language` (ISO 639-3) breaks ties between national
    numbers of the same shape; `types` keeps only those types; `public_ip=False` also reports private addresses."""
    spans: list[PiiSpan] = []
    search = _COMBINED.search
    pos = 0
    while (m := search(text, pos)) is not None:
        span = _classify(m, text, language, public_ip)
        if span is None:
            # a candidate that fails may hide a valid one that starts inside it
            pos = m.start() + 1 if m.lastgroup != "at" else m.end()
            continue
        while spans and spans[-1].end > span.start:  # an e-mail address swallows numbers in its local part
            spans.pop()
        spans.append(span)
        pos = max(span.end, m.start() + 1)
    if types is not None:
        spans = [s for s in spans if s.type in types]
    return spans


def count_pii(spans: list[PiiSpan]) -> dict[str, int]:
    """{type: count}, only types that occur, in PII_TYPES order."""
    counts = Counter(s.type for s in spans)
    return {t: counts[t] for t in PII_TYPES if counts[t]}


def placeholder(kind: str, template: str = "<{TYPE}>") -> str:
    return template.replace("{TYPE}", kind.upper()).replace("{type}", kind)


def redact(text: str, spans: list[PiiSpan], template: str = "<{TYPE}>") -> str:
    """`text` with every span replaced by its typed placeholder (`<EMAIL>`, `<SE_PERSONNUMMER>`)."""
    if not spans:
        return text
    parts, last = [], 0
    for s in spans:
        parts += [text[last : s.start], placeholder(s.type, template)]
        last = s.end
    parts.append(text[last:])
    return "".join(parts)
