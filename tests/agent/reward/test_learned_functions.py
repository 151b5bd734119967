"""Learned base functions: directions recovered from a population's comparisons, the cache, the scorer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.agent.reward.coefficients import PairwiseComparison, UserCoefficients, population_vector
from prefmem.agent.reward.learned_functions import FILE_STEM, LearnedFunctions, UserPairs, learn_functions
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.agent.reward.train_reward import learn_from_comparisons
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.errors import DataFolderError

DIMENSION = 16


def planted_users(rng: np.random.Generator, tastes: dict[str, np.ndarray], pairs: int) -> list[UserPairs]:
    """Users who prefer, of two random unit vectors, the one their taste direction scores higher."""
    users = []
    for user, taste in tastes.items():
        first = rng.normal(size=(pairs, DIMENSION))
        second = rng.normal(size=(pairs, DIMENSION))
        first_wins = (first - second) @ taste > 0
        preferred = np.where(first_wins[:, None], first, second)
        other = np.where(first_wins[:, None], second, first)
        users.append(UserPairs(user, preferred, other))
    return users


def test_two_planted_tastes_are_recovered_and_capped_by_the_users() -> None:
    rng = np.random.default_rng(0)
    axis_a, axis_b = np.eye(DIMENSION)[0], np.eye(DIMENSION)[1]
    tastes = {"u1": axis_a + axis_b, "u2": axis_a - axis_b, "u3": 2 * axis_a}
    users = planted_users(rng, tastes, 120)
    replies = rng.normal(size=(200, DIMENSION))
    learned = learn_functions(
        users,
        replies=replies,
        reply_texts=[f"reply {i}" for i in range(200)],
        count=8,
        embedding_model="test",
    )
    # three users span at most three directions, whatever count asks for
    assert learned.directions.shape == (3, DIMENSION)
    # both planted axes lie (almost entirely) in the span of the first two directions
    span = learned.directions[:2]
    for axis in (axis_a, axis_b):
        assert np.linalg.norm(span @ axis) > 0.9
    # the first direction is the one everyone shares (axis a), oriented the way they lean
    assert learned.directions[0] @ axis_a > 0.9
    assert learned.population[0] > 0.5
    values = learned.values(replies)
    assert values.shape == (200, 3)
    assert np.all(np.abs(values) < 1.0)
    assert abs(float(values[:, 0].mean())) < 0.2  # centred on the training replies
    assert len(learned.meta["examples"][0]["highest"]) == 3


def test_users_with_too_few_comparisons_do_not_shape_the_directions() -> None:
    rng = np.random.default_rng(1)
    users = planted_users(rng, {"many": np.eye(DIMENSION)[0], "few": np.eye(DIMENSION)[5]}, 60)
    users[1] = UserPairs("few", users[1].preferred[:2], users[1].other[:2])
    learned = learn_functions(
        users, replies=rng.normal(size=(50, DIMENSION)), reply_texts=["r"] * 50, count=4, embedding_model="m"
    )
    assert learned.directions.shape[0] == 1
    assert learned.meta["users_shaping"] == 1 and learned.meta["users"] == 2
    with pytest.raises(ValueError, match="comparisons"):
        learn_functions(
            users[1:], replies=np.ones((2, DIMENSION)), reply_texts=["a", "b"], count=2, embedding_model="m"
        )


def test_the_cache_round_trips_and_a_damaged_one_says_so(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    users = planted_users(rng, {"a": np.eye(DIMENSION)[0], "b": np.eye(DIMENSION)[3]}, 40)
    learned = learn_functions(
        users, replies=rng.normal(size=(30, DIMENSION)), reply_texts=["t"] * 30, count=2, embedding_model="m"
    )
    assert LearnedFunctions.load(tmp_path) is None
    learned.save(tmp_path)
    loaded = LearnedFunctions.load(tmp_path)
    assert loaded is not None
    np.testing.assert_allclose(loaded.directions, learned.directions)
    np.testing.assert_allclose(loaded.population, learned.population)
    assert loaded.embedding_model == "m" and loaded.names == ("learned_1", "learned_2")
    assert loaded.meta["comparisons"] == 80
    (tmp_path / f"{FILE_STEM}.npz").write_bytes(b"not an archive")
    with pytest.raises(DataFolderError, match="train-reward"):
        LearnedFunctions.load(tmp_path)


# Two made-up house styles: one user likes replies about gardens and rivers, the other about engines
# and gears (plain word choices the hashing embedder sees; the interpretable functions do not).
_GREEN = ("garden", "river", "meadow", "willow", "moss", "fern", "brook", "orchard")
_METAL = ("engine", "gear", "piston", "valve", "bolt", "crank", "rotor", "lathe")


def _reply(words: tuple[str, ...], index: int) -> str:
    picked = [words[(index + k) % len(words)] for k in range(4)]
    return f"Answer {index}: " + " ".join(picked) + " and more " + picked[0] + "."


def _comparisons(liked: tuple[str, ...], disliked: tuple[str, ...], count: int) -> list[PairwiseComparison]:
    return [
        PairwiseComparison(f"question {i}", _reply(liked, i), _reply(disliked, i + 3)) for i in range(count)
    ]


def test_the_scorer_reads_learned_functions_and_a_user_fitted_on_them_ranks_their_style_first() -> None:
    embedder = HashingEmbedder(64)
    learned = learn_from_comparisons(
        {"green": _comparisons(_GREEN, _METAL, 20), "metal": _comparisons(_METAL, _GREEN, 20)},
        embedder,
        count=4,
    )
    scorer = RewardScorer(
        embedder=embedder, preference_scorer=_NoPreferences(), population=population_vector(), learned=learned
    )
    assert scorer.names == BASE_NAMES + learned.names
    assert scorer.population.shape == (len(scorer.names),)
    candidates = [_reply(_METAL, 40), _reply(_GREEN, 41)]
    features = scorer.features("a new question", candidates)
    assert features.shape == (2, len(scorer.names))
    differences = scorer.comparison_differences(_comparisons(_GREEN, _METAL, 10))
    assert differences.shape == (10, len(scorer.names))
    from prefmem.agent.reward.coefficients import fit_differences

    green = fit_differences(
        differences, population_mean=scorer.population, prior_strength=1.0, names=scorer.names
    )
    ranked = scorer.score("a new question", candidates, coefficients=green)
    assert ranked[0].index == 1
    assert any(key.startswith("style:learned_") for key in ranked[0].terms)
    metal = fit_differences(
        -differences, population_mean=scorer.population, prior_strength=1.0, names=scorer.names
    )
    assert scorer.score("a new question", candidates, coefficients=metal)[0].index == 0
    # coefficients fitted on other base functions are refused, not silently misread
    with pytest.raises(ValueError, match="refit"):
        scorer.score(
            "q", candidates, coefficients=UserCoefficients.population_only([0.0] * 7, prior_strength=1.0)
        )


def test_learned_functions_over_another_embedding_size_are_refused() -> None:
    learned = LearnedFunctions(
        directions=np.ones((1, 32)) / np.sqrt(32),
        offset=np.zeros(1),
        scale=np.ones(1),
        population=np.zeros(1),
        embedding_model="hashing-32",
    )
    with pytest.raises(ValueError, match="32-dimensional"):
        RewardScorer(
            embedder=HashingEmbedder(64),
            preference_scorer=_NoPreferences(),
            population=population_vector(),
            learned=learned,
        )


class _NoPreferences:
    name = "none"

    def score(self, preference: str, prompt: str, responses: object) -> np.ndarray:
        raise AssertionError("no preference is scored in these tests")
