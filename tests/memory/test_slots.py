"""Slots: grouping one user's signals by item id, or by the meaning of their topics."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
import pytest
from _helpers import dated_signal
from numpy.typing import NDArray

from prefmem.memory.consolidation.slots import Slot, TopicVectors, group_signals
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.signals import AGAINST, FOR, Signal

if TYPE_CHECKING:
    from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
THRESHOLD = 0.7


def signal(
    topic: str,
    value: str = FOR,
    *,
    day: int = 0,
    minute: int = 0,
    item_id: str | None = None,
    scope: str = "durable",
    evidence: str | None = None,
) -> Signal:
    return dated_signal(
        T0,
        days=day,
        minutes=minute,
        source="answer" if item_id else "statement",
        topic=topic,
        value=value,
        scope=scope,
        evidence_id=evidence or f"{topic}-{day}-{minute}-{value}",
        item_id=item_id,
        options=("a", "b") if item_id else (),
    )


def hashing_vectors() -> tuple[list[list[str]], TopicVectors]:
    calls: list[list[str]] = []
    embedder = HashingEmbedder()

    def vectors(topics: Sequence[str]) -> NDArray[np.float32]:
        calls.append(list(topics))
        return embedder.embed_batch(topics)

    return calls, vectors


def grouping(slots: list[Slot]) -> dict[str, list[str]]:
    return {slot.key: sorted({s.topic for s in slot.signals}) for slot in slots}


def test_signals_with_an_item_id_group_by_item_whatever_their_wording() -> None:
    _, vectors = hashing_vectors()
    signals = [
        signal("which season do you like", "a", day=0, item_id="q1"),
        signal("what is your favourite season", "b", day=1, item_id="q1"),
        signal("which season do you like", "a", day=2, item_id="q2"),
    ]
    slots = group_signals(signals, vectors, threshold=THRESHOLD)
    by_key = {slot.key: slot for slot in slots}
    assert set(by_key) == {"item:q1", "item:q2"}
    assert [s.value for s in by_key["item:q1"].signals] == ["a", "b"]
    assert by_key["item:q1"].item_id == "q1"
    assert by_key["item:q1"].topic == "which season do you like"
    assert len(by_key["item:q2"].signals) == 1


def test_item_signals_are_not_embedded() -> None:
    calls, vectors = hashing_vectors()
    group_signals([signal("q", "a", item_id="q1")], vectors, threshold=THRESHOLD)
    assert calls == []


def test_overlapping_topics_share_a_slot_and_unrelated_ones_do_not() -> None:
    calls, vectors = hashing_vectors()
    signals = [
        signal("short answers", FOR, day=0),
        signal("very short answers", FOR, day=1),
        signal("short answers", AGAINST, day=2),
        signal("jazz music", FOR, day=3),
        signal("horror films", AGAINST, day=4),
    ]
    slots = group_signals(signals, vectors, threshold=THRESHOLD)
    assert grouping(slots) == {
        "topic:short answers": ["short answers", "very short answers"],
        "topic:jazz music": ["jazz music"],
        "topic:horror films": ["horror films"],
    }
    # opposite stances on one topic share its slot; each distinct topic is embedded once
    short = next(s for s in slots if s.key == "topic:short answers")
    assert [s.value for s in short.signals] == [FOR, FOR, AGAINST]
    assert sorted(t for call in calls for t in call) == sorted(
        ["short answers", "very short answers", "jazz music", "horror films"]
    )


def test_topics_one_record_took_opposite_sides_on_are_two_ends_however_alike() -> None:
    # a choice between two replies that read alike: for one, against the other
    _, vectors = hashing_vectors()
    signals = [
        signal("short answers", FOR, day=0, evidence="pick-1"),
        signal("very short answers", AGAINST, day=0, evidence="pick-1"),
        signal("very short answers", AGAINST, day=1),
        signal("short answers", FOR, day=2),
    ]
    slots = group_signals(signals, vectors, threshold=0.5)
    assert grouping(slots) == {
        "topic:short answers": ["short answers"],
        "topic:very short answers": ["very short answers"],
    }
    # joined as phrasings of one preference, the record puts them at opposite ends even
    # though their words ("short") would put them at the same one: one stance throughout
    [joined] = group_signals(signals, vectors, threshold=0.5, paraphrase_threshold=0.3)
    assert joined.ends == {"short answers": 1, "very short answers": -1}
    assert [s.value for s in joined.signals] == [FOR, FOR, FOR, FOR]
    assert not joined.ends_guessed


def test_the_threshold_decides() -> None:
    _, vectors = hashing_vectors()
    signals = [signal("short answers", day=0), signal("very short answers", day=1)]
    assert len(group_signals(signals, vectors, threshold=0.99)) == 2
    assert len(group_signals(signals, vectors, threshold=0.5)) == 1


def test_momentary_signals_are_left_out() -> None:
    _, vectors = hashing_vectors()
    signals = [
        signal("formal tone", day=0, scope="momentary"),
        signal("jazz music", day=0),
        signal("jazz music", day=1, scope="momentary"),
    ]
    slots = group_signals(signals, vectors, threshold=THRESHOLD)
    assert grouping(slots) == {"topic:jazz music": ["jazz music"]}
    assert [s.scope for s in slots[0].signals] == ["durable"]
    assert group_signals([signals[0]], vectors, threshold=THRESHOLD) == []


def test_slot_signals_are_in_time_order() -> None:
    _, vectors = hashing_vectors()
    signals = [signal("jazz", day=d) for d in (3, 0, 2, 1)]
    [slot] = group_signals(signals, vectors, threshold=THRESHOLD)
    assert [s.timestamp for s in slot.signals] == sorted(s.timestamp for s in signals)


def test_keys_and_members_do_not_depend_on_input_order() -> None:
    _, vectors = hashing_vectors()
    signals = [
        signal("short answers", day=0),
        signal("very short answers", day=1),
        signal("jazz music", day=1, minute=5),
        signal("jazz", day=2),
        signal("q", "a", day=0, item_id="q1"),
        signal("q", "b", day=3, item_id="q1"),
        signal("horror films", AGAINST, day=4),
    ]
    reference = group_signals(signals, vectors, threshold=THRESHOLD)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = signals[:]
        rng.shuffle(shuffled)
        again = group_signals(shuffled, vectors, threshold=THRESHOLD)
        assert sorted((s.key, [x.signal_id for x in s.signals]) for s in again) == sorted(
            (s.key, [x.signal_id for x in s.signals]) for s in reference
        )


def test_the_earliest_topic_names_the_slot() -> None:
    _, vectors = hashing_vectors()
    signals = [signal("very short answers", day=1), signal("short answers", day=0)]
    [slot] = group_signals(signals, vectors, threshold=THRESHOLD)
    assert (slot.key, slot.topic) == ("topic:short answers", "short answers")


@pytest.mark.slow
def test_paraphrases_share_a_slot_with_the_real_embedder(real_embedder: SentenceTransformerEmbedder) -> None:
    signals = [
        signal("short answers", day=0),
        signal("brief answers", day=1),
        signal("brief replies", day=2),
        signal("jazz music", day=3),
        signal("horror films", AGAINST, day=4),
        signal("horror movies", AGAINST, day=5),
    ]
    slots = group_signals(signals, real_embedder.embed_batch, threshold=THRESHOLD)
    assert grouping(slots) == {
        "topic:short answers": ["brief answers", "brief replies", "short answers"],
        "topic:jazz music": ["jazz music"],
        "topic:horror films": ["horror films", "horror movies"],
    }


@pytest.mark.slow
def test_looser_paraphrases_need_a_lower_threshold(real_embedder: SentenceTransformerEmbedder) -> None:
    # "concise replies" is about 0.57 from "short answers" with all-MiniLM-L6-v2: apart at the
    # default 0.7, together at 0.5, while "jazz music" (about 0.15) stays apart at both.
    signals = [
        signal("short answers", day=0),
        signal("brief answers", day=1),
        signal("concise replies", day=2),
        signal("jazz music", day=3),
    ]
    loose = group_signals(signals, real_embedder.embed_batch, threshold=0.5)
    assert grouping(loose) == {
        "topic:short answers": ["brief answers", "concise replies", "short answers"],
        "topic:jazz music": ["jazz music"],
    }
