"""Simulated users answer an item asked again according to what their slot truly is."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from prefmem.evals.simulator import TruthSlot, simulate
from prefmem.evals.simulator_answers import Question, answer_again, answer_questions
from prefmem.evals.simulator_phrasing import ITEMS_BY_ID
from prefmem.memory.events import parse_event_line

ITEM = ITEMS_BY_ID["t-films"]  # three options


def _slot(kind: str, stance: int | None = None, by_condition: tuple[tuple[str, int], ...] = ()) -> TruthSlot:
    return TruthSlot(
        "u0000", "u0000-s00", kind, "answer", ITEM.item_id, ITEM.topic, stance, None, by_condition
    )  # type: ignore[arg-type]


def _answers(slot: TruthSlot | None, condition: str | None, slips: float, n: int = 600) -> Counter[int]:
    rng = random.Random(7)
    return Counter(answer_again(slot, ITEM, condition, rng, slips) for _ in range(n))


def test_a_genuine_holder_keeps_its_option_except_for_slips() -> None:
    assert _answers(_slot("genuine", 2), "order-cba", 0.0) == Counter({2: 600})
    slipping = _answers(_slot("genuine", 2), None, 0.1)
    assert 0.85 < slipping[2] / 600 < 0.95 and slipping[0] > 0 and slipping[1] > 0
    assert _answers(_slot("superseded", 1), None, 0.0) == Counter({1: 600})


def test_a_non_attitude_and_an_unheld_item_answer_at_random() -> None:
    for slot in (_slot("non_attitude"), None):
        counts = _answers(slot, "wording-1", 0.0)
        assert set(counts) == {0, 1, 2} and all(150 < n < 250 for n in counts.values())


def test_a_constructed_preference_follows_the_framing() -> None:
    slot = _slot("constructed", by_condition=(("wording-1", 0), ("wording-2", 2)))
    assert _answers(slot, "wording-1", 0.3) == Counter({0: 600})
    assert _answers(slot, "wording-2", 0.3) == Counter({2: 600})
    assert len(_answers(slot, "order-abc", 0.0)) == 3  # a framing it never met: nothing pulls


def test_answers_are_import_events_linked_to_the_true_slot() -> None:
    population = simulate(5, seed=3, slips=0.0)
    held = [s for s in population.truth if s.kind == "genuine" and s.source == "answer"]
    assert held
    when = datetime(2026, 3, 1, 9, tzinfo=UTC)
    questions = [Question(s.user_id, str(s.item_id), None, when) for s in held]
    questions.append(Question("u0000", "t-seat", None, when))
    events = answer_questions(population, questions)
    assert len(events) == len(questions)
    for event, slot in zip(events, held, strict=False):
        parse_event_line(json.dumps(event))
        item = ITEMS_BY_ID[str(slot.item_id)]
        assert event["metadata"] == {"sim_slot": slot.slot_id, "sim_value": slot.stance}
        assert event["options"][event["chosen"]] == item.options[int(slot.stance or 0)]
    owns_seat = any(s.user_id == "u0000" and s.item_id == "t-seat" for s in population.truth)
    assert owns_seat or "metadata" not in events[-1]
    with pytest.raises(ValueError, match="no simulator item"):
        answer_questions(population, [Question("u0000", "nothing", None, when)])
