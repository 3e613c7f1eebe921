"""The epochs of every (category, language) slice of a mixture, from a target distribution or from weights.

GPT-SW3 (Ekgren et al. 2023, Tables 2, 9 and 10) fixed the total and set a target share per language and
category, so some slices are repeated and others subsampled: epochs = total x share / size. With weights instead,
a weight is a relative number of epochs (GPT-SW3's epochs are one per category for the Nordic languages and 0.4 of
it for English), scaled so that the mixture has the requested total. Repetition stops paying off after about four
epochs (Muennighoff et al. 2023): slices beyond `repetition_limit` are warned about, or capped with `cap=True`
(their shortfall then goes to the other slices in proportion to their targets or weights).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nordic_pile.errors import ConfigError

DEFAULT_REPETITION_LIMIT = 4.0
TARGET_SUM_TOLERANCE = 0.5  # percentage points: published tables round every cell


@dataclass(frozen=True)
class Slice:
    """The size of one (category, language) slice, in the plan's unit (bytes, tokens, GB, ...)."""

    category: str
    language: str
    size: float
    decimals: int | None = None  # digits after the decimal point as written (for rounding explanations)


@dataclass(frozen=True)
class Target:
    category: str
    language: str
    percent: float
    decimals: int | None = None


@dataclass(frozen=True)
class WeightRule:
    """`*` matches any category or language."""

    category: str
    language: str
    weight: float


@dataclass(frozen=True)
class PlannedSlice:
    category: str
    language: str
    size: float
    epochs: float
    share: float  # fraction of the mixture
    target: float | None = None  # percent asked for
    weight: float | None = None

    @property
    def amount(self) -> float:
        """What the slice contributes to the mixture, in the size unit."""
        return self.size * self.epochs


@dataclass(frozen=True)
class MixturePlan:
    slices: tuple[PlannedSlice, ...]
    total: float
    unit: str
    repetition_limit: float
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def epochs(self) -> dict[tuple[str, str], float]:
        return {(s.category, s.language): s.epochs for s in self.slices}


def slice_name(category: str, language: str) -> str:
    """How a slice is named in messages and manifests: `language/category`, as in the curated folder layout."""
    return f"{language}/{category}"


def _check_sizes(sizes: Sequence[Slice]) -> dict[tuple[str, str], Slice]:
    cells: dict[tuple[str, str], Slice] = {}
    for s in sizes:
        if s.size < 0:
            raise ConfigError(f"size of {slice_name(s.category, s.language)} is {s.size}; sizes must be >= 0")
        if (s.category, s.language) in cells:
            raise ConfigError(f"slice {slice_name(s.category, s.language)} is listed twice in the sizes; list it once")
        cells[(s.category, s.language)] = s
    if not cells or sum(s.size for s in cells.values()) <= 0:
        raise ConfigError("the sizes are empty or all zero; measure curated output with `nordic-pile mix measure`")
    return cells


def _cap(amounts: dict, sizes: dict, demand: dict, total: float, limit: float) -> tuple[dict, set]:
    """Water-filling: cap epochs at `limit` and give the shortfall to the uncapped slices in proportion to
    `demand` (their targets or weight x size), until no slice exceeds the limit or none is left to take it."""
    capped: set = set()
    while True:
        free = {k: d for k, d in demand.items() if k not in capped and d > 0}
        left = total - sum(sizes[k] * limit for k in capped)
        scale = left / sum(free.values()) if free else 0.0
        for k in free:
            amounts[k] = free[k] * scale
        over = {k for k in free if amounts[k] > sizes[k] * limit * (1 + 1e-12)}
        for k in capped:
            amounts[k] = sizes[k] * limit
        if not over:
            return amounts, capped
        capped |= over


def _finish(cells, amounts, total, unit, limit, warnings, notes, targets=None, weights=None) -> MixturePlan:
    realised = sum(amounts.values())
    planned = []
    for k, s in cells.items():
        epochs = amounts.get(k, 0.0) / s.size if s.size > 0 else 0.0
        if epochs > limit * (1 + 1e-9):
            warnings.append(
                f"{slice_name(*k)} is repeated {epochs:.2f} times, beyond the repetition limit of {limit:g} "
                "epochs; lower its target or weight, or pass --cap to cap it and give the rest to the other slices"
            )
        planned.append(
            PlannedSlice(
                s.category,
                s.language,
                s.size,
                epochs,
                amounts.get(k, 0.0) / realised if realised else 0.0,
                None if targets is None else targets.get(k, 0.0),
                None if weights is None else weights.get(k),
            )
        )
    planned.sort(key=lambda p: (p.category, p.language))
    excluded = [slice_name(*k) for k, s in cells.items() if s.size > 0 and amounts.get(k, 0.0) == 0]
    if excluded:
        notes.append(f"{len(excluded)} slice(s) with data have no share and are left out: {', '.join(excluded)}")
    return MixturePlan(tuple(planned), realised, unit, limit, tuple(warnings), tuple(notes))


