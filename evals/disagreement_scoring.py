"""Scoring a DSP user's held-out pairs: their own style's answer against each other style's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from prefmem.agent.reward.coefficients import Array, UserCoefficients
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.evals.dsp_data import STYLES, DSPQuery


def pair_outcome(first: float, second: float) -> float:
    """1 when the first score wins, 0 when it loses, 0.5 for a tie (no preference expressed)."""
    if first > second:
        return 1.0
    if first < second:
        return 0.0
    return 0.5


def query_outcomes(
    scorer: RewardScorer,
    test: Sequence[DSPQuery],
    user: str,
    coefficients: UserCoefficients,
    preferences: Sequence[Any] = (),
) -> Array:
    """Per held-out query, the share of the other styles whose answer the user's own style beats."""
    rows = []
    for item in test:
        outcomes = []
        for other in STYLES:
            if other == user:
                continue
            scored = scorer.score(
                item.query,
                [item.responses[user], item.responses[other]],
                coefficients=coefficients,
                preferences=preferences,
            )
            by_index = {candidate.index: candidate.score for candidate in scored}
            outcomes.append(pair_outcome(by_index[0], by_index[1]))
        rows.append(float(np.mean(outcomes)))
    return np.asarray(rows, dtype=np.float64)
