"""Streaming a reply: pieces reach the caller in order and, joined, are exactly the reply."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from prefmem.agent.llm.base import ChatMessage, ChatModel
from prefmem.agent.llm.langchain import LangChainChatModel
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.llm.streaming import TrimmedText

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


def _relay(pieces: list[str]) -> tuple[TrimmedText, list[str]]:
    received: list[str] = []
    relay = TrimmedText(received.append)
    for piece in pieces:
        relay.put(piece)
    return relay, received


def test_leading_and_trailing_whitespace_never_reach_the_caller() -> None:
    relay, received = _relay(["  ", "\n", " Boil", " the", " kettle", ".", " ", "\n"])
    assert received == ["Boil", " the", " kettle", "."]
    assert "".join(received) == relay.text == "Boil the kettle."


def test_whitespace_inside_the_reply_is_handed_over_once_more_text_follows() -> None:
    relay, received = _relay(["First", " ", "\n\n", "second", "  "])
    assert received == ["First", " \n\nsecond"]
    assert relay.text == "First \n\nsecond"


def test_a_reply_of_whitespace_hands_over_nothing() -> None:
    relay, received = _relay([" ", "\n"])
    assert received == [] and relay.text == ""


def test_stream_to_hands_the_pieces_over_in_order_without_outer_whitespace() -> None:
    model = ScriptedChatModel(["  Tea, then a walk.  "])
    received: list[str] = []
    reply = model.stream_to([ChatMessage("user", "Plans?")], received.append)
    assert reply == "Tea, then a walk." == "".join(received) and len(received) > 1
