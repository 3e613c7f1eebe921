"""Word evidence for close Nordic pairs: a naive-Bayes vote that settles what the fastText average leaves open.

fastText scores a text by the average of its word and n-gram vectors, so one telling word among fifteen shared
ones (`ein` in a Nynorsk sentence, `af` in a Danish one) moves the average little. Naive Bayes adds evidence
instead: every word contributes log P(word | a) - log P(word | b). When stage 1's two best classes are both Nordic
and its top probability is below `below`, the two are compared again with

    z = log(p_a / p_b) + beta * sum over words of [log P(w | a) - log P(w | b)]

and the sign of z picks the winner; its probability becomes (p_a + p_b) * sigmoid(|z|). The word counts come from
the model's own training texts (words seen `min_count` times or more), stored beside the model as
`<model>.words.tsv.zst`, one line per word: the word, then its count in each language of the header.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import zstandard

from nordic_pile.errors import ConfigError
from nordic_pile.readers.base import TRUNCATION_ERRORS
from nordic_pile.readers.compressed import CheckedZstdReader


@dataclass(frozen=True)
class ResolverSpec:
    enabled: bool = True
    min_count: int = 3
    """Words seen fewer times in all training texts together are left out of the table."""
    alpha: float = 0.5
    """Additive smoothing of the word counts."""
    beta: float = 1.0
    """Weight of the word evidence against stage 1's log-odds."""
    below: float = 0.9
    """Only decisions whose top probability is below this are compared again (13% of NordicDSL-like sentences;
    0.8-0.99 scored the same on held-out text, and each comparison costs about 5 µs)."""


def evidence_path(model_path: str) -> str:
    return model_path.rsplit(".", 1)[0] + ".words.tsv.zst"


def count_words(texts_by_language: dict[str, Iterable[str]], min_count: int) -> dict[str, Counter]:
    """Word counts per language of normalised texts, keeping words seen `min_count`+ times in all of them."""
    counts = {language: Counter() for language in sorted(texts_by_language)}
    for language, texts in texts_by_language.items():
        for text in texts:
            counts[language].update(text.split())
    total = Counter()
    for counter in counts.values():
        total.update(counter)
    keep = {word for word, n in total.items() if n >= min_count}
    return {language: Counter({w: n for w, n in c.items() if w in keep}) for language, c in counts.items()}


def save_counts(counts: dict[str, Counter], path: str) -> None:
    """The table as zstd-compressed TSV, words sorted: the same counts give the same bytes."""
    languages = sorted(counts)
    words = sorted(set().union(*counts.values()))
    lines = ["word\t" + "\t".join(languages)]
    lines += [w + "\t" + "\t".join(str(counts[lang][w]) for lang in languages) for w in words]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as f:
        f.write(zstandard.ZstdCompressor(level=19).compress(data))


class WordEvidence:
    """Smoothed log-probabilities of words per language, read from a `.words.tsv.zst` table."""

    def __init__(self, counts: dict[str, Counter], alpha: float):
        self.languages = tuple(sorted(counts))
        vocabulary = set().union(*counts.values())
        totals = {lang: sum(counts[lang].values()) + alpha * max(len(vocabulary), 1) for lang in self.languages}
        self.index = {lang: i for i, lang in enumerate(self.languages)}
        self.logp = {
            w: tuple(math.log((counts[lang][w] + alpha) / totals[lang]) for lang in self.languages) for w in vocabulary
        }

    @classmethod
    def load(cls, path: str, alpha: float) -> WordEvidence:
        try:
            raw = open(path, "rb")
        except OSError as e:
            raise ConfigError(
                f"{path}: cannot read the model's word table ({e.strerror}); retrain or reinstall"
            ) from None
        with io.TextIOWrapper(io.BufferedReader(CheckedZstdReader(raw)), encoding="utf-8") as lines:
            try:
                languages = lines.readline().rstrip("\n").split("\t")[1:]
                counts = {lang: Counter() for lang in languages}
                for line in lines:
                    word, *values = line.rstrip("\n").split("\t")
                    for lang, value in zip(languages, values, strict=True):
                        if value != "0":
                            counts[lang][word] = int(value)
            except TRUNCATION_ERRORS as e:  # a cut-off table would otherwise read as a smaller one
                raise ConfigError(f"{path}: the model's word table is cut short ({e}); retrain or reinstall") from None
        return cls(counts, alpha)

    def log_ratio(self, words: list[str], a: str, b: str) -> float:
        """sum over `words` of log P(w | a) - log P(w | b); words outside the table add nothing."""
        i, j = self.index[a], self.index[b]
        total = 0.0
        for row in map(self.logp.get, words):
            if row is not None:
                total += row[i] - row[j]
        return total


def resolve(top: list[tuple[float, str]], line: str, evidence: WordEvidence, spec: ResolverSpec) -> tuple[float, str]:
    """Stage 1's best (probability, `__label__x`) after the word vote between its two best classes, if both are in
    the table and the top probability is below `spec.below`; otherwise its best unchanged."""
    p, label = top[0]
    if len(top) < 2 or p >= spec.below:
        return p, label
    q, other = top[1]
    a, b = label[9:], other[9:]
    if a not in evidence.index or b not in evidence.index:
        return p, label
    z = math.log(max(p, 1e-9) / max(q, 1e-9)) + spec.beta * evidence.log_ratio(line.split(), a, b)
    if z < 0:
        p, label, z = q, other, -z
    return (top[0][0] + q) / (1.0 + math.exp(-z)), label
