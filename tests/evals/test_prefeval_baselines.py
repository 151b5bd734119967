"""The pickers PrefEval's memory conditions are measured against."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from prefmem.agent.rerank import Personalizer
from prefmem.agent.reward.base_functions import base_features
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.evals.prefeval_baselines import best_baseline, longest, shared_base_pick
from prefmem.memory.embeddings.fake import HashingEmbedder


class SilentScorer:
    name = "silent"

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> np.ndarray:
        return np.zeros(len(responses))


def test_longest_picks_the_most_characters_and_the_first_of_equals() -> None:
    assert longest(["short", "the longest one", "medium one"]) == 1
    assert longest(["same", "size", "tiny"]) == 0


def test_the_shared_base_ignores_style_and_follows_relevance() -> None:
    prompt = "How do I water tomato plants in summer?"
    responses = [
        "Honestly? Trains! I adore timetables, ticket prices and platforms, e.g. in the city at dawn.",
        "Water tomato plants deeply in summer, early in the morning, at the base of the plants.",
    ]
    features = base_features(prompt, responses)
    population = 50.0 * (features[0] - features[1])  # a population style that favours the off-topic reply
    scorer = RewardScorer(embedder=HashingEmbedder(), preference_scorer=SilentScorer(), population=population)
    personalizer = Personalizer(scorer)
    assert personalizer.rank("someone", prompt, responses).best.index == 0  # style decides the whole reward
    assert shared_base_pick(personalizer, prompt, responses) == 1


def test_the_best_baseline_is_the_highest_known_accuracy() -> None:
    assert best_baseline({"baseline-longest": 0.4, "baseline-shared-base": 0.3, "none": 0.2}) == (
        "baseline-longest",
        0.4,
    )
    assert best_baseline({"baseline-longest": None, "none": 0.25}) == ("none", 0.25)
    assert best_baseline({}) is None


@pytest.mark.parametrize("responses", [["a"], ["x", "yy", "zzz"]])
def test_longest_is_an_index_of_the_responses(responses: list[str]) -> None:
    assert 0 <= longest(responses) < len(responses)
