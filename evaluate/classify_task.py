"""Sentence classification (binary or multi-class): fine-tune a head on the [CLS]/pooled or last-token vector;
macro-F1 and Matthews correlation over several seeds."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field

import torch

from nordic_pile.errors import ConfigError, InputError
from nordic_pile.evaluate.finetune import TrainConfig, pad_batch, run_seeds, summarize_runs
from nordic_pile.evaluate.heads import POOLINGS, SequenceClassifier
from nordic_pile.evaluate.loading import describe_tokenizer, input_limit, load_backbone, load_word_tokenizer, pad_id
from nordic_pile.evaluate.metrics import macro_f1, mcc
from nordic_pile.evaluate.report import file_sha256


@dataclass(slots=True)
class TextSplit:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    where: list[tuple[str, int]] = field(default_factory=list)
    info: list[dict] = field(default_factory=list)


def _rows(path: str, text_key: str, label_key: str):
    """(line, text, label) of a JSONL file, or of a CSV/TSV file with a header row."""
    with open(path, encoding="utf-8", newline="") as f:
        if path.endswith((".tsv", ".csv")):
            reader = csv.DictReader(f, delimiter="\t" if path.endswith(".tsv") else ",")
            missing = {text_key, label_key} - set(reader.fieldnames or ())
            if missing:
                raise InputError(
                    f"{path}: no column(s) {sorted(missing)} in the header {reader.fieldnames}; "
                    f"set --text-key/--label-key"
                )
            for row in reader:
                yield reader.line_num, row[text_key], row[label_key]
            return
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(
                    f"{path}:{number}: invalid JSON ({e.msg}); classification data is JSONL, or "
                    f".tsv/.csv with a header"
                ) from None
            if not isinstance(record, dict) or text_key not in record or label_key not in record:
                raise InputError(
                    f"{path}:{number}: a record needs {text_key!r} and {label_key!r} fields; set "
                    f"--text-key/--label-key"
                )
            yield number, record[text_key], record[label_key]


def read_text_split(paths: list[str], text_key: str = "text", label_key: str = "label") -> TextSplit:
    split = TextSplit()
    for path in paths:
        try:
            rows = list(_rows(path, text_key, label_key))
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        for number, text, label in rows:
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{path}:{number}: empty or non-string {text_key!r}")
            split.texts.append(text)
            split.labels.append(str(label))
            split.where.append((path, number))
        split.info.append({"path": path, "sha256": file_sha256(path), "examples": len(rows)})
        if not rows:
            raise InputError(f"{path}: no examples")
    return split


def check_classes(classes: list[str], split: TextSplit, name: str) -> None:
    unseen = {}
    for label, where in zip(split.labels, split.where, strict=True):
        if label not in classes:
            unseen.setdefault(label, where)
    if unseen:
        first, (path, line) = next(iter(unseen.items()))
        raise ConfigError(
            f"label set mismatch: --{name} has label(s) {sorted(unseen)[:8]} the training data "
            f"lacks (first {first!r} at {path}:{line}); every class needs training examples"
        )


def run_classify(
    model_path: str,
    train_split: TextSplit,
    dev: TextSplit,
    test: TextSplit,
    *,
    cfg: TrainConfig,
    seeds: list[int],
    pooling: str = "auto",
    tokenizer: str | None = None,
    device: str = "cpu",
) -> dict:
    if pooling not in POOLINGS:
        raise ConfigError(f"--pooling {pooling}: use one of {', '.join(POOLINGS)}")
    classes = sorted(set(train_split.labels))
    if len(classes) < 2:
        raise ConfigError(f"--train has one class ({classes}); classification needs at least two")
    check_classes(classes, dev, "dev")
    check_classes(classes, test, "test")
    index = {c: i for i, c in enumerate(classes)}
    source, tok = load_word_tokenizer(model_path, tokenizer)
    pad = pad_id(tok)
    limit = input_limit(source, tok, cfg.max_length)

    def encode(split: TextSplit) -> list[tuple[list[int], int]]:
        ids = tok(split.texts, add_special_tokens=True, truncation=True, max_length=limit)["input_ids"]
        return [(row, index[label]) for row, label in zip(ids, split.labels, strict=True)]

    data = {"train": encode(train_split), "dev": encode(dev), "test": encode(test)}

    def make_batch(examples):
        ids, mask, _ = pad_batch([e[0] for e in examples], pad)
        return ids, mask, torch.as_tensor([e[1] for e in examples], dtype=torch.long)

    def predict(model, examples) -> list[str]:
        out = []
        with torch.inference_mode():
            for b in range(0, len(examples), 32):
                ids, mask, _ = make_batch(examples[b : b + 32])
                out += [classes[i] for i in model(ids.to(device), mask.to(device)).argmax(dim=-1).tolist()]
        return out

    def scores(gold: list[str], pred: list[str]) -> dict:
        return {
            "macro_f1": macro_f1(gold, pred, classes),
            "mcc": mcc(gold, pred),
            "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        }

    info: dict = {}

    def build() -> SequenceClassifier:
        backbone, info["model"] = load_backbone(source)
        model = SequenceClassifier(backbone, len(classes), pooling, cfg.dropout).to(device)
        if model.pooling == "pooled" and getattr(backbone, "pooler", None) is None:
            raise ConfigError(f"--pooling pooled: {type(backbone).__name__} has no pooler; use cls, last or mean")
        info["pooling"] = model.pooling
        return model

    runs = run_seeds(
        seeds,
        build,
        data["train"],
        make_batch,
        lambda m: scores(dev.labels, predict(m, data["dev"]))["macro_f1"],
        lambda m: scores(test.labels, predict(m, data["test"])),
        cfg,
    )
    majority = Counter(train_split.labels).most_common(1)[0][0]
    summary = summarize_runs(runs, ("macro_f1", "mcc", "accuracy"))
    return {
        "task": "classify",
        "model": info["model"],
        "tokenizer": describe_tokenizer(source, tok),
        "labels": classes,
        "pooling": info["pooling"],
        "data": {
            name: {"examples": len(s.texts), "files": s.info, "classes": dict(Counter(s.labels))}
            for name, s in (("train", train_split), ("dev", dev), ("test", test))
        },
        "settings": cfg.to_dict() | {"max_length_used": limit},
        "seeds": seeds,
        "metric": "macro_f1",
        "summary": summary,
        "baseline": {"label": majority, **scores(test.labels, [majority] * len(test.labels))},
        "runs": runs,
    }
