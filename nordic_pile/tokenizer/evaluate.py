"""`nordic-pile tokenizer eval`: per language, how every given tokenizer fits the text, side by side."""

from __future__ import annotations

from collections import defaultdict

from nordic_pile.errors import InputError
from nordic_pile.mixture.inputs import CuratedDoc, find_inputs, read_curated
from nordic_pile.mixture.tables import language_label
from nordic_pile.tokenizer.backends import load_tokenizer
from nordic_pile.tokenizer.metrics import TokenizationStats, text_stats

BATCH = 64  # documents encoded per call


def collect_texts(inputs: list[str], max_chars_per_language: int) -> dict[str, list[str]]:
    """Documents per language, in input order, until each language has `max_chars_per_language` characters."""
    texts: dict[str, list[str]] = defaultdict(list)
    chars: dict[str, int] = defaultdict(int)
    for file in find_inputs(inputs):
        for doc in read_curated(file):
            if not isinstance(doc, CuratedDoc) or not doc.text:
                continue
            language = language_label(doc.language)
            if chars[language] >= max_chars_per_language:
                continue
            texts[language].append(doc.text)
            chars[language] += len(doc.text)
    if not texts:
        raise InputError(f"{', '.join(inputs)}: no documents with text")
    return dict(sorted(texts.items()))


def _names(backends) -> list[str]:
    names: list[str] = []
    for backend in backends:
        name = backend.name
        while name in names:
            name = f"{name}#{len(names)}"
        names.append(name)
    return names


def evaluate(tokenizers: list[str], inputs: list[str], max_chars_per_language: int = 1_000_000) -> dict:
    """{language: {tokenizer name: TokenizationStats}} and the tokenizer names, in the order given."""
    backends = [load_tokenizer(p) for p in tokenizers]
    names = _names(backends)
    kinds = [b.kinds() for b in backends]
    texts = collect_texts(inputs, max_chars_per_language)
    results: dict[str, dict[str, TokenizationStats]] = {}
    for language, docs in texts.items():
        results[language] = {}
        for name, backend, (unknown, byte) in zip(names, backends, kinds, strict=True):
            total = TokenizationStats()
            for start in range(0, len(docs), BATCH):
                batch = docs[start : start + BATCH]
                for text, (ids, spans) in zip(batch, backend.encode_offsets(batch), strict=True):
                    total.add(text_stats(text, ids, spans, int(unknown[ids].sum()), int(byte[ids].sum())))
            results[language][name] = total
    return {"tokenizers": dict(zip(names, (b.path for b in backends), strict=True)), "languages": results}
