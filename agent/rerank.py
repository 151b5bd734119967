"""Best-of-N reranking for one user: the user's coefficients and preferences, the reward, the ranking.

`Personalizer` is what the assistant, `prefmem rerank` and the benchmarks share. It reads
the user's fitted coefficients (or the population's, for a user nothing is known about)
and the preferences that may be fed forward, scores the candidates with the
`RewardScorer`, and reports the ranking with every candidate's breakdown per term and how
diverse the candidates were. `refit` turns the user's pairwise feedback (choices, answers,
opposite ratings of one prompt, edits) into coefficients, personalizing only the axes the
answers support.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.config import ConsolidationConfig, RewardConfig
from prefmem.agent.reward.coefficient_store import CoefficientStore
from prefmem.agent.reward.coefficients import UserCoefficients, comparisons_from_feedback
from prefmem.agent.reward.scorer import RewardScorer, ScoredCandidate
from prefmem.agent.reward.stability import UserFit, fit_user
from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.extraction.base import OccasionUnit
from prefmem.memory.preferences import Preference
from prefmem.memory.semantic.store import SemanticStore

# Defaults are config.yaml's (the config models').
_REWARD = RewardConfig()
_CONSOLIDATION = ConsolidationConfig()


@dataclass(frozen=True)
class Ranking:
    """Candidates best first, the diversity of the set, and what personalized it."""

    candidates: list[ScoredCandidate]
    diversity: float
    preferences: list[str]
    coefficients: dict[str, float]

    @property
    def best(self) -> ScoredCandidate:
        return self.candidates[0]

    def to_dict(self) -> dict[str, object]:
        return {
            "candidates": [c.to_dict() for c in self.candidates],
            "diversity": self.diversity,
            "preferences": self.preferences,
            "coefficients": self.coefficients,
        }


def diversity(vectors: NDArray[np.float64]) -> float:
    """Mean pairwise cosine distance (1 - cosine) between unit vectors; 0 for fewer than two."""
    count = len(vectors)
    if count < 2:
        return 0.0
    similarities = vectors @ vectors.T
    upper = similarities[np.triu_indices(count, k=1)]
    return round(float(np.mean(1.0 - upper)), 6)


def usable_preferences(
    semantic: SemanticStore | None, user_id: str, *, tentative_weight: float
) -> list[Preference]:
    """The preferences that may personalize: genuine, tentative (unless weighted 0), the user's own."""
    if semantic is None:
        return []
    usable = [p for p in semantic.preferences(user_id) if p.fed_forward]
    if tentative_weight <= 0:
        usable = [p for p in usable if p.kind != "tentative" or p.user_status is not None]
    usable.sort(key=lambda p: (p.kind == "tentative" and p.user_status is None, -p.stability))
    return usable


@dataclass
class Personalizer:
    """Scores candidates for a user and keeps the user's coefficients up to date with feedback."""

    scorer: RewardScorer
    coefficient_store: CoefficientStore | None = None
    prior_strength: float = _REWARD.prior_strength
    stability_agreement: float = _REWARD.stability_agreement
    stability_min_votes: int = _REWARD.stability_min_votes
    occasion: OccasionUnit = _CONSOLIDATION.occasion

    def coefficients(self, user_id: str) -> UserCoefficients:
        """The user's saved coefficients, or the population's when none were fitted."""
        saved = self.coefficient_store.load(user_id) if self.coefficient_store is not None else None
        if saved is not None and saved.names == self.scorer.names:
            return saved
        return UserCoefficients.population_only(
            self.scorer.population.tolist(), prior_strength=self.prior_strength, names=self.scorer.names
        )

    def rank(
        self,
        user_id: str,
        prompt: str,
        candidates: Sequence[str],
        *,
        preferences: Sequence[Preference] = (),
    ) -> Ranking:
        """Score every candidate for the user, best first."""
        coefficients = self.coefficients(user_id)
        vectors = self.scorer.embed(prompt, candidates)
        ranked = self.scorer.score(
            prompt, candidates, coefficients=coefficients, preferences=preferences, vectors=vectors
        )
        return Ranking(
            candidates=ranked,
            diversity=diversity(vectors[1:]) if vectors is not None else 0.0,
            preferences=[p.id for p in preferences],
            coefficients=coefficients.as_mapping(),
        )

    def refit(self, store: EpisodicStore, user_id: str) -> UserFit:
        """Fit the user's coefficients from all their pairwise feedback and save them."""
        comparisons = comparisons_from_feedback(store.feedback(user_id), occasion=self.occasion)
        fit = fit_user(
            comparisons,
            differences=self.scorer.comparison_differences(comparisons),
            names=self.scorer.names,
            population_mean=self.scorer.population,
            prior_strength=self.prior_strength,
            agreement=self.stability_agreement,
            min_votes=self.stability_min_votes,
        )
        if self.coefficient_store is not None:
            self.coefficient_store.save(user_id, fit.coefficients)
        return fit
