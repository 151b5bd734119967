"""A simulated 51/49 population: two groups with opposite coefficients on one axis of style.

Every simulated user shares the population coefficients except on `SPLIT_AXIS`, where
the majority (51%) has +SPLIT_VALUE and the minority -SPLIT_VALUE. Each user answers
A/B questions from the elicitation bank (replies made by `compose`) about the training
topics, by the Bradley-Terry likelihood of their true coefficients, over several days;
the answers go through the public ingest path, are consolidated, and the user is refit.
On the held-out topics, pairs of replies in random styles are judged by each user's true
reward; a model is right when it orders the pair the same way. Reported per group, for
the users' own rewards and for one aggregate Bradley-Terry model fitted on every answer
pooled, on all decided pairs and on the contested ones (the two groups order them
oppositely), where a centroid must fail one group.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from prefmem.agent.rerank import usable_preferences
from prefmem.agent.reward.base_functions import BASE_NAMES, base_features
from prefmem.agent.reward.coefficients import Array, comparisons_from_feedback, fit_coefficients
from prefmem.agent.reward.elicitation_bank import TOPICS, TRAITS, Topic, compose, question_pool
from prefmem.evals.eval_runtime import EvalRuntime, choice_event, ingest

SPLIT_AXIS = "length"
SPLIT_VALUE = 2.0
MAJORITY_SHARE = 0.51
ANSWERS_PER_USER = 20
ANSWER_DAYS = 10
PAIRS_PER_TOPIC = 10
_EXCLUSIVE = ({"formal", "casual"}, {"hedged", "direct"})


@dataclass(frozen=True)
class TestPair:
    """Two replies to a held-out prompt and their feature difference (first minus second)."""

    prompt: str
    first: str
    second: str
    difference: Array


def group_coefficients(population: Array) -> dict[str, Array]:
    """The two groups' true coefficients: the population's, with opposite values on SPLIT_AXIS."""
    axis = BASE_NAMES.index(SPLIT_AXIS)
    groups = {}
    for name, sign in ((f"{SPLIT_AXIS}+", 1.0), (f"{SPLIT_AXIS}-", -1.0)):
        vector = np.asarray(population, dtype=np.float64).copy()
        vector[axis] = sign * SPLIT_VALUE
        groups[name] = vector
    return groups


def _random_style(rng: random.Random) -> frozenset[str]:
    style = {trait for trait in TRAITS if rng.random() < 0.3}
    for pair in _EXCLUSIVE:
        if pair <= style:
            style.discard(sorted(pair)[rng.randrange(2)])
    return frozenset(style)


def test_pairs(topics: Sequence[Topic], rng: random.Random) -> list[TestPair]:
    """PAIRS_PER_TOPIC pairs of distinct random-style replies for each held-out topic."""
    pairs: list[TestPair] = []
    for topic in topics:
        made = 0
        while made < PAIRS_PER_TOPIC:
            left, right = _random_style(rng), _random_style(rng)
            if left == right:
                continue
            first, second = compose(topic, left), compose(topic, right)
            features = base_features(topic.prompt, [first, second])
            pairs.append(TestPair(topic.prompt, first, second, features[0] - features[1]))
            made += 1
    return pairs


def population_events(
    users: dict[str, Array], topics: Sequence[Topic], rng: random.Random
) -> list[dict[str, Any]]:
    """Each user's Bradley-Terry answers to random questions about the training topics."""
    pool = question_pool(topics)
    events: list[dict[str, Any]] = []
    for user_id, truth in users.items():
        for number, question in enumerate(rng.sample(pool, min(ANSWERS_PER_USER, len(pool)))):
            features = base_features(question.prompt, [question.first, question.second])
            p_first = 1.0 / (1.0 + np.exp(-float((features[0] - features[1]) @ truth)))
            chosen = 0 if rng.random() < p_first else 1
            events.append(
                choice_event(
                    user_id,
                    question.prompt,
                    [question.first, question.second],
                    chosen,
                    day=number % ANSWER_DAYS,
                    minute=number,
                    item_id=question.item_id,
                )
            )
    return events


