"""ChatModel.stream: pieces that join into the reply, for every kind of chat model."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from prefmem.agent.llm.base import ChatMessage, ChatModel
from prefmem.agent.llm.langchain import LangChainChatModel
from prefmem.agent.llm.scripted import ScriptedChatModel

PROMPT = [ChatMessage("system", "Be brief."), ChatMessage("user", "Say something")]


def test_a_model_without_streaming_yields_its_whole_reply() -> None:
    class Whole(ChatModel):
        name = "whole"

        def generate(
            self,
            messages: Sequence[ChatMessage],
            *,
            n: int = 1,
            temperature: float | None = None,
            max_new_tokens: int | None = None,
        ) -> list[str]:
            return [f"reply at {temperature}"] * n

    assert list(Whole().stream(PROMPT, temperature=0.5)) == ["reply at 0.5"]


def test_the_scripted_model_streams_word_by_word() -> None:
    model = ScriptedChatModel(["The quick  brown fox."])
    pieces = list(model.stream(PROMPT))
    assert "".join(pieces) == "The quick  brown fox." and len(pieces) == 4
    assert model.prompts == [PROMPT]


def test_a_langchain_model_streams_as_the_provider_sends() -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage(content="hello there, streaming world")]))
    pieces = list(LangChainChatModel(fake).stream(PROMPT))
    assert len(pieces) > 1 and "".join(pieces) == "hello there, streaming world"
