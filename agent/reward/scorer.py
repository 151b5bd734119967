"""The factorized reward r_u(x, y) that reranks candidate responses, with its breakdown per term.

    r_u(x, y) = shared base(x, y) + clip(personal_u(x, y), -bound, +bound)

    shared base   = relevance_weight * cos(x, y)              (answers what was asked)
                  + quality(y)                                  (empty, repetitive, echoing: penalised)
                  + sum_k population_k * phi_k(x, y)            (what most people like)
    personal_u    = sum_k (lambda_{u,k} - population_k) * phi_k(x, y)
                  + sum_p w_p * c(p, x, y)                      (the user's active preferences)

Only the personal part depends on the user, and it is clipped to [-bound, +bound]. Two
candidates' personal parts therefore differ by at most 2 * bound: a candidate whose shared
base is more than 2 * bound ahead cannot be overtaken by personalization. That is the
guard against personal terms overriding shared quality (and a safety or correctness term
placed in the shared base with a penalty larger than 2 * bound can never be traded away).

w_p comes from the preference's kind and stability: genuine (or confirmed or edited by
the user) full weight, tentative `tentative_weight`, everything else 0: non-attitudes,
constructed and superseded preferences are never fed forward.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from agent.reward.base_functions import BASE_NAMES, base_features
from agent.reward.coefficients import UserCoefficients
from agent.reward.preference_terms.base import PreferenceScorer
from agent.reward.quality import quality_penalties
from memory.embeddings.base import Embedder
from memory.preferences import Preference

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ScoredCandidate:
    """One candidate with its reward and the reward's breakdown (the terms add up to `score`)."""

    index: int
    text: str
    score: float
    terms: dict[str, float]

    def to_dict(self) -> dict[str, object]:
        return {"index": self.index, "text": self.text, "score": self.score, "terms": self.terms}


def preference_weight(preference: Preference, *, tentative_weight: float) -> float:
    """w_p: how much a preference counts, from its kind, its stability and the user's word.

    A preference the user confirmed or edited counts fully; genuine ones by their stability
    (at least half weight: a genuine preference has already passed the consistency rules);
    tentative ones at `tentative_weight` times that; every other kind not at all.
    """
    if preference.user_status is not None:
        return 1.0
    strength = 0.5 + 0.5 * min(max(preference.stability, 0.0), 1.0)
    if preference.kind == "genuine":
        return strength
    if preference.kind == "tentative":
        return tentative_weight * strength
    return 0.0


@dataclass
class RewardScorer:
    """Scores candidate responses for one user; see the module docstring for the formula."""

    embedder: Embedder
    preference_scorer: PreferenceScorer
    population: Array
    relevance_weight: float = 1.0
    personal_bound: float = 1.0
    tentative_weight: float = 0.5
    names: tuple[str, ...] = field(default=BASE_NAMES)

    def __post_init__(self) -> None:
        self.population = np.asarray(self.population, dtype=np.float64)
        if self.population.shape != (len(self.names),):
            raise ValueError(f"population coefficients need {len(self.names)} values, one per base function")
        if self.personal_bound < 0:
            raise ValueError("personal_bound must be >= 0")

    def score(
        self,
        prompt: str,
        candidates: Sequence[str],
        *,
        coefficients: UserCoefficients | None = None,
        preferences: Sequence[Preference] = (),
        vectors: Array | None = None,
    ) -> list[ScoredCandidate]:
        """Every candidate scored, best first (ties keep the given order).

        `vectors` may carry `embed(prompt, candidates)` when the caller already has it.
        """
        if not candidates:
            return []
        texts = list(candidates)
        if vectors is None:
            vectors = self.embed(prompt, texts)
        columns: dict[str, Array] = {}
        relevance = (
            np.zeros(len(texts), dtype=np.float64) if vectors is None else vectors[1:] @ vectors[0]
        )
        columns["base:relevance"] = self.relevance_weight * relevance
        columns["base:quality"] = quality_penalties(prompt, texts)
        features = base_features(prompt, texts)
        for k, name in enumerate(self.names):
            columns[f"base:{name}"] = self.population[k] * features[:, k]
        personal = self._personal_columns(prompt, texts, features, coefficients, preferences)
        columns.update(personal)
        base_total = np.sum([columns[key] for key in columns if key.startswith("base:")], axis=0)
        personal_total = (
            np.sum(list(personal.values()), axis=0) if personal else np.zeros(len(texts), dtype=np.float64)
        )
        clipped = np.clip(personal_total, -self.personal_bound, self.personal_bound)
        if np.any(clipped != personal_total):
            columns["personal:bound"] = clipped - personal_total
        totals = base_total + clipped
        scored = [
            ScoredCandidate(
                index=i,
                text=text,
                score=round(float(totals[i]), 6),
                terms={key: round(float(values[i]), 6) for key, values in columns.items()},
            )
            for i, text in enumerate(texts)
        ]
        return sorted(scored, key=lambda c: (-c.score, c.index))

    def embed(self, prompt: str, candidates: Sequence[str]) -> Array | None:
        """Unit vectors of the prompt (row 0) and the candidates, in one batch (None: no prompt)."""
        if not prompt.strip() or not candidates:
            return None
        return np.asarray(self.embedder.embed_batch([prompt, *candidates]), dtype=np.float64)

    def _personal_columns(
        self,
        prompt: str,
        texts: list[str],
        features: Array,
        coefficients: UserCoefficients | None,
        preferences: Sequence[Preference],
    ) -> dict[str, Array]:
        columns: dict[str, Array] = {}
        if coefficients is not None:
            if coefficients.names != self.names:
                raise ValueError("the user's coefficients were fitted on other base functions; refit them")
            shift = coefficients.mean - self.population
            for k, name in enumerate(self.names):
                if shift[k] != 0:
                    columns[f"user:{name}"] = shift[k] * features[:, k]
        for preference in preferences:
            weight = preference_weight(preference, tentative_weight=self.tentative_weight)
            if weight == 0:
                continue
            values = self.preference_scorer.score(preference.statement, prompt, texts)
            columns[f"preference:{preference.id}"] = weight * np.asarray(values, dtype=np.float64)
        return columns
