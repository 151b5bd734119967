"""Public memory records: what an interaction, a piece of feedback and a recalled episode are.

These are pydantic models because they cross boundaries (files, the command line,
LLM tool descriptions); their field descriptions say what each field means.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RecordKind = Literal["interaction", "choice", "rating", "answer"]
FeedbackKind = Literal["choice", "rating", "answer"]


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Read a naive datetime as UTC and convert aware ones to UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user_id: str = Field(min_length=1, description="Whose memory this is; users never see each other's.")
    session_id: str = Field(default="default", min_length=1, description="The conversation it belongs to.")
    timestamp: datetime = Field(default_factory=utc_now, description="When it happened (UTC).")
    condition: str | None = Field(
        default=None, description="The framing under which it was measured (wording, option order...)."
    )
    metadata: dict[str, Any] = Field(default_factory=dict, description="Free-form extra fields.")

    @field_validator("timestamp")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        value = as_utc(value)
        if value.year < 1970:
            raise ValueError("timestamp must be in 1970 or later")
        return value

    def record_id(self) -> str:
        """A stable id: sortable by time, then a digest of the content.

        Storing the same record twice therefore keeps one copy, and listing ids in
        order lists records oldest first without reading them.
        """
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
        millis = int(self.timestamp.timestamp() * 1000)
        return f"{millis:015d}-{digest}"


class Interaction(_Record):
    """One logged exchange: what the user said and what the assistant answered."""

    user_text: str = Field(default="", description="What the user wrote.")
    assistant_text: str = Field(default="", description="What the assistant answered (may be empty).")

    def embedding_text(self) -> str:
        """The text recall matches on: the user's words, or the reply when the user said nothing."""
        return self.user_text or self.assistant_text


class Feedback(_Record):
    """A user's explicit reaction: a choice among options, a rating, or an elicitation answer.

    `choice`: the user picked `options[chosen]` after `prompt`. `rating`: the user rated
    `response` to `prompt` with `value` (+1 or -1). `answer`: the user answered question
    `item_id` (`prompt` holds its wording), which may be asked again on other occasions.
    """

    kind: FeedbackKind = Field(description="choice, rating or answer.")
    prompt: str = Field(default="", description="The prompt or question shown to the user.")
    options: list[str] = Field(default_factory=list, description="The options offered (choice, answer).")
    chosen: int | None = Field(default=None, description="Index into options of the one picked.")
    response: str | None = Field(default=None, description="The response that was rated (rating).")
    value: int | None = Field(default=None, description="+1 or -1 (rating).")
    item_id: str | None = Field(default=None, description="Identifies a question asked on several occasions.")

    def embedding_text(self) -> str:
        """The text recall matches on: the prompt and what the user preferred or rated."""
        if self.kind == "rating":
            verdict = "liked" if (self.value or 0) > 0 else "disliked"
            return f"{self.prompt}\n{verdict}: {self.response or ''}"
        picked = self.options[self.chosen] if self.chosen is not None else ""
        return f"{self.prompt}\nchose: {picked}"


class Episode(BaseModel):
    """A recalled record with how well it matched and why it was returned."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="The record's id in the episodic store.")
    interaction: Interaction
    score: float = Field(description="The recall score used for ranking (higher is better).")
    similarity: float | None = Field(default=None, description="Cosine similarity to the query, if any.")
    recency: float = Field(description="1.0 for the newest record, halving every configured half-life.")


class UserSummary(BaseModel):
    """How much memory is held for one user."""

    user_id: str
    interactions: int
    feedback: int
