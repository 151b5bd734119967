"""Best-of-N in the chat loop and feedback from chat: candidates scored, the best returned, feedback kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from prefmem.agent.assistant import Assistant
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.rerank import Personalizer, diversity
from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.agent.reward.coefficient_store import CoefficientStore
from prefmem.agent.reward.coefficients import population_vector
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.errors import InvalidInputError

SHORT = "Try a stir fry."
LONG = (
    "Here is a plan for tonight:\n1. Chop the vegetables.\n2. Heat the pan.\n3. Stir fry for five minutes.\n"
    "For example, peppers, onions and snap peas work well, and you can add rice."
)


class SilentScorer:
    """A preference term with nothing to say (these tests are about the loop, not c(p, x, y))."""

    name = "silent"

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> np.ndarray:
        return np.zeros(len(responses))


class TwoStyles(ScriptedChatModel):
    """Samples alternate between a terse and a structured reply, so candidates differ in style."""

    def generate(
        self,
        messages: Sequence[ChatMessage],
        *,
        n: int = 1,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> list[str]:
        self.prompts.append(list(messages))
        return [(SHORT, LONG)[i % 2] for i in range(n)]


def _assistant(tmp_path: object, *, candidates: int = 2) -> Assistant:
    embedder = HashingEmbedder()
    scorer = RewardScorer(embedder=embedder, preference_scorer=SilentScorer(), population=population_vector())
    store = CoefficientStore(f"{tmp_path}/coefficients.sqlite3")
    return Assistant(
        store=InMemoryEpisodicStore(embedder),
        llm=TwoStyles(),
        personalizer=Personalizer(scorer=scorer, coefficient_store=store, stability_min_votes=2),
        candidates=candidates,
    )


def test_the_best_candidate_is_the_reply_and_the_trace_keeps_every_score(tmp_path: object) -> None:
    assistant = _assistant(tmp_path, candidates=4)
    result = assistant.chat("ana", "What should I cook for dinner?")
    assert len(result.trace.candidates) == 4
    scores = [c["score"] for c in result.trace.candidates]
    assert scores == sorted(scores, reverse=True)
    assert result.response == result.trace.candidates[0]["text"] == LONG  # the population likes structure
    assert set(result.trace.candidates[0]["terms"]) >= {"base:relevance", "style:structure"}
    assert result.trace.diversity is not None and result.trace.diversity > 0
    assert assistant.store.interactions("ana")[0].assistant_text == LONG


def test_one_candidate_is_still_scored_but_not_resampled(tmp_path: object) -> None:
    assistant = _assistant(tmp_path, candidates=1)
    result = assistant.chat("ana", "What should I cook?")
    assert [c["text"] for c in result.trace.candidates] == [SHORT]
    assert result.trace.diversity == 0.0


def test_choices_in_chat_are_stored_and_move_the_users_coefficients(tmp_path: object) -> None:
    assistant = _assistant(tmp_path)
    assert assistant.personalizer is not None
    before = assistant.personalizer.coefficients("ana")
    for day in range(4):
        result = assistant.chat("ana", f"What should I cook on day {day}?")
        short_index = [c["text"] for c in result.trace.candidates[:2]].index(SHORT)
        assistant.choose("ana", result, short_index)  # always the terse one
    events = assistant.store.feedback("ana")
    assert len(events) == 4 and all(e.kind == "choice" and e.options[e.chosen] == SHORT for e in events)
    after = assistant.personalizer.coefficients("ana")
    length, structure = BASE_NAMES.index("length"), BASE_NAMES.index("structure")
    assert after.n_comparisons == 4
    assert after.mean[length] < before.mean[length] or after.mean[structure] < before.mean[structure]
    assert after.stable.any()
    # and the next reply follows the learned taste
    assert assistant.chat("ana", "And for lunch?").response == SHORT


def test_ratings_and_edits_are_stored_as_feedback(tmp_path: object) -> None:
    assistant = _assistant(tmp_path)
    result = assistant.chat("ana", "What should I cook?")
    rating = assistant.rate("ana", result, -1)
    edit = assistant.edit("ana", result, "Pasta with pesto.")
    assert (rating.kind, rating.value, rating.response, rating.prompt) == (
        "rating",
        -1,
        result.response,
        "What should I cook?",
    )
    assert (edit.kind, edit.options, edit.chosen) == ("choice", [result.response, "Pasta with pesto."], 1)
    assert len(assistant.store.feedback("ana")) == 2


def test_bad_feedback_is_refused_and_nothing_is_stored(tmp_path: object) -> None:
    assistant = _assistant(tmp_path)
    result = assistant.chat("ana", "What should I cook?")
    with pytest.raises(InvalidInputError, match="between 1 and 2"):
        assistant.choose("ana", result, 5)
    with pytest.raises(InvalidInputError, match="same as the reply"):
        assistant.edit("ana", result, result.response)
    with pytest.raises(InvalidInputError, match=r"\+1 or -1"):
        assistant.rate("ana", result, 3)
    single = _assistant(tmp_path, candidates=1).chat("bo", "Hi")
    with pytest.raises(InvalidInputError, match="fewer than two"):
        assistant.choose("bo", single, 0)
    assert assistant.store.feedback("ana") == []


def test_diversity_is_mean_pairwise_cosine_distance() -> None:
    same = np.asarray([[1.0, 0.0], [1.0, 0.0]])
    orthogonal = np.asarray([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    assert diversity(same) == 0.0
    assert diversity(orthogonal) == pytest.approx(2 / 3)
    assert diversity(same[:1]) == 0.0


class Streaming(ScriptedChatModel):
    """Streams its reply word by word, as the local model does; counts the streamed replies."""

    def __init__(self) -> None:
        super().__init__([SHORT])
        self.streamed = 0

    def stream_to(
        self,
        messages: Sequence[ChatMessage],
        on_text: Callable[[str], None],
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> str:
        self.prompts.append(list(messages))
        self.streamed += 1
        words = SHORT.split(" ")
        for index, word in enumerate(words):
            on_text(word if index == 0 else f" {word}")
        return SHORT


def test_one_candidate_streams_its_words_in_order_and_they_make_the_reply(tmp_path: object) -> None:
    assistant = _assistant(tmp_path, candidates=1)
    assistant.llm = Streaming()
    pieces: list[str] = []
    result = assistant.chat("ana", "What should I cook?", on_text=pieces.append)
    assert pieces == ["Try", " a", " stir", " fry."]
    assert "".join(pieces) == result.response == SHORT
    assert 0 <= result.trace.timings["first_text"] <= sum(
        result.trace.timings[stage] for stage in ("recall", "prompt", "generate")
    ) + 0.01


def test_several_candidates_show_the_chosen_reply_once_ranking_ends(tmp_path: object) -> None:
    assistant = _assistant(tmp_path, candidates=4)
    pieces: list[str] = []
    result = assistant.chat("ana", "What should I cook for dinner?", on_text=pieces.append)
    assert pieces == [result.response] == [LONG]
    timings = result.trace.timings
    assert set(timings) == {"recall", "prompt", "generate", "rerank", "store", "consolidate", "first_text"}
    before_shown = sum(timings[stage] for stage in ("recall", "prompt", "generate", "rerank"))
    assert before_shown <= timings["first_text"] + 0.01


def test_without_a_listener_nothing_streams_and_the_reply_is_the_same(tmp_path: object) -> None:
    assistant = _assistant(tmp_path, candidates=1)
    assistant.llm = model = Streaming()
    result = assistant.chat("ana", "What should I cook?")
    assert result.response == SHORT and "first_text" not in result.trace.timings
    assert model.streamed == 0
