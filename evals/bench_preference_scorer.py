"""How much a preference scorer uses the preference: PrefEval multiple choice, true vs none vs another's.

For every item the scorer ranks the shuffled options three times: with the item's own
preference, with no preference, and with another item's preference from the same topic.
Accuracy with no preference measures what the options alone give away; the lift (true
minus none) is the figure of merit. Ties are broken by a seeded random priority, never
by position, so a scorer that returns all zeros sits at chance.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from prefmem.agent.reward.preference_terms.base import PreferenceScorer, ScorerExample
from prefmem.evals.stats import Z_95, wilson_interval
from prefmem.memory.errors import InvalidInputError


def check_disjoint(train_topics: Sequence[str], test_topics: Sequence[str]) -> None:
    """Refuse to report on a topic that was used for training or tuning."""
    shared = sorted(set(train_topics) & set(test_topics))
    if shared:
        raise InvalidInputError(f"train and test topics overlap: {', '.join(shared)}")


def pick(scores: Sequence[float], *, tie_break: Sequence[float]) -> int:
    """The index of the highest score; equal scores are ordered by `tie_break`, never by position."""
    return max(range(len(scores)), key=lambda i: (round(float(scores[i]), 9), tie_break[i]))


def paired_interval(differences: Sequence[float]) -> tuple[float, float, float]:
    """Mean of paired differences and its 95% normal interval."""
    n = len(differences)
    if n == 0:
        return (0.0, 0.0, 0.0)
    mean = float(np.mean(differences))
    spread = float(np.std(differences, ddof=1)) if n > 1 else 0.0
    half = Z_95 * spread / math.sqrt(n)
    return (mean, mean - half, mean + half)


def other_preferences(examples: Sequence[ScorerExample], *, seed: int) -> list[str]:
    """For each example, the preference of a different item of the same topic (seeded)."""
    by_topic: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_topic[example.topic].append(index)
    others = [""] * len(examples)
    rng = random.Random(seed)
    for indices in by_topic.values():
        order = indices[:]
        rng.shuffle(order)
        for position, index in enumerate(order):
            for step in range(1, len(order)):
                candidate = examples[order[(position + step) % len(order)]].preference
                if candidate.strip() != examples[index].preference.strip():
                    others[index] = candidate
                    break
    return others


def _summary(rows: Sequence[dict[str, int]]) -> dict[str, Any]:
    n = len(rows)
    figures: dict[str, Any] = {"items": n}
    for condition in ("true", "none", "other"):
        correct = sum(row[condition] for row in rows)
        low, high = wilson_interval(correct, n)
        figures[f"accuracy_{condition}"] = {"value": correct / n if n else 0.0, "ci95": [low, high]}
    lift, low, high = paired_interval([row["true"] - row["none"] for row in rows])
    figures["lift"] = {"value": lift, "ci95": [low, high]}
    lift_other, low, high = paired_interval([row["true"] - row["other"] for row in rows])
    figures["lift_over_other"] = {"value": lift_other, "ci95": [low, high]}
    return figures


def bench_preference_scorer(
    scorer: PreferenceScorer,
    examples: Sequence[ScorerExample],
    *,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Accuracy with the true, no and another item's preference, and the lift, per topic and overall."""
    if not examples:
        raise InvalidInputError("no items to benchmark")
    others = other_preferences(examples, seed=seed)
    rng = np.random.default_rng(seed)
    rows: list[dict[str, int]] = []
    topics: list[str] = []
    for number, (example, other) in enumerate(zip(examples, others, strict=True), start=1):
        tie_break = rng.random(len(example.responses))
        row = {}
        for condition, preference in (("true", example.preference), ("none", ""), ("other", other)):
            scores = scorer.score(preference, example.prompt, example.responses)
            row[condition] = int(pick(list(scores), tie_break=list(tie_break)) == example.best)
        rows.append(row)
        topics.append(example.topic)
        if progress is not None:
            progress(number, len(examples))
    per_topic = {
        topic: _summary([row for row, name in zip(rows, topics, strict=True) if name == topic])
        for topic in sorted(set(topics))
    }
    options = sorted({len(example.responses) for example in examples})
    return {
        "scorer": scorer.name,
        "seed": seed,
        "chance": float(np.mean([1 / len(example.responses) for example in examples])),
        "options_per_item": options,
        "overall": _summary(rows),
        "per_topic": per_topic,
    }
