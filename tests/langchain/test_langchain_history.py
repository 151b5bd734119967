"""`PrefmemChatMessageHistory`: LangChain's chat history contract, kept in prefmem memory.

`langchain-tests` has no standard suite for chat histories; these tests check the
`BaseChatMessageHistory` contract (messages in order, add/clear, the async forms) and
what prefmem adds: persistence across instances, sessions and users kept apart, and
clear removing one session (with what consolidation drew only from it).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from _langchain_fixtures import START, open_memory
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from prefmem.langchain import PrefmemChatMessageHistory
from prefmem.memory.errors import InvalidInputError


def contents(history: PrefmemChatMessageHistory) -> list[tuple[str, str]]:
    return [(message.type, message.text) for message in history.messages]


def test_messages_come_back_in_order_as_human_and_ai(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        history = PrefmemChatMessageHistory(memory, "ana", "s1")
        assert history.messages == []
        history.add_user_message("Where is the nearest bakery?")
        history.add_ai_message("Two streets down.")
        history.add_messages(
            [
                SystemMessage("Be brief."),  # instructions, not conversation: not stored
                HumanMessage("Is it open on Sundays?"),
                AIMessage("Only in the morning."),
                HumanMessage("Thanks!"),
            ]
        )
        assert contents(history) == [
            ("human", "Where is the nearest bakery?"),
            ("ai", "Two streets down."),
            ("human", "Is it open on Sundays?"),
            ("ai", "Only in the morning."),
            ("human", "Thanks!"),
        ]
        turns = memory.conversation("ana", "s1")
        # a batch pairs each message with its reply; separate calls store the two halves apart
        assert [(t.user_text, t.assistant_text) for t in turns] == [
            ("Where is the nearest bakery?", ""),
            ("", "Two streets down."),
            ("Is it open on Sundays?", "Only in the morning."),
            ("Thanks!", ""),
        ]


def test_history_persists_across_instances_over_the_same_folder(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        PrefmemChatMessageHistory(memory, "ana", "s1").add_messages(
            [HumanMessage("Remind me to water the ferns"), AIMessage("I will.")]
        )
    with open_memory(tmp_path / "m") as reopened:
        history = PrefmemChatMessageHistory(reopened, "ana", "s1")
        assert contents(history) == [("human", "Remind me to water the ferns"), ("ai", "I will.")]
        history.add_messages([HumanMessage("And the cactus?"), AIMessage("Once a month.")])
        assert len(history.messages) == 4


def test_sessions_and_users_are_kept_apart(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        PrefmemChatMessageHistory(memory, "ana", "s1").add_messages([HumanMessage("ana in s1")])
        PrefmemChatMessageHistory(memory, "ana", "s2").add_messages([HumanMessage("ana in s2")])
        PrefmemChatMessageHistory(memory, "bob", "s1").add_messages([HumanMessage("bob in s1")])
        assert contents(PrefmemChatMessageHistory(memory, "ana", "s1")) == [("human", "ana in s1")]
        assert contents(PrefmemChatMessageHistory(memory, "ana", "s2")) == [("human", "ana in s2")]
        assert contents(PrefmemChatMessageHistory(memory, "bob", "s1")) == [("human", "bob in s1")]
        assert PrefmemChatMessageHistory(memory, "carol", "s1").messages == []


def test_clear_removes_that_session_only(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        kept = PrefmemChatMessageHistory(memory, "ana", "s2")
        kept.add_messages([HumanMessage("keep me"), AIMessage("kept")])
        PrefmemChatMessageHistory(memory, "bob", "s1").add_messages([HumanMessage("bob stays")])
        memory.feedback("ana", "Tea or coffee?", options=["tea", "coffee"], chosen=0)
        history = PrefmemChatMessageHistory(memory, "ana", "s1")
        history.add_messages([HumanMessage("forget me"), AIMessage("gone soon"), HumanMessage("me too")])
        history.clear()
        assert history.messages == []
        assert contents(kept) == [("human", "keep me"), ("ai", "kept")]
        assert contents(PrefmemChatMessageHistory(memory, "bob", "s1")) == [("human", "bob stays")]
        assert [u.feedback for u in memory.users() if u.user_id == "ana"] == [1]
        assert all("forget me" not in e.interaction.user_text for e in memory.recall("ana", "forget me"))
        history.clear()  # clearing an empty session is fine
        PrefmemChatMessageHistory(memory, "nobody", "s1").clear()
        history.add_user_message("a fresh start")
        assert contents(history) == [("human", "a fresh start")]


def test_clear_takes_away_preferences_drawn_only_from_that_session(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        for day in range(3):
            memory.add(
                "ana",
                "I really enjoy cooking spicy curries at home",
                timestamp=START + timedelta(days=day),
                session_id="kitchen",
            )
        memory.add(
            "ana", "What time is it in Lima?", timestamp=START + timedelta(days=4), session_id="travel"
        )
        memory.consolidate(force=True)
        assert [p.kind for p in memory.personalizing_preferences("ana")] == ["genuine"]
        PrefmemChatMessageHistory(memory, "ana", "kitchen").clear()
        assert memory.personalizing_preferences("ana") == []
        assert [t.user_text for t in memory.conversation("ana", "travel")] == ["What time is it in Lima?"]


def test_unstorable_messages_raise_and_store_nothing(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        history = PrefmemChatMessageHistory(memory, "ana", "s1")
        with pytest.raises(InvalidInputError, match="tool"):
            history.add_messages([HumanMessage("hi"), ToolMessage("42", tool_call_id="call-1")])
        with pytest.raises(InvalidInputError, match="empty"):
            history.add_messages([HumanMessage("hi"), AIMessage("hello"), AIMessage("")])
        assert history.messages == []
        with pytest.raises(InvalidInputError):
            PrefmemChatMessageHistory(memory, " ", "s1")


async def test_async_forms_read_and_write_the_same_memory(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        history = PrefmemChatMessageHistory(memory, "ana", "s1")
        await history.aadd_messages([HumanMessage("Any tips for sourdough?"), AIMessage("Feed the starter.")])
        assert [m.text for m in await history.aget_messages()] == [
            "Any tips for sourdough?",
            "Feed the starter.",
        ]
        await history.aclear()
        assert await history.aget_messages() == []
