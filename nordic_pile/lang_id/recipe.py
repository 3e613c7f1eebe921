"""The training recipe of a language-ID model: which labelled sources, how examples are made, fastText settings.

A recipe is YAML (the shipped model's is `models/nordic-langid.train.yaml`); `load_recipe` validates it into
frozen dataclasses and names the field and the fix for any mistake.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field

import yaml

from nordic_pile.errors import ConfigError, InputError
from nordic_pile.lang_id.corpus import FORMATS
from nordic_pile.lang_id.word_evidence import ResolverSpec
from nordic_pile.languages import check_language


@dataclass(frozen=True)
class SourceSpec:
    path: str
    """A file or glob pattern, relative to `--data` (the first data folder that holds it) or to `package`, unless
    absolute."""
    package: str | None = None
    """Resolve `path` inside this installed Python package instead (`wordfreq`: its word-frequency lists)."""
    format: str | None = None
    """jsonl | csv | conllu | conll | gettext | wordfreq | hunspell; inferred from the name when absent."""
    language: str | None = None
    """The label of every unit (needed for conllu/conll); `other` for text in languages the model does not name."""
    sources: tuple[str, ...] = ()
    """Keep only records whose `source` field is one of these (JSONL), or these locales (gettext)."""
    exclude_sources: tuple[str, ...] = ()
    domain: str = "general"
    """general | specialised: specialised text (software manuals, historical prose) is capped per language at
    `examples.specialised_per_general` times the general text, so no language is learnt as a genre."""
    min_words: int = 1
    """Skip units with fewer words (e.g. one-word menu entries of a catalog)."""
    max_per_source: int = 0
    """At most this many units per `source` value (0: all), chosen by hash: spreads `other` over many locales."""
    dev_fraction: float | None = None
    """Share of this source's groups held out (default: the recipe's `dev_fraction`). 0.0 for generated text (word
    samples), so that the held-out figures and the calibration come from real text only; 0.5 for a source whose
    other half is an evaluation set (the Nordic gettext catalogs: `bench/langid.py`'s UI strings)."""


@dataclass(frozen=True)
class ExampleSpec:
    max_per_language: int = 40_000
    """Units per language before repetition; smaller languages are repeated up to `max_repeat` times."""
    specialised_per_general: float = 1.0
    min_general: int = 1000
    """Below this many general units a language keeps all its specialised text."""
    max_repeat: int = 8
    short_window: float = 0.3
    """In repetitions, the share of units replaced by a random window of 1..`max_window_words` words."""
    max_window_words: int = 6
    max_dev_per_language: int = 5000


@dataclass(frozen=True)
class FastTextSpec:
    dim: int = 16
    minn: int = 1
    maxn: int = 4
    epoch: int = 10
    lr: float = 0.5
    wordNgrams: int = 1  # noqa: N815 - fastText's own parameter names
    bucket: int = 50_000
    minCount: int = 1  # noqa: N815
    loss: str = "softmax"


@dataclass(frozen=True)
class QuantizeSpec:
    enabled: bool = False
    """Quantised models are smaller but, with fastText's pruned-row lookup, slower to predict."""
    cutoff: int = 100_000
    """Keep the rows of this many words and n-gram buckets with the largest norms (the model's size)."""
    dsub: int = 2
    qnorm: bool = True


@dataclass(frozen=True)
class TrainRecipe:
    sources: tuple[SourceSpec, ...]
    description: str = ""
    seed: int = 1
    dev_fraction: float = 0.1
    """Share of each source's groups (documents, runs of 20 sentences) held out for calibration and dev figures."""
    confirm_below: float = 0.5
    """Stage-1 Nordic decisions below this probability are confirmed by lid.176 (see identifier.py)."""
    examples: ExampleSpec = field(default_factory=ExampleSpec)
    fasttext: FastTextSpec = field(default_factory=FastTextSpec)
    quantize: QuantizeSpec = field(default_factory=QuantizeSpec)
    resolver: ResolverSpec = field(default_factory=ResolverSpec)
    """The word vote between close Nordic classes (see word_evidence.py)."""


def _build(cls, data, where: str):
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    values = {}
    for key, value in data.items():
        if key not in fields:
            raise ConfigError(f"{where}.{key}: unknown field; fields: {', '.join(fields)}")
        tp = hints[key]
        if dataclasses.is_dataclass(tp):
            value = _build(tp, value, f"{where}.{key}")
        elif key == "sources" and cls is TrainRecipe:
            if not isinstance(value, list) or not value:
                raise ConfigError(f"{where}.sources: expected a non-empty list of sources")
            value = tuple(_build(SourceSpec, v, f"{where}.sources[{i}]") for i, v in enumerate(value))
        elif typing.get_origin(tp) is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}.{key}: expected a list of strings, got {value!r}")
            value = tuple(value)
        elif tp is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif not _matches(value, tp):
            raise ConfigError(f"{where}.{key}: expected {tp}, got {value!r}")
        values[key] = value
    missing = [
        n
        for n, f in fields.items()
        if n not in values and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise ConfigError(f"{where}: missing field {missing[0]!r}")
    return cls(**values)


def _matches(value, tp) -> bool:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return any(_matches(value, a) for a in typing.get_args(tp))
    if tp is type(None):
        return value is None
    if tp is bool:
        return isinstance(value, bool)
    return isinstance(value, tp) and not (tp is int and isinstance(value, bool))


def _check(recipe: TrainRecipe, where: str) -> TrainRecipe:
    for i, source in enumerate(recipe.sources):
        at = f"{where}.sources[{i}]"
        if source.format is not None and source.format not in FORMATS:
            raise ConfigError(f"{at}.format={source.format!r}; use one of {', '.join(FORMATS)}")
        if source.domain not in ("general", "specialised"):
            raise ConfigError(f"{at}.domain={source.domain!r}; use general or specialised")
        if source.language not in (None, "other"):
            check_language(source.language, f"{at}.language")
        if source.dev_fraction is not None and not 0.0 <= source.dev_fraction < 1.0:
            raise ConfigError(f"{at}.dev_fraction={source.dev_fraction} must be in [0, 1)")
    if not 0.0 <= recipe.dev_fraction < 1.0:
        raise ConfigError(f"{where}.dev_fraction={recipe.dev_fraction} must be in [0, 1)")
    return recipe


def load_recipe(path: str) -> TrainRecipe:
    """Read and validate a training recipe (YAML)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML ({e})") from None
    return _check(_build(TrainRecipe, data or {}, path), path)


def recipe_for_files(paths: list[str], **overrides) -> TrainRecipe:
    """A recipe that trains on labelled files as they are (`langid train FILE...`), all general text."""
    fasttext = FastTextSpec(**{k: v for k, v in overrides.items() if k in FastTextSpec.__dataclass_fields__})
    top = {k: v for k, v in overrides.items() if k in ("seed", "dev_fraction")}
    return TrainRecipe(sources=tuple(SourceSpec(path=p) for p in paths), fasttext=fasttext, **top)
