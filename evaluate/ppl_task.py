"""Perplexity of one causal LM on evaluation documents, per language and per source."""

from __future__ import annotations

import time
from collections import defaultdict

from nordic_pile.errors import ConfigError
from nordic_pile.evaluate.loading import (
    context_length,
    describe_model,
    describe_tokenizer,
    load_causal_lm,
    resolve_model,
)
from nordic_pile.evaluate.perplexity import PplSums, document_sums, score_token_lists
from nordic_pile.evaluate.texts import EvalData
from nordic_pile.evaluate.windows import check_window

GROUPINGS = ("language", "source")


def prefix_token(tokenizer, mode: str) -> tuple[int | None, str]:
    """The token each document is conditioned on: (id or None, what it is). `auto` follows lm-evaluation-harness:
    BOS if the tokenizer has one, else EOS; export our checkpoints with BOS set to the token that preceded
    documents in training."""
    bos, eos = tokenizer.bos_token_id, tokenizer.eos_token_id
    if mode == "auto":
        mode = "bos" if bos is not None else "eos" if eos is not None else "none"
    if mode == "none":
        return None, "none (the first token of each document is not scored)"
    if mode in ("bos", "eos"):
        token_id = bos if mode == "bos" else eos
        if token_id is None:
            raise ConfigError(
                f"--prefix {mode}: the tokenizer has no {mode.upper()} token; use --prefix "
                f"{'eos' if mode == 'bos' else 'bos'}, none or a token id"
            )
        return token_id, f"{mode} {tokenizer.convert_ids_to_tokens(token_id)!r} (id {token_id})"
    try:
        token_id = int(mode)
    except ValueError:
        raise ConfigError(f"--prefix {mode}: use auto, bos, eos, none or a token id") from None
    if not 0 <= token_id < len(tokenizer):
        raise ConfigError(f"--prefix {mode}: not a token id of this tokenizer (0..{len(tokenizer) - 1})")
    return token_id, f"id {token_id} {tokenizer.convert_ids_to_tokens(token_id)!r}"


def _check_by(by: tuple[str, ...]) -> None:
    for field in by:
        if field not in GROUPINGS:
            raise ConfigError(f"--by {field}: use one or more of {', '.join(GROUPINGS)}")


def group_sums(data: EvalData, scores: list[tuple[float, int]], by: tuple[str, ...]) -> dict:
    """overall and `by_<field>` tables of metrics, from per-document sums (summed first, divided once)."""
    overall = PplSums()
    groups: dict[str, dict[str, PplSums]] = {field: defaultdict(PplSums) for field in by}
    for doc, (loglik, tokens) in zip(data.docs, scores, strict=True):
        sums = document_sums(doc.text, loglik, tokens)
        overall += sums
        for field in by:
            groups[field][getattr(doc, field)] += sums
    result = {"overall": overall.metrics()}
    for field in by:
        result[f"by_{field}"] = {key: groups[field][key].metrics() for key in sorted(groups[field])}
    return result


def score_loaded(
    model,
    tok,
    data: EvalData,
    *,
    window: int | None = None,
    stride: int | None = None,
    prefix: str = "auto",
    by: tuple[str, ...] = ("language",),
    batch_tokens: int | None = None,
) -> dict:
    """Score `data` with a loaded causal LM and its tokenizer: the settings used, the run time and the tables."""
    _check_by(by)
    context = context_length(model, tok)
    window = window or context
    if window > context:
        raise ConfigError(f"--window {window}: longer than the model's context ({context} tokens)")
    stride = stride or window
    check_window(window, stride)
    batch_tokens = batch_tokens or max(4096, window)
    if batch_tokens < window:
        raise ConfigError(f"--batch-tokens {batch_tokens}: must hold at least one window ({window} tokens)")
    prefix_id, prefix_desc = prefix_token(tok, prefix)
    start = time.perf_counter()
    encoded = tok([d.text for d in data.docs], add_special_tokens=False, verbose=False)["input_ids"]
    sequences = [([prefix_id] + ids) if prefix_id is not None else ids for ids in encoded]
    pad = tok.pad_token_id if tok.pad_token_id is not None else 0
    scores = score_token_lists(model, sequences, window, stride, batch_tokens=batch_tokens, pad_id=pad)
    seconds = time.perf_counter() - start
    result = group_sums(data, scores, by)
    scored = result["overall"]["tokens"]
    return {
        "window": window,
        "stride": stride,
        "context_length": context,
        "prefix": prefix_desc,
        "runtime_s": round(seconds, 3),
        "tokens_per_s": round(scored / seconds, 1) if seconds > 0 else None,
        **result,
    }


def evaluate_perplexity(
    model_path: str,
    data: EvalData,
    *,
    window: int | None = None,
    stride: int | None = None,
    prefix: str = "auto",
    by: tuple[str, ...] = ("language",),
    batch_tokens: int | None = None,
    dtype: str = "float32",
    tokenizer: str | None = None,
    gguf_file: str | None = None,
    device: str = "cpu",
) -> dict:
    """Load the model at `model_path` and score every document of `data`; the result records how."""
    _check_by(by)  # before the model loads
    source = resolve_model(model_path, gguf_file, tokenizer)
    model, tok = load_causal_lm(source, dtype=dtype, device=device)
    scored = score_loaded(
        model, tok, data, window=window, stride=stride, prefix=prefix, by=by, batch_tokens=batch_tokens
    )
    return {"model": describe_model(source, model), "tokenizer": describe_tokenizer(source, tok), **scored}
