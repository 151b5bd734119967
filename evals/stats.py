"""Small statistics shared by the evaluations: proportions with 95% Wilson intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054


def wilson_interval(hits: int, n: int, *, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default); (0, 1) when n is 0.

    Unlike the normal approximation it stays inside [0, 1] and is not empty at 0% or
    100%, which matters for the small per-cell counts of a `--limit` run.
    """
    if n < 0 or not 0 <= hits <= max(n, 0):
        raise ValueError(f"need 0 <= hits <= n, got hits={hits}, n={n}")
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Tally:
    """Counts hits out of trials and reports the rate with its interval."""

    hits: int = 0
    n: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.n += 1

    @property
    def rate(self) -> float | None:
        return self.hits / self.n if self.n else None

    def summary(self) -> dict[str, float | int | None]:
        """n, rate (None when empty) and the 95% Wilson interval, rounded for reports."""
        low, high = wilson_interval(self.hits, self.n)
        rate = self.rate
        return {
            "n": self.n,
            "rate": None if rate is None else round(rate, 4),
            "ci_low": round(low, 4),
            "ci_high": round(high, 4),
        }


def bootstrap_rows(n: int, *, resamples: int, seed: int) -> list[list[int]]:
    """`resamples` lists of n indices drawn with replacement (the same draws serve every statistic,
    so statistics computed from them stay paired: a worst-off user, a difference of two models)."""
    import random

    if n <= 0:
        return []
    rng = random.Random(seed)
    return [[rng.randrange(n) for _ in range(n)] for _ in range(resamples)]


def percentile_interval(values: list[float], *, level: float = 0.95) -> tuple[float, float]:
    """The central `level` share of bootstrap values (percentile interval); (nan, nan) when empty."""
    if not values:
        return math.nan, math.nan
    ordered = sorted(values)
    tail = (1.0 - level) / 2.0
    low = ordered[min(len(ordered) - 1, max(0, math.floor(tail * len(ordered))))]
    high = ordered[min(len(ordered) - 1, max(0, math.ceil((1.0 - tail) * len(ordered)) - 1))]
    return low, high
