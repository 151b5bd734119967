"""The factorized reward r_u(x, y) that reranks candidate responses, with its breakdown per term.

    r_u(x, y) = shared base(x, y) + bound(personal_u(x, y))

    shared base   = relevance_weight * cos(x, y)              (answers what was asked)
                  + quality(y)                                  (empty, looping, parroting: penalised)
                  + sycophancy(x, y)                            (agreeing where another candidate corrects)
    personal_u    = sum_k lambda_{u,k} * phi_k(x, y)            (style: the user's coefficients, which are
                                                                 the population's until answers move them,
                                                                 over the interpretable base functions and
                                                                 the learned ones when a cache exists)
                  + sum_p w_p * c(p, x, y)                      (the user's active preferences)
    bound(t)      = personal_bound * t / (personal_bound + |t|)

The shared base is the same for every user and holds what nobody's taste should
trade away. Everything taste-dependent is personal and passes through `bound`, which
is strictly increasing with a slow (algebraic) approach to its limits, so a larger
personal total still ranks higher even far out (a hard clip, or tanh in floating point,
would tie them), and it never reaches +/- personal_bound. Two candidates' personal parts
therefore differ by less than 2 * personal_bound: a candidate whose shared base is at
least that far ahead cannot be overtaken by personalization. The quality and sycophancy
penalties are set above 2 * the default bound (1.0) for that reason.

w_p comes from the preference's kind and stability: genuine (or confirmed or edited by
the user) full weight, tentative `tentative_weight`, everything else 0: non-attitudes,
constructed and superseded preferences are never fed forward. At most `max_preferences`
preferences enter a turn, the ones closest in meaning to the prompt, and one that is much
less close to the prompt than the closest counts less (`relevance_factors`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.config import AssistantConfig, RewardConfig
from prefmem.agent.reward.base_functions import BASE_NAMES, base_features
from prefmem.agent.reward.coefficients import PairwiseComparison, UserCoefficients
from prefmem.agent.reward.learned_functions import LearnedFunctions
from prefmem.agent.reward.preference_terms.base import PreferenceScorer
from prefmem.agent.reward.quality import quality_penalties
from prefmem.agent.reward.sycophancy_guard import sycophancy_penalties
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.preferences import Preference

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


def soft_bound(total: Array, bound: float) -> Array:
    """bound * t / (bound + |t|): strictly increasing, never reaching +/- bound."""
    return np.asarray(bound * total / (bound + np.abs(total)), dtype=np.float64)


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


def relevance_factors(closeness: Array, *, margin: float, softness: float) -> Array:
    """How much each preference counts this turn, from its closeness to the prompt (cosine).

    A preference within `margin` of the closest one counts fully; past that its weight
    falls by a factor e for every further `softness` (0 turns this off). A preference about
    board games then hardly steers an answer about taxes when another one is about taxes,
    while preferences that are all about as close to the prompt (style ones such as
    "Prefers short answers" sit within 0.2 of each other on ordinary prompts) all count.
    """
    closeness = np.asarray(closeness, dtype=np.float64)
    if softness <= 0 or closeness.size == 0:
        return np.ones_like(closeness)
    behind = np.maximum(0.0, closeness.max() - closeness - margin)
    return np.asarray(np.exp(-behind / softness), dtype=np.float64)


# Defaults are config.yaml's (the config models').
_REWARD = RewardConfig()
_ASSISTANT = AssistantConfig()


@dataclass
class RewardScorer:
    """Scores candidate responses for one user; see the module docstring for the formula."""

    embedder: Embedder
    preference_scorer: PreferenceScorer
    population: Array
    relevance_weight: float = _REWARD.relevance_weight
    personal_bound: float = _REWARD.personal_bound
    tentative_weight: float = _ASSISTANT.tentative_weight
    sycophancy_penalty: float = _REWARD.sycophancy_penalty
    max_preferences: int = _REWARD.max_preferences
    relevance_margin: float = _REWARD.relevance_margin
    relevance_softness: float = _REWARD.relevance_softness
    learned: LearnedFunctions | None = None
    names: tuple[str, ...] = field(default=BASE_NAMES, init=False)

    def __post_init__(self) -> None:
        self.population = np.asarray(self.population, dtype=np.float64)
        if self.learned is not None:
            if self.learned.dimension != self.embedder.dimension:
                raise ValueError(
                    f"the learned reward functions expect {self.learned.dimension}-dimensional embeddings, "
                    f"the embedder gives {self.embedder.dimension}"
                )
            self.names = BASE_NAMES + self.learned.names
            if self.population.shape == (len(BASE_NAMES),):
                self.population = np.concatenate([self.population, self.learned.population])
        if self.population.shape != (len(self.names),):
            raise ValueError(f"population coefficients need {len(self.names)} values, one per base function")
        if self.personal_bound <= 0:
            raise ValueError("personal_bound must be > 0")
        if self.max_preferences < 0:
            raise ValueError("max_preferences must be >= 0")

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
        relevance = np.zeros(len(texts), dtype=np.float64) if vectors is None else vectors[1:] @ vectors[0]
        columns["base:relevance"] = self.relevance_weight * relevance
        columns["base:quality"] = quality_penalties(prompt, texts)
        if self.sycophancy_penalty > 0:
            columns["base:sycophancy"] = sycophancy_penalties(prompt, texts, penalty=self.sycophancy_penalty)
        base_total = np.sum(list(columns.values()), axis=0)
        personal = self._personal_columns(prompt, texts, coefficients, preferences, vectors)
        columns.update(personal)
        personal_total = np.sum(list(personal.values()), axis=0)
        bounded = soft_bound(personal_total, self.personal_bound)
        columns["personal:bound"] = bounded - personal_total
        totals = base_total + bounded
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

    def features(self, prompt: str, texts: Sequence[str], *, vectors: Array | None = None) -> Array:
        """phi(prompt, reply) for each reply over every base function in `names`: shape (n, len(names)).

        `vectors` may carry the prompt's and the replies' embeddings (rows 0 and 1..n), as
        `embed` returns them; the learned functions read the replies' rows.
        """
        interpretable = base_features(prompt, texts)
        if self.learned is None or not texts:
            return interpretable
        replies = (
            vectors[1:]
            if vectors is not None
            else np.asarray(self.embedder.embed_batch(list(texts)), dtype=np.float64)
        )
        return np.concatenate([interpretable, self.learned.values(replies)], axis=1)

    def comparison_differences(self, comparisons: Sequence[PairwiseComparison]) -> Array:
        """phi(preferred) - phi(other) for each comparison over every base function: shape (n, len(names))."""
        if not comparisons:
            return np.zeros((0, len(self.names)), dtype=np.float64)
        interpretable = np.asarray(
            [np.subtract(*base_features(c.prompt, [c.preferred, c.other])) for c in comparisons],
            dtype=np.float64,
        )
        if self.learned is None:
            return interpretable
        texts = list(dict.fromkeys(text for c in comparisons for text in (c.preferred, c.other)))
        vectors = np.asarray(self.embedder.embed_batch(texts), dtype=np.float64)
        learned = self.learned.values(vectors)
        row = {text: index for index, text in enumerate(texts)}
        preferred = learned[[row[c.preferred] for c in comparisons]]
        other = learned[[row[c.other] for c in comparisons]]
        return np.concatenate([interpretable, preferred - other], axis=1)

    def embed(self, prompt: str, candidates: Sequence[str]) -> Array | None:
        """Unit vectors of the prompt (row 0) and the candidates, in one batch (None: no prompt)."""
        if not prompt.strip() or not candidates:
            return None
        return np.asarray(self.embedder.embed_batch([prompt, *candidates]), dtype=np.float64)

    def _personal_columns(
        self,
        prompt: str,
        texts: list[str],
        coefficients: UserCoefficients | None,
        preferences: Sequence[Preference],
        vectors: Array | None,
    ) -> dict[str, Array]:
        """The style terms (one per base function) and one term per preference that counts."""
        lam = self.population if coefficients is None else coefficients.mean
        if coefficients is not None and coefficients.names != self.names:
            raise ValueError("the user's coefficients were fitted on other base functions; refit them")
        features = self.features(prompt, texts, vectors=vectors)
        columns: dict[str, Array] = {
            f"style:{name}": lam[k] * features[:, k] for k, name in enumerate(self.names) if lam[k] != 0
        }
        if not columns:
            columns["style:none"] = np.zeros(len(texts), dtype=np.float64)
        for preference, weight in self.active_preferences(prompt, preferences):
            values = self.preference_scorer.score(preference.statement, prompt, texts)
            columns[f"preference:{preference.id}"] = weight * np.asarray(values, dtype=np.float64)
        return columns

    def active_preferences(
        self, prompt: str, preferences: Sequence[Preference]
    ) -> list[tuple[Preference, float]]:
        """The preferences that count this turn, with their weights: at most `max_preferences`,
        the ones closest in meaning to the prompt, each weighed down by how far it falls behind
        the closest one (see `relevance_factors`)."""
        weights = [preference_weight(p, tentative_weight=self.tentative_weight) for p in preferences]
        weighted = [(p, w) for p, w in zip(preferences, weights, strict=True) if w > 0]
        if self.max_preferences == 0 or not weighted:
            return []
        if len(weighted) == 1 or not prompt.strip():
            return weighted[: self.max_preferences]
        vectors = np.asarray(
            self.embedder.embed_batch([prompt, *(p.statement for p, _ in weighted)]), dtype=np.float64
        )
        closeness = vectors[1:] @ vectors[0]
        order = sorted(range(len(weighted)), key=lambda i: (-closeness[i], -weighted[i][1], i))
        kept = order[: self.max_preferences]
        factors = relevance_factors(
            closeness[kept], margin=self.relevance_margin, softness=self.relevance_softness
        )
        return [(weighted[i][0], weighted[i][1] * float(f)) for i, f in zip(kept, factors, strict=True)]
