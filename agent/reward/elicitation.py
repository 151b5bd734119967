"""Adaptive elicitation (PReF): about ten A/B questions that locate a new user's coefficients.

Each next question is the one with the largest expected information about lambda,
sigma'(lambda . v)^2 * v^T V^-1 v, where v is the feature difference of its two replies,
lambda the current estimate and V the regularised Fisher information of the answers so
far. Some answered questions are asked again at the end with the replies in swapped
order, so `fit_user` can tell answers that hold from answers that flip.

The loop is driven by an `ask(presentation) -> index` callback, so the same code runs
in the terminal, from scripted answers and against simulated users. Each answer
becomes an `answer` Feedback event (item id = the question, condition = the order it
was shown in), so elicitation also feeds consolidation like any other answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from prefmem.agent.reward.base_functions import BASE_NAMES, base_features
from prefmem.agent.reward.coefficients import (
    Array,
    PairwiseComparison,
    comparison_differences,
    fit_differences,
    sigmoid,
)
from prefmem.agent.reward.elicitation_bank import Question
from prefmem.memory.models import Feedback, utc_now


@dataclass(frozen=True)
class Presentation:
    """A question as shown: `options` in display order, and whether this is a re-ask."""

    question: Question
    swapped: bool = False
    reask: bool = False

    @property
    def options(self) -> tuple[str, str]:
        q = self.question
        return (q.second, q.first) if self.swapped else (q.first, q.second)

    @property
    def condition(self) -> str:
        return "order-ba" if self.swapped else "order-ab"


Ask = Callable[[Presentation], int]


def question_difference(question: Question) -> Array:
    """phi(first) - phi(second) for a question."""
    features = base_features(question.prompt, [question.first, question.second])
    return np.asarray(features[0] - features[1], dtype=np.float64)


def information_gain(lam: Array, fisher: Array, candidates: Array) -> Array:
    """The PReF criterion for each row v of `candidates`: sigma'(lambda . v)^2 * v^T V^-1 v."""
    p = sigmoid(candidates @ lam)
    spread = np.einsum("ij,ij->i", candidates @ np.linalg.inv(fisher), candidates)
    return np.asarray((p * (1.0 - p)) ** 2 * spread, dtype=np.float64)


