"""Sentence splitting for Nordic text, offline: rules for abbreviations, ordinals, initials and numbered headings.

NorLM (Kutuzov et al. 2021) prepared NorBERT's corpus as one sentence per line with a blank line between
documents; this splitter makes that format without a model. A line break always ends a sentence (headings, list
items and table rows stand alone); inside a line a sentence ends at `.`, `!`, `?` or `…` (with any closing quotes
or brackets) followed by whitespace and a capital letter, a digit or an opening quote, bracket or dash, except

- after an abbreviation that a word always follows (`bl.a.`, `f.eks.`, `t.ex.`, `d.v.s.`, `ca.`, `nr.`, `Dr.`);
  after one that often ends a sentence (`osv.`, `o.s.v.`, `m.m.`, `etc.`) a capitalised word starts a new one;
- after initials (`J. R. R. Tolkien`, `H.C. Andersen`);
- after a number that is an ordinal or a numbering: before a month (`12. mai`, `17. Mai`), at the start of a
  line (`1. Første punkt`, `12.1. RAID og LVM`), after a heading noun that starts the line (`Kapittel 12.
  Avansert administrasjon`, `Figur 17.3. Gaussisk sløring`), or before another number (`5. 6. klasse`).

A lower-case word after a full stop never starts a sentence (`12. mai`, `»Kommer du?« spurte han`).
stanza (Qi et al. 2020) is an optional backend for languages whose tokenizer model files are present.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from nordic_pile.errors import ConfigError
from nordic_pile.text.abbreviations import CAPITALIZED, MAY_END, MONTHS, NUMBER_NOUNS, never_final

# end punctuation, closing quotes/brackets, whitespace, then the first character of the next sentence
_END = re.compile(r"([.!?…]+)([\"'»«”’)\]]*)(\s+)(?=(\S))")
_OPENERS = "«»\"“„‘'([–—-¿¡"
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*\.$")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.)+$")
_FIRST_WORD = re.compile(r"\W*(\w+)")
_STRIP_OPEN = "([{«»\"“„‘'"


def _next_word(line: str, start: int) -> str:
    match = _FIRST_WORD.match(line, start)
    return match.group(1) if match else ""


def _is_abbreviation(token: str, abbreviations: frozenset[str]) -> bool:
    if "." in token[:-1]:  # several parts (bl.a., f.eks.): unambiguous in any case
        return token.lower() in abbreviations
    if token.islower():
        return token in abbreviations
    return token.lower() in CAPITALIZED


def _numbering(line: str, token: str, token_start: int, next_char: str, line_start: int) -> bool:
    """True when the number `token` (ending in its dot) is an ordinal or a numbering, not the end of a sentence."""
    if not _NUMBER.match(token):
        return False
    before = line[line_start:token_start].split()
    if not before:  # `1. Første punkt`, `12.1. RAID og LVM`
        return True
    if len(before) == 1 and before[0].strip(_STRIP_OPEN).lower() in NUMBER_NOUNS:
        return True
    return next_char.isdigit()


def _boundary(line: str, match: re.Match, abbreviations: frozenset[str], line_start: int) -> bool:
    punct, next_char = match.group(1), match.group(4)
    if next_char.islower():
        return False
    if not (next_char.isupper() or next_char.isdigit() or next_char in _OPENERS or next_char.isalpha()):
        return False
    if punct != ".":  # ! ? … .. end a sentence before a capital, digit or opener
        return True
    token_match = _TOKEN_BEFORE.search(line, line_start, match.end(1))
    token = token_match.group(1).lstrip(_STRIP_OPEN) if token_match else "."
    if match.group(2):  # `»Ja.« Han gikk.`: the quote closes a sentence
        return True
    if token.lower() in MAY_END:
        return next_char.isupper()
    if _is_abbreviation(token, abbreviations) or _INITIALS.match(token) and token[0].isupper():
        return False
    if _numbering(line, token, token_match.start(1) if token_match else match.start(), next_char, line_start):
        return False
    if _NUMBER.match(token) and _next_word(line, match.end()).lower() in MONTHS:
        return False
    return True


def sentence_spans(text: str, language: str | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) character offsets of the sentences of `text`, without surrounding whitespace."""
    abbreviations = never_final(language)
    line_start = 0
    for line_end in [*(m.start() for m in re.finditer("\n", text)), len(text)]:
        start = line_start
        for match in _END.finditer(text, line_start, line_end):
            if _boundary(text, match, abbreviations, line_start):
                yield from _stripped(text, start, match.end(2))
                start = match.end()
        yield from _stripped(text, start, line_end)
        line_start = line_end + 1


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """The sentences of `text` in order: no sentence contains a line break or starts or ends with whitespace."""
    return [text[a:b] for a, b in sentence_spans(text, language)]


STANZA_CODES = {
    "nob": "nb",
    "nno": "nn",
    "swe": "sv",
    "dan": "da",
    "isl": "is",
    "fao": "fo",
    "eng": "en",
    "fin": "fi",
    "deu": "de",
}


class StanzaSentenceSplitter:
    """Sentences from stanza's neural tokenizer, loaded from local model files only (never downloaded)."""

    def __init__(self, model_dir: str):
        if not os.path.isdir(model_dir):
            raise ConfigError(
                f"stanza model folder {model_dir!r} does not exist; download the tokenizers on a machine "
                "with internet (`python -c \"import stanza; stanza.download('nb', model_dir='DIR', "
                "processors='tokenize')\"`), copy DIR here, or use the rule-based splitter"
            )
        self.model_dir = model_dir
        self._pipelines: dict[str, object] = {}

    def __getstate__(self):
        return {"model_dir": self.model_dir, "_pipelines": {}}  # pipelines load again in each worker

    def _pipeline(self, language: str):
        if language not in self._pipelines:
            try:
                import stanza
            except ImportError as e:
                raise ConfigError("the stanza backend needs the stanza package: pip install stanza") from e
            code = STANZA_CODES.get(language, language)
            folder = os.path.join(self.model_dir, code, "tokenize")
            if not os.path.isdir(folder) or not any(f.endswith(".pt") for f in os.listdir(folder)):
                raise ConfigError(
                    f"no stanza tokenizer for language {language!r} in {self.model_dir}: expected "
                    f"{folder}/<package>.pt; download it elsewhere with stanza.download({code!r}, "
                    f"model_dir=..., processors='tokenize') and copy it there, or use the rule-based splitter"
                )
            self._pipelines[language] = stanza.Pipeline(
                code, dir=self.model_dir, processors="tokenize", download_method=None, logging_level="WARN"
            )
        return self._pipelines[language]

    def split(self, text: str, language: str) -> list[str]:
        doc = self._pipeline(language)(text)
        sentences = []
        for sentence in doc.sentences:
            start, end = sentence.tokens[0].start_char, sentence.tokens[-1].end_char
            sentences.extend(piece.strip() for piece in text[start:end].split("\n") if piece.strip())
        return sentences


class SentenceSplitter:
    """The splitter a command was asked for: `rules` (offline, the default) or `stanza` (with `stanza_dir`)."""

    def __init__(self, backend: str = "rules", stanza_dir: str | None = None):
        if backend not in ("rules", "stanza"):
            raise ConfigError(f"--splitter {backend!r}; use rules (offline, default) or stanza")
        self.backend, self.stanza_dir = backend, stanza_dir
        self._stanza = StanzaSentenceSplitter(stanza_dir or "") if backend == "stanza" else None

    def split(self, text: str, language: str | None) -> list[str]:
        if self._stanza is not None:
            return self._stanza.split(text, language or "und")
        return split_sentences(text, language)
