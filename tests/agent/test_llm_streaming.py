"""Streaming a reply: pieces reach the caller in order and, joined, are exactly the reply."""

from __future__ import annotations

from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.llm.streaming import TrimmedText


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


def test_a_model_that_cannot_stream_hands_over_the_whole_reply_once() -> None:
    model = ScriptedChatModel(["  Tea, then a walk.  "])
    received: list[str] = []
    reply = model.stream([ChatMessage("user", "Plans?")], received.append)
    assert received == ["Tea, then a walk."] == [reply]
