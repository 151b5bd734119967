"""The offline statement extractor: preference statements read from a dependency parse.

Works with no model service: spaCy's small English pipeline and the VADER lexicon ship
in Python packages (`memory.extraction.reading` says how a clause is read). Each
message is parsed once per process and its readings cached by record id, so the
incremental consolidation job does not parse a user's history again on every run.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from prefmem.memory.extraction.base import OccasionUnit, SignalExtractor, statement_signal
from prefmem.memory.extraction.reading import Polarity, Reading, read_messages
from prefmem.memory.extraction.replies import reply_as_statement
from prefmem.memory.models import Interaction
from prefmem.memory.signals import Signal, opposite

__all__ = ["ParsedExtractor"]

#: Messages whose readings are kept in memory between runs.
CACHE_SIZE = 200_000


class ParsedExtractor(SignalExtractor):
    """Reads statements by grammar and sentiment lexicon, offline."""

    name = "parse-v2"

    def __init__(self, *, polarity: Polarity | None = None) -> None:
        """`polarity` decides the side of predicates no lexicon word decides ("X wears me out");
        without it such clauses give nothing."""
        self._polarity = polarity
        self._cache: OrderedDict[str, tuple[Reading, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def readings(self, interactions: Sequence[Interaction]) -> list[tuple[Reading, ...]]:
        """Each interaction's readings (cached by record id; new messages parsed in one batch)."""
        ids = [interaction.record_id() for interaction in interactions]
        with self._lock:
            missing = [
                (i, interaction)
                for i, (key, interaction) in enumerate(zip(ids, interactions, strict=True))
                if key not in self._cache
            ]
        texts = [interaction.user_text for _, interaction in missing]
        parsed = read_messages(texts, polarity=self._polarity) if missing else []
        with self._lock:
            for (i, _), readings in zip(missing, parsed, strict=True):
                self._cache[ids[i]] = tuple(readings)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return [self._cache[key] for key in ids]

    def reply_readings(self, replies: Sequence[tuple[Interaction, str]]) -> list[tuple[Reading, ...]]:
        """The readings of short replies, each rewritten with what it replied to (`replies`)."""
        keys = [f"{interaction.record_id()}\x00{statement}" for interaction, statement in replies]
        with self._lock:
            missing = [(key, statement) for key, (_, statement) in zip(keys, replies, strict=True)]
            missing = [(key, statement) for key, statement in missing if key not in self._cache]
        parsed = read_messages([s for _, s in missing], polarity=self._polarity) if missing else []
        with self._lock:
            for (key, _), readings in zip(missing, parsed, strict=True):
                self._cache[key] = tuple(readings)
            return [self._cache.get(key, ()) for key in keys]

    def statements(self, interactions: Sequence[Interaction], *, unit: OccasionUnit = "day") -> list[Signal]:
        said = [interaction for interaction in interactions if interaction.user_text.strip()]
        found = self.readings(said)
        # A reply that states nothing alone ("Rascal Flatts.") is read with what it replied to.
        asked = _what_each_replied_to(interactions)
        replies = [
            (interaction, statement)
            for interaction, readings in zip(said, found, strict=True)
            if not readings
            and (prompt := asked.get(interaction.record_id()))
            and (statement := reply_as_statement(prompt, interaction.user_text))
        ]
        from_replies = dict(
            zip((i.record_id() for i, _ in replies), self.reply_readings(replies), strict=True)
        )
        found = [
            readings or from_replies.get(interaction.record_id(), ())
            for interaction, readings in zip(said, found, strict=True)
        ]
        signals = []
        for interaction, readings in zip(said, found, strict=True):
            seen: set[str] = set()
            for reading in readings:
                if reading.topic in seen:
                    continue
                seen.add(reading.topic)
                signals.append(
                    statement_signal(
                        interaction,
                        reading.topic,
                        reading.stance,
                        reading.scope,
                        reading.clause,
                        unit=unit,
                        identity=reading.frame == "identity",
                    )
                )
                if reading.contrast is not None and reading.contrast not in seen:
                    seen.add(reading.contrast)
                    signals.append(
                        statement_signal(
                            interaction,
                            reading.contrast,
                            opposite(reading.stance),
                            reading.scope,
                            reading.clause,
                            unit=unit,
                        )
                    )
        return signals


def _what_each_replied_to(interactions: Sequence[Interaction]) -> dict[str, str]:
    """For each interaction, what the other side said just before it in the same session."""
    replied_to: dict[str, str] = {}
    previous: dict[str, Interaction] = {}
    for interaction in sorted(interactions, key=lambda record: record.timestamp):
        before = previous.get(interaction.session_id)
        if before is not None and before.assistant_text.strip():
            replied_to[interaction.record_id()] = before.assistant_text
        previous[interaction.session_id] = interaction
    return replied_to
