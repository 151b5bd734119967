"""The JSONL event log: validation with line numbers, and turning events into records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from prefmem.memory.errors import EventLogError
from prefmem.memory.events import (
    AnswerEvent,
    ChoiceEvent,
    MessageEvent,
    RatingEvent,
    events_to_records,
    load_event_log,
    parse_event_log,
)
from prefmem.memory.models import Feedback, Interaction

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _event(
    kind: str, *, minute: int = 0, user: str = "u1", session: str = "s1", **fields: Any
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": kind,
        "user_id": user,
        "session_id": session,
        "timestamp": (T0 + timedelta(minutes=minute)).isoformat(),
    }
    base.update(fields)
    return base


def message(role: str, content: str, **kw: Any) -> dict[str, Any]:
    return _event("message", role=role, content=content, **kw)


def choice(**kw: Any) -> dict[str, Any]:
    fields = {"prompt": "Which drink?", "options": ["tea", "coffee"], "chosen": 1}
    fields.update(kw.pop("fields", {}))
    return _event("choice", **fields, **kw)


def rating(**kw: Any) -> dict[str, Any]:
    fields = {"prompt": "Suggest a dinner", "response": "Steak frites", "value": -1}
    fields.update(kw.pop("fields", {}))
    return _event("rating", **fields, **kw)


def answer(**kw: Any) -> dict[str, Any]:
    fields = {
        "item_id": "q-spice",
        "question": "How spicy?",
        "options": ["mild", "medium", "hot"],
        "chosen": 2,
    }
    fields.update(kw.pop("fields", {}))
    return _event("answer", **fields, **kw)


def lines(*events: dict[str, Any] | str | bytes) -> list[bytes]:
    out = []
    for item in events:
        if isinstance(item, bytes):
            out.append(item)
        elif isinstance(item, str):
            out.append(item.encode("utf-8"))
        else:
            out.append(json.dumps(item).encode("utf-8") + b"\n")
    return out


def records_of(*events: dict[str, Any]) -> list[Interaction | Feedback]:
    return list(events_to_records(load_event_log(lines(*events), source="test")))


# -- validation ---------------------------------------------------------------------------


def test_valid_log_of_all_four_kinds() -> None:
    events = load_event_log(
        lines(
            message("user", "hi", minute=0),
            message("assistant", "hello", minute=1),
            choice(minute=2),
            rating(minute=3),
            answer(minute=4),
        ),
        source="log.jsonl",
    )
    assert [type(e) for e in events] == [MessageEvent, MessageEvent, ChoiceEvent, RatingEvent, AnswerEvent]
    records = list(events_to_records(events))
    assert len(records) == 4
    interaction, chose, rated, answered = records
    assert isinstance(interaction, Interaction)
    assert (interaction.user_text, interaction.assistant_text) == ("hi", "hello")
    assert isinstance(chose, Feedback) and chose.kind == "choice"
    assert chose.options == ["tea", "coffee"] and chose.chosen == 1 and chose.prompt == "Which drink?"
    assert "chose: coffee" in chose.embedding_text()
    assert isinstance(rated, Feedback) and rated.kind == "rating"
    assert rated.value == -1 and rated.response == "Steak frites"
    assert "disliked: Steak frites" in rated.embedding_text()
    assert isinstance(answered, Feedback) and answered.kind == "answer"
    assert answered.item_id == "q-spice" and answered.prompt == "How spicy?" and answered.chosen == 2
    assert "chose: hot" in answered.embedding_text()


def test_condition_and_metadata_are_carried_over() -> None:
    (record,) = records_of(choice(condition="reversed", metadata={"trial": 3}, fields={"item_id": "q1"}))
    assert isinstance(record, Feedback)
    assert record.condition == "reversed"
    assert record.metadata == {"trial": 3}
    assert record.item_id == "q1"


BAD_LINES: list[tuple[bytes, str]] = [
    (b'{"type": "message", "user_id": ', "not valid JSON"),
    (json.dumps(_event("poke")).encode(), "type must be message, choice, rating or answer"),
    (json.dumps({k: v for k, v in message("user", "hi").items() if k != "user_id"}).encode(), "user_id"),
    (json.dumps(choice(fields={"chosen": 2})).encode(), "out of range"),
    (json.dumps(choice(fields={"chosen": -1})).encode(), "out of range"),
    (json.dumps(choice(fields={"options": ["only"], "chosen": 0})).encode(), "options"),
    (json.dumps(answer(fields={"options": ["only"], "chosen": 0})).encode(), "options"),
    (json.dumps(rating(fields={"value": 0})).encode(), "value"),
    (b'{"type": "message", "content": "caf\xe9"}', "not valid UTF-8"),
    (b'["type", "message"]', "JSON object"),
    (b"42", "JSON object"),
    (json.dumps(message("user", "")).encode(), "content"),
    (json.dumps(message("system", "hi")).encode(), "role"),
    (json.dumps(message("user", "hi", extra_field=1)).encode(), "extra_field"),
    (json.dumps(rating(timestamp="1960-01-01T00:00:00")).encode(), "1970"),
    (json.dumps(rating(timestamp="1970-01-01T00:30:00+01:00")).encode(), "1970"),
    (json.dumps(rating(timestamp="yesterday")).encode(), "timestamp"),
]


@pytest.mark.parametrize(("raw", "reason"), BAD_LINES, ids=[reason for _, reason in BAD_LINES])
def test_each_bad_line_is_reported_with_its_reason(raw: bytes, reason: str) -> None:
    parsed = parse_event_log([json.dumps(message("user", "fine")).encode(), raw])
    assert len(parsed.events) == 1
    assert len(parsed.problems) == 1
    number, text = parsed.problems[0]
    assert number == 2
    assert reason in text


def test_every_bad_line_is_reported_with_its_line_number() -> None:
    log = lines(
        message("user", "good one", minute=0),  # 1
        b'{"broken json\n',  # 2
        _event("poke"),  # 3
        b"\n",  # 4 blank
        choice(fields={"chosen": 5}),  # 5
        rating(fields={"value": 0}),  # 6
        b"   \t  \n",  # 7 blank
        b'{"type": "rating", "prompt": "\xff\xfe"}\n',  # 8
        b"[1, 2]\n",  # 9
        answer(fields={"options": ["a"], "chosen": 0}),  # 10
        rating(minute=5),  # 11
    )
    with pytest.raises(EventLogError) as caught:
        load_event_log(log, source="bad.jsonl")
    error = caught.value
    assert [number for number, _ in error.problems] == [2, 3, 5, 6, 8, 9, 10]
    assert error.source == "bad.jsonl"
    message_text = str(error)
    assert "bad.jsonl" in message_text and "7 invalid line(s)" in message_text
    for number in (2, 3, 5, 6, 8, 9, 10):
        assert f"line {number}:" in message_text
    assert "line 1:" not in message_text and "line 11:" not in message_text


def test_missing_field_names_the_field() -> None:
    event = rating()
    del event["response"]
    parsed = parse_event_log(lines(event))
    assert parsed.events == []
    ((number, reason),) = parsed.problems
    assert number == 1 and "response" in reason


def test_blank_lines_are_ignored() -> None:
    log = [b"\n", b"", b"   \n", json.dumps(rating()).encode() + b"\r\n", b"\t\n"]
    parsed = parse_event_log(log)
    assert parsed.problems == []
    assert len(parsed.events) == 1 and isinstance(parsed.events[0], RatingEvent)


def test_skip_invalid_keeps_the_good_lines_in_order() -> None:
    log = lines(
        message("user", "first", minute=0), b"not json\n", rating(minute=1), _event("poke"), answer(minute=2)
    )
    with pytest.raises(EventLogError):
        load_event_log(log, source="x")
    events = load_event_log(log, source="x", skip_invalid=True)
    assert [type(e) for e in events] == [MessageEvent, RatingEvent, AnswerEvent]


def test_empty_log_is_valid_and_empty() -> None:
    assert load_event_log([], source="empty") == []


def test_file_lines_read_in_binary_mode(tmp_path: Any) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(
        b"".join(lines(message("user", "caf\u00e9 au lait"), message("assistant", "ok", minute=1)))
    )
    with path.open("rb") as handle:
        (interaction,) = list(events_to_records(load_event_log(handle, source=str(path))))
    assert isinstance(interaction, Interaction)
    assert interaction.user_text == "caf\u00e9 au lait"


# -- pairing messages into interactions -----------------------------------------------------


def test_user_message_paired_with_the_following_reply() -> None:
    (record,) = records_of(
        message("user", "I love hiking", minute=0), message("assistant", "Nice!", minute=1)
    )
    assert isinstance(record, Interaction)
    assert record.user_text == "I love hiking" and record.assistant_text == "Nice!"
    assert record.timestamp == T0  # the interaction happened when the user spoke
    assert record.embedding_text() == "I love hiking"


def test_lone_user_message_becomes_an_interaction_without_reply() -> None:
    (record,) = records_of(message("user", "anyone there?"))
    assert isinstance(record, Interaction)
    assert record.user_text == "anyone there?" and record.assistant_text == ""


def test_lone_assistant_message_becomes_an_interaction_without_user_text() -> None:
    (record,) = records_of(message("assistant", "Welcome back!"))
    assert isinstance(record, Interaction)
    assert record.user_text == "" and record.assistant_text == "Welcome back!"
    assert record.embedding_text() == "Welcome back!"


def test_two_user_messages_in_a_row_only_the_second_is_answered() -> None:
    records = records_of(
        message("user", "first question", minute=0),
        message("user", "second question", minute=1),
        message("assistant", "the answer", minute=2),
    )
    assert [(r.user_text, r.assistant_text) for r in records if isinstance(r, Interaction)] == [
        ("first question", ""),
        ("second question", "the answer"),
    ]


def test_interleaved_sessions_and_users_are_paired_separately() -> None:
    records = records_of(
        message("user", "A1 question", minute=0, session="a"),
        message("user", "B1 question", minute=1, session="b"),
        message("user", "other user question", minute=2, session="a", user="u2"),
        message("assistant", "B1 answer", minute=3, session="b"),
        message("assistant", "A1 answer", minute=4, session="a"),
        message("assistant", "other user answer", minute=5, session="a", user="u2"),
    )
    pairs = {
        (r.user_id, r.session_id): (r.user_text, r.assistant_text)
        for r in records
        if isinstance(r, Interaction)
    }
    assert len(records) == 3
    assert pairs == {
        ("u1", "a"): ("A1 question", "A1 answer"),
        ("u1", "b"): ("B1 question", "B1 answer"),
        ("u2", "a"): ("other user question", "other user answer"),
    }


def test_feedback_between_a_question_and_its_answer_does_not_break_pairing() -> None:
    records = records_of(
        message("user", "q", minute=0), rating(minute=1), message("assistant", "a", minute=2)
    )
    kinds = [type(r).__name__ for r in records]
    assert sorted(kinds) == ["Feedback", "Interaction"]
    (interaction,) = [r for r in records if isinstance(r, Interaction)]
    assert (interaction.user_text, interaction.assistant_text) == ("q", "a")


def test_naive_timestamps_are_read_as_utc() -> None:
    naive = message("user", "hello", timestamp="2024-05-01T12:00:00")
    (record,) = records_of(naive)
    assert record.timestamp == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert record.timestamp.utcoffset() == timedelta(0)


def test_offset_timestamps_are_converted_to_utc() -> None:
    (record,) = records_of(rating(timestamp="2024-05-01T14:00:00+02:00"))
    assert record.timestamp == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert record.timestamp.tzinfo is not None and record.timestamp.utcoffset() == timedelta(0)
    assert record.timestamp.tzinfo != timezone(timedelta(hours=2))


def test_max_content_chars_rejects_long_messages_only() -> None:
    log = lines(
        message("user", "x" * 10, minute=0),
        message("assistant", "y" * 11, minute=1),
        rating(fields={"response": "z" * 500}, minute=2),  # only message content is limited
    )
    parsed = parse_event_log(log, max_content_chars=10)
    assert [type(e) for e in parsed.events] == [MessageEvent, RatingEvent]
    ((number, reason),) = parsed.problems
    assert number == 2 and "11 characters" in reason and "10" in reason
    with pytest.raises(EventLogError):
        load_event_log(log, source="x", max_content_chars=10)
    assert len(load_event_log(log, source="x")) == 3
