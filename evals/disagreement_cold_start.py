"""The cold-start curve of the disagreement evaluation: held-out accuracy after 0, 5, 10, 20, 50 answers.

A DSP user new to the system starts at the population's coefficients and answers A/B
questions. The questions are the pairs of the user's training history (their style's
answer and another style's answer to a training query); the next one is always the
elicitation's information-gain choice (`Elicitation`, PReF's criterion) given the
answers so far, with no re-asks, and the user picks their own style. After each count
the user's coefficients are fitted from those answers alone, exactly as the product
fits them (`fit_user`: stable axes only, prior at the population), and scored on the
held-out queries with no preferences.

Two populations are measured:
- `shared`: the learned base functions and population coefficients come from all four
  users' training choices (PReF's setup: the base functions are the population's,
  the new user's coefficients come only from their answers).
- `leave_one_out`: the learned functions and population come from the other three
  users' training choices only, so nothing the user chose shaped them.
Without learned functions both are the interpretable base functions alone, and only
`shared` is reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from prefmem.agent.rerank import Personalizer
from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.agent.reward.coefficients import PairwiseComparison, UserCoefficients, comparisons_from_feedback
from prefmem.agent.reward.elicitation import Elicitation
from prefmem.agent.reward.elicitation_bank import Question
from prefmem.agent.reward.learned_functions import LearnedFunctions
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.agent.reward.stability import fit_user
from prefmem.agent.reward.train_reward import learn_from_comparisons
from prefmem.evals.disagreement_scoring import query_outcomes
from prefmem.evals.dsp_data import STYLES, USER_STYLES, DSPQuery
from prefmem.evals.eval_runtime import EvalRuntime
from prefmem.evals.stats import bootstrap_rows, percentile_interval

COLD_START_COUNTS: tuple[int, ...] = (0, 5, 10, 20, 50)


def history_questions(train: Sequence[DSPQuery], user: str) -> list[Question]:
    """One question per training query: the user's style's answer (first) against another style's.

    The other style cycles through the four others, as in the user's history.
    """
    others = [style for style in STYLES if style != user]
    offset = USER_STYLES.index(user) if user in USER_STYLES else 0
    return [
        Question(
            item_id=f"dsp/{item.source}/{item.index}/{user}",
            prompt=item.query,
            first=item.responses[user],
            second=item.responses[others[(position + offset) % len(others)]],
            traits=(),
        )
        for position, item in enumerate(train)
    ]


def elicited_answers(
    scorer: RewardScorer, pool: Sequence[Question], *, questions: int, prior_strength: float
) -> tuple[list[PairwiseComparison], np.ndarray[Any, np.dtype[np.float64]]]:
    """The user's answers in the order the information-gain rule asks, and their feature differences."""
    comparisons = [PairwiseComparison(q.prompt, q.first, q.second, item_id=q.item_id) for q in pool]
    differences = scorer.comparison_differences(comparisons)
    elicitation = Elicitation(
        pool,
        population_mean=scorer.population,
        prior_strength=prior_strength,
        questions=min(questions, len(pool)),
        reask_share=0.0,
        differences=differences,
        names=scorer.names,
    )
    answered: list[PairwiseComparison] = []
    while (presentation := elicitation.next_presentation()) is not None:
        chosen = 1 if presentation.swapped else 0  # the user's own style, wherever it is shown
        answered.append(elicitation.record(presentation, chosen))
    return answered, elicitation.differences()


def user_curve(
    scorer: RewardScorer,
    personalizer: Personalizer,
    train: Sequence[DSPQuery],
    test: Sequence[DSPQuery],
    user: str,
    counts: Sequence[int],
) -> dict[int, np.ndarray[Any, np.dtype[np.float64]]]:
    """Per count of answers, the per-query held-out outcomes of the user's fitted reward."""
    answered, differences = elicited_answers(
        scorer,
        history_questions(train, user),
        questions=max(counts),
        prior_strength=personalizer.prior_strength,
    )
    curve = {}
    for count in counts:
        if count == 0:
            coefficients = UserCoefficients.population_only(
                scorer.population.tolist(), prior_strength=personalizer.prior_strength, names=scorer.names
            )
        else:
            coefficients = fit_user(
                answered[:count],
                differences=differences[:count],
                names=scorer.names,
                population_mean=scorer.population,
                prior_strength=personalizer.prior_strength,
                agreement=personalizer.stability_agreement,
                min_votes=personalizer.stability_min_votes,
            ).coefficients
        curve[count] = query_outcomes(scorer, test, user, coefficients)
    return curve


def _summary(
    curves: Mapping[str, Mapping[int, np.ndarray[Any, np.dtype[np.float64]]]],
    counts: Sequence[int],
    *,
    resamples: int,
    seed: int,
) -> dict[str, Any]:
    users = list(curves)
    n = len(next(iter(curves.values()))[counts[0]])
    draws = np.asarray(bootstrap_rows(n, resamples=resamples, seed=seed), dtype=np.int64).reshape(-1, n)
    per_user: dict[str, dict[str, Any]] = {user: {} for user in users}
    worst: dict[str, Any] = {}
    for count in counts:
        boot = np.stack([curves[user][count][draws].mean(axis=1) for user in users], axis=1)
        for index, user in enumerate(users):
            per_user[user][str(count)] = {
                "accuracy": float(np.mean(curves[user][count])),
                "ci": list(percentile_interval(boot[:, index].tolist())),
            }
        worst[str(count)] = {
            "accuracy": min(per_user[user][str(count)]["accuracy"] for user in users),
            "ci": list(percentile_interval(boot.min(axis=1).tolist())),
        }
    return {"per_user": per_user, "worst_user": worst}


def cold_start(
    runtime: EvalRuntime,
    personalizer: Personalizer,
    train: Sequence[DSPQuery],
    test: Sequence[DSPQuery],
    users: Sequence[str],
    *,
    counts: Sequence[int] = COLD_START_COUNTS,
    resamples: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """The cold-start curve of every user under each population (see the module docstring)."""
    scorer = personalizer.scorer
    variants: dict[str, Any] = {}
    shared = {user: user_curve(scorer, personalizer, train, test, user, counts) for user in users}
    variants["shared"] = _summary(shared, counts, resamples=resamples, seed=seed)
    if scorer.learned is not None:
        settings = runtime.config.reward
        occasion = personalizer.occasion
        histories = {
            user: comparisons_from_feedback(runtime.store.feedback(user), occasion=occasion) for user in users
        }
        left_out = {}
        for user in users:
            others = {other: pairs for other, pairs in histories.items() if other != user}
            try:
                learned: LearnedFunctions | None = learn_from_comparisons(
                    others,
                    runtime.embedder,
                    count=settings.learned_count,
                    l2=settings.learned_l2,
                    prior_strength=settings.prior_strength,
                )
            except ValueError:  # the others alone are too few to learn from
                learned = None
            own = dataclasses.replace(
                scorer, learned=learned, population=scorer.population[: len(BASE_NAMES)]
            )
            left_out[user] = user_curve(own, personalizer, train, test, user, counts)
        variants["leave_one_out"] = _summary(left_out, counts, resamples=resamples, seed=seed)
    return {
        "counts": list(counts),
        "variants": variants,
        "questions_from": "the pairs of each user's training history, chosen by information gain, no re-asks",
    }
