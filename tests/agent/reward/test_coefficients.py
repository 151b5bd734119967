"""Bayesian Bradley-Terry coefficients: recovery, the pull to the population, fixed unstable axes, storage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.agent.reward.coefficient_store import CoefficientStore
from prefmem.agent.reward.coefficients import (
    DEFAULT_POPULATION,
    UserCoefficients,
    comparisons_from_feedback,
    fit_coefficients,
    fit_differences,
    population_vector,
)
from prefmem.memory.errors import DataFolderError
from prefmem.memory.models import Feedback

K = len(BASE_NAMES)
TRUE = np.array([1.0, -1.0, 0.5, 0.0, 1.5, -0.5, 0.8])


def _answers(true: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """Bradley-Terry answers: each row is phi(preferred) - phi(other)."""
    rng = np.random.default_rng(seed)
    v = rng.uniform(-1.5, 1.5, size=(count, K))
    first_wins = rng.random(count) < 1.0 / (1.0 + np.exp(-v @ true))
    return np.where(first_wins[:, None], v, -v)


def test_many_comparisons_recover_the_true_coefficients() -> None:
    fit = fit_differences(_answers(TRUE, 4000), population_mean=population_vector(), prior_strength=1.0)
    assert np.max(np.abs(fit.mean - TRUE)) < 0.2
    assert np.all(fit.std < 0.1)
    assert fit.n_comparisons == 4000


def test_few_comparisons_stay_near_the_population_and_stronger_priors_pull_harder() -> None:
    population = population_vector()
    few = _answers(TRUE, 5)
    weak = fit_differences(few, population_mean=population, prior_strength=0.5)
    strong = fit_differences(few, population_mean=population, prior_strength=20.0)
    many = fit_differences(_answers(TRUE, 4000), population_mean=population, prior_strength=0.5)
    distance = [np.linalg.norm(fit.mean - population) for fit in (strong, weak, many)]
    assert distance[0] < distance[1] < distance[2]
    assert np.all(strong.std < weak.std)


def test_unstable_axes_stay_at_the_population_with_the_prior_spread() -> None:
    population = population_vector()
    stable = np.array([True, True, False, True, True, False, True])
    fit = fit_differences(_answers(TRUE, 2000), population_mean=population, prior_strength=4.0, stable=stable)
    assert np.array_equal(fit.mean[~stable], population[~stable])
    assert np.allclose(fit.std[~stable], 0.5)
    assert np.all(fit.std[stable] < 0.2)
    assert fit.covariance[2, 0] == 0.0
    assert np.array_equal(fit.stable, stable)


def test_no_comparisons_is_the_population() -> None:
    fit = fit_coefficients([], population_mean=population_vector(), prior_strength=2.0)
    assert np.array_equal(fit.mean, population_vector())
    assert np.allclose(fit.std, fit.prior_std)


def test_population_vector_rejects_unknown_names_and_fills_defaults() -> None:
    assert population_vector({"warmth": 2.0})[BASE_NAMES.index("warmth")] == 2.0
    assert population_vector()[BASE_NAMES.index("examples")] == DEFAULT_POPULATION["examples"]
    with pytest.raises(ValueError, match="verbosity"):
        population_vector({"verbosity": 1.0})


def _feedback(kind: str, second: int, **fields: object) -> Feedback:
    moment = datetime(2024, 6, 1, 12, 0, second, tzinfo=UTC)
    return Feedback(user_id="u", session_id="s", timestamp=moment, kind=kind, **fields)  # type: ignore[arg-type]


def test_feedback_becomes_pairs_choices_answers_and_opposite_ratings() -> None:
    events = [
        _feedback("choice", 0, prompt="p", options=["a", "b", "c"], chosen=1, condition="order-ab"),
        _feedback("answer", 1, prompt="q", options=["x", "y"], chosen=0, item_id="q1"),
        _feedback("rating", 2, prompt="r", response="good", value=1),
        _feedback("rating", 3, prompt="r", response="also good", value=1),
        _feedback("rating", 4, prompt="r", response="bad", value=-1),
        _feedback("rating", 5, prompt="lonely", response="alone", value=1),
    ]
    pairs = {(c.prompt, c.preferred, c.other, c.item_id) for c in comparisons_from_feedback(events)}
    assert pairs == {
        ("p", "b", "a", None),
        ("p", "b", "c", None),
        ("q", "x", "y", "q1"),
        ("r", "good", "bad", None),
        ("r", "also good", "bad", None),
    }
    by_session = comparisons_from_feedback(events[:1], occasion="session")
    assert by_session[0].occasion == "s" and by_session[0].condition == "order-ab"
    assert comparisons_from_feedback(events[:1])[0].occasion == "2024-06-01"


def test_round_trip_and_store_save_load_forget(tmp_path: Path) -> None:
    fit = fit_differences(_answers(TRUE, 50), population_mean=population_vector(), prior_strength=1.0)
    again = UserCoefficients.from_dict(fit.to_dict())
    assert np.array_equal(again.mean, fit.mean) and np.array_equal(again.covariance, fit.covariance)
    path = tmp_path / CoefficientStore.FILE_NAME
    with CoefficientStore(path) as store:
        store.save("ana", fit)
        store.save("bo", UserCoefficients.population_only(population_vector(), prior_strength=1.0))
    with CoefficientStore(path) as store:
        loaded = store.load("ana")
        assert loaded is not None and np.allclose(loaded.mean, fit.mean)
        assert store.users() == ["ana", "bo"]
        assert store.forget("ana") and not store.forget("ana")
        assert store.load("ana") is None and store.load("bo") is not None


def test_corrupted_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / CoefficientStore.FILE_NAME
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DataFolderError, match="unreadable or corrupted"):
        CoefficientStore(path)
