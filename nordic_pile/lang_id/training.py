"""`nordic-pile langid train`: a quantised fastText language-ID model from labelled text, reproducible bit for bit.

Examples are made deterministically from the recipe (sorted files, hash-based held-out split, seeded sampling),
fastText trains with one thread (its only source of non-determinism is thread interleaving), and quantisation
does not retrain. The same data, recipe and seed therefore give the same `.ftz` bytes. The held-out part fits
the isotonic calibration and gives the dev figures written to the `.json` beside the model.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, replace
from typing import NamedTuple

from nordic_pile.errors import ConfigError, InputError
from nordic_pile.lang_id.calibration import expected_calibration_error, fit_by_length
from nordic_pile.lang_id.corpus import Unit, expand, read_units
from nordic_pile.lang_id.identifier import OTHER
from nordic_pile.lang_id.recipe import SourceSpec, TrainRecipe
from nordic_pile.lang_id.text import normalize, word_count
from nordic_pile.lang_id.word_evidence import (
    ResolverSpec,
    WordEvidence,
    count_words,
    evidence_path,
    resolve,
    save_counts,
)
from nordic_pile.languages import NORDIC

FORMAT_VERSION = 1
NORMALIZATION = "lowercase; runs of non-letters (\\W, digits, _) -> one space"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"«„“(]?[A-ZÆØÅÄÖÞÐÁÉÍÓÚÝÜ0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")


class Pools(NamedTuple):
    train: dict  # language -> {"general": [texts], "specialised": [texts]}
    dev: dict  # language -> [texts]
    sources: list  # per source: path, files, sha256, units


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def held_out(group: str, fraction: float) -> bool:
    """Whether a group (see corpus.Unit) falls in the held-out part for `dev_fraction=fraction`."""
    return _hash(group) % 1000 < int(fraction * 1000)


def _file_digest(files: list[str]) -> str:
    digest = hashlib.sha256()
    for file in files:
        with open(file, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _pieces(text: str) -> list[str]:
    """A unit's training texts: itself, and for multi-paragraph or multi-sentence text its paragraphs/sentences."""
    out = [text]
    paragraphs = [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]
    if len(paragraphs) > 1:
        out += paragraphs
    for paragraph in paragraphs:
        sentences = [s for s in _SENTENCE_END.split(paragraph) if s.strip()]
        if len(sentences) > 1:
            out += sentences
    return out


def _resolve(source: SourceSpec, data_roots: tuple[str, ...]) -> str:
    """The file or pattern a source names: absolute, inside an installed package, or under the first of the data
    folders (`--data`, repeatable) where it exists."""
    if os.path.isabs(source.path):
        return source.path
    if source.package:
        spec = importlib.util.find_spec(source.package)
        if spec is None or not spec.submodule_search_locations:
            raise ConfigError(
                f"source {source.path}: package {source.package!r} is not installed; pip install {source.package}"
            )
        return os.path.join(list(spec.submodule_search_locations)[0], source.path)
    for root in data_roots:
        candidate = os.path.join(root, source.path)
        if glob.glob(candidate) if glob.has_magic(candidate) else os.path.isfile(candidate):
            return candidate
    raise InputError(f"source {source.path}: no such file in the data folder(s) {', '.join(data_roots)} (--data)")


def _key(text: str) -> int:
    """Texts that differ only in casing, punctuation, digits or spacing (e.g. the same sentence from two
    releases of a treebank, detokenised differently) have the same key: the model sees them as one text."""
    return _hash(normalize(text))


