"""Compare a plan's epochs with reference epochs (a published table) and explain every cell that differs.

A published epochs table (GPT-SW3's Table 10) was computed from token counts and rounded shares, while a plan made
from its byte sizes (Table 2) and shares (Table 9) can only use bytes. A cell that differs by more than the
tolerance is explained by the first of: the rounding of the published share and size (the reference lies inside
the range of epochs the rounded numbers allow), or the token count (the reference implies that this slice has r
times the mixture's average tokens per byte; split digits make Math r > 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nordic_pile.mixture.plan import MixturePlan


@dataclass(frozen=True)
class EpochComparison:
    category: str
    language: str
    epochs: float
    reference: float
    difference: float  # relative: epochs / reference - 1
    within: bool
    explanation: str = ""


def _half_unit(decimals: int | None) -> float:
    return 0.5 * 10.0**-decimals if decimals is not None else 0.0


def rounding_range(
    total: float, percent: float, percent_decimals: int | None, size: float, size_decimals: int | None
) -> tuple[float, float]:
    """The epochs that the shares and sizes that round to `percent` and `size` allow."""
    p_lo, p_hi = percent - _half_unit(percent_decimals), percent + _half_unit(percent_decimals)
    s_lo, s_hi = size - _half_unit(size_decimals), size + _half_unit(size_decimals)
    low = total * max(p_lo, 0.0) / 100 / s_hi
    high = total * p_hi / 100 / s_lo if s_lo > 0 else float("inf")
    return low, high


def explain(
    plan: MixturePlan,
    category: str,
    language: str,
    reference: float,
    percent_decimals: int | None,
    size_decimals: int | None,
) -> str:
    planned = next(s for s in plan.slices if (s.category, s.language) == (category, language))
    if planned.target is not None:
        low, high = rounding_range(plan.total, planned.target, percent_decimals, planned.size, size_decimals)
        if low <= reference <= high:
            return (
                f"rounding: the share {planned.target:g}% and size {planned.size:g} as published allow "
                f"{low:.2f}-{high:.2f} epochs, which includes {reference:g}"
            )
    if planned.epochs == 0 or reference == 0:
        return "the reference gives this slice no share" if reference == 0 else "the plan gives this slice no share"
    ratio = planned.epochs / reference
    per = plan.unit[:-1] if plan.unit.endswith("s") else plan.unit
    why = ": split digits make numbers many tokens" if ratio > 1 and "math" in category.lower() else ""
    return (
        f"tokens, not {plan.unit}: the reference needs this slice to have {ratio:.2f}x the mixture's average "
        f"tokens per {per}{why}"
    )


def compare_epochs(
    plan: MixturePlan,
    reference: Mapping[tuple[str, str], float],
    tolerance: float = 0.15,
    percent_decimals: Mapping[tuple[str, str], int | None] | None = None,
    size_decimals: Mapping[tuple[str, str], int | None] | None = None,
) -> list[EpochComparison]:
    """One comparison per reference cell, in the plan's order; cells the plan lacks count as 0 epochs."""
    percent_decimals, size_decimals = percent_decimals or {}, size_decimals or {}
    planned = plan.epochs()
    rows = []
    for key in sorted(reference, key=lambda k: (k[0], k[1])):
        ref = reference[key]
        epochs = planned.get(key, 0.0)
        difference = epochs / ref - 1 if ref else (0.0 if epochs == 0 else float("inf"))
        within = abs(difference) <= tolerance
        explanation = ""
        if not within:
            explanation = (
                explain(plan, *key, ref, percent_decimals.get(key), size_decimals.get(key))
                if key in planned
                else "the plan has no such slice"
            )
        rows.append(EpochComparison(key[0], key[1], epochs, ref, difference, within, explanation))
    return rows
