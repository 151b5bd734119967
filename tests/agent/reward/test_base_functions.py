"""The base reward functions move in the direction their meaning says, and stay in [-1, 1]."""

from __future__ import annotations

import numpy as np
import pytest

from prefmem.agent.reward.base_functions import BASE_FUNCTIONS, BASE_NAMES, base_features
from prefmem.agent.reward.elicitation_bank import TOPICS, TRAITS, compose

PROMPT = "How do I boil an egg?"
PLAIN = "Put the egg in boiling water and leave it there until it is done."


def _axis(name: str, prompt: str, response: str) -> float:
    return float(base_features(prompt, [response])[0, BASE_NAMES.index(name)])


@pytest.mark.parametrize(
    ("name", "richer"),
    [
        ("length", PLAIN + " " + " ".join(["Older eggs peel more easily than fresh ones do."] * 6)),
        ("structure", "1. Boil water.\n2. Add the egg.\n3. Wait nine minutes."),
        ("formality", "It is advisable to ensure that the water is boiling; furthermore, use a timer."),
        ("technical_depth", "Heat to 100 C; the albumen sets at about 80 C and the yolk protein at 70 C."),
        ("examples", PLAIN + " For example, a large egg needs about nine minutes."),
        ("warmth", "Great question, happy to help! " + PLAIN + " I hope this helps."),
        ("hedging", "It probably depends on the egg, but perhaps nine minutes might work."),
    ],
)
def test_each_axis_rises_with_what_it_measures(name: str, richer: str) -> None:
    assert _axis(name, PROMPT, richer) > _axis(name, PROMPT, PLAIN) + 0.3


def test_casual_and_direct_replies_score_negative() -> None:
    assert _axis("formality", PROMPT, "Yeah, it's super easy, you'll love it!") < -0.5
    assert _axis("hedging", PROMPT, "Simply boil it for nine minutes. This always works.") < -0.5


def test_possessives_are_not_contractions_and_list_numbers_are_not_figures() -> None:
    assert _axis("formality", PROMPT, "Check the router's settings.") == 0.0
    listed = "1. Boil water.\n2. Add the egg.\n3. Wait."
    assert _axis("technical_depth", PROMPT, listed) == _axis("technical_depth", PROMPT, "Boil water.")


def test_length_target_grows_with_the_prompt() -> None:
    long_prompt = "Could you explain, step by step and with the reasons, " * 4 + "how to boil an egg?"
    assert _axis("length", long_prompt, PLAIN) < _axis("length", PROMPT, PLAIN)


def test_features_have_one_row_per_response_and_stay_in_range() -> None:
    replies = [compose(topic, [trait]) for topic in TOPICS for trait in TRAITS] + ["", "!!!"]
    features = base_features(PROMPT, replies)
    assert features.shape == (len(replies), len(BASE_FUNCTIONS))
    assert np.all(np.abs(features) <= 1.0)
    assert base_features(PROMPT, []).shape == (0, len(BASE_FUNCTIONS))


def test_every_function_is_documented() -> None:
    assert len(set(BASE_NAMES)) == len(BASE_NAMES) >= 6
    assert all(function.meaning and function.compute.__doc__ for function in BASE_FUNCTIONS)
