"""The fused quality filter: Gopher, FineWeb-line, ROOTS and Nordic Pile rules in one pass per document, with the
thresholds of the document's language (Rae et al. 2021; Penedo et al. 2024; Laurençon et al. 2022; Öhman et al. 2023).
"""

from __future__ import annotations

from typing import Literal

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from nordic_pile.errors import ConfigError
from nordic_pile.filters.profiles import DEFAULT, Profile, build_profiles, load_table
from nordic_pile.filters.stats import GROUPS, quality_stats
from nordic_pile.languages import UNDETERMINED, check_language, to_iso639_3

MODES = ("filter", "annotate")


class QualityFilter(BaseFilter):
    """Quality rules of all families in one pass, with the thresholds of each document's `language`.

    Filter mode drops a document with the reason of the first rule it fails (`gopher_too_few_stop_words`, ...);
    annotate mode keeps every document. Both store every computed statistic in `metadata[metadata_key]` (with the
    profile used, under `profile`), so `quality_thresholds` can re-apply other thresholds later without recomputing;
    annotate mode also lists every failed rule in `metadata[metadata_key + "_failed"]`.

    Args:
        mode: `filter` (drop) or `annotate` (keep all, record what would be dropped).
        families: rule families to run (default: all): gopher_quality, gopher_repetition, fineweb_lines, roots,
            nordic_pile.
        thresholds: overrides of the shipped thresholds, `{"*" or language: {family: {key: value}}}`; `null`
            switches a rule off. See nordic_pile/filters/data/thresholds.yaml for every key.
        thresholds_file: a thresholds YAML file to use instead of the shipped one (same layout).
        language: use this language's profile for every document instead of each document's `language`.
        default_profile: the profile of languages without one of their own (`default`: language-neutral, no
            stop-word rules); never English unless you say so.
        metadata_key: where the statistics go in the document metadata.
    """

    name = "quality_filter"
    FAMILIES: tuple[str, ...] = GROUPS
    reuse_stats = False

    def __init__(
        self,
        mode: Literal["filter", "annotate"] = "filter",
        families: list[str] | None = None,
        thresholds: dict[str, dict] | None = None,
        thresholds_file: str | None = None,
        language: str | None = None,
        default_profile: str = DEFAULT,
        metadata_key: str = "quality",
        exclusion_writer: DiskWriter | None = None,
    ):
        super().__init__(exclusion_writer)
        if mode not in MODES:
            raise ConfigError(f"mode={mode!r}: use 'filter' (drop documents) or 'annotate' (keep all, record stats)")
        families = tuple(families) if families is not None else self.FAMILIES
        unknown = [f for f in families if f not in GROUPS]
        if unknown or not families:
            raise ConfigError(f"families={list(families)!r}: choose from {', '.join(GROUPS)}")
        self.mode, self.families, self.metadata_key = mode, tuple(f for f in GROUPS if f in families), metadata_key
        self.profiles = build_profiles(load_table(thresholds_file), thresholds, self.families)
        self.language = check_language(language, "language") if language else None
        if self.language and self.language not in self.profiles:
            raise ConfigError(f"language={language!r} has no thresholds profile; profiles: {', '.join(self.profiles)}")
        if default_profile not in self.profiles:
            raise ConfigError(
                f"default_profile={default_profile!r}: no such profile; profiles: {', '.join(self.profiles)}"
            )
        self.default = self.profiles[default_profile]

    def profile_for(self, doc: Document) -> tuple[str, Profile]:
        """(the document's language code, the profile applied to it)."""
        code = self.language or to_iso639_3(str(doc.metadata.get("language") or UNDETERMINED))
        return code, self.profiles.get(code, self.default)

    def compute(self, doc: Document, profile: Profile) -> dict:
        stats = quality_stats(doc.text, profile.lists, self.families)
        score = doc.metadata.get("language_score")
        if "roots" in self.families and isinstance(score, (int, float)):
            stats["language_score"] = score
        return stats

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        code, profile = self.profile_for(doc)
        if profile is self.default and code != self.default.name:
            self.stat_update(f"default_profile_for/{code}")
        stats = self.compute(doc, profile)
        stored = doc.metadata.get(self.metadata_key)
        doc.metadata[self.metadata_key] = {
            **(stored if isinstance(stored, dict) else {}),
            "profile": profile.name,
            **stats,
        }
        if self.mode == "filter":
            failed = profile.failures(stats, first_only=True)
            return (False, failed[0]) if failed else True
        failed = profile.failures(stats)
        doc.metadata[f"{self.metadata_key}_failed"] = failed
        for reason in failed:
            self.stat_update(f"would_remove/{reason}", f"would_remove/{code}/{reason}")
            self.stat_update(f"would_remove_chars/{code}/{reason}", value=len(doc.text))
        return True


class QualityThresholdFilter(QualityFilter):
    """Re-apply thresholds to statistics stored by an earlier `quality_filter` run, without recomputing them.

    A document whose stored statistics lack one a rule needs, or were computed with another language's profile
    (stop-word counts depend on the word lists), has its statistics computed again (counted as `stats_computed`).
    """

    name = "quality_thresholds"

    def compute(self, doc: Document, profile: Profile) -> dict:
        stored = doc.metadata.get(self.metadata_key)
        needed = {rule.stat for rule, _ in profile.checks} - {"language_score"}
        if isinstance(stored, dict) and stored.get("profile") == profile.name and needed <= stored.keys():
            stats = {k: v for k, v in stored.items() if k != "profile"}
            score = doc.metadata.get("language_score")
            if "roots" in self.families and isinstance(score, (int, float)):
                stats["language_score"] = score
            self.stat_update("stats_reused")
            return stats
        self.stat_update("stats_computed")
        return super().compute(doc, profile)


class _FamilyFilter(QualityFilter):
    def __init__(
        self,
        mode: Literal["filter", "annotate"] = "filter",
        thresholds: dict[str, dict] | None = None,
        thresholds_file: str | None = None,
        language: str | None = None,
        default_profile: str = DEFAULT,
        metadata_key: str = "quality",
        exclusion_writer: DiskWriter | None = None,
    ):
        super().__init__(
            mode,
            list(self.FAMILIES),
            thresholds,
            thresholds_file,
            language,
            default_profile,
            metadata_key,
            exclusion_writer,
        )


class GopherQualityRules(_FamilyFilter):
    """Gopher quality rules only (words, word length, symbols, bullets, ellipses, alphabetic words, stop words)."""

    name = "gopher_quality"
    FAMILIES = ("gopher_quality",)


class GopherRepetitionRules(_FamilyFilter):
    """Gopher repetition rules only (duplicate lines and paragraphs, top and duplicated word n-grams)."""

    name = "gopher_repetition"
    FAMILIES = ("gopher_repetition",)


class FineWebLineRules(_FamilyFilter):
    """FineWeb line rules only (lines ending in punctuation, short lines, duplicated line characters, newlines)."""

    name = "fineweb_lines"
    FAMILIES = ("fineweb_lines",)


class RootsRules(_FamilyFilter):
    """ROOTS rules only (character and word repetition, special characters, stop and flagged words, language score)."""

    name = "roots"
    FAMILIES = ("roots",)


class NordicPileRules(_FamilyFilter):
    """Nordic Pile rules only (length, alphabetic text, digits, characters and words per line)."""

    name = "nordic_pile"
    FAMILIES = ("nordic_pile",)
