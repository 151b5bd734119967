"""Reranking latency per turn, generation excluded: how long scoring N candidates takes for one user.

Each timed turn scores N candidate replies to one prompt for a user with fitted
coefficients and a handful of active preferences: embedding the prompt and the
candidates, the base functions (the learned ones too, when the data folder has them),
the coefficient terms and one preference term per active preference. Candidates are
composed from the elicitation bank (replies that differ in style), so their lengths are
those of real answers. Figures are the median
and 95th percentile over the timed turns, per N.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from prefmem.agent.rerank import Personalizer, diversity
from prefmem.agent.reward.coefficients import UserCoefficients
from prefmem.agent.reward.elicitation_bank import TOPICS, TRAITS, compose
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.evals.bench import percentile
from prefmem.memory.preferences import Preference, Support

Progress = Callable[[str], None]
#: Samples n candidate replies to a prompt (the configured chat model, for the diversity figure).
Generator = Callable[[str, int], list[str]]
STATEMENTS: tuple[str, ...] = (
    "Prefers short answers",
    "Likes step-by-step instructions",
    "Avoids technical jargon",
    "Likes concrete examples",
    "Prefers a formal tone",
)


def bench_preferences(count: int) -> list[Preference]:
    """`count` genuine preferences of one benchmark user."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Preference(
            id=f"bench-{i}",
            user_id="bench",
            slot=f"slot-{i}",
            statement=STATEMENTS[i % len(STATEMENTS)],
            kind="genuine",
            value="+",
            topic=STATEMENTS[i % len(STATEMENTS)].lower(),
            stability=0.9,
            support=Support(signals=4, occasions=4, conditions=1),
            first_seen=now,
            last_seen=now,
            evidence_ids=[],
        )
        for i in range(count)
    ]


def _candidates(rng: random.Random, n: int) -> tuple[str, list[str]]:
    topic = rng.choice(TOPICS)
    replies = [compose(topic, rng.sample(sorted(TRAITS), rng.randint(1, 3))) for _ in range(n)]
    return topic.prompt, replies


def bench_rerank(
    scorer: RewardScorer,
    *,
    sizes: Sequence[int] = (4, 8),
    turns: int = 100,
    preferences: int = 5,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Median and p95 milliseconds to rerank one turn of N candidates, for each N in `sizes`."""
    rng = random.Random(seed)
    personalizer = Personalizer(scorer=scorer)
    coefficients = UserCoefficients.population_only(
        scorer.population.tolist(), prior_strength=1.0, names=scorer.names
    )
    shifted = coefficients.mean + np.linspace(-0.5, 0.5, len(scorer.names))
    fitted = UserCoefficients(
        names=coefficients.names,
        mean=shifted,
        covariance=coefficients.covariance,
        stable=np.ones(len(scorer.names), dtype=np.bool_),
        population=coefficients.population,
        prior_strength=1.0,
    )
    active = bench_preferences(preferences)
    personalizer.coefficients = lambda user_id: fitted  # type: ignore[method-assign]
    # warm up: model load and first-call costs are not part of a turn
    prompt, replies = _candidates(rng, max(sizes))
    personalizer.rank("bench", prompt, replies, preferences=active)
    figures: dict[str, Any] = {"turns": turns, "preferences": preferences, "seed": seed, "by_n": {}}
    for n in sizes:
        timings, spreads = [], []
        for _ in range(turns):
            prompt, replies = _candidates(rng, n)
            start = time.perf_counter()
            ranking = personalizer.rank("bench", prompt, replies, preferences=active)
            timings.append((time.perf_counter() - start) * 1000)
            spreads.append(ranking.diversity)
        figures["by_n"][str(n)] = {
            "p50_ms": round(percentile(timings, 0.5), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "mean_diversity": round(float(np.mean(spreads)), 4),
        }
        if progress is not None:
            progress(f"N={n}: p50 {figures['by_n'][str(n)]['p50_ms']} ms")
    figures["preference_scorer"] = scorer.preference_scorer.name
    figures["embedder"] = type(scorer.embedder).__name__
    figures["base_functions"] = len(scorer.names)
    figures["learned_functions"] = 0 if scorer.learned is None else len(scorer.learned.names)
    return figures


def bench_generated_diversity(
    scorer: RewardScorer, generate: Generator, *, prompts: int, n: int, seed: int = 0
) -> dict[str, Any]:
    """Diversity of candidates really sampled by the chat model, and the seconds that sampling took.

    Diversity is the mean pairwise cosine distance of the candidates' embeddings (0: all
    the same); sampling time is reported apart, since reranking latency excludes it.
    """
    rng = random.Random(seed)
    chosen = rng.sample(list(TOPICS), min(prompts, len(TOPICS)))
    spreads, seconds, distinct = [], [], []
    for topic in chosen:
        start = time.perf_counter()
        replies = generate(topic.prompt, n)
        seconds.append(time.perf_counter() - start)
        vectors = scorer.embed(topic.prompt, replies)
        spreads.append(diversity(vectors[1:]) if vectors is not None else 0.0)
        distinct.append(len(set(replies)))
    return {
        "prompts": len(chosen),
        "n": n,
        "mean_diversity": round(float(np.mean(spreads)), 4),
        "mean_distinct_candidates": round(float(np.mean(distinct)), 2),
        "generation_p50_s": round(percentile(seconds, 0.5), 2),
    }


__all__ = ["bench_generated_diversity", "bench_rerank", "diversity"]
