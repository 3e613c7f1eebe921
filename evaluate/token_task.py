"""NER and POS: fine-tune a token head on a backbone for several seeds and score the test split.

NER is scored by strict span micro-F1 (conlleval), per type, and without MISC where the labels have it; POS by
accuracy. Labels sit on each word's first sub-word (Devlin et al. 2019).
"""

from __future__ import annotations

from collections import Counter

import torch

from nordic_pile.evaluate.finetune import TrainConfig, pad_batch, run_seeds, summarize_runs
from nordic_pile.evaluate.heads import TokenClassifier
from nordic_pile.evaluate.loading import describe_tokenizer, input_limit, load_backbone, load_word_tokenizer, pad_id
from nordic_pile.evaluate.metrics import accuracy, mean_sd, span_f1
from nordic_pile.evaluate.tagging import entity_types
from nordic_pile.evaluate.token_data import Chunk, encode_words
from nordic_pile.evaluate.token_splits import Split, check_labels, label_inventory

MISC = "MISC"


def predict(
    model: TokenClassifier,
    chunks: list[Chunk],
    n_words: list[int],
    labels: list[str],
    fallback: str,
    pad: int,
    batch_size: int = 32,
) -> list[list[str]]:
    """Tags per word of every sentence; a word with no first sub-word of its own gets `fallback`."""
    out = [[fallback] * n for n in n_words]
    order = sorted(range(len(chunks)), key=lambda i: -len(chunks[i].input_ids))
    device = next(model.parameters()).device
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            batch = [chunks[i] for i in order[b : b + batch_size]]
            ids, mask, _ = pad_batch([c.input_ids for c in batch], pad)
            best = model(ids.to(device), mask.to(device)).argmax(dim=-1).cpu()  # (B, T)
            for row, chunk in enumerate(batch):
                for k, pos in enumerate(chunk.word_pos):
                    if pos >= 0:
                        out[chunk.sentence][chunk.first_word + k] = labels[int(best[row, pos])]
    return out


def score(task: str, gold: list[list[str]], pred: list[list[str]], labels: list[str]) -> dict:
    if task == "pos":
        return {"accuracy": accuracy(gold, pred)}
    result = span_f1(gold, pred)
    if MISC in entity_types(labels):
        result["f1_no_misc"] = span_f1(gold, pred, ignore_types=[MISC])["f1"]
    return result


def baseline(task: str, train: Split, test: Split, labels: list[str]) -> dict:
    """The majority tag everywhere (for NER that is O: F1 0)."""
    majority = Counter(t for tags in train.tags for t in tags).most_common(1)[0][0]
    pred = [[majority] * len(tags) for tags in test.tags]
    return {"tag": majority, **{k: v for k, v in score(task, test.tags, pred, labels).items() if k != "per_type"}}


def run_token_task(
    task: str,
    model_path: str,
    train_split: Split,
    dev: Split,
    test: Split,
    *,
    cfg: TrainConfig,
    seeds: list[int],
    tokenizer: str | None = None,
    allow_unseen: bool = False,
    device: str = "cpu",
) -> dict:
    labels = label_inventory(task, train_split)
    labels = check_labels(labels, dev, "dev", allow_unseen)
    labels = check_labels(labels, test, "test", allow_unseen)
    index = {label: i for i, label in enumerate(labels)}
    source, tok = load_word_tokenizer(model_path, tokenizer)
    pad = pad_id(tok)
    limit = input_limit(source, tok, cfg.max_length)
    enc = {
        name: encode_words(tok, s.words, [[index[t] for t in tags] for tags in s.tags], limit)
        for name, s in (("train", train_split), ("dev", dev), ("test", test))
    }
    fallback = "O" if task == "ner" else Counter(t for tags in train_split.tags for t in tags).most_common(1)[0][0]
    metric = "f1" if task == "ner" else "accuracy"

    def make_batch(chunks: list[Chunk]):
        return pad_batch([c.input_ids for c in chunks], pad, [c.labels for c in chunks])

    def tag(model, split: Split, name: str) -> list[list[str]]:
        return predict(model, enc[name].chunks, [len(w) for w in split.words], labels, fallback, pad)

    info: dict = {}

    def build() -> TokenClassifier:
        backbone, info["model"] = load_backbone(source)
        return TokenClassifier(backbone, len(labels), cfg.dropout).to(device)

    runs = run_seeds(
        seeds,
        build,
        enc["train"].chunks,
        make_batch,
        lambda m: score(task, dev.tags, tag(m, dev, "dev"), labels)[metric],
        lambda m: score(task, test.tags, tag(m, test, "test"), labels),
        cfg,
    )
    keys = [metric] + (["precision", "recall"] if task == "ner" else [])
    keys += ["f1_no_misc"] if "f1_no_misc" in runs[0]["test"] else []
    summary = summarize_runs(runs, keys)
    if task == "ner":
        types = sorted({t for r in runs for t in r["test"]["per_type"]})
        summary["per_type_f1"] = {
            t: mean_sd([r["test"]["per_type"].get(t, {}).get("f1", 0.0) for r in runs]) for t in types
        }
    return {
        "task": task,
        "model": info["model"],
        "tokenizer": describe_tokenizer(source, tok),
        "labels": labels,
        "data": {
            name: {
                "sentences": len(s.words),
                "words": s.n_words,
                "files": s.info,
                "split_sentences": enc[name].split_sentences,
                "words_without_subwords": enc[name].words_without_subwords,
            }
            for name, s in (("train", train_split), ("dev", dev), ("test", test))
        },
        "settings": cfg.to_dict() | {"max_length_used": limit},
        "seeds": seeds,
        "metric": metric,
        "summary": summary,
        "baseline": baseline(task, train_split, test, labels),
        "runs": runs,
    }
