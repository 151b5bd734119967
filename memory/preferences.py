"""Preferences: the consolidated record of one slot, as the semantic store keeps it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PreferenceKind = Literal["genuine", "tentative", "constructed", "non_attitude", "superseded"]
UserStatus = Literal["confirmed", "edited"]


class HistoryEntry(BaseModel):
    """One change to a preference: when, what it became, and why."""

    at: datetime
    kind: PreferenceKind
    value: str
    stability: float
    note: str = ""


class Support(BaseModel):
    """How much evidence stands behind a preference."""

    signals: int = Field(description="Observations in the slot.")
    occasions: int = Field(description="Independent occasions (days or sessions) they came from.")
    conditions: int = Field(description="Distinct framings they were measured under.")


class Preference(BaseModel):
    """A user's preference as consolidation understands it.

    Only `genuine` preferences are personalization targets; `tentative` ones are used
    at a reduced weight; `constructed`, `non_attitude` and `superseded` are kept for
    audit and never fed forward. A preference the user confirmed or edited is the
    user's word and consolidation never overrides it.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id: the same slot keeps its id across runs.")
    user_id: str
    slot: str = Field(description="What groups its signals: an item id or a topic.")
    statement: str = Field(description="Readable summary, e.g. 'Prefers short answers'.")
    kind: PreferenceKind
    value: str = Field(description="The side taken: '+'/'-' for a topic, the chosen option for a question.")
    topic: str
    item_id: str | None = Field(default=None, description="Set when the slot is a question asked repeatedly.")
    stability: float = Field(
        ge=0.0, le=1.0, description="Agreement above chance, discounted for few occasions."
    )
    support: Support
    first_seen: datetime
    last_seen: datetime
    evidence_ids: list[str] = Field(description="Ids of the episodic records it was drawn from.")
    reason: str = Field(default="", description="Why consolidation gave it this kind.")
    user_status: UserStatus | None = Field(default=None, description="confirmed or edited by the user.")
    history: list[HistoryEntry] = Field(default_factory=list)

    @property
    def fed_forward(self) -> bool:
        """Whether the assistant may use it (genuine or tentative, or anything the user stood by)."""
        return self.user_status is not None or self.kind in ("genuine", "tentative")
