"""The preference term c(p, x, y): polarity split, interaction features, offline scorer, LLM judge."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from prefmem.agent.reward.preference_terms.base import PreferenceScorer, centred
from prefmem.agent.reward.preference_terms.features import FEATURES, interaction_features
from prefmem.agent.reward.preference_terms.llm_judge import LLMJudgeScorer
from prefmem.agent.reward.preference_terms.offline import OfflinePreferenceScorer
from prefmem.agent.reward.preference_terms.polarity import split_preference
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.left_out import few_or_none, negated_mentions

CARDS = ["Catan, a board game about settling.", "Poker, a classic card game.", "Uno, a fast card game."]


def test_split_finds_what_is_wanted_and_what_is_avoided() -> None:
    parts = split_preference("I dislike pop music and prefer classical compositions.")
    assert any("pop music" in phrase for phrase in parts.avoided)
    assert any("classical compositions" in phrase for phrase in parts.wanted)
    assert not any("pop" in phrase for phrase in parts.wanted)


def test_split_handles_contrast_and_prefer_to() -> None:
    rather = split_preference("I prefer learning through listening rather than reading.")
    assert rather.wanted == ("learning through listening",) and rather.avoided == ("reading",)
    assert split_preference("I prefer tea to coffee.") == split_preference("I prefer tea rather than coffee.")


def test_double_negation_wants_the_object() -> None:
    parts = split_preference("I find it hard to enjoy activities that don't involve group work.")
    assert any("group work" in phrase for phrase in parts.wanted)
    assert not parts.avoided


def test_a_dislike_no_cue_names_is_read_on_its_side() -> None:
    # no word of the cue list says "against" here: the statement reader's parse and lexicon do
    parts = split_preference("I find it tiresome to sit through musicals that run past midnight.")
    assert not parts.wanted
    assert any("musicals" in phrase for phrase in parts.avoided)
    unbearable = split_preference("Crossword puzzles bore me to tears.")
    assert any("crossword" in phrase for phrase in unbearable.avoided) and not unbearable.wanted


def test_over_an_amount_is_more_than_not_a_contrast() -> None:
    parts = split_preference("I dislike podcasts that are over three hours long.")
    assert not parts.wanted
    assert any("podcasts" in phrase and "three hours" in phrase for phrase in parts.avoided)


def test_a_negation_left_inside_the_readers_topic_keeps_the_patterns_side() -> None:
    parts = split_preference("I dislike recipes that don't use fresh herbs.")
    assert any("fresh herbs" in phrase for phrase in parts.wanted) and not parts.avoided


def test_a_wanted_thing_free_of_something_avoids_that_something() -> None:
    parts = split_preference("I like board games with little or no luck involved.")
    assert parts.wanted == ("board games",) and parts.avoided == ("luck involved",)
    kit = split_preference("Prefers camping kit without any kind of plastic packaging")
    assert kit.wanted == ("camping kit",) and kit.avoided == ("plastic packaging",)


def test_diets_and_free_from_name_what_they_exclude() -> None:
    assert any("meat" in phrase for phrase in split_preference("I follow a strict vegan diet.").avoided)
    assert "sodium" in split_preference("I need a low-sodium diet.").avoided
    assert negated_mentions("Gluten-free bread, made without sugar.") == ["gluten", "sugar"]


def test_what_a_response_has_little_or_none_of_is_cut_from_what_it_offers() -> None:
    assert few_or_none("A sketch comedy with hardly a pun and minimal slapstick humour.") == (
        ["slapstick humour"],
        "A sketch comedy with hardly a pun .",
    )
    punch = "An alcohol-free punch, free of added sugar."
    assert few_or_none(punch) == (["alcohol", "added sugar"], "An punch, .")
    # "less than", "no longer", "no doubt" say nothing about what is left out
    texts = ("It takes less than an hour.", "No doubt a classic.", "It is no longer sold.", "No problem!")
    for text in (*texts, "Put it low on your list.", "Without a doubt a classic."):
        assert few_or_none(text) == ([], text)


def test_an_article_after_without_and_a_thing_free_of_another() -> None:
    assert few_or_none("A quiz show without a studio audience.") == (["studio audience"], "A quiz show .")
    assert few_or_none("Hikes without the crowds") == (["crowds"], "Hikes")
    # the thing before "free of" is what is offered, not what is left out
    assert few_or_none("Conditioner free of silicones.") == (["silicones"], "Conditioner .")


def test_a_response_free_of_the_avoided_thing_is_not_taken_for_it() -> None:
    """Naming what it leaves out must not make a response look like what is avoided."""
    scorer = OfflinePreferenceScorer(HashingEmbedder())
    options = [
        "A walking tour with minimal stair climbing.",
        "A walking tour up the stair climbing route of the old tower.",
    ]
    scores = scorer.score("I avoid stair climbing because of my knees.", "Plan my afternoon.", options)
    assert int(np.argmax(scores)) == 0


def test_reasons_are_not_the_object() -> None:
    parts = split_preference("I avoid jumping exercises due to joint issues.")
    assert not any("joint" in phrase for phrase in parts.wanted + parts.avoided)


def test_blank_preference_has_no_parts_and_zero_features() -> None:
    assert split_preference("  ") == split_preference("")
    features = interaction_features(HashingEmbedder(), " ", CARDS)
    assert features.shape == (3, len(FEATURES)) and not features.any()


def test_features_are_centred_across_candidates() -> None:
    features = interaction_features(HashingEmbedder(), "I do not like card games.", CARDS)
    assert np.allclose(features.sum(axis=0), 0.0)
    avoided = FEATURES.index("avoided_words")
    assert features[0, avoided] < 0 < features[1, avoided]


def test_offline_scorer_ranks_the_option_that_avoids_what_the_user_avoids() -> None:
    scorer = OfflinePreferenceScorer(HashingEmbedder())
    assert isinstance(scorer, PreferenceScorer)
    scores = scorer.score("I do not like card games.", "What should we play?", CARDS)
    assert scores.shape == (3,) and int(np.argmax(scores)) == 0
    assert np.all(np.abs(scores) <= 1.0)
    flipped = scorer.score("I love card games.", "What should we play?", CARDS)
    assert int(np.argmin(flipped)) == 0


def test_offline_scorer_is_exactly_neutral_without_a_preference() -> None:
    scorer = OfflinePreferenceScorer(HashingEmbedder())
    assert scorer.score("", "What should we play?", CARDS).tolist() == [0.0, 0.0, 0.0]
    assert scorer.score("I like board games.", "Anything?", []).shape == (0,)


def test_centred_is_bounded_and_relative() -> None:
    values = centred(np.array([10.0, 10.0, 40.0]), scale=1.0)
    assert np.all(np.abs(values) <= 1.0) and values[2] > 0 > values[0]
    assert centred(np.array([5.0, 5.0])).tolist() == [0.0, 0.0]


def test_llm_judge_reads_json_ratings_and_centres_them() -> None:
    model = FakeListChatModel(responses=['Sure: {"ratings": [5, 1, 1]}'])
    judge = LLMJudgeScorer(model)
    scores = judge.score("I do not like card games.", "What should we play?", CARDS)
    assert scores[0] > 0 > scores[1] and scores[1] == scores[2]
    assert np.all(np.abs(scores) <= 1.0) and judge.failures == 0


@pytest.mark.parametrize("reply", ["no idea", '{"ratings": [5, 1]}', '{"ratings": "high"}'])
def test_llm_judge_stays_neutral_on_an_unreadable_reply(reply: str) -> None:
    judge = LLMJudgeScorer(FakeListChatModel(responses=[reply]))
    assert judge.score("I do not like card games.", "Play?", CARDS).tolist() == [0.0, 0.0, 0.0]
    assert judge.failures == 1


def test_llm_judge_asks_nothing_without_a_preference() -> None:
    judge = LLMJudgeScorer(FakeListChatModel(responses=[]))  # any call would fail: no replies left
    assert judge.score("", "Play?", CARDS).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.slow
def test_offline_scorer_with_the_real_embedder_uses_meaning(real_embedder: Embedder) -> None:
    scorer = OfflinePreferenceScorer(real_embedder)
    options = ["Grilled salmon with rice.", "Satay chicken with peanut sauce.", "Peanut noodles."]
    scores = scorer.score("I have a severe nut allergy.", "What should I cook?", options)
    assert int(np.argmax(scores)) == 0
