"""Elicitation on simulated users with known coefficients: does it learn, and does it refuse noise?

Users are drawn around the population coefficients. A share are genuine (Bradley-Terry
answers from their true lambda, with the noise the logistic model implies); a share
answer at random (non-attitudes); a share pick whichever reply is shown first (answers
constructed by the framing). For each user the question bank's topics are split: the
elicitation asks about some, and accuracy is measured on pairs from the others.

Reported: pairwise accuracy of r_u on held-out pairs for genuine users after 10
elicited answers, after 10 answers to random questions, and with the population
coefficients; and, for users without a real preference, how far the coefficients moved
from the population and whether the reported uncertainty shrank (posterior std vs the
prior's), with and without the stability rules.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from prefmem.agent.reward.base_functions import base_features
from prefmem.agent.reward.coefficients import Array, fit_differences, population_vector
from prefmem.agent.reward.elicitation import Elicitation, Presentation, question_difference
from prefmem.agent.reward.elicitation_bank import TOPICS, TRAITS, Question, compose, question_pool
from prefmem.agent.reward.stability import fit_user

UserKind = Literal["genuine", "random", "position"]
_EXCLUSIVE = ({"formal", "casual"}, {"hedged", "direct"})


@dataclass(frozen=True)
class SimulatedUser:
    kind: UserKind
    coefficients: Array

    def answer(self, difference: Array, rng: np.random.Generator) -> int:
        """0 or 1: which displayed option the user picks, given phi(shown first) - phi(shown second)."""
        if self.kind == "random":
            return int(rng.random() < 0.5)
        if self.kind == "position":
            return 0 if rng.random() < 0.9 else 1
        p_first = 1.0 / (1.0 + np.exp(-float(difference @ self.coefficients)))
        return 0 if rng.random() < p_first else 1


def _random_style(rng: np.random.Generator) -> set[str]:
    style = {trait for trait in TRAITS if rng.random() < 0.3}
    for pair in _EXCLUSIVE:
        if pair <= style:
            style.discard(sorted(pair)[int(rng.integers(2))])
    return style


def held_out_pairs(rng: np.random.Generator, per_topic: int) -> dict[str, Array]:
    """Feature differences of random-style reply pairs, per topic key."""
    pairs: dict[str, Array] = {}
    for topic in TOPICS:
        rows: list[Array] = []
        while len(rows) < per_topic:
            left, right = _random_style(rng), _random_style(rng)
            if left == right:
                continue
            features = base_features(topic.prompt, [compose(topic, left), compose(topic, right)])
            rows.append(features[0] - features[1])
        pairs[topic.key] = np.asarray(rows)
    return pairs


def _accuracy(lam: Array, truth: Array, pairs: Array) -> float:
    target = pairs @ truth
    decided = np.abs(target) > 1e-9
    return float(np.mean(np.sign(pairs[decided] @ lam) == np.sign(target[decided])))


def _summary(values: list[float]) -> dict[str, float]:
    array = np.asarray(values, dtype=np.float64)
    half = 1.96 * array.std(ddof=1) / np.sqrt(len(array)) if len(array) > 1 else 0.0
    return {"mean": float(array.mean()), "ci95": float(half), "n": len(array)}


def bench_elicitation(
    *,
    users: int = 300,
    questions: int = 10,
    reask_share: float = 0.3,
    prior_strength: float = 1.0,
    agreement: float = 0.75,
    min_votes: int = 2,
    population: Array | None = None,
    user_spread: float = 1.0,
    random_share: float = 0.25,
    position_share: float = 0.15,
    held_out_topics: int = 4,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run the simulation; returns the figures as a JSON-ready dictionary."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    population = population_vector() if population is None else np.asarray(population, dtype=np.float64)
    pool = question_pool()
    pool_v = np.asarray([question_difference(q) for q in pool])
    held_out = held_out_pairs(rng, per_topic=40)
    topic_of = [q.item_id.split("/", 1)[0] for q in pool]
    results: dict[str, dict[str, list[float]]] = {kind: {} for kind in ("genuine", "random", "position")}

    def add(kind: str, key: str, value: float) -> None:
        results[kind].setdefault(key, []).append(value)

    for index in range(users):
        draw = rng.random()
        kind: UserKind = (
            "random"
            if draw < random_share
            else "position"
            if draw < random_share + position_share
            else "genuine"
        )
        user = SimulatedUser(kind, population + rng.normal(0.0, user_spread, size=len(population)))
        test_topics = set(rng.choice([t.key for t in TOPICS], size=held_out_topics, replace=False))
        rows = [i for i, topic in enumerate(topic_of) if topic not in test_topics]
        sub_pool: list[Question] = [pool[i] for i in rows]
        sub_v = pool_v[rows]
        test_pairs = np.concatenate([held_out[key] for key in sorted(test_topics)])

        def ask(
            presentation: Presentation,
            user: SimulatedUser = user,
            sub_v: Array = sub_v,
            sub_pool: list[Question] = sub_pool,
        ) -> int:
            row = next(i for i, q in enumerate(sub_pool) if q.item_id == presentation.question.item_id)
            shown = -sub_v[row] if presentation.swapped else sub_v[row]
            return user.answer(shown, rng)

        elicitation = Elicitation(
            sub_pool,
            population_mean=population,
            prior_strength=prior_strength,
            questions=questions,
            reask_share=reask_share,
            differences=sub_v,
        )
        elicited = elicitation.run(ask)
        elicited_v = elicitation.differences()

        random_rows = rng.choice(len(sub_pool), size=questions, replace=False)
        random_v, random_comparisons = [], []
        for row in random_rows:
            shown = Presentation(sub_pool[row])
            chosen = ask(shown)
            random_v.append(sub_v[row] if chosen == 0 else -sub_v[row])
            random_comparisons.append(Elicitation.comparison(shown, chosen))
        random_v_array = np.asarray(random_v)

        fits = {
            "elicited": fit_user(
                elicited,
                population_mean=population,
                prior_strength=prior_strength,
                agreement=agreement,
                min_votes=min_votes,
                differences=elicited_v,
            ).coefficients,
            "elicited_unfiltered": fit_differences(
                elicited_v, population_mean=population, prior_strength=prior_strength
            ),
            "random_questions_unfiltered": fit_differences(
                random_v_array, population_mean=population, prior_strength=prior_strength
            ),
            "random_questions": fit_user(
                random_comparisons,
                population_mean=population,
                prior_strength=prior_strength,
                agreement=agreement,
                min_votes=min_votes,
                differences=random_v_array,
            ).coefficients,
        }
        prior_std = 1.0 / np.sqrt(prior_strength)
        if kind == "genuine":
            add(kind, "accuracy_population", _accuracy(population, user.coefficients, test_pairs))
            for name, fit in fits.items():
                add(kind, f"accuracy_{name}", _accuracy(fit.mean, user.coefficients, test_pairs))
                add(kind, f"stable_axes_{name}", float(fit.stable.sum()))
        else:
            for name, fit in fits.items():
                add(kind, f"distance_from_population_{name}", float(np.linalg.norm(fit.mean - population)))
                add(kind, f"mean_std_{name}", float(fit.std.mean()))
                add(kind, f"std_ratio_{name}", float(fit.std.mean() / prior_std))
                add(kind, f"stable_axes_{name}", float(fit.stable.sum()))
        if progress is not None:
            progress(index + 1)

    return {
        "users": users,
        "by_kind_count": {kind: len(next(iter(v.values()), [])) for kind, v in results.items()},
        "questions": questions,
        "reasks": round(questions * reask_share),
        "prior_strength": prior_strength,
        "prior_std": float(1.0 / np.sqrt(prior_strength)),
        "agreement": agreement,
        "min_votes": min_votes,
        "population": population.tolist(),
        "user_spread": user_spread,
        "held_out_topics": held_out_topics,
        "seed": seed,
        "figures": {
            kind: {key: _summary(values) for key, values in sorted(by_key.items())}
            for kind, by_key in results.items()
        },
        "seconds": time.perf_counter() - started,
    }
