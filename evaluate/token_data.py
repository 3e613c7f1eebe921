"""Words with tags -> sub-word inputs with the label on each word's first sub-word (the rest are ignored, -100).

A sentence is tokenized as running text (words joined by single spaces), as the model saw text in pretraining, and
words are found in the sub-words through the tokenizer's character offsets. A sentence longer than the model's
input is split at word boundaries into pieces that fit; predictions are put back together per sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

IGNORE = -100


@dataclass(frozen=True, slots=True)
class Chunk:
    """One model input: a run of words `first_word .. first_word + len(word_pos) - 1` of sentence `sentence`."""

    input_ids: list[int]
    labels: list[int]  # IGNORE except at each word's first sub-word
    word_pos: list[int]  # position of each word's first sub-word in input_ids, -1 if it has none
    sentence: int
    first_word: int


@dataclass(frozen=True, slots=True)
class Encoded:
    chunks: list[Chunk]
    split_sentences: int  # sentences longer than the input, scored in pieces
    words_without_subwords: int  # words that share a sub-word with the word before (or vanish in normalisation)


def _word_spans(words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    spans, position = [], 0
    for word in words:
        spans.append((position, position + len(word)))
        position += len(word) + 1
    return " ".join(words), spans


def _first_subwords(offsets: list[tuple[int, int]], special: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """Index of the first sub-word overlapping each word's characters; -1 if that sub-word already started a word."""
    firsts, token, used = [], 0, -1
    for start, end in spans:
        while token < len(offsets) and (special[token] or offsets[token][1] <= start):
            token += 1
        hit = token if token < len(offsets) and offsets[token][0] < end and token != used else -1
        firsts.append(hit)
        if hit >= 0:
            used = hit
    return firsts


def _encode(tokenizer, texts: list[str]):
    return tokenizer(
        texts, add_special_tokens=True, return_offsets_mapping=True, return_special_tokens_mask=True, verbose=False
    )


def _pieces(counts: list[int], budget: int) -> list[tuple[int, int]]:
    """Word ranges [a, b) whose sub-word counts fit `budget`; a word longer than the budget is a piece alone."""
    pieces, start, used = [], 0, 0
    for i, count in enumerate(counts):
        if i > start and used + count > budget:
            pieces.append((start, i))
            start, used = i, 0
        used += count
    pieces.append((start, len(counts)))
    return pieces


def _split(firsts: list[int], n_ids: int, n_end_specials: int, budget: int, a: int, e: int) -> list[tuple]:
    """Word ranges of [a, e) that should fit `budget` sub-words, from the sub-words each word took here."""
    starts = [f for f in firsts if f >= 0] + [n_ids - n_end_specials]
    counts, k = [], 0
    for f in firsts:  # from this word's first sub-word to the next word's first
        if f < 0:
            counts.append(0)
            continue
        k += 1
        counts.append(starts[k] - f)
    pieces = [(a + x, a + y) for x, y in _pieces(counts, budget)]
    if len(pieces) == 1:  # the counts fit but the text did not (sub-words depend on context): halve
        pieces = [(a, (a + e) // 2), ((a + e) // 2, e)]
    return pieces


def encode_words(tokenizer, sentences: list[list[str]], labels: list[list[int]] | None, max_length: int) -> Encoded:
    """Chunks for every sentence; `labels` are label ids per word (None when only predicting)."""
    budget = max(1, max_length - tokenizer.num_special_tokens_to_add(pair=False))
    pending = [(s, 0, len(words)) for s, words in enumerate(sentences)]
    rows: dict[tuple[int, int, int], tuple] = {}
    split: set[int] = set()
    while pending:  # encode; pieces that are too long are split at word boundaries and encoded again
        enc = _encode(tokenizer, [" ".join(sentences[s][a:e]) for s, a, e in pending])
        retry = []
        for i, (s, a, e) in enumerate(pending):
            ids, offsets, special = enc["input_ids"][i], enc["offset_mapping"][i], enc["special_tokens_mask"][i]
            firsts = _first_subwords(offsets, special, _word_spans(sentences[s][a:e])[1])
            if len(ids) <= max_length or e - a == 1:
                rows[(s, a, e)] = (ids[:max_length], firsts)
                continue
            split.add(s)
            end_specials = next((k for k, flag in enumerate(reversed(special)) if not flag), 0)
            retry += [(s, x, y) for x, y in _split(firsts, len(ids), end_specials, budget, a, e)]
        pending = retry
    chunks: list[Chunk] = []
    lost = 0
    for (s, a, _), (ids, firsts) in sorted(rows.items()):
        firsts = [f if f < len(ids) else -1 for f in firsts]
        lost += sum(f < 0 for f in firsts)
        row_labels = [IGNORE] * len(ids)
        if labels is not None:
            for k, f in enumerate(firsts):
                if f >= 0:
                    row_labels[f] = labels[s][a + k]
        chunks.append(Chunk(list(ids), row_labels, firsts, s, a))
    return Encoded(chunks, len(split), lost)
