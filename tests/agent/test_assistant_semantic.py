"""The assistant with semantic memory: which preferences reach the prompt, and periodic consolidation."""

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
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.models import Interaction
from prefmem.memory.preferences import Preference, PreferenceKind, Support
from prefmem.memory.semantic.store import SemanticStore

SYSTEM = "You are a test assistant."
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
TENTATIVE_NOTE = "(mentioned once, not yet confirmed)"


def pref(
    statement: str,
    kind: PreferenceKind,
    stability: float,
    *,
    user: str = "alice",
    user_status: str | None = None,
) -> Preference:
    return Preference(
        id=f"p-{statement.replace(' ', '-')}",
        user_id=user,
        slot=f"topic:{statement}",
        statement=statement,
        kind=kind,
        value="+",
        topic=statement,
        stability=stability,
        support=Support(signals=2, occasions=2, conditions=1),
        first_seen=T0,
        last_seen=T0,
        evidence_ids=["e1"],
        user_status=user_status,  # type: ignore[arg-type]
    )


PREFERENCES = [
    pref("Likes short answers", "genuine", 0.7),
    pref("Likes metric units", "genuine", 0.9),
    pref("Likes jazz", "tentative", 0.4),
    pref("No stable view on spicy food", "non_attitude", 0.0),
    pref("View on formal tone depends on how it is asked", "constructed", 0.6),
    pref("Likes coffee", "superseded", 0.8),
    pref("Likes dark mode", "genuine", 0.95, user="bob"),
]


def _assistant(memory: str, **settings: Any) -> Assistant:
    semantic = SemanticStore.in_memory()
    for user in ("alice", "bob"):
        semantic.save_user(user, [p for p in PREFERENCES if p.user_id == user], f"fp-{user}")
    store = InMemoryEpisodicStore(HashingEmbedder())
    store.add(
        [
            Interaction(
                user_id="alice",
                session_id="earlier",
                timestamp=T0 + timedelta(days=1),
                user_text="my cat is called Miso",
                assistant_text="Nice name",
            )
        ]
    )
    return Assistant(
        store=store,
        llm=ScriptedChatModel(),
        system_prompt=SYSTEM,
        memory=memory,  # type: ignore[arg-type]
        semantic=semantic,
        **settings,
    )


def _system(result: Any) -> str:
    """What memory put into the prompt: the memory message after the system message ("" without one)."""
    prompt = result.trace.prompt
    assert prompt[0]["role"] == "system"
    memory = str(prompt[1]["content"])
    return memory if prompt[1]["role"] == "user" and memory.startswith(MEMORY_HEADING) else ""


def test_semantic_memory_uses_preferences_and_no_episodes() -> None:
    assistant = _assistant("semantic")
    result = assistant.chat("alice", "what is my cat called?", session_id="now")
    system = _system(result)
    assert result.trace.recalled == []
    assert "Miso" not in system
    assert "What you know about this user's preferences:" in system
    assert '- "Likes metric units"\n- "Likes short answers"\n' in system  # genuine, most stable first
    assert f'- "Likes jazz" {TENTATIVE_NOTE}' in system
    assert result.trace.memory == "semantic"
    assert [p.statement for p in result.trace.preferences] == [
        "Likes metric units",
        "Likes short answers",
        "Likes jazz",
    ]


def test_episodic_memory_uses_no_preferences() -> None:
    assistant = _assistant("episodic")
    result = assistant.chat("alice", "what is my cat called?", session_id="now")
    system = _system(result)
    assert [e.interaction.user_text for e in result.trace.recalled] == ["my cat is called Miso"]
    assert "Miso" in system
    assert result.trace.preferences == []
    assert "preferences" not in system
    assert assistant.personal_preferences("alice") == []


def test_both_memories_together() -> None:
    assistant = _assistant("both")
    result = assistant.chat("alice", "what is my cat called?", session_id="now")
    system = _system(result)
    assert "Miso" in system
    assert '- "Likes short answers"' in system
    assert len(result.trace.recalled) == 1 and len(result.trace.preferences) == 3
    # preferences come before the recalled episodes
    assert system.index("Likes short answers") < system.index("Miso")


@pytest.mark.parametrize("memory", ["semantic", "both"])
def test_unstable_kinds_never_reach_the_prompt(memory: str) -> None:
    result = _assistant(memory).chat("alice", "hello there", session_id="now")
    system = _system(result)
    for left_out in ("spicy food", "formal tone", "coffee", "dark mode"):
        assert left_out not in system
    assert {p.kind for p in result.trace.preferences} == {"genuine", "tentative"}


def test_tentative_preferences_are_left_out_at_weight_zero() -> None:
    assistant = _assistant("semantic", tentative_weight=0.0)
    system = _system(assistant.chat("alice", "hello there", session_id="now"))
    assert "jazz" not in system
    assert TENTATIVE_NOTE not in system
    assert '- "Likes short answers"' in system


def test_the_users_own_word_is_used_whatever_its_kind() -> None:
    assistant = _assistant("semantic", tentative_weight=0.0)
    assert assistant.semantic is not None
    assistant.semantic.confirm("p-Likes-jazz")
    assistant.semantic.confirm("p-No-stable-view-on-spicy-food")
    statements = [p.statement for p in assistant.personal_preferences("alice")]
    assert "Likes jazz" in statements and "No stable view on spicy food" in statements
    assert "Likes coffee" not in statements


def test_no_semantic_store_means_no_preferences() -> None:
    assistant = Assistant(
        store=InMemoryEpisodicStore(HashingEmbedder()), llm=ScriptedChatModel(), memory="semantic"
    )
    result = assistant.chat("alice", "hello there")
    assert result.trace.preferences == []
    assert result.trace.prompt[0]["content"] == assistant.system_prompt


def test_a_user_without_preferences_gets_no_preference_block() -> None:
    result = _assistant("both").chat("carol", "hello there")
    assert "preferences" not in _system(result)


def test_consolidate_every_second_turn() -> None:
    calls: list[str] = []
    assistant = _assistant("episodic", consolidate=calls.append, consolidate_every=2)
    for turn in range(5):
        assistant.chat("alice", f"message {turn}")
        assert calls == ["alice"] * ((turn + 1) // 2)
    for turn in range(3):  # counted per user
        assistant.chat("bob", f"message {turn}")
    assert calls == ["alice", "alice", "bob"]


def test_consolidate_every_zero_never_calls() -> None:
    calls: list[str] = []
    assistant = _assistant("episodic", consolidate=calls.append, consolidate_every=0)
    for turn in range(4):
        assistant.chat("alice", f"message {turn}")
    assert calls == []


def test_chatting_then_consolidating_feeds_the_next_prompt(tmp_path: Path) -> None:
    config = parse_config(
        {
            "data_dir": str(tmp_path / "data"),
            "embedder": {"backend": "hashing"},
            "llm": {"backend": "scripted"},
            "assistant": {"memory": "semantic"},
            "consolidation": {"every_n_interactions": 2},
        }
    )
    with Runtime(config) as runtime:
        assistant = runtime.assistant()
        assert assistant.consolidate_every == 2
        assistant.chat("alice", "I prefer short answers")
        assert runtime.semantic.preferences("alice") == []  # not consolidated yet
        assistant.chat("alice", "tell me about rivers")
        [found] = runtime.semantic.preferences("alice")
        assert (found.statement, found.kind) == ("Likes short answers", "tentative")
        result = assistant.chat("alice", "and about lakes?")
        assert f'- "Likes short answers" {TENTATIVE_NOTE}' in _system(result)
