"""Synthetic users whose preferences are known, for scoring the consolidation job.

`simulate` writes an event log in the import format (see docs/commands.md) for a population of
users, with the ground truth beside it: for every user, which slots are genuine
preferences, non-attitudes, framing-constructed answers, tentative one-off declarations,
changes of mind (superseded) and momentary requests. Each user, seeded independently
(user k is the same whatever the population size), has:

- 2-4 genuine slots (the first stated in words, the second answered to an elicitation
  item, the others either, or shown through choices and ratings), each on 3-5 days;
  statements use a different paraphrase every time, some negated ("I don't like long
  answers" for short ones); answers are sometimes framed by option order or wording; with
  probability `slips` (0.05 by default) an occurrence says otherwise (always a minority of them);
- 1-2 non-attitudes: an item asked on 4-6 days and answered uniformly at random, nothing
  redrawn: a non-attitude may well give the same answer every time, as one does by chance;
- 1 constructed preference: an item asked 2-3 times under each of two framings, the same
  option within a framing, another across them;
- 0-1 superseded slot (statement or item): 3-4 days of one stance, then 3-4 later days of
  another; the truth's `stance` is the NEW stance and `previous` the old one;
- 1 tentative declaration ("I'm vegetarian."), said exactly once;
- 1-2 momentary requests ("this time, ...", "I'm about to board, keep it short"), on 1-2
  days, each on a topic of its own; in the test part of the phrase bank some say they are
  one-off only through the situation they give.

Users speak from one part of the phrase bank (`bank`): `test` by default, written apart
from the `dev` part that reading rules may be tuned on (see `evals.simulator_phrasing`).

Slot topics are distinct within a user. There is one session per active day
("u0007-d12"), with the day's signals and some small talk at increasing times that day.

The truth link: every event that carries a signal has `metadata["sim_slot"]` (an opaque
slot id) and `metadata["sim_value"]` (what that event says, in `TruthSlot.stance` units,
slips included). Small talk and assistant replies carry no metadata. Keys starting with
`sim_` (`TRUTH_PREFIX`) are for scoring only: the stability evaluation takes them off
every record before the stores see it (`evals.stability.strip_truth`).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast, get_args

from prefmem.evals.simulator_phrasing import BANK_NAMES, Bank, BankName, Item, Topic, phrase_bank
from prefmem.evals.simulator_slots import (
    SlotKind,
    SlotSource,
    TruthSlot,
    Unit,
    UserDraft,
    constructed,
    genuine_answer,
    genuine_choice,
    genuine_statement,
    momentary,
    non_attitude,
    superseded_answer,
    superseded_statement,
    tentative,
)

__all__ = [
    "BANK_NAMES",
    "DEFAULT_BANK",
    "DEFAULT_SLIPS",
    "DEFAULT_START",
    "MIN_DAYS",
    "TRUTH_PREFIX",
    "Population",
    "SlotKind",
    "SlotSource",
    "TruthSlot",
    "read_truth",
    "simulate",
    "write_jsonl",
    "write_truth",
]

TRUTH_PREFIX = "sim_"
DEFAULT_SLIPS = 0.05  # genuine holders slip now and then, as people do
DEFAULT_BANK: BankName = "test"  # the part of the phrase bank no rule was tuned on
MIN_DAYS = 6  # a superseded slot needs 3 days of each stance
DEFAULT_START = datetime(2026, 1, 5, tzinfo=UTC)

_Job = Callable[[UserDraft, str], None]


@dataclass
class Population:
    """The simulated event log (import-format dicts sorted by timestamp) and its ground truth."""

    events: list[dict[str, Any]]
    truth: list[TruthSlot]
    #: How it was drawn: the chance of a slip, and the part of the phrase bank spoken from.
    slips: float = 0.0
    bank: str = DEFAULT_BANK

    def slots(self) -> dict[str, TruthSlot]:
        """The truth by slot id."""
        return {slot.slot_id: slot for slot in self.truth}


def _on_topic(make: Callable[[UserDraft, str, Topic], None], topic: Topic) -> _Job:
    return lambda user, slot_id: make(user, slot_id, topic)


def _on_item(make: Callable[[UserDraft, str, Item], None], item: Item) -> _Job:
    return lambda user, slot_id: make(user, slot_id, item)


def _plan(user: UserDraft, phrases: Bank) -> None:
    """Draw the user's mix of slots, give each a distinct topic and an opaque id, and generate them."""
    rng = user.rng
    genuine: list[SlotSource] = ["statement", "answer"]
    genuine += [rng.choice(("statement", "answer", "choice")) for _ in range(rng.randint(0, 2))]
    supersedes: list[SlotSource] = [rng.choice(("statement", "answer"))] if rng.random() < 0.5 else []
    on_items = [genuine_answer] * genuine.count("answer") + [superseded_answer] * supersedes.count("answer")
    on_items += [non_attitude] * rng.randint(1, 2) + [constructed]
    on_topics = [genuine_statement] * genuine.count("statement") + [genuine_choice] * genuine.count("choice")
    on_topics += [superseded_statement] * supersedes.count("statement")
    on_topics += [tentative] + [momentary] * rng.randint(1, 2)
    jobs = [
        _on_item(make, item)
        for make, item in zip(on_items, rng.sample(phrases.items, len(on_items)), strict=True)
    ]
    jobs += [
        _on_topic(make, topic)
        for make, topic in zip(on_topics, rng.sample(phrases.topics, len(on_topics)), strict=True)
    ]
    rng.shuffle(jobs)  # slot numbers say nothing about the kind
    for number, job in enumerate(jobs):
        job(user, f"{user.user_id}-s{number:02d}")


