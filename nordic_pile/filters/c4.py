"""C4-style line cleanup (Raffel et al. 2020, sec. 2.2) with Nordic boilerplate phrases: a formatter, off by default."""

from __future__ import annotations

import re

from datatrove.pipeline.formatters.base import BaseFormatter

from nordic_pile.filters.stats import CLOSERS
from nordic_pile.text.words import WORD_RE

# Cookie, privacy and terms-of-use boilerplate, lower case: C4's English phrases and their Nordic equivalents.
POLICY_PHRASES = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
    # sv
    "använder cookies",
    "använder kakor",
    "cookiepolicy",
    "integritetspolicy",
    "användarvillkor",
    "godkänner cookies",
    # nb, nn
    "bruker informasjonskapsler",
    "brukar informasjonskapslar",
    "nyttar informasjonskapslar",
    "bruker cookies",
    "personvernerklæring",
    "vilkår for bruk",
    "brukervilkår",
    "brukarvilkår",
    # da
    "bruger cookies",
    "anvender cookies",
    "brug af cookies",
    "cookiepolitik",
    "privatlivspolitik",
    "persondatapolitik",
    # is, fo
    "notar vafrakökur",
    "vafrakökur",
    "persónuverndarstefna",
    "nýtir cookies",
    "brúkar cookies",
)
C4_TERMINAL = (".", "!", "?", '"', "'", "”", "’", "»")
_CITATION = re.compile(r"\[\d*\]|\[(?:edit|redigera|rediger|breyta|citation needed|källa behövs|trenger kilde)\]")


class C4LineCleanup(BaseFormatter):
    """Remove lines without terminal punctuation or with javascript, cookie/privacy or lorem-ipsum boilerplate (C4).

    Blank lines between paragraphs stay (runs of them become one). Each removed line is counted by reason in the
    step's stats (`line_removed/<reason>`). Off by default: headings and list items end without punctuation.
    """

    name = "c4_line_cleanup"

    def __init__(
        self,
        require_terminal_punct: bool = True,
        min_words_per_line: int = 3,
        max_word_length: int = 1000,
        remove_javascript: bool = True,
        remove_policy: bool = True,
        remove_lorem_ipsum: bool = True,
        remove_citations: bool = True,
        policy_phrases: list[str] | None = None,
    ):
        super().__init__()
        self.require_terminal_punct = require_terminal_punct
        self.min_words_per_line, self.max_word_length = min_words_per_line, max_word_length
        self.remove_javascript, self.remove_policy = remove_javascript, remove_policy
        self.remove_lorem_ipsum, self.remove_citations = remove_lorem_ipsum, remove_citations
        self.policy_phrases = tuple(p.lower() for p in (POLICY_PHRASES if policy_phrases is None else policy_phrases))

    def line_problem(self, line: str) -> str | None:
        """Why C4 would remove this (non-blank) line, or None to keep it."""
        if self.max_word_length > 0 and any(len(w) > self.max_word_length for w in line.split()):
            return "too_long_word"
        stripped = line.rstrip()
        if self.require_terminal_punct and (
            not stripped.endswith(C4_TERMINAL) or stripped.rstrip(CLOSERS).endswith(("...", "…"))
        ):
            return "no_terminal_punct"
        if len(WORD_RE.findall(line)) < self.min_words_per_line:
            return "too_few_words"
        lower = line.lower()
        if self.remove_lorem_ipsum and "lorem ipsum" in lower:
            return "lorem_ipsum"
        if self.remove_javascript and "javascript" in lower:
            return "javascript"
        if self.remove_policy and any(p in lower for p in self.policy_phrases):
            return "policy"
        return None

    def format(self, text: str) -> str:
        kept: list[str] = []
        for line in text.split("\n"):
            if not line.strip():
                if kept and kept[-1]:
                    kept.append("")
                continue
            if self.remove_citations:
                line = _CITATION.sub("", line)
            problem = self.line_problem(line)
            if problem:
                self.stat_update(f"line_removed/{problem}")
                continue
            kept.append(line)
        return "\n".join(kept).strip("\n")
