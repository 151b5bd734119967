"""The chat weaves in one queued re-ask at most once every `reask_every` turns; off by default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prefmem.agent.assistant import Assistant
from prefmem.agent.cli.chat import apply_feedback, is_feedback_command
from prefmem.agent.config import Config
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.errors import InvalidInputError
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.models import Feedback
from prefmem.memory.semantic.store import SemanticStore

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _assistant(reask_every: int) -> Assistant:
    store = InMemoryEpisodicStore(HashingEmbedder())
    semantic = SemanticStore.in_memory()
    store.add(
        [
            Feedback(
                user_id="bo",
                session_id=f"d{day}",
                timestamp=T0 + timedelta(days=day),
                kind="answer",
                prompt="Tea or coffee in the morning?",
                options=["Tea", "Coffee"],
                chosen=0,
                item_id="q-drink",
                condition="order-ab",
            )
            for day in range(2)
        ]
    )
    ConsolidationJob(store, semantic, ParsedExtractor(), HashingEmbedder()).run()
    assert len(semantic.reasks("bo")) == 1
    return Assistant(
        store=store, llm=ScriptedChatModel(), memory="both", semantic=semantic, reask_every=reask_every
    )


def test_the_chat_asks_no_queued_question_by_default() -> None:
    assert Config().assistant.reask_every == 0
    assistant = _assistant(0)
    results = [assistant.chat("bo", f"hello {n}") for n in range(4)]
    assert all(r.reask is None and "quick question" not in r.response for r in results)


def test_a_queued_question_is_woven_in_at_most_once_every_n_turns() -> None:
    assistant = _assistant(2)
    results = [assistant.chat("bo", f"hello {n}") for n in range(5)]
    woven = [n for n, r in enumerate(results) if r.reask is not None]
    assert woven == [1, 3]  # unanswered, it stays queued, but waits its turn
    result = results[1]
    assert result.response.startswith("You said: hello 1")
    assert "Tea or coffee in the morning?" in result.response
    assert "A: Coffee\nB: Tea" in result.response  # the other option order
    stored = assistant.store.interactions("bo")
    assert [i.metadata.get("reask_item") for i in stored].count("q-drink") == 2
    assert assistant.chat("carl", "hi").reask is None  # another user, nothing queued


def test_answering_the_woven_question_records_an_answer_and_empties_the_queue() -> None:
    assistant = _assistant(1)
    result = assistant.chat("bo", "hello")
    assert result.reask is not None
    with pytest.raises(InvalidInputError):
        assistant.answer_reask("bo", result, 2)
    event = assistant.answer_reask("bo", result, 1)  # "Tea", shown second
    assert (event.kind, event.item_id, event.condition, event.chosen) == ("answer", "q-drink", "order-ba", 1)
    assert event.options == ["Coffee", "Tea"]
    assert assistant.semantic is not None and assistant.semantic.reasks("bo") == []
    assert assistant.chat("bo", "again").reask is None
    plain = assistant.chat("bo", "once more")
    with pytest.raises(InvalidInputError, match="asked no question"):
        assistant.answer_reask("bo", plain, 0)


def test_the_chat_command_records_an_answer_by_its_letter() -> None:
    assistant = _assistant(1)
    result = assistant.chat("bo", "hello")
    assert is_feedback_command("/answer b")
    with pytest.raises(InvalidInputError, match="letter"):
        apply_feedback(assistant, "bo", result, "/answer 2")
    assert apply_feedback(assistant, "bo", result, "/answer b") == "recorded: answer B"
    [answer] = [f for f in assistant.store.feedback("bo") if f.metadata.get("source") == "chat"]
    assert (answer.item_id, answer.options[answer.chosen or 0]) == ("q-drink", "Tea")
