"""Per-user coefficients lambda_u: Bayesian Bradley-Terry regression on pairwise comparisons.

The user's reward is r_u(x, y) = lambda_u . phi(x, y) over the base functions. Each
comparison says the user preferred one response over another to the same prompt, so
P(preferred) = sigmoid(lambda . v) with v = phi(preferred) - phi(other). The prior is a
Gaussian centred on the population coefficients with precision `prior_strength` (the
pull back to the shared baseline: a few answers move lambda a little, many move it
far). The posterior is summarised by its mode and the Laplace covariance, the inverse
Hessian of the negative log posterior at the mode.

Dimensions not marked stable are not fitted at all: they stay at the population value
with the prior's uncertainty, and their (population) contribution to each comparison is
held fixed while the stable ones are fitted. A user who answers at random is therefore
never reported as confidently personalized on an axis whose answers did not hold up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.reward.base_functions import BASE_NAMES, base_features
from prefmem.memory.extraction.base import OccasionUnit, occasion_of
from prefmem.memory.models import Feedback

Array = NDArray[np.float64]

#: Hand-set population coefficients (not learned from any data set): most people like
#: structure and examples a little, and direct answers over hedged ones; length,
#: formality and technical depth are split, so they start at zero.
DEFAULT_POPULATION: dict[str, float] = {
    "length": 0.0,
    "structure": 0.5,
    "formality": 0.0,
    "technical_depth": 0.0,
    "examples": 0.5,
    "warmth": 0.3,
    "hedging": -0.3,
}


@dataclass(frozen=True)
class PairwiseComparison:
    """The user preferred `preferred` over `other` as replies to `prompt`.

    `occasion` is the session or day it was measured on, `condition` the framing (e.g.
    "order-ab"), and `item_id` names the question when it is asked again elsewhere.
    """

    prompt: str
    preferred: str
    other: str
    occasion: str = ""
    condition: str | None = None
    item_id: str | None = None


@dataclass(frozen=True)
class UserCoefficients:
    """A user's fitted coefficients: posterior mean and covariance, and which axes were fitted.

    `stable[k]` is False where the axis stayed at the population value (not fitted);
    there `std[k]` is the prior's standard deviation.
    """

    names: tuple[str, ...]
    mean: Array
    covariance: Array
    stable: NDArray[np.bool_]
    population: Array
    prior_strength: float
    n_comparisons: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def std(self) -> Array:
        """Posterior standard deviation per axis."""
        return np.sqrt(np.clip(np.diag(self.covariance), 0.0, None))

    @property
    def prior_std(self) -> float:
        return float(1.0 / np.sqrt(self.prior_strength))

    def reward(self, features: Array) -> Array:
        """lambda . phi for each row of a (n, K) feature array."""
        return np.asarray(features @ self.mean, dtype=np.float64)

    def as_mapping(self) -> dict[str, float]:
        return {name: float(value) for name, value in zip(self.names, self.mean, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary; `from_dict` reads it back exactly."""
        return {
            "names": list(self.names),
            "mean": self.mean.tolist(),
            "covariance": self.covariance.tolist(),
            "stable": [bool(flag) for flag in self.stable],
            "population": self.population.tolist(),
            "prior_strength": self.prior_strength,
            "n_comparisons": self.n_comparisons,
            "extra": self.extra,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> UserCoefficients:
        return cls(
            names=tuple(raw["names"]),
            mean=np.asarray(raw["mean"], dtype=np.float64),
            covariance=np.asarray(raw["covariance"], dtype=np.float64),
            stable=np.asarray(raw["stable"], dtype=np.bool_),
            population=np.asarray(raw["population"], dtype=np.float64),
            prior_strength=float(raw["prior_strength"]),
            n_comparisons=int(raw.get("n_comparisons", 0)),
            extra=dict(raw.get("extra", {})),
        )

    @classmethod
    def population_only(
        cls, population: Sequence[float], *, prior_strength: float, names: Sequence[str] = BASE_NAMES
    ) -> UserCoefficients:
        """The coefficients of a user nothing is known about: the population, with the prior's spread."""
        size = len(names)
        return cls(
            names=tuple(names),
            mean=np.asarray(population, dtype=np.float64).copy(),
            covariance=np.eye(size) / prior_strength,
            stable=np.zeros(size, dtype=np.bool_),
            population=np.asarray(population, dtype=np.float64).copy(),
            prior_strength=prior_strength,
        )


def population_vector(
    population: Mapping[str, float] | None = None, names: Sequence[str] = BASE_NAMES
) -> Array:
    """Population coefficients in the order of `names`; missing names default to DEFAULT_POPULATION."""
    merged = {**DEFAULT_POPULATION, **(population or {})}
    unknown = set(merged) - set(names)
    if unknown:
        raise ValueError(f"unknown base functions in population coefficients: {sorted(unknown)}")
    return np.asarray([merged.get(name, 0.0) for name in names], dtype=np.float64)


def comparisons_from_feedback(
    feedback: Sequence[Feedback], *, occasion: OccasionUnit = "day"
) -> list[PairwiseComparison]:
    """The pairwise comparisons a user's feedback implies.

    - choice and answer: the chosen option is preferred over each other option.
    - rating: a single rating has no counterpart, so it implies no pair. Ratings of
      different responses to the same prompt with opposite values do: each liked
      response is preferred over each disliked one. Two likes say nothing about order.
    Options that are identical texts imply nothing.
    """
    pairs: list[PairwiseComparison] = []
    ratings: dict[str, list[Feedback]] = defaultdict(list)
    for event in feedback:
        if event.kind == "rating":
            ratings[event.prompt].append(event)
            continue
        if event.chosen is None or not 0 <= event.chosen < len(event.options):
            continue
        chosen = event.options[event.chosen]
        for index, option in enumerate(event.options):
            if index != event.chosen and option != chosen:
                pairs.append(
                    PairwiseComparison(
                        prompt=event.prompt,
                        preferred=chosen,
                        other=option,
                        occasion=occasion_of(event, occasion),
                        condition=event.condition,
                        item_id=event.item_id,
                    )
                )
    for prompt, rated in ratings.items():
        liked = [event for event in rated if (event.value or 0) > 0]
        disliked = [event for event in rated if (event.value or 0) < 0]
        for good in liked:
            for bad in disliked:
                if good.response and bad.response and good.response != bad.response:
                    later = max(good, bad, key=lambda event: event.timestamp)
                    pairs.append(
                        PairwiseComparison(
                            prompt=prompt,
                            preferred=good.response,
                            other=bad.response,
                            occasion=occasion_of(later, occasion),
                            condition=later.condition,
                        )
                    )
    return pairs


def comparison_differences(comparisons: Sequence[PairwiseComparison]) -> Array:
    """v = phi(preferred) - phi(other) for each comparison: shape (n, K)."""
    if not comparisons:
        return np.zeros((0, len(BASE_NAMES)), dtype=np.float64)
    rows = [base_features(c.prompt, [c.preferred, c.other]) for c in comparisons]
    return np.asarray([pair[0] - pair[1] for pair in rows], dtype=np.float64)


def sigmoid(z: Array) -> Array:
    """The logistic function: the Bradley-Terry probability of a reward difference z."""
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def fit_differences(
    differences: Array,
    *,
    population_mean: Array,
    prior_strength: float,
    stable: NDArray[np.bool_] | None = None,
    names: Sequence[str] = BASE_NAMES,
    iterations: int = 50,
) -> UserCoefficients:
    """MAP fit with Laplace covariance from feature differences (preferred minus other).

    Newton's method on the negative log posterior, which is strictly convex (the prior
    makes the Hessian positive definite), so it converges in a handful of steps.
    """
    if prior_strength <= 0:
        raise ValueError("prior_strength must be positive")
    size = len(names)
    population = np.asarray(population_mean, dtype=np.float64)
    mask = np.ones(size, dtype=np.bool_) if stable is None else np.asarray(stable, dtype=np.bool_)
    mean = population.copy()
    covariance = np.eye(size) / prior_strength
    v = np.asarray(differences, dtype=np.float64).reshape(-1, size)
    fitted = np.flatnonzero(mask)
    if len(v) and len(fitted):
        fixed = v[:, ~mask] @ population[~mask]
        vs = v[:, fitted]
        prior_mean = population[fitted]
        lam = prior_mean.copy()
        eye = np.eye(len(fitted))
        hessian = prior_strength * eye
        for _ in range(iterations):
            p = sigmoid(vs @ lam + fixed)
            gradient = prior_strength * (lam - prior_mean) - vs.T @ (1.0 - p)
            hessian = prior_strength * eye + (vs * (p * (1.0 - p))[:, None]).T @ vs
            step = np.linalg.solve(hessian, gradient)
            lam = lam - step
            if float(np.max(np.abs(step))) < 1e-8:
                break
        p = sigmoid(vs @ lam + fixed)
        hessian = prior_strength * eye + (vs * (p * (1.0 - p))[:, None]).T @ vs
        mean[fitted] = lam
        covariance[np.ix_(fitted, fitted)] = np.linalg.inv(hessian)
    return UserCoefficients(
        names=tuple(names),
        mean=mean,
        covariance=covariance,
        stable=mask.copy(),
        population=population.copy(),
        prior_strength=prior_strength,
        n_comparisons=len(v),
    )


def fit_coefficients(
    comparisons: Sequence[PairwiseComparison],
    *,
    population_mean: Array | Sequence[float],
    prior_strength: float,
    stable: NDArray[np.bool_] | Sequence[bool] | None = None,
) -> UserCoefficients:
    """Fit lambda_u to comparisons; axes with `stable[k]` False stay at the population value."""
    return fit_differences(
        comparison_differences(comparisons),
        population_mean=np.asarray(population_mean, dtype=np.float64),
        prior_strength=prior_strength,
        stable=None if stable is None else np.asarray(stable, dtype=np.bool_),
    )
