"""Builders shared by the memory tests (records at fixed times, closing Chroma stores)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.models import Feedback, Interaction
from prefmem.memory.signals import Signal

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def at(days: float = 0.0, minutes: float = 0.0) -> datetime:
    """T0 shifted by days and minutes (negative is earlier)."""
    return T0 + timedelta(days=days, minutes=minutes)


def dated_signal(start: datetime, *, days: int = 0, minutes: int = 0, **fields: Any) -> Signal:
    """A durable signal from user "u" at `start` shifted by days and minutes; its occasion is that day.

    `fields` are the remaining Signal fields (topic, value, evidence_id, source, ...).
    """
    moment = start + timedelta(days=days, minutes=minutes)
    fields.setdefault("user_id", "u")
    fields.setdefault("source", "statement")
    fields.setdefault("scope", "durable")
    return Signal(occasion=f"{moment:%Y-%m-%d}", timestamp=moment, **fields)


def interaction(
    user: str, text: str, *, days: float = 0.0, minutes: float = 0.0, reply: str = "", session: str = "s1"
) -> Interaction:
    return Interaction(
        user_id=user, session_id=session, timestamp=at(days, minutes), user_text=text, assistant_text=reply
    )


def rating(
    user: str, prompt: str, response: str, value: int = 1, *, days: float = 0.0, minutes: float = 0.0
) -> Feedback:
    return Feedback(
        user_id=user,
        timestamp=at(days, minutes),
        kind="rating",
        prompt=prompt,
        response=response,
        value=value,
    )


def close_store(store: EpisodicStore) -> None:
    """Release a store's files and processes (no-op for stores that hold none)."""
    store.close()
