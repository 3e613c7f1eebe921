"""Character-normalised perplexity (GPT-SW3, Ekgren et al. 2023, eq. 1), bits per byte and token perplexity.

PPL_c = exp(-(1/c) * sum_i log p(x_i | x_<i)) with c the characters of the NFC text. Log-likelihoods are summed in
float64 over all scored tokens first and divided once (never an average of per-document averages).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from nordic_pile.evaluate.windows import Window, plan_windows

LN2 = math.log(2)


@dataclass(frozen=True, slots=True)
class PplSums:
    """Additive totals of a set of documents; metrics are derived from the sums only."""

    nll: float = 0.0  # nats, summed over scored tokens
    tokens: int = 0  # scored tokens
    chars: int = 0  # characters of the NFC text
    bytes: int = 0  # UTF-8 bytes of the NFC text
    documents: int = 0

    def __add__(self, other: PplSums) -> PplSums:
        return PplSums(
            self.nll + other.nll,
            self.tokens + other.tokens,
            self.chars + other.chars,
            self.bytes + other.bytes,
            self.documents + other.documents,
        )

    def metrics(self) -> dict:
        """`ppl_c`, `bits_per_byte`, `bits_per_char`, `token_ppl` (all lower is better) with the counts."""
        return {
            "ppl_c": _exp(self.nll / self.chars) if self.chars else math.nan,
            "bits_per_byte": self.nll / (LN2 * self.bytes) if self.bytes else math.nan,
            "bits_per_char": self.nll / (LN2 * self.chars) if self.chars else math.nan,
            "token_ppl": _exp(self.nll / self.tokens) if self.tokens else math.nan,
            "chars": self.chars,
            "bytes": self.bytes,
            "tokens": self.tokens,
            "documents": self.documents,
            "nll_nats": self.nll,
        }


HIGHER_IS_BETTER = {"ppl_c": False, "bits_per_byte": False, "bits_per_char": False, "token_ppl": False}


def _exp(x: float) -> float:
    return math.exp(x) if x < 700 else math.inf


ROWS_AT_ONCE = 1024
"""Positions whose log-softmax is taken at once (a float32 copy of 1,024 x vocabulary)."""


@dataclass(frozen=True, slots=True)
class _Job:
    doc: int
    seq: Sequence[int]
    window: Window


def _batches(jobs: list[_Job], batch_tokens: int, batch_size: int) -> list[list[_Job]]:
    """Longest first (like lm-evaluation-harness), so padding is small and an out-of-memory shows up at once."""
    ordered = sorted(jobs, key=lambda j: (-j.window.n_inputs, j.doc, j.window.start))
    batches, current = [], []
    for job in ordered:
        width = current[0].window.n_inputs if current else job.window.n_inputs
        if current and ((len(current) + 1) * width > batch_tokens or len(current) >= batch_size):
            batches.append(current)
            current = []
        current.append(job)
    if current:
        batches.append(current)
    return batches


def score_token_lists(
    model,
    sequences: Sequence[Sequence[int]],
    window: int,
    stride: int | None = None,
    batch_tokens: int = 4096,
    batch_size: int = 64,
    pad_id: int = 0,
) -> list[tuple[float, int]]:
    """Sum of log-likelihoods (nats, float64) and number of scored tokens of each sequence; tokens 1.. are scored.

    A sequence is `[prefix] + document tokens` (every document token is scored), or the document tokens alone
    (its first token cannot be scored). `model(input_ids=, attention_mask=)` must return an object
    with `.logits` of shape (B, T, V) where position t predicts token t + 1 (any causal LM).
    """
    import torch

    jobs = [_Job(d, seq, w) for d, seq in enumerate(sequences) for w in plan_windows(len(seq) - 1, window, stride)]
    totals = [0.0] * len(sequences)
    counts = [0] * len(sequences)
    device = next(model.parameters()).device
    with torch.inference_mode():
        for batch in _batches(jobs, batch_tokens, batch_size):
            width = batch[0].window.n_inputs
            ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, job in enumerate(batch):
                w = job.window
                ids[row, : w.n_inputs] = torch.as_tensor(job.seq[w.start : w.end], dtype=torch.long)
                mask[row, : w.n_inputs] = 1
            logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits  # (B, T, V)
            for row, job in enumerate(batch):
                w = job.window
                first = w.target_start - 1 - w.start  # input position predicting the first target
                targets = torch.as_tensor(job.seq[w.target_start : w.end + 1], dtype=torch.long, device=device)
                for a in range(0, w.n_targets, ROWS_AT_ONCE):  # bounded float32 copies of (rows, V) logits
                    rows = logits[row, first + a : first + min(w.n_targets, a + ROWS_AT_ONCE)].float()
                    goal = targets[a : a + ROWS_AT_ONCE, None]
                    picked = rows.gather(1, goal)[:, 0] - torch.logsumexp(rows, dim=-1)  # nats
                    totals[job.doc] += float(picked.double().sum())
                counts[job.doc] += w.n_targets
            del logits
    return list(zip(totals, counts, strict=True))


def document_sums(text: str, loglik: float, tokens: int) -> PplSums:
    return PplSums(-loglik, tokens, len(text), len(text.encode("utf-8")), 1)
