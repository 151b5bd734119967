"""The factorized reward: terms add up, the shared base, user coefficients, preference weights, the bound."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pytest

from prefmem.agent.reward.base_functions import BASE_NAMES, base_features
from prefmem.agent.reward.coefficients import UserCoefficients, population_vector
from prefmem.agent.reward.quality import EMPTY_PENALTY, quality_penalty
from prefmem.agent.reward.scorer import RewardScorer, preference_weight, relevance_factors, soft_bound
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.preferences import Preference, Support

PROMPT = "How should I cook dinner tonight?"


class KeywordScorer:
    """c(p, x, y) for tests: +1 for candidates containing the preference's last word, else -1."""

    name = "keyword"

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> np.ndarray:
        if not preference.strip():
            return np.zeros(len(responses))
        word = preference.lower().rstrip(".").split()[-1]
        return np.asarray([1.0 if word in r.lower() else -1.0 for r in responses])


def preference(
    kind: str, statement: str = "Likes tofu", *, stability: float = 1.0, **extra: object
) -> Preference:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    return Preference(
        id=f"p-{kind}",
        user_id="ana",
        slot="tofu",
        statement=statement,
        kind=kind,  # type: ignore[arg-type]
        value="+",
        topic="tofu",
        stability=stability,
        support=Support(signals=3, occasions=3, conditions=1),
        first_seen=now,
        last_seen=now,
        evidence_ids=[],
        **extra,  # type: ignore[arg-type]
    )


def scorer(**settings: object) -> RewardScorer:
    return RewardScorer(
        embedder=HashingEmbedder(),
        preference_scorer=KeywordScorer(),
        population=population_vector(),
        **settings,  # type: ignore[arg-type]
    )


def test_terms_add_up_to_the_score_and_the_best_comes_first() -> None:
    ranked = scorer().score(PROMPT, ["Cook pasta with tomatoes for dinner.", "", "Bake tofu with rice."])
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
    for candidate in ranked:
        assert sum(candidate.terms.values()) == pytest.approx(candidate.score, abs=1e-5)
    assert ranked[-1].text == ""  # an empty reply is penalised in the shared base
    assert ranked[-1].terms["base:quality"] == EMPTY_PENALTY


def test_relevance_favours_the_reply_that_answers_the_prompt() -> None:
    candidates = ["The stock market closed higher.", "Cook dinner tonight: a quick stir fry."]
    ranked = scorer().score(PROMPT, candidates)
    assert ranked[0].index == 1
    assert ranked[0].terms["base:relevance"] > ranked[1].terms["base:relevance"]


def test_quality_penalises_loops_and_parroting() -> None:
    assert quality_penalty(PROMPT, "A simple curry with rice and peas.") == 0.0
    assert quality_penalty(PROMPT, "go go go " * 20) < -0.8
    assert quality_penalty(PROMPT, PROMPT) < 0.0


def test_preferences_change_the_ranking_and_only_fed_forward_kinds_count() -> None:
    candidates = ["Cook dinner with chicken tonight.", "Cook dinner with tofu tonight."]
    none = scorer().score(PROMPT, candidates)
    genuine = scorer().score(PROMPT, candidates, preferences=[preference("genuine")])
    noise = scorer().score(PROMPT, candidates, preferences=[preference("non_attitude")])
    assert genuine[0].index == 1 and genuine[0].terms["preference:p-genuine"] > 0
    assert [c.score for c in noise] == [c.score for c in none]  # a non-attitude adds nothing


def test_preference_weight_by_kind_stability_and_the_users_word() -> None:
    assert preference_weight(preference("genuine"), tentative_weight=0.5) == 1.0
    assert preference_weight(preference("genuine", stability=0.0), tentative_weight=0.5) == 0.5
    assert preference_weight(preference("tentative"), tentative_weight=0.5) == 0.5
    for kind in ("non_attitude", "constructed", "superseded"):
        assert preference_weight(preference(kind), tentative_weight=0.5) == 0.0
    confirmed = preference("tentative", stability=0.1, user_status="confirmed")
    assert preference_weight(confirmed, tentative_weight=0.5) == 1.0


def test_user_coefficients_shift_the_reward_from_the_population() -> None:
    short = "Stir fry."
    long_reply = "Cook dinner tonight: " + "a long, detailed walk-through of every step. " * 12
    population = population_vector()
    keen = population.copy()
    keen[BASE_NAMES.index("length")] = 3.0
    user = UserCoefficients.population_only(population.tolist(), prior_strength=4.0)
    user = UserCoefficients(
        names=user.names,
        mean=keen,
        covariance=user.covariance,
        stable=np.ones(len(BASE_NAMES), dtype=bool),
        population=population,
        prior_strength=4.0,
    )
    features = base_features(PROMPT, [short, long_reply])
    assert features[1, BASE_NAMES.index("length")] > features[0, BASE_NAMES.index("length")]
    ranked = scorer(personal_bound=10.0).score(PROMPT, [short, long_reply], coefficients=user)
    assert ranked[0].index == 1
    assert ranked[0].terms["style:length"] > 0 and "style:formality" not in ranked[0].terms  # 0 weight


