"""Slots: the signals that speak about the same thing for one user.

Repeated questions group by their item id. Everything else groups by meaning: a
topic joins the slot whose first topic it is most similar to (cosine at or above the
threshold), so paraphrases share a slot, opposite stances on one topic share a slot
(the stance is in the signal's value, not its topic) and unrelated topics stay apart.
Statement slots whose topics differ but whose sentences say the same thing ("short
answers" and "walls of text") are then joined by `memory.consolidation.paraphrases`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.consolidation.paraphrases import Phrasing, join_paraphrases
from prefmem.memory.signals import Signal

TopicVectors = Callable[[Sequence[str]], NDArray[np.float32]]


@dataclass
class Slot:
    """A slot's key (stable across runs for the same signals) and its signals in time order."""

    key: str
    topic: str
    item_id: str | None
    signals: list[Signal] = field(default_factory=list)
    #: For statement slots joined from several phrasings: per topic, +1 when it names the
    #: same end of the scale as `topic`, -1 the other end (its signals were turned round).
    ends: dict[str, int] = field(default_factory=dict)
    #: Topics whose end was guessed from topic embeddings, not read from words.
    ends_guessed: frozenset[str] = frozenset()
    #: Topics that took the end of a steady first phrasing they lean like, without words.
    ends_presumed: frozenset[str] = frozenset()


def group_signals(
    signals: Sequence[Signal],
    topic_vectors: TopicVectors,
    *,
    threshold: float,
    paraphrase_threshold: float | None = None,
    word_link_bonus: float = 0.0,
) -> list[Slot]:
    """Group one user's durable signals into slots (momentary signals are left out).

    With `paraphrase_threshold`, statement slots are then joined by the meaning of their
    whole sentences (`memory.consolidation.paraphrases`); `topic_vectors` embeds those too.
    `word_link_bonus` is added to the similarity of two phrasings whose topics words link.
    """
    durable = sorted((s for s in signals if s.scope == "durable"), key=lambda s: (s.timestamp, s.signal_id))
    slots: dict[str, Slot] = {}
    topic_slot: dict[str, str] = {}
    free_topics: list[str] = []
    for signal in durable:
        if signal.item_id is not None:
            key = f"item:{signal.item_id}"
            slots.setdefault(key, Slot(key, signal.topic, signal.item_id)).signals.append(signal)
        elif signal.topic not in topic_slot:
            topic_slot[signal.topic] = ""
            free_topics.append(signal.topic)
    if free_topics:
        vectors = topic_vectors(free_topics)
        opposed = _opposed_topics(durable)
        anchor_keys: list[str] = []
        anchor_of: dict[str, int] = {}  # topic -> index of its slot's anchor
        anchors = np.zeros((len(free_topics), vectors.shape[1]), dtype=np.float32)
        for topic, vector in zip(free_topics, vectors, strict=True):
            best_key = ""
            if anchor_keys:  # one matrix product per topic: fast even for thousands of slots
                scores = anchors[: len(anchor_keys)] @ vector
                for other in opposed.get(topic, ()):
                    if other in anchor_of:
                        scores[anchor_of[other]] = -np.inf
                best = int(np.argmax(scores))
                if float(scores[best]) >= threshold:
                    best_key = anchor_keys[best]
                    anchor_of[topic] = best
            if not best_key:
                best_key = f"topic:{topic}"
                anchors[len(anchor_keys)] = vector
                anchor_of[topic] = len(anchor_keys)
                anchor_keys.append(best_key)
                slots[best_key] = Slot(best_key, topic, None)
            topic_slot[topic] = best_key
        for signal in durable:
            if signal.item_id is None:
                slots[topic_slot[signal.topic]].signals.append(signal)
    if paraphrase_threshold is None:
        return list(slots.values())
    phrasings = [Phrasing(s.key, s.topic, s.signals) for s in slots.values() if s.item_id is None]
    joined = join_paraphrases(
        phrasings, topic_vectors, threshold=paraphrase_threshold, word_link_bonus=word_link_bonus
    )
    items = [slot for slot in slots.values() if slot.item_id is not None]
    return items + [
        Slot(j.first.key, j.first.topic, None, j.signals, j.ends, j.ends_guessed, j.ends_presumed)
        for j in joined
    ]


def _opposed_topics(signals: Sequence[Signal]) -> dict[str, set[str]]:
    """Topics one record took opposite sides on ("prose rather than fragments", a choice
    between two replies): however alike they sound, they are two ends, never one topic."""
    by_record: dict[str, list[Signal]] = {}
    for signal in signals:
        if signal.item_id is None:
            by_record.setdefault(signal.evidence_id, []).append(signal)
    opposed: dict[str, set[str]] = {}
    for together in by_record.values():
        for first in together:
            for second in together:
                if first.value != second.value and first.topic != second.topic:
                    opposed.setdefault(first.topic, set()).add(second.topic)
    return opposed
