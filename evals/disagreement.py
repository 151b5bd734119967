"""Disagreement: per-user rewards vs one aggregate Bradley-Terry model, judged by the worst-off user.

An aggregate model fitted to a population that genuinely disagrees averages the groups
into a centroid (Bradley-Terry over a mixed population behaves like a Borda count), so
it can look fine on average while one group is served badly. This evaluation reports
each user's accuracy, and the lowest one, under both, with bootstrap 95% intervals over
the held-out queries.

DSP data: each query is answered in five styles; four of them (academy, business,
entertainment, literature) are four users. The queries are split with the seed. On the
training part each user chooses their own style's answer over another style's answer
(the other style cycles through all four). That is all either side is given: no text
written about the styles. The history goes through the public ingest path into a fresh
data folder and is consolidated; when learned base functions are enabled they are
learned from these training choices (the four users are the population, PReF's setup;
never from held-out queries), and each user's coefficients are refit. On the held-out
queries only, for every user and every other style, the pair (user's style, other
style) is scored by the user's reward (their coefficients and usable preferences) and
by the aggregate model: one coefficient vector fitted on all users' training choices
pooled, the same base functions and shared base, no preferences. `coefficients_only` is
the user's reward without their preference terms (what their coefficients alone do), and
`population` the reward of a user nothing is known about. The cold-start curve
(`evals.disagreement_cold_start`) asks new users questions from the training history.

The simulated 51/49 population is in `evals.disagreement_population`. Nothing here is
tuned on the DSP files it reports on.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from prefmem.agent.config import Config
from prefmem.agent.factory import build_embedder
from prefmem.agent.rerank import usable_preferences
from prefmem.agent.reward.coefficients import (
    Array,
    PairwiseComparison,
    UserCoefficients,
    comparisons_from_feedback,
    fit_differences,
)
from prefmem.agent.reward.learned_functions import LearnedFunctions
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.agent.reward.train_reward import learn_from_comparisons, store_comparisons
from prefmem.evals.disagreement_cold_start import COLD_START_COUNTS, cold_start
from prefmem.evals.disagreement_population import run_population
from prefmem.evals.disagreement_scoring import query_outcomes
from prefmem.evals.dsp_data import STYLES, USER_STYLES, DSPQuery, load_dsp, split_queries
from prefmem.evals.eval_runtime import EVAL_CACHE_TEXTS, EvalRuntime, choice_event, fresh_runtime, ingest
from prefmem.evals.stats import bootstrap_rows, percentile_interval
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.embeddings.cached import CachedEmbedder

Progress = Callable[[str], None]

#: The training choices are spread over this many days, so that consolidation and the
#: coefficient fit see several occasions, as they would for a real user.
HISTORY_DAYS = 10


def history_events(train: Sequence[DSPQuery], *, seed: int) -> list[dict[str, Any]]:
    """Every user's training history: on each training query, their own style chosen over another style.

    Nothing else: no text written about the styles reaches either model, so the per-user
    side learns only from what each user chose.
    """
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    for user in USER_STYLES:
        others = [style for style in STYLES if style != user]
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


def pooled_fit(
    scorer: RewardScorer, comparisons: Sequence[PairwiseComparison], prior_strength: float
) -> UserCoefficients:
    """One Bradley-Terry fit of `comparisons` over the scorer's base functions, prior at its population."""
    return fit_differences(
        scorer.comparison_differences(comparisons),
        population_mean=scorer.population,
        prior_strength=prior_strength,
        names=scorer.names,
    )


def build_histories(runtime: EvalRuntime, events: Sequence[dict[str, Any]], users: Sequence[str]) -> None:
    """Ingest the users' histories and consolidate them."""
    ingest(runtime, events)
    runtime.consolidation_job().run(list(users))


def learn_population_functions(
    runtime: EvalRuntime, users: Sequence[str], *, source: str
) -> LearnedFunctions | None:
    """Learn the reward's base functions from `users`' feedback in the store (training histories only).

    Saved in the runtime's data folder, where `runtime.personalizer()` finds them, as
    `prefmem train-reward` would leave them. None when the configuration switches them off.
    """
    settings = runtime.config.reward
    if not settings.learned_functions:
        return None
    by_user = store_comparisons(runtime.store, occasion=runtime.config.consolidation.occasion, users=users)
    try:
        learned = learn_from_comparisons(
            by_user,
            runtime.embedder,
            count=settings.learned_count,
            l2=settings.learned_l2,
            prior_strength=settings.prior_strength,
            source={"kind": "eval", "what": source},
        )
    except ValueError:  # too few comparisons to learn from: the interpretable functions alone
        return None
    learned.save(runtime.folder.path / "models")
    return learned


