"""The assistant loop on real parts: the in-memory store, the hashing embedder and the scripted model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from prefmem.agent.assistant import Assistant
from prefmem.agent.config import parse_config
from prefmem.agent.factory import Runtime
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.prompt import MEMORY_HEADING
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.base import id_millis
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.errors import InvalidInputError
from prefmem.memory.models import Interaction

SYSTEM = "You are a test assistant."


def _assistant(**settings: Any) -> Assistant:
    settings.setdefault("system_prompt", SYSTEM)
    return Assistant(store=InMemoryEpisodicStore(HashingEmbedder()), llm=ScriptedChatModel(), **settings)


def _llm(assistant: Assistant) -> ScriptedChatModel:
    assert isinstance(assistant.llm, ScriptedChatModel)
    return assistant.llm


def test_first_chat_has_nothing_to_recall_and_is_stored() -> None:
    assistant = _assistant()
    result = assistant.chat("alice", "  my cat is called Miso \n", session_id="s1")

    assert result.response == "You said: my cat is called Miso"
    assert result.trace.recalled == []
    assert result.trace.history_turns == 0
    assert result.trace.model == "scripted"
    assert result.trace.prompt == [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "my cat is called Miso"},
    ]
    stored = assistant.store.interactions("alice")
    assert len(stored) == 1
    assert (stored[0].user_text, stored[0].assistant_text, stored[0].session_id) == (
        "my cat is called Miso",
        "You said: my cat is called Miso",
        "s1",
    )
    assert stored[0].record_id() == result.interaction_id


def test_a_later_chat_recalls_the_earlier_exchange() -> None:
    assistant = _assistant()
    assistant.chat("alice", "my cat is called Miso", session_id="monday")
    result = assistant.chat("alice", "what is my cat called?", session_id="tuesday")

    assert [e.interaction.user_text for e in result.trace.recalled] == ["my cat is called Miso"]
    recalled = result.trace.recalled[0]
    assert recalled.similarity is not None and recalled.similarity >= assistant.min_similarity
    sent = _llm(assistant).prompts[-1]
    assert sent[0].role == "system" and "Miso" not in sent[0].content
    assert 'the user said "my cat is called Miso"' in sent[1].content  # the memory message
    assert "You said:" not in sent[1].content  # the earlier reply is not replayed
    assert [m.role for m in sent] == ["system", "user", "user"]  # another session: no history turns
    assert sent[-1].content == "what is my cat called?"
    assert result.trace.prompt == [{"role": m.role, "content": m.content} for m in sent]
    assert len(assistant.store.interactions("alice")) == 2


def test_the_reply_is_stripped_before_it_is_returned_and_stored() -> None:
    store = InMemoryEpisodicStore(HashingEmbedder())
    assistant = Assistant(store=store, llm=ScriptedChatModel(["  hi!\n\n"]))
    assert assistant.chat("alice", "hello").response == "hi!"
    assert assistant.store.interactions("alice")[0].assistant_text == "hi!"


def test_session_history_is_included_in_order_and_not_repeated_as_memories() -> None:
    assistant = _assistant(history_turns=3, min_similarity=-1.0, top_k=10)
    assistant.chat("alice", "my cat likes tuna", session_id="old")
    for text in ("my cat sleeps a lot", "my cat is grey", "my cat is ten", "my cat hates baths"):
        assistant.chat("alice", text, session_id="now")
    result = assistant.chat("alice", "tell me about my cat", session_id="now")

    sent = _llm(assistant).prompts[-1]
    assert sent[1].content.startswith(MEMORY_HEADING)  # the recalled memories
    assert [(m.role, m.content) for m in sent[2:]] == [
        ("user", "my cat is grey"),
        ("assistant", "You said: my cat is grey"),
        ("user", "my cat is ten"),
        ("assistant", "You said: my cat is ten"),
        ("user", "my cat hates baths"),
        ("assistant", "You said: my cat hates baths"),
        ("user", "tell me about my cat"),
    ]
    assert result.trace.history_turns == 3
    recalled = {e.interaction.user_text for e in result.trace.recalled}
    # everything not in the history can be recalled, nothing in it is
    assert recalled == {"my cat likes tuna", "my cat sleeps a lot"}
    for text in ("my cat is grey", "my cat is ten", "my cat hates baths"):
        assert text not in sent[1].content


def test_history_is_kept_in_order_even_when_turns_are_quicker_than_a_millisecond() -> None:
    assistant = _assistant(history_turns=5)
    for _ in range(20):
        assistant.store = InMemoryEpisodicStore(HashingEmbedder())
        for number in range(4):
            assistant.chat("alice", f"message number {number}", session_id="s")
        result = assistant.chat("alice", "last", session_id="s")
        users = [m["content"] for m in result.trace.prompt if m["role"] == "user"]
        assert users == [f"message number {n}" for n in range(4)] + ["last"]
    ids = [i.record_id() for i in assistant.store.interactions("alice")]
    assert len({id_millis(i) for i in ids}) == len(ids)  # each exchange has its own millisecond


def test_new_turns_sort_after_the_newest_record_even_if_the_clock_is_behind() -> None:
    assistant = _assistant()
    soon = datetime.now(UTC) + timedelta(seconds=5)
    earlier = Interaction(user_id="alice", session_id="s", timestamp=soon, user_text="earlier turn")
    assistant.store.add([earlier])
    assistant.chat("alice", "later turn", session_id="s")
    newest_first = [i.user_text for i in assistant.store.interactions("alice")]
    assert newest_first == ["later turn", "earlier turn"]


def test_no_history_when_history_turns_is_zero() -> None:
    assistant = _assistant(history_turns=0, top_k=0)
    assistant.chat("alice", "one", session_id="s")
    result = assistant.chat("alice", "two", session_id="s")
    assert result.trace.history_turns == 0
    assert [m.role for m in _llm(assistant).prompts[-1]] == ["system", "user"]


def test_min_similarity_leaves_out_unrelated_memories() -> None:
    strict = _assistant(min_similarity=0.3)
    strict.chat("alice", "my cat is called Miso", session_id="a")
    result = strict.chat("alice", "quantum chromodynamics lecture schedule", session_id="b")
    assert result.trace.recalled == []
    assert _llm(strict).prompts[-1][0].content == SYSTEM
    assert "Miso" not in str(result.trace.prompt)

    lenient = _assistant(min_similarity=-1.0)
    lenient.chat("alice", "my cat is called Miso", session_id="a")
    result = lenient.chat("alice", "quantum chromodynamics lecture schedule", session_id="b")
    assert [e.interaction.user_text for e in result.trace.recalled] == ["my cat is called Miso"]


def test_top_k_limits_the_memories() -> None:
    assistant = _assistant(top_k=2, min_similarity=-1.0, history_turns=0)
    for number in range(5):
        assistant.chat("alice", f"my cat fact {number}", session_id=f"s{number}")
    result = assistant.chat("alice", "my cat", session_id="new")
    assert len(result.trace.recalled) == 2
    assert result.trace.prompt[1]["content"].count(": the user said") == 2

    none = _assistant(top_k=0, min_similarity=-1.0)
    none.chat("alice", "my cat is called Miso", session_id="a")
    assert none.chat("alice", "my cat", session_id="b").trace.recalled == []


def test_memories_are_clipped_in_the_prompt() -> None:
    assistant = _assistant(max_memory_chars=30, min_similarity=-1.0)
    assistant.chat("alice", "my cat " + "purrs " * 50, session_id="a")
    result = assistant.chat("alice", "my cat", session_id="b")
    assert result.trace.recalled
    memory = result.trace.prompt[1]["content"]
    said = memory.split('the user said "', 1)[1].split('"', 1)[0]
    assert len(said) == 30 and said.endswith("…")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 101, "101 characters long; the limit is 100"),
        ("hello \ud800 world", "lone surrogates"),
    ],
)
def test_invalid_messages_are_refused_and_nothing_is_stored(text: str, reason: str) -> None:
    assistant = _assistant(max_message_chars=100)
    with pytest.raises(InvalidInputError, match=reason):
        assistant.chat("alice", text)
    assert assistant.store.users() == []
    assert _llm(assistant).prompts == []


def test_a_message_at_the_limit_is_accepted() -> None:
    assistant = _assistant(max_message_chars=100)
    assistant.chat("alice", "  " + "x" * 100 + "  ")
    assert assistant.store.interactions("alice")[0].user_text == "x" * 100


def test_an_empty_user_id_is_refused() -> None:
    assistant = _assistant()
    with pytest.raises(InvalidInputError, match="user id"):
        assistant.chat("  ", "hello")
    assert assistant.store.users() == []


def test_users_never_see_each_others_memories() -> None:
    assistant = _assistant(min_similarity=-1.0)
    assistant.chat("alice", "my cat is called Miso", session_id="s")
    result = assistant.chat("bob", "what is my cat called?", session_id="s")

    assert result.trace.recalled == []
    assert result.trace.history_turns == 0  # same session id, other user
    assert all("Miso" not in m.content for m in _llm(assistant).prompts[-1])
    assert [i.user_text for i in assistant.store.interactions("bob")] == ["what is my cat called?"]
    assert [i.user_text for i in assistant.store.interactions("alice")] == ["my cat is called Miso"]

    again = assistant.chat("alice", "what is my cat called?", session_id="other")
    assert [e.interaction.user_text for e in again.trace.recalled] == ["my cat is called Miso"]


def test_runtime_builds_the_assistant_from_the_configuration(tmp_path: Path) -> None:
    config = parse_config(
        {
            "data_dir": str(tmp_path / "data"),
            "embedder": {"backend": "hashing"},
            "llm": {"backend": "scripted"},
            "episodic": {"recall_mode": "similarity", "top_k": 7, "min_similarity": 0.1},
            "assistant": {
                "system_prompt": SYSTEM,
                "history_turns": 2,
                "max_message_chars": 50,
                "max_memory_chars": 40,
            },
        }
    )
    with Runtime(config) as runtime:
        assistant = runtime.assistant()
        assert (assistant.recall_mode, assistant.top_k, assistant.min_similarity) == ("similarity", 7, 0.1)
        limits = (assistant.history_turns, assistant.max_message_chars, assistant.max_memory_chars)
        assert limits == (2, 50, 40)
        assert assistant.system_prompt == SYSTEM
        assert assistant.llm.name == "scripted"
        first = assistant.chat("alice", "my cat is called Miso", session_id="a")
        second = assistant.chat("alice", "what is my cat called?", session_id="b")
        assert second.trace.recalled[0].id == first.interaction_id
        with pytest.raises(InvalidInputError):
            assistant.chat("alice", "x" * 51)
    assert (tmp_path / "data" / "episodic").is_dir()
