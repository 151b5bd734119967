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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prefmem.evals.simulator import Population, TruthSlot
from prefmem.evals.simulator_phrasing import ITEMS_BY_ID, TOPICS_BY_NAME, Item
from prefmem.evals.simulator_slots import answer_body, random_answer
from prefmem.memory.signals import TOPIC_QUESTION_OPTIONS, TOPIC_QUESTION_PREFIX


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


#: Repeated comparisons between two replies carry item ids with this prefix
#: (`simulator_slots.genuine_choice`).
CHOICE_ITEM_PREFIX = "pick-"


def _choice_again(population: Population, question: Question, rng: random.Random) -> dict[str, Any]:
    """A repeated comparison of the topic's two replies, picked as the holder's stance says (with slips)."""
    topic_name = question.item_id.removeprefix(CHOICE_ITEM_PREFIX)
    slot = next(
        (s for s in population.truth if s.user_id == question.user_id and s.item_id == question.item_id),
        None,
    )
    prompt, pro_reply, con_reply = TOPICS_BY_NAME[topic_name].choice
    stance = slot.stance if slot is not None and slot.stance in (1, -1) else rng.choice((1, -1))
    if rng.random() < population.slips:
        stance = -stance
    body: dict[str, Any] = {
        "type": "choice",
        "item_id": question.item_id,
        "prompt": prompt,
        "options": [pro_reply, con_reply],
        "chosen": 0 if stance == 1 else 1,
    }
    if question.condition is not None:
        body["condition"] = question.condition
    if slot is not None:
        body["metadata"] = {"sim_slot": slot.slot_id, "sim_value": stance}
    return body


#: For a question about a topic the user spoke of ("about:jazz"): the true slot it belongs
#: to, and +1 when "yes" means the slot's positive pole, -1 when it means the other end.
TopicTruth = Callable[[Question], tuple[TruthSlot | None, int]]


def _topic_again(
    population: Population, question: Question, topic_truth: TopicTruth, rng: random.Random
) -> dict[str, Any]:
    """A yes/no answer about a topic: as the holder's stance says (with slips), at random for no view."""
    slot, polarity = topic_truth(question)
    held = slot is not None and slot.kind in ("genuine", "superseded") and slot.stance in (1, -1)
    if held and slot is not None and slot.stance is not None:
        says = slot.stance if rng.random() >= population.slips else -slot.stance
    else:
        says = rng.choice((1, -1))
    yes = says * polarity > 0
    body: dict[str, Any] = {
        "type": "answer",
        "item_id": question.item_id,
        "question": f"Do you like {question.item_id.removeprefix(TOPIC_QUESTION_PREFIX)}, as a rule?",
        "options": list(TOPIC_QUESTION_OPTIONS),
        "chosen": 0 if yes else 1,
    }
    if slot is not None:
        body["metadata"] = {"sim_slot": slot.slot_id, "sim_value": says}
    return body


def answer_questions(
    population: Population,
    questions: Sequence[Question],
    *,
    seed: int = 0,
    topic_truth: TopicTruth | None = None,
) -> list[dict[str, Any]]:
    """The simulated users' answers to `questions`, as import-format events (one session per question).

    Questions about a topic the user spoke of need `topic_truth` to know what the user holds.
    """
    rng = random.Random(f"prefmem-reask:{seed}")
    events: list[dict[str, Any]] = []
    for number, question in enumerate(questions):
        if question.item_id.startswith(TOPIC_QUESTION_PREFIX):
            if topic_truth is None:
                raise ValueError(f"a question about a topic ({question.item_id!r}) needs topic_truth")
            body = _topic_again(population, question, topic_truth, rng)
        elif question.item_id.startswith(CHOICE_ITEM_PREFIX):
            body = _choice_again(population, question, rng)
        else:
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
            "type": body["type"],
            "user_id": question.user_id,
            "session_id": f"{question.user_id}-reask{number:04d}",
            "timestamp": question.asked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        event.update(body)
        events.append(event)
    return events
