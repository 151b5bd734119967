"""`PersonalizedChatModel`: memory into the prompt, best of N under the user's reward, remembered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _langchain_fixtures import fake_llm, fill, open_memory
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from pydantic import Field

from prefmem.agent.prompt import MEMORY_NOTE
from prefmem.langchain import PersonalizedChatModel
from prefmem.memory.errors import UsageError

PLAIN = "A plain green salad with lemon."
CURRY = "Cook a spicy curry at home tonight."
ASKED = "What should I make for dinner tonight?"


class RecordingChatModel(BaseChatModel):
    """Answers with the given replies in turn and records every prompt it was sent."""

    replies: list[str]
    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "recording"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.prompts.append(list(messages))
        text = self.replies[(len(self.prompts) - 1) % len(self.replies)]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def test_the_reply_is_the_top_ranked_candidate_and_is_remembered(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        model = PersonalizedChatModel(
            llm=fake_llm([PLAIN, CURRY]), memory=memory, user_id="ana", candidates=2
        )
        reply = model.invoke(ASKED)
        expected = memory.rerank("ana", ASKED, [PLAIN, CURRY])
        assert expected.best.text == CURRY  # ana's genuine preference decides, not the order
        assert reply.content == CURRY
        trace = reply.response_metadata["prefmem"]
        assert [c["text"] for c in trace["candidates"]] == [c.text for c in expected.candidates]
        assert trace["chosen"] == 1 and trace["preferences"] == expected.preferences
        assert trace["preference_statements"] == ["Likes cooking spicy curries at home"]
        assert (
            reply.usage_metadata is not None and reply.usage_metadata["output_tokens"] == 6 + 7
        )  # both drafts
        last = memory.conversation("ana", "default")[-1]
        assert (last.user_text, last.assistant_text) == (ASKED, CURRY)
        assert trace["interaction_id"] == last.record_id()


def test_memory_goes_as_quoted_data_into_the_prompt_of_every_candidate(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        recorder = RecordingChatModel(replies=[PLAIN, CURRY, PLAIN])
        model = PersonalizedChatModel(llm=recorder, memory=memory, user_id="ana", candidates=3)
        model.invoke(
            [SystemMessage("You are a cooking coach."), HumanMessage("Which spices for a curry paste?")]
        )
        assert len(recorder.prompts) == 3
        system = recorder.prompts[0][0]
        assert isinstance(system, SystemMessage)
        assert system.text == f"You are a cooking coach.\n\n{MEMORY_NOTE}"
        memory_message = recorder.prompts[0][1]
        assert isinstance(memory_message, HumanMessage)
        assert '- "Likes cooking spicy curries at home"' in memory_message.text
        assert 'the user said "Which spices go into a curry paste?"' in memory_message.text  # recalled
        assert "maps" not in memory_message.text  # nothing of bob's
        assert [m.text for m in recorder.prompts[0][2:]] == ["Which spices for a curry paste?"]
        # without a system message of its own, the configured prompt leads
        model.invoke("Anything new for lunch?")
        assert recorder.prompts[-1][0].text.startswith(memory.config.assistant.system_prompt)


def test_the_user_can_come_from_the_run_configuration_in_a_chain(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        model = PersonalizedChatModel(llm=fake_llm([PLAIN, CURRY]), memory=memory, candidates=2)
        with pytest.raises(UsageError, match="user_id"):
            model.invoke(ASKED)
        chain = ChatPromptTemplate.from_messages([("human", "{question}")]) | model
        reply = chain.invoke(
            {"question": ASKED}, config={"configurable": {"user_id": "ana", "session_id": "web"}}
        )
        assert reply.content == CURRY
        assert [t.assistant_text for t in memory.conversation("ana", "web")] == [CURRY]
        assert all(t.assistant_text != CURRY for t in memory.conversation("bob", "web"))


def test_remember_false_stores_nothing(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        before = memory.conversation("ana", "default")
        model = PersonalizedChatModel(llm=fake_llm([PLAIN]), memory=memory, user_id="ana", remember=False)
        assert model.invoke(ASKED).content == PLAIN
        assert memory.conversation("ana", "default") == before


def test_stream_and_async_answer_as_invoke_does(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        model = PersonalizedChatModel(
            llm=fake_llm([PLAIN, CURRY]), memory=memory, user_id="ana", candidates=2
        )
        chunks = list(model.stream(ASKED))
        assert len(chunks) > 1 and "".join(c.text for c in chunks) == CURRY
        assert chunks[-1].response_metadata["prefmem"]["chosen"] == 1
        assert [b.text for b in model.batch([ASKED, ASKED])] == [CURRY, CURRY]
        assert len(memory.conversation("ana", "default")) == 6 + 3


async def test_ainvoke_ranks_and_remembers(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        fill(memory)
        model = PersonalizedChatModel(
            llm=fake_llm([PLAIN, CURRY]), memory=memory, user_id="ana", candidates=2
        )
        reply = await model.ainvoke(ASKED, config={"configurable": {"session_id": "async"}})
        assert reply.content == CURRY
        assert [t.assistant_text for t in memory.conversation("ana", "async")] == [CURRY]
        chunks = [chunk async for chunk in model.astream(ASKED)]
        assert "".join(c.text for c in chunks) == CURRY


def test_tool_binding_is_refused_clearly(tmp_path: Path) -> None:
    with open_memory(tmp_path / "m") as memory:
        model = PersonalizedChatModel(llm=fake_llm([PLAIN]), memory=memory, user_id="ana")
        with pytest.raises(NotImplementedError):
            model.bind_tools([])
