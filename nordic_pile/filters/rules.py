"""Every quality rule: its family, drop reason, the statistic it reads and the threshold it compares it with.

A rule keeps a document when `stat >= threshold` (a `min_` threshold) or `stat <= threshold` (`max_`), and drops it
with its reason otherwise. A threshold of `null` switches the rule off. Reasons are API (they appear in
`summary.json`): rename one only with a changelog line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nordic_pile.filters.stats import DUP_NGRAMS, GROUPS, TOP_NGRAMS


@dataclass(frozen=True, slots=True)
class Rule:
    family: str  # one of stats.GROUPS; also the section of the thresholds file
    reason: str  # `<family>_<failed condition>`
    stat: str  # key of quality_stats()
    threshold: str  # key in the family's section; `min_*` keeps stat >= value, `max_*` keeps stat <= value
    line_structure: bool = False  # a ratio over lines: checked only on documents of `fineweb_lines.min_lines` lines
    is_min: bool = field(init=False)  # keep when stat >= threshold (else when stat <= threshold)

    def __post_init__(self):
        object.__setattr__(self, "is_min", self.threshold.startswith("min_") or self.threshold == "require_alpha")

    def fails(self, value: float, threshold: float) -> bool:
        return value < threshold if self.is_min else value > threshold


def _rules() -> tuple[Rule, ...]:
    g, r, f, ro, n = GROUPS
    rules = [
        Rule(g, "gopher_too_few_words", "n_words", "min_words"),
        Rule(g, "gopher_too_many_words", "n_words", "max_words"),
        Rule(g, "gopher_words_too_short", "mean_word_length", "min_mean_word_length"),
        Rule(g, "gopher_words_too_long", "mean_word_length", "max_mean_word_length"),
        Rule(g, "gopher_too_many_hashes", "hash_word_ratio", "max_hash_word_ratio"),
        Rule(g, "gopher_too_many_ellipses", "ellipsis_word_ratio", "max_ellipsis_word_ratio"),
        Rule(g, "gopher_too_many_bullet_lines", "bullet_lines_ratio", "max_bullet_lines_ratio"),
        Rule(g, "gopher_too_many_ellipsis_lines", "ellipsis_lines_ratio", "max_ellipsis_lines_ratio"),
        Rule(g, "gopher_too_few_alpha_words", "alpha_words_ratio", "min_alpha_words_ratio"),
        Rule(g, "gopher_too_few_stop_words", "n_gopher_stop_words", "min_stop_words"),
        Rule(r, "gopher_too_many_dup_lines", "dup_line_frac", "max_dup_line_frac"),
        Rule(r, "gopher_too_many_dup_paragraphs", "dup_para_frac", "max_dup_para_frac"),
        Rule(r, "gopher_too_many_dup_line_chars", "dup_line_char_frac", "max_dup_line_char_frac"),
        Rule(r, "gopher_too_many_dup_paragraph_chars", "dup_para_char_frac", "max_dup_para_char_frac"),
    ]
    rules += [
        Rule(r, f"gopher_top_{k}gram_too_frequent", f"top_{k}gram_char_frac", f"max_top_{k}gram_char_frac")
        for k in TOP_NGRAMS
    ]
    rules += [
        Rule(r, f"gopher_too_many_dup_{k}gram_chars", f"dup_{k}gram_char_frac", f"max_dup_{k}gram_char_frac")
        for k in DUP_NGRAMS
    ]
    rules += [
        Rule(f, "fineweb_too_few_punct_lines", "line_punct_ratio", "min_line_punct_ratio", line_structure=True),
        Rule(f, "fineweb_too_many_short_lines", "short_line_ratio", "max_short_line_ratio", line_structure=True),
        Rule(f, "fineweb_too_many_dup_line_chars", "line_char_dup_ratio", "max_line_char_dup_ratio"),
        Rule(f, "fineweb_too_many_newlines", "newline_word_ratio", "max_newline_word_ratio"),
        Rule(ro, "roots_char_repetition_too_high", "char_repetition_ratio", "max_char_repetition_ratio"),
        Rule(ro, "roots_word_repetition_too_high", "word_repetition_ratio", "max_word_repetition_ratio"),
        Rule(ro, "roots_too_many_special_chars", "special_char_ratio", "max_special_char_ratio"),
        Rule(ro, "roots_too_few_stop_words", "stop_word_ratio", "min_stop_word_ratio"),
        Rule(ro, "roots_too_many_flagged_words", "flagged_word_ratio", "max_flagged_word_ratio"),
        Rule(ro, "roots_language_score_too_low", "language_score", "min_language_score"),
        Rule(n, "nordic_pile_too_short", "n_non_ws_chars", "min_non_ws_chars"),
        Rule(n, "nordic_pile_no_alpha", "alpha_present", "require_alpha"),
        Rule(n, "nordic_pile_too_many_digits", "digit_fraction", "max_digit_fraction"),
        Rule(n, "nordic_pile_lines_too_short_mean", "mean_line_chars", "min_mean_line_chars"),
        Rule(n, "nordic_pile_lines_too_long_mean", "mean_line_chars", "max_mean_line_chars"),
        Rule(n, "nordic_pile_lines_too_short_median", "median_line_chars", "min_median_line_chars"),
        Rule(n, "nordic_pile_lines_too_long_median", "median_line_chars", "max_median_line_chars"),
        Rule(n, "nordic_pile_too_few_words_per_line_mean", "mean_line_words", "min_mean_line_words"),
        Rule(n, "nordic_pile_too_many_words_per_line_mean", "mean_line_words", "max_mean_line_words"),
        Rule(n, "nordic_pile_too_few_words_per_line_median", "median_line_words", "min_median_line_words"),
        Rule(n, "nordic_pile_too_many_words_per_line_median", "median_line_words", "max_median_line_words"),
    ]
    return tuple(rules)


RULES: tuple[Rule, ...] = _rules()
"""All rules, in the order they are checked (filter mode drops with the first that fails)."""

REASONS = tuple(rule.reason for rule in RULES)

THRESHOLD_KEYS: dict[str, set[str]] = {family: set() for family in GROUPS}
for _rule in RULES:
    THRESHOLD_KEYS[_rule.family].add(_rule.threshold)
WORD_LIST_KEYS = {"gopher_quality": {"stop_words"}, "roots": {"stop_words", "flagged_words"}}
"""Keys of a family's section that name word lists rather than thresholds."""
GUARD_KEYS = {"fineweb_lines": {"min_lines"}}
"""Numbers that say when rules apply: a document of fewer lines has no line structure to judge (one line of
prose cut at a sentence boundary ends with a comma half the time), so the line-structure rules skip it."""