def summarize(
    outcomes: Mapping[str, Mapping[str, Array]], models: Sequence[str], *, resamples: int, seed: int
) -> dict[str, Any]:
    """Per user and worst-off user for each model, with bootstrap 95% intervals over held-out queries.

    The same resampled query sets serve every user and model, so the worst-off user and the
    gap between two models' worst-off users are computed on each resample together.
    """
    users = list(outcomes)
    n = len(next(iter(outcomes.values()))[models[0]])
    draws = np.asarray(bootstrap_rows(n, resamples=resamples, seed=seed), dtype=np.int64).reshape(-1, n)
    per_user: dict[str, dict[str, Any]] = {}
    boot: dict[str, Array] = {}  # model -> (resamples, users)
    for model in models:
        boot[model] = np.stack([outcomes[user][model][draws].mean(axis=1) for user in users], axis=1)
    for index, user in enumerate(users):
        row: dict[str, Any] = {}
        for model in models:
            row[model] = float(np.mean(outcomes[user][model]))
            row[f"{model}_ci"] = list(percentile_interval(boot[model][:, index].tolist()))
        per_user[user] = row
    worst: dict[str, Any] = {}
    for model in models:
        worst[model] = min(per_user[user][model] for user in users)
        worst[f"{model}_user"] = min(users, key=lambda user: per_user[user][model])
        worst[f"{model}_ci"] = list(percentile_interval(boot[model].min(axis=1).tolist()))
    if "personal" in models and "aggregate" in models:
        worst["gap"] = worst["personal"] - worst["aggregate"]
        gaps = boot["personal"].min(axis=1) - boot["aggregate"].min(axis=1)
        worst["gap_ci"] = list(percentile_interval(gaps.tolist()))
    return {
        "per_user": per_user,
        "worst_group": worst,
        "mean": {model: float(np.mean([per_user[user][model] for user in users])) for model in models},
        "bootstrap": {"resamples": resamples, "over": "held-out queries", "level": 0.95},
    }


def evaluate_dsp(
    train: Sequence[DSPQuery],
    test: Sequence[DSPQuery],
    runtime: EvalRuntime,
    *,
    seed: int,
    resamples: int = 1000,
    cold_start_counts: Sequence[int] = COLD_START_COUNTS,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The four users' histories from `train`; accuracy on `test` per user, both models; cold start."""
    say = progress or (lambda message: None)
    say(f"building histories from {len(train)} training queries")
    users = list(USER_STYLES)
    build_histories(runtime, history_events(train, seed=seed), users)
    learned = learn_population_functions(runtime, users, source="the four users' training choices")
    personalizer = runtime.personalizer()
    for user in users:
        personalizer.refit(runtime.store, user)
    scorer = personalizer.scorer
    occasion = personalizer.occasion
    pooled = [
        c
        for user in users
        for c in comparisons_from_feedback(runtime.store.feedback(user), occasion=occasion)
    ]
    aggregate = pooled_fit(scorer, pooled, personalizer.prior_strength)
    population = UserCoefficients.population_only(
        scorer.population.tolist(), prior_strength=personalizer.prior_strength, names=scorer.names
    )
    tentative = runtime.config.assistant.tentative_weight
    outcomes: dict[str, dict[str, Array]] = {}
    used_preferences: dict[str, list[str]] = {}
    for user in users:
        say(f"scoring held-out pairs for {user}")
        preferences = usable_preferences(runtime.semantic, user, tentative_weight=tentative)
        used_preferences[user] = [p.statement for p in preferences]
        mine = personalizer.coefficients(user)
        outcomes[user] = {
            "personal": query_outcomes(scorer, test, user, mine, preferences),
            "coefficients_only": query_outcomes(scorer, test, user, mine),
            "aggregate": query_outcomes(scorer, test, user, aggregate),
            "population": query_outcomes(scorer, test, user, population),
        }
    models = ("personal", "aggregate", "population", "coefficients_only")
    report = summarize(outcomes, models, resamples=resamples, seed=seed)
    report["population_only"] = {user: row["population"] for user, row in report["per_user"].items()}
    say("cold start: new users answering questions chosen by information gain")
    report["cold_start"] = cold_start(
        runtime,
        personalizer,
        train,
        test,
        users,
        counts=cold_start_counts,
        resamples=resamples,
        seed=seed,
    )
    report.update(
        {
            "base_functions": list(scorer.names),
            "learned_functions": None if learned is None else _describe(learned),
            "aggregate_coefficients": aggregate.as_mapping(),
            "user_coefficients": {user: personalizer.coefficients(user).as_mapping() for user in users},
            "preferences_used": used_preferences,
            "pairs_per_user": len(test) * (len(STYLES) - 1),
        }
    )
    return report


def _describe(learned: LearnedFunctions) -> dict[str, Any]:
    """What the report says about learned functions: how many, from what (no example replies)."""
    return {key: value for key, value in learned.meta.items() if key != "examples"}


def run_disagreement(
    data: Path,
    config: Config,
    *,
    seed: int = 0,
    limit: int | None = None,
    train_share: float = 0.5,
    simulated_users: int = 100,
    resamples: int = 1000,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole evaluation: DSP users from `data`, then the simulated 51/49 population."""
    loaded = load_dsp(data)
    train, test = split_queries(loaded.queries, seed=seed, train_share=train_share, limit=limit)
    cached = CachedEmbedder(embedder or build_embedder(config), capacity=EVAL_CACHE_TEXTS)
    with fresh_runtime(config, embedder=cached) as runtime:
        report = evaluate_dsp(train, test, runtime, seed=seed, resamples=resamples, progress=progress)
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