def _small_talk(user: UserDraft, phrases: Bank, count: int) -> list[Unit]:
    units = []
    for _ in range(count):
        said, reply = user.rng.choice(phrases.small_talk)
        units.append(
            [
                {"type": "message", "role": "user", "content": said},
                {"type": "message", "role": "assistant", "content": reply},
            ]
        )
    return units


def _sessions(
    user: UserDraft, phrases: Bank, order: int, day_starts: list[datetime], day_width: int
) -> list[tuple[str, int, int, dict[str, Any]]]:
    """One session per active day (plus a few days of small talk only), at increasing times that day."""
    rng = user.rng
    idle = [day for day in range(user.days) if day not in user.by_day]
    chatty = set(rng.sample(idle, min(len(idle), rng.randint(1, 3))))
    rows: list[tuple[str, int, int, dict[str, Any]]] = []
    for day in sorted(set(user.by_day) | chatty):
        draw = rng.random()
        talk = 0 if draw < 0.35 else 1 if draw < 0.8 else 2
        units = user.by_day.get(day, []) + _small_talk(user, phrases, max(talk, day in chatty))
        rng.shuffle(units)
        offsets: list[list[int]] = []
        clock = 0
        for unit in units:
            clock += rng.randint(60, 420)
            steps = [clock]
            for _ in unit[1:]:
                clock += rng.randint(8, 75)
                steps.append(clock)
            offsets.append(steps)
        latest = max(0, min(20 * 3600, 86_399 - clock))
        opening = rng.randint(min(7 * 3600, latest), latest)
        session_id = f"{user.user_id}-d{day + 1:0{day_width}d}"
        for unit, steps in zip(units, offsets, strict=True):
            for body, offset in zip(unit, steps, strict=True):
                moment = day_starts[day] + timedelta(seconds=opening + offset)
                event: dict[str, Any] = {
                    "type": body["type"],
                    "user_id": user.user_id,
                    "session_id": session_id,
                    "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
                event.update(body)
                rows.append((event["timestamp"], order, len(rows), event))
    return rows


def simulate(
    users: int,
    *,
    seed: int = 0,
    days: int = 30,
    slips: float = DEFAULT_SLIPS,
    start: datetime | None = None,
    bank: str = DEFAULT_BANK,
) -> Population:
    """Simulate `users` users over `days` days from `start` (midnight UTC of its date; default 2026-01-05).

    The same arguments give the same population; `slips` is the chance that one occurrence
    of a genuine preference says otherwise (a slip); `bank` the part of the phrase bank the
    users speak from (`dev`, `test` or `all`; see `evals.simulator_phrasing`).
    """
    if users < 0:
        raise ValueError(f"users must be 0 or more, not {users}")
    if days < MIN_DAYS:
        raise ValueError(f"days must be at least {MIN_DAYS} (a change of mind needs 3 days of each side)")
    if not 0.0 <= slips <= 1.0:
        raise ValueError(f"slips must be between 0 and 1, not {slips}")
    phrases = phrase_bank(bank)
    first = start or DEFAULT_START
    first = first.replace(tzinfo=UTC) if first.tzinfo is None else first.astimezone(UTC)
    first = first.replace(hour=0, minute=0, second=0, microsecond=0)
    day_starts = [first + timedelta(days=day) for day in range(days)]
    user_width, day_width = max(4, len(str(users - 1))), max(2, len(str(days)))
    rows: list[tuple[str, int, int, dict[str, Any]]] = []
    truth: list[TruthSlot] = []
    for order in range(users):
        user = UserDraft(
            f"u{order:0{user_width}d}", random.Random(f"prefmem-sim:{seed}:{order}"), days, slips
        )
        _plan(user, phrases)
        rows += _sessions(user, phrases, order, day_starts, day_width)
        truth += user.truth
    rows.sort(key=lambda row: row[:3])
    return Population(events=[row[3] for row in rows], truth=truth, slips=slips, bank=bank)


def write_jsonl(population: Population, path: str | Path) -> int:
    """Write the events as a JSON Lines log that `prefmem import` reads; returns the line count."""
    with Path(path).open("w", encoding="utf-8") as out:
        for event in population.events:
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
    return len(population.events)


def write_truth(population: Population, path: str | Path) -> int:
    """Write the ground truth as a JSON list of slots; returns the slot count."""
    slots = [asdict(slot) for slot in population.truth]
    Path(path).write_text(json.dumps(slots, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(slots)


def read_truth(path: str | Path) -> list[TruthSlot]:
    """Read a truth file written by `write_truth`."""
    slots = []
    for raw in json.loads(Path(path).read_text(encoding="utf-8")):
        if raw["kind"] not in get_args(SlotKind) or raw["source"] not in get_args(SlotSource):
            raise ValueError(f"slot {raw.get('slot_id')!r}: unknown kind or source")
        slots.append(
            TruthSlot(
                user_id=str(raw["user_id"]),
                slot_id=str(raw["slot_id"]),
                kind=cast(SlotKind, raw["kind"]),
                source=cast(SlotSource, raw["source"]),
                item_id=raw["item_id"],
                topic=str(raw["topic"]),
                stance=raw["stance"],
                previous=raw["previous"],
                by_condition=tuple((str(name), int(held)) for name, held in raw["by_condition"]),
            )
        )
    return slots
