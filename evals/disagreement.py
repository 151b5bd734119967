"""Disagreement: per-user rewards vs one aggregate Bradley-Terry model, judged by the worst-off group.

An aggregate model fitted to a population that genuinely disagrees averages the groups
into a centroid (Bradley-Terry over a mixed population behaves like a Borda count), so
it can look fine on average while one group is served badly. This evaluation reports
each group's accuracy, and the lowest one, under both.

DSP data: each query is answered in five styles; four of them (academy, business,
entertainment, literature) are four users. The queries are split with the seed. On the
training part each user chooses their own style's answer over another style's answer
(the other style cycles through all four), and says a few plain first-person things
about the style they like on separate days. The history goes through the public ingest
path into a fresh data folder, is consolidated, and each user's coefficients are refit.
On the held-out queries only, for every user and every other style, the pair (user's
style, other style) is scored by the user's reward (their coefficients and usable
preferences) and by the aggregate model: one coefficient vector fitted on all users'
training choices pooled, the same base functions and shared base, no preferences.

The simulated 51/49 population is in `evals.disagreement_population`. Nothing here is
tuned on the DSP files it reports on.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from prefmem.agent.config import Config
from prefmem.agent.factory import build_embedder
from prefmem.agent.rerank import Personalizer, usable_preferences
from prefmem.agent.reward.coefficients import UserCoefficients, comparisons_from_feedback, fit_coefficients
from prefmem.evals.disagreement_population import run_population
from prefmem.evals.dsp_data import STYLES, USER_STYLES, DSPQuery, load_dsp, split_queries
from prefmem.evals.eval_runtime import (
    EVAL_CACHE_TEXTS,
    EvalRuntime,
    choice_event,
    fresh_runtime,
    ingest,
    message_event,
)
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.embeddings.cached import CachedEmbedder

Progress = Callable[[str], None]

#: Plain first-person statements of the style each user likes, in varied wording.
STYLE_STATEMENTS: dict[str, tuple[str, ...]] = {
    "academy": (
        "I like answers written like an academic paper.",
        "I prefer explanations that are rigorous and scholarly, with precise terminology.",
        "I always want replies in a careful, evidence-based academic style.",
    ),
    "business": (
        "I like answers written like a business report: concise and practical.",
        "I prefer replies that focus on costs, benefits and the next steps to take.",
        "I always want the professional, results-oriented version of an answer.",
    ),
    "entertainment": (
        "I like answers that are fun, playful and full of energy.",
        "I prefer replies with humour, the way a chatty TV host would talk.",
        "I always enjoy an entertaining, lighthearted answer.",
    ),
    "literature": (
        "I like answers written with literary flair, like a novelist would.",
        "I prefer replies with vivid imagery and poetic language.",
        "I always enjoy answers that tell a story in beautiful prose.",
    ),
}
#: The training choices are spread over this many days, so that consolidation and the
#: coefficient fit see several occasions, as they would for a real user.
HISTORY_DAYS = 10


def history_events(train: Sequence[DSPQuery], *, seed: int) -> list[dict[str, Any]]:
    """Every user's training history: choices of their own style, and statements of it on separate days."""
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    for user in USER_STYLES:
        others = [style for style in STYLES if style != user]
        for number, statement in enumerate(STYLE_STATEMENTS[user]):
            events.append(message_event(user, statement, day=number * 3, minute=0))
        for position, item in enumerate(train):
            other = others[(position + USER_STYLES.index(user)) % len(others)]
            options = [item.responses[user], item.responses[other]]
            chosen = 0
            if rng.random() < 0.5:
                options.reverse()
                chosen = 1
            events.append(
                choice_event(
                    user,
                    item.query,
                    options,
                    chosen,
                    day=position % HISTORY_DAYS,
                    minute=10 + position // HISTORY_DAYS,
                    item_id=f"dsp/{item.source}/{item.index}",
                )
            )
    return events


def pair_outcome(first: float, second: float) -> float:
    """1 when the first score wins, 0 when it loses, 0.5 for a tie (no preference expressed)."""
    if first > second:
        return 1.0
    if first < second:
        return 0.0
    return 0.5


def _score_pair(
    personalizer: Personalizer,
    prompt: str,
    wanted: str,
    other: str,
    *,
    coefficients: UserCoefficients,
    preferences: Sequence[Any] = (),
) -> float:
    scored = personalizer.scorer.score(
        prompt, [wanted, other], coefficients=coefficients, preferences=preferences
    )
    by_index = {candidate.index: candidate.score for candidate in scored}
    return pair_outcome(by_index[0], by_index[1])