def collect(recipe: TrainRecipe, data_root: str | tuple[str, ...]) -> Pools:
    """Read every source once, drop repeated texts, split groups into training and held-out parts.

    A text held out anywhere is never trained on: a sentence that two sources share (a treebank and its
    UD release) is held out if either copy falls in a held-out group, and every training piece (a paragraph or
    sentence of a training document) equal to a held-out text is dropped."""
    roots = (data_root,) if isinstance(data_root, str) else tuple(data_root)
    units: list[tuple[int, Unit, bool]] = []  # (index of the source, unit, held out)
    report = []
    for index, source in enumerate(recipe.sources):
        pattern = _resolve(source, roots)
        files = expand(pattern)
        per_source: dict[str, list] = defaultdict(list)
        cap = source.max_per_source
        for unit in read_units(pattern, source.format, source.language):
            if (source.sources and unit.source not in source.sources) or unit.source in source.exclude_sources:
                continue
            if len(unit.text.split()) < source.min_words:
                continue
            kept = per_source[unit.source]
            kept.append(unit)
            if cap and len(kept) > 4 * cap:  # keep memory bounded: the cap smallest hashes survive either way
                kept.sort(key=lambda u: _hash(u.text))
                del kept[cap:]
        for name in sorted(per_source):
            chosen = per_source[name]
            if cap:
                chosen = sorted(chosen, key=lambda u: _hash(u.text))[:cap]
            fraction = recipe.dev_fraction if source.dev_fraction is None else source.dev_fraction
            units += [(index, unit, held_out(unit.group, fraction)) for unit in chosen]
        entry = {"path": source.path, "files": len(files), "sha256": _file_digest(files)}
        if source.package:
            entry["package"] = f"{source.package} {importlib.metadata.version(source.package)}"
        report.append(entry)
    held = {_key(piece) for _, unit, is_dev in units if is_dev for piece in _pieces(unit.text.strip())}
    train: dict = defaultdict(lambda: {"general": [], "specialised": []})
    dev: dict = defaultdict(list)
    seen: set[int] = set()
    counts = [Counter() for _ in recipe.sources]
    for index, unit, is_dev in units:
        key = _key(unit.text)
        if key in seen or (not is_dev and key in held):
            continue
        seen.add(key)
        pieces = _pieces(unit.text.strip())
        if is_dev:
            dev[unit.language] += pieces
        else:
            pieces = [p for p in pieces if _key(p) not in held]
            train[unit.language][recipe.sources[index].domain] += pieces
        counts[index]["dev_texts" if is_dev else "train_texts"] += len(pieces)
    for entry, count in zip(report, counts, strict=True):
        entry.update(train_texts=count["train_texts"], dev_texts=count["dev_texts"])
    return Pools(dict(train), dict(dev), report)


def _window(words: list[str], rng: random.Random, max_words: int) -> str:
    start = rng.randrange(len(words))
    return " ".join(words[start : start + rng.randint(1, max_words)])


