"""Statement extraction by any LangChain chat model, with structured output.

The model reads one user message at a time and returns the preferences it states:
the topic (named as the positive pole of its scale, so "I hate long answers" becomes
"short answers", for), the stance and the scope (durable, or momentary for one-off
requests). It is shown the topic names already found for the user and asked to reuse
one when a statement is about the same thing, which keeps paraphrases in one slot.
Models that support `with_structured_output` are called that way; others are asked
for JSON and their reply is parsed. A message the model cannot answer for is skipped
and counted, never fatal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from prefmem.memory.extraction.base import OccasionUnit, SignalExtractor, normalise, statement_signal
from prefmem.memory.models import Interaction
from prefmem.memory.signals import AGAINST, FOR, Signal
from prefmem.memory.structured_answers import StructuredAsker


class StatedPreference(BaseModel):
    """One preference stated in a message."""

    topic: str = Field(description="What it is about, named as the positive pole: 'short answers'.")
    stance: Literal["for", "against"] = Field(description="Whether the user is for or against the topic.")
    scope: Literal["durable", "momentary"] = Field(
        description="durable: a lasting preference; momentary: only for now, this time, this email..."
    )


class StatedPreferences(BaseModel):
    """Every preference a message states (an empty list when it states none)."""

    preferences: list[StatedPreference] = Field(default_factory=list)


INSTRUCTIONS = (
    "You read one message a user wrote to an assistant and list the preferences it states about "
    "the user's own tastes, habits or how they want answers. Ignore questions and requests that "
    "say nothing about a preference. Name each topic briefly as the positive pole of its scale "
    "(say 'short answers', against, for 'I hate long answers'). A request limited to now, this "
    "time, today or one task is momentary; anything else is durable. When a statement is about "
    "one of these known topics, reuse its name exactly: {known}."
)


class LLMExtractor(SignalExtractor):
    """Statement extraction by a chat model; `failures` counts messages it could not read."""

    name = "llm-v3"
    names_topics_consistently = True

    def __init__(self, chat_model: Any) -> None:
        self._asker = StructuredAsker(
            chat_model,
            StatedPreferences,
            json_hint='{"preferences": [{"topic", "stance", "scope"}]}',
            role="the extraction model",
        )
        self.failures = 0

    def _ask(self, text: str, known: Sequence[str]) -> StatedPreferences | None:
        system = INSTRUCTIONS.format(known=", ".join(f"'{t}'" for t in known) or "none yet")
        return self._asker.ask([("system", system), ("human", text)])

    def statements(self, interactions: Sequence[Interaction], *, unit: OccasionUnit = "day") -> list[Signal]:
        signals: list[Signal] = []
        known: list[str] = []
        for interaction in sorted(interactions, key=lambda i: i.timestamp):
            if not interaction.user_text.strip():
                continue
            stated = self._ask(interaction.user_text, known)
            if stated is None:
                self.failures += 1
                continue
            for item in stated.preferences:
                topic = normalise(item.topic)[:120]
                if not topic:
                    continue
                if topic not in known:
                    known.append(topic)
                value = FOR if item.stance == "for" else AGAINST
                signals.append(
                    statement_signal(interaction, topic, value, item.scope, interaction.user_text, unit=unit)
                )
        return signals
