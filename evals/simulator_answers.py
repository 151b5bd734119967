"""Simulated users answering an item asked again, each according to what its slot truly is.

A loop that re-asks undecided items (DESIGN: "a slot still undecided is re-asked under
another framing rather than guessed") needs users that answer the way their kind
predicts, not the way the consolidation job hopes:

- genuine (and the new side of a superseded slot): the held option, except for a slip
  (with the population's `slips` chance, another option);
- non-attitude: any option, each as likely;
- constructed: the option its framing pulls towards; under a framing it never met,
  nothing pulls, so any option;
- an item the user holds no slot on: any option (no opinion).

Answers are import-format events carrying the same `sim_` truth tags as the rest of the
population, so the stability evaluation links and strips them like any other.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prefmem.evals.simulator import Population, TruthSlot
from prefmem.evals.simulator_phrasing import ITEMS_BY_ID, Item
from prefmem.evals.simulator_slots import answer_body, random_answer


@dataclass(frozen=True)
class Question:
    """One item asked again of one user, under a framing (`condition`, None for none), at a moment."""

    user_id: str
    item_id: str
    condition: str | None
    asked_at: datetime


def answer_again(
    slot: TruthSlot | None, item: Item, condition: str | None, rng: random.Random, slips: float
) -> int:
    """The option (index in the item's canonical order) a user with this true slot picks now."""
    if slot is None or slot.kind == "non_attitude":
        return random_answer(rng, item)
    if slot.kind == "constructed":
        pulled = dict(slot.by_condition).get(condition or "")
        return random_answer(rng, item) if pulled is None else pulled
    if slot.kind in ("genuine", "superseded") and slot.stance is not None:
        if rng.random() < slips and len(item.options) > 1:
            return rng.choice([index for index in range(len(item.options)) if index != slot.stance])
        return slot.stance
    return random_answer(rng, item)


def _slot_on(population: Population, user_id: str, item_id: str) -> TruthSlot | None:
    for slot in population.truth:
        if slot.user_id == user_id and slot.item_id == item_id and slot.source == "answer":
            return slot
    return None


def answer_questions(
    population: Population, questions: Sequence[Question], *, seed: int = 0
) -> list[dict[str, Any]]:
    """The simulated users' answers to `questions`, as import-format events (one session per question)."""
    rng = random.Random(f"prefmem-reask:{seed}")
    events: list[dict[str, Any]] = []
    for number, question in enumerate(questions):
        item = ITEMS_BY_ID.get(question.item_id)
        if item is None:
            raise ValueError(f"no simulator item {question.item_id!r}")
        slot = _slot_on(population, question.user_id, question.item_id)
        chosen = answer_again(slot, item, question.condition, rng, population.slips)
        slot_id = slot.slot_id if slot is not None else f"{question.user_id}-unheld-{item.item_id}"
        body = answer_body(item, chosen, question.condition, slot_id)
        if slot is None:  # no truth slot to link to: the answer says nothing scored
            body.pop("metadata")
        event: dict[str, Any] = {
            "type": "answer",
            "user_id": question.user_id,
            "session_id": f"{question.user_id}-reask{number:04d}",
            "timestamp": question.asked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        event.update(body)
        events.append(event)
    return events
