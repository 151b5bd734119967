"""What an id and a text taken from outside may hold, and the event log refusing the rest."""

from __future__ import annotations

import json

import pytest

from prefmem.memory.events import parse_event_log
from prefmem.memory.text_checks import MAX_ID_CHARS, control_character, id_problem


def test_text_may_hold_tabs_and_line_breaks_but_no_other_control_character() -> None:
    assert control_character("two lines\nand\ta tab\r\n") is None
    assert control_character("bell\x07") == "control character U+0007 at position 4"
    assert control_character("\x1b[2J") is not None
    assert control_character("del\x7f") is not None and control_character("c1\x85") is not None
    assert control_character("a\nb", allow_line_breaks=False) == "control character U+000A at position 1"
    assert control_character("émoji ✓ and ‮ right-to-left") is None  # not control characters


def test_an_id_is_short_and_plain() -> None:
    assert id_problem("ana") is None
    assert id_problem("  ", what="user id") == "the user id is empty"
    assert id_problem("a" * (MAX_ID_CHARS + 1)) is not None
    assert (
        id_problem("ana\nbob", what="user id") == "the user id holds a control character U+000A at position 3"
    )


def _line(**fields: object) -> bytes:
    event = {
        "type": "message",
        "user_id": "ana",
        "session_id": "s",
        "timestamp": "2026-03-01T10:00:00Z",
        "role": "user",
        "content": "hello",
        **fields,
    }
    return json.dumps(event).encode()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"content": "hi\x00there"}, "content: Value error, holds a control character U+0000"),
        ({"user_id": "ana\x1b[2J"}, "user_id: Value error, the user_id holds a control character U+001B"),
        ({"session_id": "s" * 300}, "session_id: Value error, the session_id is 300 characters long"),
        (
            {"type": "rating", "prompt": "p\x07", "response": "r", "value": 1, "role": None, "content": None},
            "prompt: Value error, holds a control character U+0007",
        ),
    ],
)
def test_the_event_log_refuses_control_characters_and_long_ids(
    fields: dict[str, object], reason: str
) -> None:
    event = json.loads(_line(**fields))
    event = {key: value for key, value in event.items() if value is not None}
    parsed = parse_event_log([json.dumps(event).encode()])
    assert parsed.events == []
    [(number, problem)] = parsed.problems
    assert number == 1 and reason in problem


def test_deep_nesting_is_a_reason_not_a_crash() -> None:
    parsed = parse_event_log([b"[" * 100_000 + b"]" * 100_000])
    assert parsed.problems == [(1, "JSON nested too deeply")]


def test_a_multi_line_message_with_tabs_is_accepted() -> None:
    parsed = parse_event_log([_line(content="line one\n\tline two")])
    assert parsed.problems == [] and len(parsed.events) == 1
