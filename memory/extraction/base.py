"""The extractor interface, and the signals every extractor reads off feedback the same way.

Choices, ratings and answers say plainly what the user preferred, so they become
signals without interpretation; only free-text statements need an extractor.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Literal

from prefmem.memory.models import Feedback, Interaction
from prefmem.memory.signals import (
    AGAINST,
    FOR,
    TOPIC_QUESTION_OPTIONS,
    TOPIC_QUESTION_PREFIX,
    Scope,
    Signal,
    SignalSource,
)

OccasionUnit = Literal["day", "session"]


def normalise(text: str) -> str:
    """Lower case, single spaces, no surrounding punctuation: how topics and options are compared."""
    return re.sub(r"\s+", " ", text.lower()).strip(" .,!?;:\"'")


def occasion_of(record: Interaction | Feedback, unit: OccasionUnit) -> str:
    """The independent measurement a record belongs to: its day (UTC) or its session."""
    return f"{record.timestamp:%Y-%m-%d}" if unit == "day" else record.session_id


def feedback_signals(feedback: Feedback, *, unit: OccasionUnit = "day") -> list[Signal]:
    """The signal a choice, rating or answer carries (none for a choice with no valid pick)."""

    def signal(
        source: SignalSource,
        topic: str,
        value: str,
        text: str,
        *,
        options: tuple[str, ...] = (),
        passed_over: tuple[str, ...] = (),
    ) -> Signal:
        return Signal(
            user_id=feedback.user_id,
            source=source,
            topic=topic[:200],
            value=value,
            scope="durable",
            occasion=occasion_of(feedback, unit),
            timestamp=feedback.timestamp,
            evidence_id=feedback.record_id(),
            condition=feedback.condition,
            item_id=feedback.item_id if options else None,
            options=options,
            text=text,
            passed_over=passed_over,
        )

    if feedback.kind == "rating":
        value = FOR if (feedback.value or 0) > 0 else AGAINST
        response = feedback.response or feedback.prompt
        rated = normalise(response)
        return [signal("rating", rated, value, response)] if rated else []
    if feedback.chosen is None or not 0 <= feedback.chosen < len(feedback.options):
        return []
    if feedback.item_id is not None and feedback.item_id.startswith(TOPIC_QUESTION_PREFIX):
        # "Do you like jazz, as a rule?": an asked question about a topic users spoke of
        topic = feedback.item_id.removeprefix(TOPIC_QUESTION_PREFIX)
        said_yes = normalise(feedback.options[feedback.chosen]) == normalise(TOPIC_QUESTION_OPTIONS[0])
        answer = signal("answer", topic, FOR if said_yes else AGAINST, feedback.prompt)
        return [answer] if topic else []
    options = tuple(normalise(option) for option in feedback.options)
    picked, text = options[feedback.chosen], feedback.options[feedback.chosen]
    if feedback.item_id is not None:
        return [
            signal(feedback.kind, normalise(feedback.prompt), picked, text, options=tuple(sorted(options)))
        ]
    # A one-off choice with no question id: it says the user favoured what they picked
    # and, when it was one of two real options, disfavoured the other. Picking "no
    # preference" says nothing about either, and a neutral (or blank) option is never rejected.
    if not _names_a_thing(picked):
        return []
    others = [i for i, option in enumerate(options) if i != feedback.chosen and _names_a_thing(option)]
    passed_over = tuple(feedback.options[i] for i in others if options[i] != picked)
    signals = [signal("choice", picked, FOR, text, passed_over=passed_over)]
    if len(others) == 1 and options[others[0]] != picked:
        signals.append(signal("choice", options[others[0]], AGAINST, feedback.options[others[0]]))
    return signals


_NEUTRAL = re.compile(
    r"(?:(?:i have )?no (?:real )?preference|no difference|(?:i )?(?:don'?t|do not) (?:mind|care|know)|"
    r"(?:it )?(?:doesn'?t|does not) matter|either(?: one| is fine| way)?|neither(?: one)?|"
    r"both(?: are)?(?: (?:fine|good|equal|the same))?|(?:about )?the same|(?:i'?m )?not sure|"
    r"(?:i )?can'?t (?:decide|tell)|skip|pass|none(?: of (?:them|these|the above))?|"
    r"no opinion|indifferent|equal|tie)"
)


def _names_a_thing(option: str) -> bool:
    """A (normalised) option that is neither blank nor neutral: one a pick can be for or against."""
    return bool(option) and not is_neutral_option(option)


def is_neutral_option(option: str) -> bool:
    """Whether a (normalised) option declines to choose: "No preference", "Either is fine", "Not sure"."""
    return _NEUTRAL.fullmatch(option) is not None


def statement_signal(
    interaction: Interaction,
    topic: str,
    value: str,
    scope: Scope,
    text: str,
    *,
    unit: OccasionUnit,
    identity: bool = False,
) -> Signal:
    """A statement signal read from one of the user's messages (`identity`: who the user is, "I'm vegan")."""
    return Signal(
        user_id=interaction.user_id,
        source="statement",
        topic=topic,
        value=value,
        scope=scope,
        occasion=occasion_of(interaction, unit),
        timestamp=interaction.timestamp,
        evidence_id=interaction.record_id(),
        condition=interaction.condition,
        text=text,
        identity=identity,
    )


class SignalExtractor(ABC):
    """Reads preference statements out of what users wrote."""

    #: Recorded with each consolidation run, so a change of extractor reprocesses everything.
    name: str
    #: Whether the extractor names each topic the same way every time it recurs (a model
    #: told to reuse known topic names). Consolidation then does not join paraphrases by
    #: their sentences: several preferences read from one message share its text.
    names_topics_consistently: bool = False

    @abstractmethod
    def statements(self, interactions: Sequence[Interaction], *, unit: OccasionUnit = "day") -> list[Signal]:
        """Statement signals (durable or momentary) found in the users' messages."""

    def extract(
        self,
        interactions: Sequence[Interaction],
        feedback: Iterable[Feedback],
        *,
        unit: OccasionUnit = "day",
    ) -> list[Signal]:
        """Every signal in a user's records: statements from messages, plus feedback signals."""
        signals = self.statements(interactions, unit=unit)
        for item in feedback:
            signals.extend(feedback_signals(item, unit=unit))
        return signals