def _accuracies(outcomes: dict[str, list[float]]) -> dict[str, float]:
    return {key: float(np.mean(values)) if values else float("nan") for key, values in outcomes.items()}


def run_population(
    runtime: EvalRuntime, *, users: int, seed: int, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Simulate, store, consolidate and refit the population; per-group accuracy of both models."""
    say = progress or (lambda message: None)
    rng = random.Random(seed)
    topics = list(TOPICS)
    rng.shuffle(topics)
    train_topics, test_topics = topics[: len(topics) // 2], topics[len(topics) // 2 :]
    personalizer = runtime.personalizer()
    groups = group_coefficients(personalizer.scorer.population)
    majority = max(1, round(users * MAJORITY_SHARE))
    names = list(groups)
    membership = {f"sim-{i:03d}": names[0] if i < majority else names[1] for i in range(users)}
    truths = {user: groups[group] for user, group in membership.items()}
    say(f"simulating {users} users ({majority} {names[0]}, {users - majority} {names[1]})")
    ingest(runtime, population_events(truths, train_topics, rng))
    runtime.consolidation_job().run(list(membership))
    pooled = []
    for user in membership:
        personalizer.refit(runtime.store, user)
        pooled.extend(comparisons_from_feedback(runtime.store.feedback(user), occasion=personalizer.occasion))
    aggregate = fit_coefficients(
        pooled, population_mean=personalizer.scorer.population, prior_strength=personalizer.prior_strength
    )
    pairs = test_pairs(test_topics, rng)
    contested = {
        index
        for index, pair in enumerate(pairs)
        if np.sign(pair.difference @ groups[names[0]]) * np.sign(pair.difference @ groups[names[1]]) < 0
    }
    say(f"scoring {len(pairs)} held-out pairs per user ({len(contested)} contested)")
    tentative = runtime.config.assistant.tentative_weight
    scores: dict[str, dict[str, list[float]]] = {
        name: {"personal": [], "aggregate": [], "contested_personal": [], "contested_aggregate": []}
        for name in names
    }
    for user, group in membership.items():
        preferences = usable_preferences(runtime.semantic, user, tentative_weight=tentative)
        mine = personalizer.coefficients(user)
        per_user: dict[str, list[float]] = {key: [] for key in scores[group]}
        for index, pair in enumerate(pairs):
            truth = float(pair.difference @ truths[user])
            if abs(truth) < 1e-9:
                continue
            for model, coefficients, prefs in (("personal", mine, preferences), ("aggregate", aggregate, [])):
                ranked = personalizer.scorer.score(
                    pair.prompt, [pair.first, pair.second], coefficients=coefficients, preferences=prefs
                )
                by_index = {c.index: c.score for c in ranked}
                margin = by_index[0] - by_index[1]
                right = 0.5 if margin == 0 else float((margin > 0) == (truth > 0))
                per_user[model].append(right)
                if index in contested:
                    per_user[f"contested_{model}"].append(right)
        for key, values in _accuracies(per_user).items():
            scores[group][key].append(values)
    by_group = {name: _accuracies(values) for name, values in scores.items()}
    per_group = {name: {k: row[k] for k in ("personal", "aggregate")} for name, row in by_group.items()}
    contested_rows = {
        name: {"personal": row["contested_personal"], "aggregate": row["contested_aggregate"]}
        for name, row in by_group.items()
    }
    return {
        "per_user": per_group,
        "worst_group": {
            key: min(row[key] for row in per_group.values()) for key in ("personal", "aggregate")
        },
        "contested": {
            "per_user": contested_rows,
            "worst_group": {
                key: min(row[key] for row in contested_rows.values()) for key in ("personal", "aggregate")
            },
            "pairs": len(contested),
        },
        "groups": {name: sum(1 for g in membership.values() if g == name) for name in names},
        "split_axis": SPLIT_AXIS,
        "split_value": SPLIT_VALUE,
        "aggregate_coefficients": aggregate.as_mapping(),
        "pairs_per_user": len(pairs),
        "train_topics": [topic.key for topic in train_topics],
        "test_topics": [topic.key for topic in test_topics],
        "note": "per_user holds one row per group (its users' mean accuracy)",
    }