class Elicitation:
    """One user's elicitation: picks questions, records answers, re-asks some in swapped order.

    `history` holds comparisons already known for the user (earlier answers, choices in
    chat), so a second elicitation starts where the first left off. `differences` may
    give the pool's feature differences precomputed (benchmarks reuse them); with base
    functions other than the interpretable ones (`names`) they must be given.
    """

    def __init__(
        self,
        pool: Sequence[Question],
        *,
        population_mean: Array,
        prior_strength: float,
        questions: int = 10,
        reask_share: float = 0.3,
        history: Sequence[PairwiseComparison] = (),
        differences: Array | None = None,
        names: Sequence[str] = BASE_NAMES,
    ) -> None:
        if not pool:
            raise ValueError("the question pool is empty")
        if not 0.0 <= reask_share < 1.0:
            raise ValueError("reask_share must be in [0, 1)")
        self.pool = list(pool)
        self.names = tuple(names)
        self.population = np.asarray(population_mean, dtype=np.float64)
        if self.population.shape != (len(self.names),):
            raise ValueError("population_mean needs one value per base function in `names`")
        if self.names != BASE_NAMES and (differences is None or history):
            raise ValueError("other base functions than the interpretable ones need precomputed differences")
        self.prior_strength = prior_strength
        self.reasks = min(round(questions * reask_share), max(0, questions - 1))
        self.fresh = questions - self.reasks
        self._v = (
            np.asarray([question_difference(q) for q in self.pool])
            if differences is None
            else np.asarray(differences, dtype=np.float64)
        )
        self._history = comparison_differences(history)
        self.answers: list[tuple[Presentation, int]] = []
        self._answered_rows: list[Array] = []
        self._asked: dict[str, int] = {}
        self._reasked: set[str] = set()

    # -- state -----------------------------------------------------------------------
    def _observed(self) -> Array:
        rows = [*self._history, *self._answered_rows]
        return np.asarray(rows, dtype=np.float64).reshape(-1, len(self.population))

    def estimate(self) -> Array:
        """The current estimate of lambda from everything observed (all axes fitted)."""
        fit = fit_differences(
            self._observed(),
            population_mean=self.population,
            prior_strength=self.prior_strength,
            names=self.names,
        )
        return fit.mean

    def fisher(self, lam: Array) -> Array:
        """V: the prior precision plus the Fisher information of the observed comparisons at lam."""
        observed = self._observed()
        p = sigmoid(observed @ lam)
        weights = p * (1.0 - p)
        size = len(self.population)
        return np.asarray(self.prior_strength * np.eye(size) + (observed * weights[:, None]).T @ observed)

    # -- the loop --------------------------------------------------------------------
    def next_presentation(self) -> Presentation | None:
        """The next question to show, or None when the elicitation is complete."""
        fresh_done = sum(1 for presentation, _ in self.answers if not presentation.reask)
        if fresh_done < self.fresh:
            candidates = [i for i, q in enumerate(self.pool) if q.item_id not in self._asked]
            if candidates:
                lam = self.estimate()
                gains = information_gain(lam, self.fisher(lam), self._v[candidates])
                return Presentation(self.pool[candidates[int(np.argmax(gains))]])
        if len(self._reasked) < self.reasks:
            return self._reask()
        return None

    def _reask(self) -> Presentation | None:
        """Re-ask the answered question whose verdict the current estimate predicts most confidently.

        A user with a real preference repeats such a verdict; one answering at random or by
        position flips it half the time or more. (Re-asking the question that pulled lambda
        furthest from the population, or the one where personalization changes the
        prediction most, was measured too: fewer genuine users passed, no more noise caught.)
        """
        lam = self.estimate()
        best: tuple[float, int] | None = None
        for order, (presentation, _) in enumerate(self.answers):
            item = presentation.question.item_id
            if presentation.reask or item in self._reasked:
                continue
            confidence = abs(float(lam @ self._v[self._asked[item]]))
            if best is None or confidence > best[0]:
                best = (confidence, order)
        if best is None:
            return None
        previous = self.answers[best[1]][0]
        return Presentation(previous.question, swapped=not previous.swapped, reask=True)

    def record(self, presentation: Presentation, chosen: int) -> PairwiseComparison:
        """Record that option `chosen` (0 or 1, in display order) was picked."""
        if chosen not in (0, 1):
            raise ValueError("chosen must be 0 or 1")
        question = presentation.question
        index = next(i for i, q in enumerate(self.pool) if q.item_id == question.item_id)
        self._asked.setdefault(question.item_id, index)
        if presentation.reask:
            self._reasked.add(question.item_id)
        self.answers.append((presentation, chosen))
        first_won = (chosen == 0) != presentation.swapped
        self._answered_rows.append(self._v[index] if first_won else -self._v[index])
        return self.comparison(presentation, chosen)

    def run(self, ask: Ask) -> list[PairwiseComparison]:
        """Ask until complete; returns the comparisons the answers imply."""
        comparisons = []
        while (presentation := self.next_presentation()) is not None:
            comparisons.append(self.record(presentation, ask(presentation)))
        return comparisons

    @staticmethod
    def comparison(presentation: Presentation, chosen: int, *, occasion: str = "") -> PairwiseComparison:
        options = presentation.options
        return PairwiseComparison(
            prompt=presentation.question.prompt,
            preferred=options[chosen],
            other=options[1 - chosen],
            occasion=occasion,
            condition=presentation.condition,
            item_id=presentation.question.item_id,
        )

    def differences(self) -> Array:
        """Preferred-minus-other feature differences of this elicitation's answers, in order."""
        return np.asarray(self._answered_rows, dtype=np.float64).reshape(-1, len(self.population))


def answer_feedback(
    user_id: str,
    presentation: Presentation,
    chosen: int,
    *,
    session_id: str,
    timestamp: datetime | None = None,
) -> Feedback:
    """The `answer` event recording one elicitation answer (item id = question, condition = order)."""
    return Feedback(
        user_id=user_id,
        session_id=session_id,
        timestamp=timestamp or utc_now(),
        condition=presentation.condition,
        kind="answer",
        prompt=presentation.question.prompt,
        options=list(presentation.options),
        chosen=chosen,
        item_id=presentation.question.item_id,
        metadata={"source": "elicitation", "reask": presentation.reask},
    )