def make_examples(pools: Pools, recipe: TrainRecipe) -> tuple[list[str], Counter, dict[str, list[str]]]:
    """fastText training lines (`__label__X text`), balanced per language, shuffled with the recipe's seed; also
    the distinct texts chosen per language (before repetition), which the word table is counted from."""
    spec, rng = recipe.examples, random.Random(recipe.seed)
    lines: list[str] = []
    per_label: Counter = Counter()
    chosen_texts: dict[str, list[str]] = {}
    for language in sorted(pools.train):
        general, specialised = (list(pools.train[language][d]) for d in ("general", "specialised"))
        rng.shuffle(general)
        rng.shuffle(specialised)
        if len(general) >= spec.min_general:
            specialised = specialised[: int(spec.specialised_per_general * len(general))]
        texts = (general + specialised)[: spec.max_per_language]
        if not texts:
            continue
        chosen_texts[language] = texts
        # every language gets max_per_language examples, or each of its texts max_repeat times if it has fewer:
        # whole passes over its texts, then a random part of them once more
        target = min(spec.max_per_language, len(texts) * spec.max_repeat)
        passes = [texts] * (target // len(texts)) + [rng.sample(texts, target % len(texts))]
        for repeat, chosen in enumerate(passes):
            for text in chosen:
                if repeat and rng.random() < spec.short_window:
                    words = text.split()
                    if len(words) > spec.max_window_words:
                        text = _window(words, rng, spec.max_window_words)
                line = normalize(text)
                if line:
                    lines.append(f"__label__{language} {line}")
                    per_label[language] += 1
    rng.shuffle(lines)
    return lines, per_label, chosen_texts


def dev_examples(pools: Pools, recipe: TrainRecipe) -> list[tuple[str, str]]:
    """Held-out (language, normalised text) pairs: whole texts and short windows, capped per language."""
    spec, rng = recipe.examples, random.Random(recipe.seed + 1)
    out = []
    for language in sorted(pools.dev):
        texts = list(pools.dev[language])
        rng.shuffle(texts)
        for text in texts[: spec.max_dev_per_language]:
            words = text.split()
            for variant in (text, _window(words, rng, spec.max_window_words) if len(words) > 3 else None):
                line = normalize(variant) if variant else ""
                if line:
                    out.append((language, line))
    return out


def _fit(train_file: str, output: str, recipe: TrainRecipe, threads: int) -> None:
    """Train in a fresh process whose large allocations come from zeroed pages (see fit_worker.py)."""
    spec = {
        "train_file": train_file,
        "output": os.path.abspath(output),
        "threads": threads,
        "seed": recipe.seed,
        "fasttext": asdict(recipe.fasttext),
        "quantize": asdict(recipe.quantize),
    }
    spec_file = train_file + ".spec.json"
    with open(spec_file, "w", encoding="utf-8") as f:
        json.dump(spec, f)
    env = {**os.environ, "MALLOC_PERTURB_": "255", "MALLOC_MMAP_THRESHOLD_": "65536"}  # zeroed memory: fit_worker.py
    done = subprocess.run(
        [sys.executable, "-m", "nordic_pile.lang_id.fit_worker", spec_file], env=env, capture_output=True, text=True
    )
    if done.returncode:
        message = (done.stderr.strip().splitlines() or ["no error output"])[-1]
        if "NaN" in message:  # the loss diverged: a setting to change, not a bug
            raise ConfigError(
                f"fastText training diverged ({message}); lower fasttext.lr (now {recipe.fasttext.lr:g}) in the "
                f"recipe, e.g. to {recipe.fasttext.lr / 2:g}"
            )
        raise RuntimeError(f"fastText training failed: {message}")


def _dev_report(model_path: str, dev: list[tuple[str, str]], resolver: ResolverSpec) -> tuple[dict, dict]:
    """Calibration (fitted on dev texts stage 1 calls Nordic, after the word vote) and dev recall per language."""
    from nordic_pile.lang_id.fasttext_model import FastTextModel

    model = FastTextModel(model_path)
    evidence = WordEvidence.load(evidence_path(model_path), resolver.alpha) if resolver.enabled else None
    predict = model.predict_line
    scores, correct, words, hits, totals = [], [], [], Counter(), Counter()
    for gold, line in dev:
        top = predict(line + "\n", 2, 0.0, "strict")
        p, label = resolve(top, line, evidence, resolver) if evidence is not None else top[0]
        label = label[9:]
        totals[gold] += 1
        hits[gold] += label == gold
        if label in NORDIC:
            scores.append(float(p))
            correct.append(label == gold)
            words.append(word_count(line))
    calibration = fit_by_length(scores, correct, words)
    figures = {
        "texts": sum(totals.values()),
        "accuracy": round(sum(hits.values()) / max(sum(totals.values()), 1), 4),
        "recall": {k: round(hits[k] / totals[k], 4) for k in sorted(totals)},
        "ece_raw": round(expected_calibration_error(scores, correct), 4),
        "ece_calibrated": round(
            expected_calibration_error([calibration(s, n) for s, n in zip(scores, words, strict=True)], correct), 4
        ),
    }
    return calibration.to_dict(), figures


def train(
    recipe: TrainRecipe,
    data_root: str | tuple[str, ...],
    output: str,
    threads: int = 1,
    recipe_path: str = "",
    log=print,
) -> dict:
    """Train, quantise and save `output` (.ftz) and its `.json` metadata; returns the metadata."""
    if not output.endswith((".ftz", ".bin")):
        raise ConfigError(f"--output {output}: name the model file .ftz (quantised) or .bin")
    pools = collect(recipe, data_root)
    labels = sorted(pools.train)
    if len(labels) < 2:
        raise ConfigError(f"the training data has {len(labels)} label(s) ({', '.join(labels)}); a classifier needs 2+")
    lines, per_label, chosen_texts = make_examples(pools, recipe)
    log(f"training on {len(lines):,} examples: " + ", ".join(f"{k} {v:,}" for k, v in sorted(per_label.items())))
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="langid-train-") as tmp:
        train_file = os.path.join(tmp, "train.txt")
        with open(train_file, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        _fit(train_file, output, recipe, threads)
    resolver = recipe.resolver
    if resolver.enabled:  # the word table of the Nordic classes, beside the model
        nordic = {lang: [normalize(t) for t in chosen_texts[lang]] for lang in NORDIC if lang in chosen_texts}
        if len(nordic) < 2:
            resolver = replace(resolver, enabled=False)
        else:
            save_counts(count_words(nordic, resolver.min_count), evidence_path(output))
    calibration, figures = _dev_report(output, dev_examples(pools, recipe), resolver)
    log(f"held-out texts: {figures['texts']:,}, accuracy {figures['accuracy']:.4f}")
    meta = {
        "format": FORMAT_VERSION,
        "labels": labels,
        "other_label": OTHER if OTHER in labels else None,
        "normalization": NORMALIZATION,
        "confirm_below": recipe.confirm_below,
        "calibration": calibration,
        "resolver": asdict(resolver),
        "dev": figures,
        "training": {
            "recipe": os.path.basename(recipe_path) if recipe_path else None,
            "seed": recipe.seed,
            "threads": threads,
            "examples": dict(sorted(per_label.items())),
            "sources": pools.sources,
            "fasttext": asdict(recipe.fasttext),
            "quantize": asdict(recipe.quantize),
            "model_sha256": _file_digest([output]),
            "word_table_sha256": _file_digest([evidence_path(output)]) if resolver.enabled else None,
        },
    }
    with open(os.path.splitext(output)[0] + ".json", "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return meta
