"""Which coefficient axes a user's answers support, and the fit that personalizes only those.

Two kinds of evidence, both read from the user's pairwise comparisons:

- Re-asks. A question asked again (same `item_id`, another occasion or the options in
  swapped order) must get the same verdict. A verdict that flips says the answer was
  noise or was produced by the framing; like PReF's consistency filter, every answer to
  that question is then left out of the fit. A user whose re-asked questions mostly
  flip is treated as having no stable style preference at all.
- Direction votes. Each comparison that differs clearly along an axis votes for which
  direction the user favours on it. An axis is stable when enough votes agree; one
  whose votes split near evenly is a non-attitude and stays at the population value.

`fit_user` combines both: it drops flipped questions, fits only the stable axes
(`fit_differences`), and reports the evidence per axis so the caller can show why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.agent.reward.coefficients import (
    Array,
    PairwiseComparison,
    UserCoefficients,
    comparison_differences,
    fit_differences,
)

#: An axis counts as "touched" by a comparison when its difference is at least this large
#: in absolute value and at least this share of the largest difference in the comparison.
MIN_AXIS_DIFFERENCE = 0.3
AXIS_SHARE = 0.5


@dataclass(frozen=True)
class AxisStability:
    """The evidence for one axis: direction votes, their agreement, and re-asks that held or flipped."""

    name: str
    votes: int
    agreement: float
    reasks: int
    flips: int
    stable: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StabilityReport:
    """Per-axis evidence, the comparisons kept by the consistency filter, and the user-level re-asks."""

    axes: tuple[AxisStability, ...]
    keep: NDArray[np.bool_]
    reasked_items: int
    flipped_items: int

    @property
    def stable(self) -> NDArray[np.bool_]:
        return np.asarray([axis.stable for axis in self.axes], dtype=np.bool_)

    @property
    def reask_agreement(self) -> float | None:
        if not self.reasked_items:
            return None
        return 1.0 - self.flipped_items / self.reasked_items


def touched_axes(difference: Array) -> NDArray[np.bool_]:
    """The axes a comparison speaks about clearly (see MIN_AXIS_DIFFERENCE and AXIS_SHARE)."""
    size = np.abs(difference)
    largest = float(size.max()) if size.size else 0.0
    return np.asarray((size >= MIN_AXIS_DIFFERENCE) & (size >= AXIS_SHARE * largest), dtype=np.bool_)


def assess_stability(
    comparisons: Sequence[PairwiseComparison],
    differences: Array,
    *,
    agreement: float,
    min_votes: int = 2,
    names: Sequence[str] = BASE_NAMES,
) -> StabilityReport:
    """Decide per axis whether the user's answers are stable; see the module docstring for the rules."""
    size = len(names)
    keep = np.ones(len(comparisons), dtype=np.bool_)
    groups: dict[tuple[str, frozenset[str]], list[int]] = defaultdict(list)
    for index, comparison in enumerate(comparisons):
        if comparison.item_id:
            groups[(comparison.item_id, frozenset((comparison.preferred, comparison.other)))].append(index)
    reasks = np.zeros(size, dtype=np.int64)
    flips = np.zeros(size, dtype=np.int64)
    reasked_items = flipped_items = 0
    for indices in groups.values():
        if len(indices) < 2:
            continue
        reasked_items += 1
        axes = touched_axes(differences[indices[0]])
        reasks += axes
        if len({comparisons[i].preferred for i in indices}) > 1:
            flipped_items += 1
            flips += axes
            keep[indices] = False
    positive = np.zeros(size, dtype=np.int64)
    negative = np.zeros(size, dtype=np.int64)
    for difference in differences:
        axes = touched_axes(difference)
        positive += axes & (difference > 0)
        negative += axes & (difference < 0)
    user_flips = reasked_items >= 2 and (1.0 - flipped_items / reasked_items) < agreement
    report: list[AxisStability] = []
    for k, name in enumerate(names):
        votes = int(positive[k] + negative[k])
        share = max(positive[k], negative[k]) / votes if votes else 0.0
        if user_flips:
            stable, reason = False, "answers flip when questions are asked again"
        elif votes < min_votes:
            stable, reason = False, f"too few answers about it ({votes} < {min_votes})"
        elif reasks[k] and 1.0 - flips[k] / reasks[k] < agreement:
            stable, reason = False, f"{flips[k]} of {reasks[k]} re-asked questions flipped"
        elif share < agreement:
            stable, reason = False, f"answers split ({share:.0%} agree)"
        else:
            stable, reason = True, f"{share:.0%} of {votes} answers agree"
        report.append(
            AxisStability(
                name=name,
                votes=votes,
                agreement=float(share),
                reasks=int(reasks[k]),
                flips=int(flips[k]),
                stable=stable,
                reason=reason,
            )
        )
    return StabilityReport(
        axes=tuple(report), keep=keep, reasked_items=reasked_items, flipped_items=flipped_items
    )


@dataclass(frozen=True)
class UserFit:
    """A user's coefficients together with the stability evidence that decided which axes were fitted."""

    coefficients: UserCoefficients
    stability: StabilityReport

    def axes_json(self) -> list[dict[str, Any]]:
        """Per axis: value, uncertainty, population value, whether fitted, and why."""
        fitted = self.coefficients
        rows = []
        for k, axis in enumerate(self.stability.axes):
            rows.append(
                {
                    "name": axis.name,
                    "value": float(fitted.mean[k]),
                    "std": float(fitted.std[k]),
                    "population": float(fitted.population[k]),
                    "status": "personalized" if axis.stable else "kept at population",
                    **axis.as_dict(),
                }
            )
        return rows


def fit_user(
    comparisons: Sequence[PairwiseComparison],
    *,
    population_mean: Array,
    prior_strength: float,
    agreement: float,
    min_votes: int = 2,
    differences: Array | None = None,
    names: Sequence[str] = BASE_NAMES,
) -> UserFit:
    """Fit lambda_u on the stable axes only, after dropping questions whose verdict flipped.

    `differences` (with the `names` of their columns) may carry the comparisons' feature
    differences over other base functions than the interpretable ones.
    """
    diffs = comparison_differences(comparisons) if differences is None else differences
    report = assess_stability(comparisons, diffs, agreement=agreement, min_votes=min_votes, names=names)
    coefficients = fit_differences(
        diffs[report.keep],
        population_mean=population_mean,
        prior_strength=prior_strength,
        stable=report.stable,
        names=names,
    )
    return UserFit(coefficients=coefficients, stability=report)