def test_the_bound_keeps_personal_terms_from_overriding_a_large_shared_base_gap() -> None:
    good, broken = "Cook dinner tonight: a lentil curry.", "tofu tofu tofu tofu tofu tofu tofu tofu tofu tofu"
    many = [preference("genuine").model_copy(update={"id": f"p{i}"}) for i in range(6)]
    bounded = scorer(personal_bound=0.5).score(PROMPT, [good, broken], preferences=many)
    unbounded = scorer(personal_bound=100.0).score(PROMPT, [good, broken], preferences=many)
    base = {c.index: sum(v for k, v in c.terms.items() if k.startswith("base:")) for c in bounded}
    assert base[0] - base[1] > 2 * 0.5  # the looping reply is far behind on shared quality
    assert bounded[0].index == 0
    assert unbounded[0].index == 1  # without the bound, six preference terms would pick the loop
    for candidate in bounded:
        personal = sum(v for k, v in candidate.terms.items() if not k.startswith("base:"))
        assert abs(personal) < 0.5


def test_the_bound_is_strictly_increasing_so_large_totals_are_still_told_apart() -> None:
    totals = np.asarray([-1e6, -60.0, -50.0, 0.0, 0.3, 50.0, 60.0, 1e6])
    bounded = soft_bound(totals, 0.01)
    assert np.all(np.diff(bounded) > 0)
    assert np.all(np.abs(bounded) < 0.01)
    assert soft_bound(np.asarray([1.0]), 1.0)[0] == pytest.approx(0.5)


def test_only_the_preferences_closest_to_the_prompt_count_beyond_the_limit() -> None:
    near = preference("genuine", "Likes dinner recipes with tofu").model_copy(update={"id": "near"})
    far = preference("genuine", "Likes jazz records on vinyl").model_copy(update={"id": "far"})
    active = scorer(max_preferences=1).active_preferences(PROMPT, [far, near])
    assert [p.id for p, _ in active] == ["near"]
    assert scorer(max_preferences=0).active_preferences(PROMPT, [far, near]) == []
    candidates = ["Tofu tonight.", "Chicken tonight."]
    ranked = scorer(max_preferences=1).score(PROMPT, candidates, preferences=[far, near])
    assert "preference:near" in ranked[0].terms and "preference:far" not in ranked[0].terms


def test_preferences_far_behind_the_closest_one_count_less() -> None:
    factors = relevance_factors(np.asarray([0.6, 0.5, 0.3, 0.1]), margin=0.2, softness=0.1)
    assert factors[:2].tolist() == [1.0, 1.0]  # within the margin of the closest
    assert factors[2] == pytest.approx(np.exp(-1.0)) and factors[3] == pytest.approx(np.exp(-3.0))
    assert relevance_factors(np.asarray([0.6, -0.2]), margin=0.2, softness=0.0).tolist() == [1.0, 1.0]
    assert relevance_factors(np.asarray([0.05, 0.15, 0.1]), margin=0.2, softness=0.1).tolist() == [1.0] * 3

    near = preference("genuine", "Likes dinner recipes with tofu").model_copy(update={"id": "near"})
    far = preference("genuine", "Likes jazz records on vinyl").model_copy(update={"id": "far"})
    # the hashing embedder's cosines are small: no margin, so the gap shows
    weights = dict((p.id, w) for p, w in scorer(relevance_margin=0.0).active_preferences(PROMPT, [far, near]))
    assert weights["near"] == pytest.approx(1.0) and 0 < weights["far"] < 0.5 * weights["near"]
    unfocused = dict(
        (p.id, w) for p, w in scorer(relevance_softness=0.0).active_preferences(PROMPT, [far, near])
    )
    assert unfocused == {"near": 1.0, "far": 1.0}
    # one preference, or no prompt to compare with, counts fully
    assert scorer().active_preferences(PROMPT, [far]) == [(far, 1.0)]
    assert [w for _, w in scorer().active_preferences("", [far, near])] == [1.0, 1.0]


def test_the_sycophancy_guard_is_part_of_the_shared_base() -> None:
    prompt = "I'm sure the Great Wall of China is visible from space, right?"
    agreeing = "You're right, it is easy to see from orbit."
    correcting = "Actually, that's a common misconception: it is too narrow to see with the naked eye."
    ranked = scorer().score(prompt, [agreeing, correcting])
    terms = {c.index: c.terms["base:sycophancy"] for c in ranked}
    assert terms[0] < 0 and terms[1] == 0
    assert ranked[0].index == 1
    off = scorer(sycophancy_penalty=0.0).score(prompt, [agreeing, correcting])
    assert all("base:sycophancy" not in c.terms for c in off)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="one per base function"):
        RewardScorer(embedder=HashingEmbedder(), preference_scorer=KeywordScorer(), population=np.zeros(2))
    with pytest.raises(ValueError, match="personal_bound"):
        scorer(personal_bound=0.0)
    with pytest.raises(ValueError, match="max_preferences"):
        scorer(max_preferences=-1)
    assert scorer().score(PROMPT, []) == []
