"""Why a preference has its kind: the preference with the records it was drawn from.

`prefmem preferences explain` prints it and `prefmem.Memory.explain` returns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.models import Feedback
from prefmem.memory.preferences import Preference


@dataclass(frozen=True)
class Evidence:
    """One record a preference was drawn from: a message, or a choice, rating or answer."""

    id: str
    type: str
    timestamp: datetime
    session_id: str
    condition: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "timestamp": self.timestamp.isoformat(),
            "session_id": self.session_id,
            "condition": self.condition,
            "text": self.text,
        }


@dataclass(frozen=True)
class Explanation:
    """A preference (its reason, support and history) and the records it was drawn from."""

    preference: Preference
    evidence: list[Evidence]

    def to_dict(self) -> dict[str, Any]:
        return {
            "preference": self.preference.model_dump(mode="json"),
            "evidence": [item.to_dict() for item in self.evidence],
        }


def feedback_text(given: Feedback) -> str:
    """What a piece of feedback said: the rating's verdict, or the pick (and, for a one-off
    choice, what it was picked over)."""
    if given.kind == "rating":
        verdict = "liked" if (given.value or 0) > 0 else "disliked"
        return f"{given.prompt} -> {verdict}: {given.response or ''}"
    if given.chosen is None or not 0 <= given.chosen < len(given.options):
        return f"{given.prompt} -> (no valid pick)"
    text = f"{given.prompt} -> {given.options[given.chosen]}"
    passed_over = [option for i, option in enumerate(given.options) if i != given.chosen]
    if given.kind == "choice" and given.item_id is None and passed_over:
        text += " (over: " + " | ".join(passed_over) + ")"
    return text


def explain_preference(store: EpisodicStore, preference: Preference) -> Explanation:
    """The preference with each record of its evidence that the episodic store still holds."""
    interactions = {i.record_id(): i for i in store.interactions(preference.user_id)}
    feedback = {f.record_id(): f for f in store.feedback(preference.user_id)}
    evidence = []
    for evidence_id in preference.evidence_ids:
        if evidence_id in interactions:
            turn = interactions[evidence_id]
            evidence.append(
                Evidence(
                    evidence_id, "message", turn.timestamp, turn.session_id, turn.condition, turn.user_text
                )
            )
        elif evidence_id in feedback:
            given = feedback[evidence_id]
            evidence.append(
                Evidence(
                    evidence_id,
                    given.kind,
                    given.timestamp,
                    given.session_id,
                    given.condition,
                    feedback_text(given),
                )
            )
    return Explanation(preference, evidence)
