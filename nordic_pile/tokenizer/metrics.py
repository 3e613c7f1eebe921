"""How well a tokenizer fits a language: fertility, characters per token, unknown and byte-fallback rates and the
proportion of continued words (Rust et al. 2021, "How Good is Your Tokenizer?").

Words are nordic-pile's words (`nordic_pile.text.words`: `bl.a.`, `17-årig` and `rock'n'roll` are one word each).
A token belongs to a word when its character span overlaps the word (the `▁` of `▁ord` covers the space before
it, not the previous word); byte-fallback tokens of one character all belong to that character's word.
fertility = tokens of words / words; a continued word is one that takes two or more tokens.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from nordic_pile.text.words import word_spans


@dataclass
class TokenizationStats:
    documents: int = 0
    chars: int = 0
    words: int = 0
    tokens: int = 0
    word_tokens: int = 0
    continued_words: int = 0
    unknown_tokens: int = 0
    byte_tokens: int = 0

    def add(self, other: TokenizationStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def fertility(self) -> float:
        return self.word_tokens / self.words if self.words else 0.0

    @property
    def chars_per_token(self) -> float:
        return self.chars / self.tokens if self.tokens else 0.0

    @property
    def unknown_rate(self) -> float:
        return self.unknown_tokens / self.tokens if self.tokens else 0.0

    @property
    def byte_fallback_rate(self) -> float:
        return self.byte_tokens / self.tokens if self.tokens else 0.0

    @property
    def continued_word_rate(self) -> float:
        return self.continued_words / self.words if self.words else 0.0

    def summary(self) -> dict:
        return asdict(self) | {
            "fertility": self.fertility,
            "chars_per_token": self.chars_per_token,
            "unknown_rate": self.unknown_rate,
            "byte_fallback_rate": self.byte_fallback_rate,
            "continued_word_rate": self.continued_word_rate,
        }


def text_stats(text: str, ids: np.ndarray, spans: np.ndarray, unknown: int, byte: int) -> TokenizationStats:
    """Statistics of one tokenised text; `spans` (T, 2) are the tokens' character offsets, `unknown` and `byte` the
    numbers of unknown and byte-fallback tokens."""
    words = np.asarray(word_spans(text), dtype=np.int64).reshape(-1, 2)
    counts = np.zeros(len(words) + 1, dtype=np.int64)
    if len(words) and len(spans):
        starts, ends = spans[:, 0], np.maximum(spans[:, 1], spans[:, 0] + 1)  # an empty span counts at its start
        first = np.searchsorted(words[:, 1], starts, side="right")  # first word ending after the token starts
        last = np.searchsorted(words[:, 0], ends, side="left")  # words starting before the token ends
        keep = last > first
        np.add.at(counts, first[keep], 1)
        np.add.at(counts, last[keep], -1)
    per_word = np.cumsum(counts)[: len(words)]
    return TokenizationStats(
        documents=1,
        chars=len(text),
        words=len(words),
        tokens=len(ids),
        word_tokens=int(per_word.sum()),
        continued_words=int((per_word >= 2).sum()),
        unknown_tokens=int(unknown),
        byte_tokens=int(byte),
    )