def plan_from_targets(
    sizes: Sequence[Slice],
    targets: Sequence[Target],
    total: float | None = None,
    unit: str = "bytes",
    repetition_limit: float = DEFAULT_REPETITION_LIMIT,
    cap: bool = False,
    normalize: bool = False,
) -> MixturePlan:
    """Epochs = total x percent / 100 / size for every slice; `total` defaults to the sum of the sizes."""
    cells = _check_sizes(sizes)
    _check_limit(repetition_limit)
    wanted: dict[tuple[str, str], float] = {}
    for t in targets:
        if t.percent < 0:
            raise ConfigError(f"target of {slice_name(t.category, t.language)} is {t.percent}%; targets must be >= 0")
        if (t.category, t.language) in wanted:
            raise ConfigError(f"slice {slice_name(t.category, t.language)} has two targets; give it one")
        wanted[(t.category, t.language)] = t.percent
    percent_sum = sum(wanted.values())
    if percent_sum <= 0:
        raise ConfigError("the targets are all zero; give each slice's percent of the mixture")
    if abs(percent_sum - 100) > TARGET_SUM_TOLERANCE and not normalize:
        raise ConfigError(
            f"the targets sum to {percent_sum:.2f}%, not 100%; correct them or pass --normalize to scale them to 100%"
        )
    total = sum(s.size for s in cells.values()) if total is None else _check_total(total)
    warnings: list[str] = []
    unmet = [k for k, p in wanted.items() if p > 0 and (k not in cells or cells[k].size == 0)]
    for k in unmet:
        warnings.append(
            f"target {wanted[k]:g}% for {slice_name(*k)} cannot be met: the sizes have no data for it; its "
            "share goes to the other slices in proportion to their targets"
        )
    demand = {k: p for k, p in wanted.items() if k in cells and cells[k].size > 0}
    if not demand:
        have = ", ".join(sorted(slice_name(*k) for k in cells)[:5])
        want = ", ".join(sorted(slice_name(*k) for k, p in wanted.items() if p > 0)[:5])
        raise ConfigError(
            f"no target matches a slice with data: the targets name {want}, ...; the sizes have "
            f"{have}, ...; use the same category and language labels in both files"
        )
    sizes_of = {k: s.size for k, s in cells.items()}
    amounts, capped = _cap({}, sizes_of, demand, total, repetition_limit if cap else float("inf"))
    for k in sorted(capped):
        got = 100 * amounts[k] / total
        warnings.append(
            f"target {wanted[k]:g}% for {slice_name(*k)} cannot be met within {repetition_limit:g} epochs: "
            f"capped at {got:.3g}%, the rest goes to the other slices"
        )
    if cap and capped and not set(demand) - capped:
        warnings.append(
            f"every slice is capped at {repetition_limit:g} epochs: the mixture holds "
            f"{sum(amounts.values()):.6g} of the requested total {total:.6g} {unit}"
        )
    return _finish(cells, amounts, total, unit, repetition_limit, warnings, [], targets=wanted)


def cell_weight(category: str, language: str, rules: Sequence[WeightRule]) -> float:
    """The rule for exactly this cell; else the product of its category rule (`category,*`) and its language rule
    (`*,language`), whichever exist; else the `*,*` rule; else 1."""
    table = {(r.category, r.language): r.weight for r in rules}
    if (category, language) in table:
        return table[(category, language)]
    by_category, by_language = table.get((category, "*")), table.get(("*", language))
    if by_category is None and by_language is None:
        return table.get(("*", "*"), 1.0)
    return (1.0 if by_category is None else by_category) * (1.0 if by_language is None else by_language)


def plan_from_weights(
    sizes: Sequence[Slice],
    rules: Sequence[WeightRule],
    total: float | None = None,
    unit: str = "bytes",
    repetition_limit: float = DEFAULT_REPETITION_LIMIT,
    cap: bool = False,
) -> MixturePlan:
    """Epochs proportional to each slice's weight, scaled so that the mixture holds `total` (default: the sum of
    the sizes, i.e. one pass over the data on average)."""
    cells = _check_sizes(sizes)
    _check_limit(repetition_limit)
    seen = set()
    for r in rules:
        if r.weight < 0:
            raise ConfigError(f"weight of {slice_name(r.category, r.language)} is {r.weight}; weights must be >= 0")
        if (r.category, r.language) in seen:
            raise ConfigError(f"weight rule {slice_name(r.category, r.language)} is given twice; keep one")
        seen.add((r.category, r.language))
    weights = {k: cell_weight(*k, rules) for k in cells}
    demand = {k: weights[k] * s.size for k, s in cells.items() if s.size > 0 and weights[k] > 0}
    if not demand:
        raise ConfigError("every slice has weight 0 or no data; give some slice a positive weight")
    total = sum(s.size for s in cells.values()) if total is None else _check_total(total)
    warnings: list[str] = []
    unused = [
        slice_name(r.category, r.language)
        for r in rules
        if r.category != "*" and r.language != "*" and (r.category, r.language) not in cells
    ]
    for name in unused:
        warnings.append(f"weight rule {name} matches no slice with data: its weight cannot be used")
    sizes_of = {k: s.size for k, s in cells.items()}
    amounts, capped = _cap({}, sizes_of, demand, total, repetition_limit if cap else float("inf"))
    for k in sorted(capped):
        warnings.append(
            f"{slice_name(*k)} is capped at {repetition_limit:g} epochs: its weight {weights[k]:g} cannot be "
            "honoured, the rest goes to the other slices"
        )
    return _finish(cells, amounts, total, unit, repetition_limit, warnings, [], weights=weights)


def _check_limit(limit: float) -> None:
    if not limit > 0:
        raise ConfigError(f"--repetition-limit {limit} must be positive (default {DEFAULT_REPETITION_LIMIT:g} epochs)")


def _check_total(total: float) -> float:
    if not total > 0:
        raise ConfigError(f"--total {total} must be positive (in the unit of the sizes)")
    return float(total)
