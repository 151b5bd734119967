"""The event log: JSON Lines of messages, choices, ratings and answers.

Every line is validated before anything is stored, so a malformed file is rejected
whole with every bad line reported (unless the caller asks to skip them). Messages
become `Interaction`s (a user message and the assistant message that follows it in
the same session are paired); choices, ratings and answers become `Feedback`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from prefmem.memory.errors import EventLogError
from prefmem.memory.models import Feedback, Interaction, as_utc
from prefmem.memory.text_checks import control_character, id_problem


def _checked_id(value: str | None, info: ValidationInfo) -> str | None:
    """A field that names something (user, session, condition, item): no control characters or
    line breaks, at most MAX_ID_CHARS, and the user and session not blank."""
    if value is None or (not value and info.field_name not in ("user_id", "session_id")):
        return value
    problem = id_problem(value, what=str(info.field_name))
    if problem is not None:
        raise ValueError(problem)
    return value


def _checked_text(value: str) -> str:
    """A field of free text: no control characters but tabs and line breaks."""
    found = control_character(value)
    if found is not None:
        raise ValueError(f"holds a {found}")
    return value


class _EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = Field(min_length=1)
    session_id: str = Field(min_length=1)
    timestamp: datetime
    condition: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("user_id", "session_id", "condition", check_fields=False)
    @classmethod
    def _an_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _checked_id(value, info)

    @field_validator("timestamp")
    @classmethod
    def _not_before_1970(cls, value: datetime) -> datetime:
        # records refuse earlier timestamps (ids encode ms since the epoch): reject the line here
        if as_utc(value).year < 1970:
            raise ValueError("timestamp must be in 1970 or later")
        return value


class MessageEvent(_EventBase):
    type: Literal["message"]
    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)

    @field_validator("content")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked_text(value)


class _OptionsEvent(_EventBase):
    options: list[str] = Field(min_length=2)
    chosen: int

    @field_validator("options")
    @classmethod
    def _option_texts(cls, value: list[str]) -> list[str]:
        return [_checked_text(option) for option in value]

    @model_validator(mode="after")
    def _chosen_in_range(self) -> _OptionsEvent:
        if not 0 <= self.chosen < len(self.options):
            raise ValueError(f"chosen={self.chosen} is out of range for {len(self.options)} options")
        return self


class ChoiceEvent(_OptionsEvent):
    type: Literal["choice"]
    prompt: str
    item_id: str | None = None

    @field_validator("prompt")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked_text(value)

    @field_validator("item_id")
    @classmethod
    def _item(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _checked_id(value, info)


class RatingEvent(_EventBase):
    type: Literal["rating"]
    prompt: str
    response: str
    value: Literal[1, -1]

    @field_validator("prompt", "response")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked_text(value)


class AnswerEvent(_OptionsEvent):
    type: Literal["answer"]
    item_id: str = Field(min_length=1)
    question: str

    @field_validator("question")
    @classmethod
    def _text(cls, value: str) -> str:
        return _checked_text(value)

    @field_validator("item_id")
    @classmethod
    def _item(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _checked_id(value, info)


Event = Annotated[MessageEvent | ChoiceEvent | RatingEvent | AnswerEvent, Field(discriminator="type")]
_EVENT = TypeAdapter(Event)


@dataclass
class ParsedLog:
    """The valid events of a log, in file order, and the problems found on the other lines."""

    events: list[Event] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:3]:
        location = ".".join(str(part) for part in item["loc"]) or "event"
        parts.append(f"{location}: {item['msg']}")
    return "; ".join(parts)


def parse_event_line(text: str) -> Event:
    """Parse one JSON line into an event; raises ValueError with a readable reason."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(raw, dict):
        raise ValueError("an event must be a JSON object")
    if raw.get("type") not in {"message", "choice", "rating", "answer"}:
        raise ValueError(f"type must be message, choice, rating or answer, not {raw.get('type')!r}")
    try:
        return _EVENT.validate_python(raw)
    except ValidationError as error:
        raise ValueError(_describe(error)) from None


def parse_event_log(lines: Iterable[bytes], *, max_content_chars: int | None = None) -> ParsedLog:
    """Validate every line of a log given as raw bytes; blank lines are ignored.

    `max_content_chars` rejects messages longer than the configured limit, as chat does.
    """
    parsed = ParsedLog()
    for number, raw_line in enumerate(lines, start=1):
        try:
            text = raw_line.decode("utf-8")
        except UnicodeDecodeError as error:
            parsed.problems.append((number, f"not valid UTF-8 (byte {error.start})"))
            continue
        if not text.strip():
            continue
        try:
            event = parse_event_line(text)
        except ValueError as error:
            parsed.problems.append((number, str(error)))
            continue
        if (
            max_content_chars is not None
            and isinstance(event, MessageEvent)
            and len(event.content) > max_content_chars
        ):
            parsed.problems.append(
                (number, f"content is {len(event.content)} characters; the limit is {max_content_chars}")
            )
            continue
        parsed.events.append(event)
    return parsed


def load_event_log(
    lines: Iterable[bytes], *, source: str, skip_invalid: bool = False, max_content_chars: int | None = None
) -> list[Event]:
    """Parse a log; any invalid line rejects the whole log unless `skip_invalid`."""
    parsed = parse_event_log(lines, max_content_chars=max_content_chars)
    if parsed.problems and not skip_invalid:
        raise EventLogError(source, parsed.problems)
    return parsed.events


def _common(event: _EventBase) -> dict[str, Any]:
    return {
        "user_id": event.user_id,
        "session_id": event.session_id,
        "timestamp": as_utc(event.timestamp),
        "condition": event.condition,
        "metadata": event.metadata,
    }


def events_to_records(events: Iterable[Event]) -> Iterator[Interaction | Feedback]:
    """Turn events into records, pairing each user message with the assistant reply after it."""
    pending: dict[tuple[str, str], MessageEvent] = {}
    for event in events:
        if isinstance(event, MessageEvent):
            key = (event.user_id, event.session_id)
            if event.role == "user":
                unanswered = pending.pop(key, None)
                if unanswered is not None:
                    yield Interaction(**_common(unanswered), user_text=unanswered.content)
                pending[key] = event
            else:
                opener = pending.pop(key, None)
                if opener is None:
                    yield Interaction(**_common(event), assistant_text=event.content)
                else:
                    yield Interaction(
                        **_common(opener), user_text=opener.content, assistant_text=event.content
                    )
        elif isinstance(event, RatingEvent):
            yield Feedback(
                **_common(event),
                kind="rating",
                prompt=event.prompt,
                response=event.response,
                value=event.value,
            )
        elif isinstance(event, ChoiceEvent):
            yield Feedback(
                **_common(event),
                kind="choice",
                prompt=event.prompt,
                options=event.options,
                chosen=event.chosen,
                item_id=event.item_id,
            )
        else:
            yield Feedback(
                **_common(event),
                kind="answer",
                prompt=event.question,
                options=event.options,
                chosen=event.chosen,
                item_id=event.item_id,
            )
    for opener in pending.values():
        yield Interaction(**_common(opener), user_text=opener.content)
