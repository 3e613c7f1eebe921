"""Per-language threshold profiles and word lists, loaded from `data/thresholds.yaml` and `data/*_words/<lang>.txt`.

A profile is the `default` section of the thresholds file, overridden by the language's own section, then by a
recipe's `thresholds:` (`"*"` for every profile, or a language code). A document whose language has no section gets
the declared default profile: language-neutral numbers, with the stop-word and flagged-word rules off. It never
falls back to English.
"""

from __future__ import annotations

import copy
import difflib
import functools
import os
from dataclasses import dataclass
from importlib import resources

import yaml

from nordic_pile.errors import ConfigError
from nordic_pile.filters.rules import GUARD_KEYS, RULES, THRESHOLD_KEYS, WORD_LIST_KEYS, Rule
from nordic_pile.filters.stats import GROUPS, WordLists
from nordic_pile.languages import check_language

DEFAULT = "default"
DATA = resources.files("nordic_pile.filters") / "data"


@functools.cache
def shipped_words(kind: str, language: str) -> frozenset[str]:
    """A shipped list: `kind` is `stop_words` or `flagged_words`, `language` an ISO 639-3 code."""
    path = DATA / kind / f"{language}.txt"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".txt") for p in (DATA / kind).iterdir() if p.name.endswith(".txt"))
        raise ConfigError(
            f"no shipped {kind} list for {language!r}; shipped: {', '.join(known)} "
            "(or give a list of words or a .txt file)"
        )
    return _read_words(path.read_text(encoding="utf-8"))


def _read_words(text: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def stop_words(language: str) -> frozenset[str]:
    """The shipped closed-class word list of `language` (ROOTS' stop-word ratio)."""
    return shipped_words("stop_words", language)


def flagged_words(language: str) -> frozenset[str]:
    """The shipped flagged-word list of `language` (ROOTS' flagged-word ratio)."""
    return shipped_words("flagged_words", language)


def _word_list(value, kind: str, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, (list, tuple)):
        return frozenset(str(w).lower() for w in value)
    if isinstance(value, str) and value.endswith(".txt"):
        if not os.path.isfile(value):
            raise ConfigError(f"{where}: word list file {value!r} does not exist")
        with open(value, encoding="utf-8") as f:
            return _read_words(f.read())
    if isinstance(value, str):
        return shipped_words(kind, value)
    raise ConfigError(
        f"{where}: expected a list of words, a shipped list's language code or a .txt path, got {value!r}"
    )


@dataclass(frozen=True)
class Profile:
    """The thresholds and word lists applied to one language's documents."""

    name: str
    thresholds: dict  # family -> key -> number or None
    lists: WordLists
    checks: tuple[tuple[Rule, float], ...]  # the enabled rules of the enabled families, with their threshold
    min_lines: int = 0  # line-structure rules skip documents of fewer text lines

    def failures(self, stats: dict, first_only: bool = False) -> list[str]:
        """Reasons of the rules `stats` fails, in rule order; a statistic that is absent is not checked."""
        failed = []
        few_lines = stats.get("n_lines", 0) < self.min_lines
        for rule, threshold in self.checks:
            value = stats.get(rule.stat)
            if value is None or (few_lines and rule.line_structure):
                continue
            if value < threshold if rule.is_min else value > threshold:
                failed.append(rule.reason)
                if first_only:
                    break
        return failed


def load_table(path: str | None = None) -> dict:
    """The thresholds file (`path`, else the shipped one) as {profile: {family: {key: value}}}."""
    where = path or "nordic_pile/filters/data/thresholds.yaml"
    try:
        text = open(path, encoding="utf-8").read() if path else (DATA / "thresholds.yaml").read_text("utf-8")
    except OSError as e:
        raise ConfigError(f"thresholds_file={path!r}: {e.strerror}") from None
    try:
        table = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{where}: not valid YAML: {e}") from None
    if not isinstance(table, dict) or DEFAULT not in table:
        raise ConfigError(f"{where}: needs a `{DEFAULT}:` section (the profile of languages without their own)")
    return table


def _merge(base: dict, update: dict, where: str) -> dict:
    out = copy.deepcopy(base)
    if not isinstance(update, dict):
        raise ConfigError(f"{where}: expected a mapping of rule families to thresholds, got {update!r}")
    for family, values in update.items():
        if family not in GROUPS:
            close = difflib.get_close_matches(str(family), GROUPS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(f"{where}.{family}: unknown rule family; {hint}families: {', '.join(GROUPS)}")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}.{family}: expected a mapping of thresholds, got {values!r}")
        allowed = THRESHOLD_KEYS[family] | WORD_LIST_KEYS.get(family, set()) | GUARD_KEYS.get(family, set())
        for key, value in values.items():
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ConfigError(
                    f"{where}.{family}.{key}: unknown threshold; {hint}known: {', '.join(sorted(allowed))}"
                )
            numeric = key in THRESHOLD_KEYS[family] | GUARD_KEYS.get(family, set())
            if (
                numeric
                and value is not None
                and (isinstance(value, bool) and key != "require_alpha" or not isinstance(value, (int, float)))
            ):
                raise ConfigError(f"{where}.{family}.{key}: expected a number or null, got {value!r}")
            out.setdefault(family, {})[key] = value
    return out


def build_profile(name: str, thresholds: dict, families: tuple[str, ...]) -> Profile:
    gq, ro = thresholds.get("gopher_quality", {}), thresholds.get("roots", {})
    where = f"thresholds.{name}"
    lists = WordLists(
        gopher_stop_words=_word_list(gq.get("stop_words"), "stop_words", f"{where}.gopher_quality.stop_words"),
        stop_words=_word_list(ro.get("stop_words"), "stop_words", f"{where}.roots.stop_words"),
        flagged_words=_word_list(ro.get("flagged_words"), "flagged_words", f"{where}.roots.flagged_words"),
    )
    checks = []
    for rule in RULES:
        value = thresholds.get(rule.family, {}).get(rule.threshold)
        if rule.family in families and value is not None and value is not False:
            checks.append((rule, float(value)))
    min_lines = thresholds.get("fineweb_lines", {}).get("min_lines") or 0
    return Profile(name, thresholds, lists, tuple(checks), int(min_lines))


def build_profiles(
    table: dict, overrides: dict | None = None, families: tuple[str, ...] = GROUPS
) -> dict[str, Profile]:
    """Every profile of `table` with `overrides` ({"*" or language: {family: {key: value}}}) applied."""
    overrides = overrides or {}
    for key in overrides:
        if key not in ("*", DEFAULT):
            check_language(key, f"thresholds.{key}")
    base = _merge({}, table[DEFAULT] or {}, f"thresholds.{DEFAULT}")
    profiles = {}
    for name in sorted({DEFAULT, *table, *overrides} - {"*"}):
        if name.startswith("_"):  # YAML anchors shared by several sections
            continue
        if name != DEFAULT:
            check_language(name, f"thresholds.{name}")
        merged = _merge(base, table.get(name) or {}, f"thresholds.{name}") if name != DEFAULT else base
        merged = _merge(merged, overrides.get("*") or {}, "thresholds.*")
        merged = _merge(merged, overrides.get(name) or {}, f"thresholds.{name}")
        profiles[name] = build_profile(name, merged, families)
    return profiles
