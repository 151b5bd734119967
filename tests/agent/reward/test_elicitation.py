"""Elicitation picks informative questions, re-asks in swapped order, and refuses to fit noise."""

from __future__ import annotations

import numpy as np
import pytest

from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.agent.reward.coefficients import PairwiseComparison, population_vector
from prefmem.agent.reward.elicitation import (
    Elicitation,
    Presentation,
    answer_feedback,
    information_gain,
    question_difference,
)
from prefmem.agent.reward.elicitation_bank import TOPICS, Question, compose, question_pool
from prefmem.agent.reward.stability import assess_stability, fit_user
from prefmem.evals.bench_elicitation import bench_elicitation
from prefmem.memory.models import Feedback

K = len(BASE_NAMES)
WARMTH = BASE_NAMES.index("warmth")


def test_information_gain_prefers_uncertain_directions_and_undecided_pairs() -> None:
    lam = np.zeros(K)
    fisher = np.eye(K)
    fisher[0, 0] = 100.0  # axis 0 is already known well
    known, unknown = np.eye(K)[0], np.eye(K)[1]
    gains = information_gain(lam, fisher, np.stack([known, unknown]))
    assert gains[1] > gains[0] * 10
    lam[1] = 4.0  # the answer along axis 1 is now a foregone conclusion
    gains = information_gain(lam, np.eye(K), np.stack([unknown, np.eye(K)[2]]))
    assert gains[1] > gains[0]


def test_elicitation_asks_the_informative_question_first() -> None:
    pool = question_pool()
    topic = TOPICS[0]
    echo = Question("same/same", topic.prompt, compose(topic, []), compose(topic, []) + " ", ())
    elicitation = Elicitation(
        [echo, *pool[:3]], population_mean=population_vector(), prior_strength=1.0, questions=2
    )
    first = elicitation.next_presentation()
    assert first is not None and first.question.item_id != "same/same"


def test_loop_asks_fresh_questions_then_reasks_in_swapped_order() -> None:
    shown: list[Presentation] = []

    def ask(presentation: Presentation) -> int:
        shown.append(presentation)
        return 0

    elicitation = Elicitation(
        question_pool(),
        population_mean=population_vector(),
        prior_strength=1.0,
        questions=10,
        reask_share=0.3,
    )
    comparisons = elicitation.run(ask)
    assert len(shown) == len(comparisons) == 10
    fresh, reasks = shown[:7], shown[7:]
    assert len({p.question.item_id for p in fresh}) == 7 and not any(p.reask for p in fresh)
    assert all(p.reask and p.swapped and p.condition == "order-ba" for p in reasks)
    assert {p.question.item_id for p in reasks} <= {p.question.item_id for p in fresh}
    # always picking the first option shown flips every re-asked verdict
    report = assess_stability(comparisons, elicitation.differences(), agreement=0.75)
    assert report.flipped_items == 3 and not report.keep[:7].all()


def _simulate(kind: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Elicit one simulated user; returns (fitted mean, fitted std)."""
    rng = np.random.default_rng(seed)
    population = population_vector()
    true = population.copy()
    true[WARMTH] = 3.0
    pool = question_pool()
    elicitation = Elicitation(pool, population_mean=population, prior_strength=1.0, questions=10)

    def ask(presentation: Presentation) -> int:
        if kind == "random":
            return int(rng.random() < 0.5)
        v = question_difference(presentation.question)
        v = -v if presentation.swapped else v
        return 0 if rng.random() < 1.0 / (1.0 + np.exp(-v @ true)) else 1

    comparisons = elicitation.run(ask)
    fit = fit_user(
        comparisons,
        population_mean=population,
        prior_strength=1.0,
        agreement=0.75,
        differences=elicitation.differences(),
    )
    return fit.coefficients.mean, fit.coefficients.std


def test_random_answerers_stay_near_the_population_without_false_certainty() -> None:
    population = population_vector()
    distances, stds = [], []
    for seed in range(30):
        mean, std = _simulate("random", seed)
        distances.append(np.linalg.norm(mean - population))
        stds.append(std.mean())
    assert np.mean(distances) < 0.4
    assert np.mean(stds) > 0.9  # the prior's std is 1: nothing was learned, nothing is claimed


def test_a_consistent_warmth_lover_is_personalized_on_warmth() -> None:
    warmth = [_simulate("genuine", seed)[0][WARMTH] for seed in range(20)]
    assert np.mean(warmth) > population_vector()[WARMTH] + 0.3


def _pair(item: str | None, preferred: str, other: str) -> PairwiseComparison:
    return PairwiseComparison("p", preferred, other, item_id=item)


def test_flipped_reasks_are_dropped_and_split_votes_are_unstable() -> None:
    axis = np.zeros(K)
    axis[WARMTH] = 1.5
    comparisons = [_pair("q1", "a", "b"), _pair("q1", "b", "a"), _pair("q2", "c", "d"), _pair("q2", "c", "d")]
    differences = np.stack([axis, -axis, axis, axis])
    report = assess_stability(comparisons, differences, agreement=0.75)
    assert report.keep.tolist() == [False, False, True, True]
    assert (report.reasked_items, report.flipped_items) == (2, 1)
    warmth = report.axes[WARMTH]
    assert not warmth.stable and warmth.flips == 1 and warmth.reasks == 2
    # the same answers without the flipped item, plus another agreeing one: stable
    steady = assess_stability(
        [_pair("q2", "c", "d"), _pair("q2", "c", "d"), _pair(None, "e", "f")],
        np.stack([axis, axis, axis]),
        agreement=0.75,
    )
    assert steady.axes[WARMTH].stable and steady.axes[WARMTH].votes == 3
    assert not steady.axes[0].stable and steady.axes[0].votes == 0


def test_answer_feedback_records_item_order_and_options_as_shown() -> None:
    question = question_pool()[0]
    presentation = Presentation(question, swapped=True, reask=True)
    event = answer_feedback("ana", presentation, 0, session_id="s")
    assert isinstance(event, Feedback) and event.kind == "answer"
    assert event.item_id == question.item_id and event.condition == "order-ba"
    assert event.options == [question.second, question.first] and event.chosen == 0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Elicitation([], population_mean=population_vector(), prior_strength=1.0)
    with pytest.raises(ValueError, match="reask_share"):
        Elicitation(
            question_pool()[:3], population_mean=population_vector(), prior_strength=1.0, reask_share=1.0
        )


def test_bench_elicited_beats_population_and_refuses_noise() -> None:
    figures = bench_elicitation(users=120, seed=1)
    genuine, random = figures["figures"]["genuine"], figures["figures"]["random"]
    assert genuine["accuracy_elicited"]["mean"] > genuine["accuracy_population"]["mean"]
    assert (
        genuine["accuracy_elicited_unfiltered"]["mean"]
        > genuine["accuracy_random_questions_unfiltered"]["mean"]
    )
    assert (
        random["distance_from_population_elicited"]["mean"]
        < random["distance_from_population_elicited_unfiltered"]["mean"] / 3
    )
    assert random["std_ratio_elicited"]["mean"] > random["std_ratio_elicited_unfiltered"]["mean"] + 0.1
    assert figures["seconds"] < 30