def aggregate_coefficients(
    runtime: EvalRuntime, personalizer: Personalizer, users: Sequence[str]
) -> UserCoefficients:
    """One Bradley-Terry fit on every user's training choices pooled, all axes, the configured prior."""
    pooled = []
    for user in users:
        pooled.extend(comparisons_from_feedback(runtime.store.feedback(user), occasion=personalizer.occasion))
    return fit_coefficients(
        pooled, population_mean=personalizer.scorer.population, prior_strength=personalizer.prior_strength
    )


def build_histories(
    runtime: EvalRuntime, events: Sequence[dict[str, Any]], users: Sequence[str]
) -> Personalizer:
    """Ingest, consolidate and refit the users; the personalizer that then scores for them."""
    ingest(runtime, events)
    runtime.consolidation_job().run(list(users))
    personalizer = runtime.personalizer()
    for user in users:
        personalizer.refit(runtime.store, user)
    return personalizer


def evaluate_dsp(
    train: Sequence[DSPQuery],
    test: Sequence[DSPQuery],
    runtime: EvalRuntime,
    *,
    seed: int,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Build the four users' histories from `train`; accuracy on `test` per user, both models."""
    say = progress or (lambda message: None)
    say(f"building histories from {len(train)} training queries")
    users = list(USER_STYLES)
    personalizer = build_histories(runtime, history_events(train, seed=seed), users)
    aggregate = aggregate_coefficients(runtime, personalizer, users)
    population = UserCoefficients.population_only(
        personalizer.scorer.population.tolist(), prior_strength=personalizer.prior_strength
    )
    tentative = runtime.config.assistant.tentative_weight
    per_user: dict[str, dict[str, float]] = {}
    population_only: dict[str, float] = {}
    used_preferences: dict[str, list[str]] = {}
    for user in users:
        say(f"scoring held-out pairs for {user}")
        preferences = usable_preferences(runtime.semantic, user, tentative_weight=tentative)
        used_preferences[user] = [p.statement for p in preferences]
        mine = personalizer.coefficients(user)
        outcomes: dict[str, list[float]] = {"personal": [], "aggregate": [], "population": []}
        for item in test:
            for other in STYLES:
                if other == user:
                    continue
                pair = (item.query, item.responses[user], item.responses[other])
                outcomes["personal"].append(
                    _score_pair(personalizer, *pair, coefficients=mine, preferences=preferences)
                )
                outcomes["aggregate"].append(_score_pair(personalizer, *pair, coefficients=aggregate))
                outcomes["population"].append(_score_pair(personalizer, *pair, coefficients=population))
        per_user[user] = {key: float(np.mean(outcomes[key])) for key in ("personal", "aggregate")}
        population_only[user] = float(np.mean(outcomes["population"]))
    return {
        "per_user": per_user,
        "worst_group": {key: min(row[key] for row in per_user.values()) for key in ("personal", "aggregate")},
        "mean": {
            key: float(np.mean([row[key] for row in per_user.values()])) for key in ("personal", "aggregate")
        },
        "population_only": population_only,
        "aggregate_coefficients": aggregate.as_mapping(),
        "user_coefficients": {user: personalizer.coefficients(user).as_mapping() for user in users},
        "preferences_used": used_preferences,
        "pairs_per_user": len(test) * (len(STYLES) - 1),
    }


def run_disagreement(
    data: Path,
    config: Config,
    *,
    seed: int = 0,
    limit: int | None = None,
    train_share: float = 0.5,
    simulated_users: int = 100,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole evaluation: DSP users from `data`, then the simulated 51/49 population."""
    loaded = load_dsp(data)
    train, test = split_queries(loaded.queries, seed=seed, train_share=train_share, limit=limit)
    cached = CachedEmbedder(embedder or build_embedder(config), capacity=EVAL_CACHE_TEXTS)
    with fresh_runtime(config, embedder=cached) as runtime:
        report = evaluate_dsp(train, test, runtime, seed=seed, progress=progress)
    with fresh_runtime(config, embedder=cached) as runtime:
        report["simulated"] = run_population(runtime, users=simulated_users, seed=seed, progress=progress)
    report.update(
        {
            "files_used": [str(file) for file in loaded.files],
            "skipped_records": loaded.skipped,
            "n_train": len(train),
            "n_test": len(test),
            "seed": seed,
            "aggregate_model": "one Bradley-Terry coefficient vector on all users' training choices pooled",
        }
    )
    return report
