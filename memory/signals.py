"""Signals: single observations about a user's preference, extracted from episodic records.

A signal says what the user leaned towards (`value`), where it came from (`source`),
whether it was meant to last (`scope`), and under which measurement it was taken
(`occasion`, `condition`), with a pointer back to the record it came from. Signals
are plain dataclasses: consolidation handles hundreds of thousands of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

SignalSource = Literal["statement", "choice", "rating", "answer"]
Scope = Literal["durable", "momentary"]

#: The value of a statement or rating signal: for or against its topic.
FOR = "+"
AGAINST = "-"


@dataclass(frozen=True)
class Signal:
    """One observation about a preference.

    `topic` is what the preference is about ("short answers", or a question's text);
    `value` is the side taken: FOR/AGAINST the topic for statements and ratings, the
    chosen option (normalised text) for answers and choices. Signals that share an
    `item_id` answer the same question asked on several occasions.
    """

    user_id: str
    source: SignalSource
    topic: str
    value: str
    scope: Scope
    occasion: str
    timestamp: datetime
    evidence_id: str
    condition: str | None = None
    item_id: str | None = None
    options: tuple[str, ...] = ()
    text: str = field(default="", compare=False)
    #: A statement of who the user is ("I'm vegetarian") rather than of a taste.
    identity: bool = field(default=False, compare=False)
    #: For the pick of a one-off choice: the options it was chosen over (their text).
    #: What the pick has that they lack places it on a scale stated in words.
    passed_over: tuple[str, ...] = field(default=(), compare=False)

    @property
    def signal_id(self) -> str:
        """Stable identity: the evidence record, and what in it was observed."""
        return f"{self.evidence_id}:{self.item_id or self.topic}:{self.value}"


#: Item ids of questions asked about a statement slot's topic ("about:jazz"): yes is for the
#: topic, no against it. Their answers join the statements, not a slot of their own.
TOPIC_QUESTION_PREFIX = "about:"
#: The options of such a question, yes first.
TOPIC_QUESTION_OPTIONS = ("Yes", "No")


def opposite(value: str) -> str:
    """The other side of a FOR/AGAINST value."""
    return AGAINST if value == FOR else FOR


def turned(signal: Signal) -> Signal:
    """The signal taking the other side: what it says of the other end of its scale."""
    return replace(signal, value=opposite(signal.value))
