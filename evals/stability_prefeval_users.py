"""Users built from a PrefEval-layout folder, each holding one preference written by others.

Every multiple-choice item becomes one user who holds the item's preference and shows it
on different days, in PrefEval's own words:

- explicit: the explicit statement, answered by an acknowledgement;
- persona: the persona-driven conversation, the turn that mentions the preference among
  the conversation's other turns, all as ordinary messages;
- choice: the choice-based conversation, with the pick it makes as a `choice` event.

A repeated user shows all three forms, each on a day of its own, in a seeded order; a
once user (a seeded share of the items) shows one form only, so must stay tentative.
Distractor turns (unrelated chats) come around every shown form and on a few days of
small talk between. The records that carry the preference hold `sim_*` truth tags (the
user's slot and the form), which the evaluation strips before the stores.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from prefmem.evals.prefeval_data import MCQItem
from prefmem.evals.prefeval_forms import ACKNOWLEDGEMENT, FORMS, Form, PrefEvalCase
from prefmem.evals.simulator import TRUTH_PREFIX

START = datetime(2026, 1, 5, tzinfo=UTC)
#: Days the shown forms and the small talk between them are spread over.
SPAN_DAYS = 21
#: Share of users who show their preference once only.
ONCE_SHARE = 0.25
#: Distractor exchanges around a shown form, and on a day of small talk only.
AROUND = (1, 3)
SMALL_TALK_DAYS = (1, 3)

_WORD = re.compile(r"[a-z']{4,}")


@dataclass(frozen=True)
class HolderUser:
    """One user: the item whose preference they hold and the forms they show it in, in order."""

    user_id: str
    item: MCQItem
    forms: tuple[Form, ...]

    @property
    def slot_id(self) -> str:
        return f"{self.user_id}-pref"

    @property
    def once(self) -> bool:
        return len(self.forms) == 1


def plan_users(items: Sequence[MCQItem], *, seed: int, once_share: float = ONCE_SHARE) -> list[HolderUser]:
    """One user per item; a seeded share of them shows one form only (a seeded one)."""
    users = []
    for item in items:
        rng = random.Random(f"prefmem-prefeval-holder:{seed}:{item.topic}:{item.index}")
        forms = list(FORMS)
        rng.shuffle(forms)
        shown = tuple(forms[:1]) if rng.random() < once_share else tuple(forms)
        users.append(HolderUser(f"pe-{item.topic}-{item.index:03d}", item, shown))
    return users


def preference_turn(case: PrefEvalCase) -> int:
    """The index of the user turn of a conversation that shares most words with the preference."""
    wanted = set(_WORD.findall(case.item.preference.lower()))
    best, best_shared = 0, -1
    for index, (role, text) in enumerate(case.turns):
        if role != "user":
            continue
        shared = len(wanted & set(_WORD.findall(text.lower())))
        if shared > best_shared:
            best, best_shared = index, shared
    return best


class _Day:
    """Events of one user's day, at increasing times in one session."""

    def __init__(self, user_id: str, day: int, rng: random.Random) -> None:
        self.user_id, self.session = user_id, f"{user_id}-d{day + 1:02d}"
        self.clock = START + timedelta(days=day, hours=rng.randint(7, 12), minutes=rng.randint(0, 59))
        self.rng = rng
        self.events: list[dict[str, Any]] = []

    def _base(self, kind: str) -> dict[str, Any]:
        self.clock += timedelta(seconds=self.rng.randint(20, 240))
        stamp = self.clock.strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"type": kind, "user_id": self.user_id, "session_id": self.session, "timestamp": stamp}

    def say(self, role: str, content: str, truth: dict[str, Any] | None = None) -> None:
        event = self._base("message") | {"role": role, "content": content}
        if truth:
            event["metadata"] = dict(truth)
        self.events.append(event)

    def choose(self, prompt: str, options: Sequence[str], chosen: int, truth: dict[str, Any]) -> None:
        event = self._base("choice") | {"prompt": prompt, "options": list(options), "chosen": chosen}
        event["metadata"] = dict(truth)
        self.events.append(event)

    def chat(self, turns: Sequence[tuple[str, str]]) -> None:
        for said, reply in turns:
            self.say("user", said)
            self.say("assistant", reply)


def _show(day: _Day, case: PrefEvalCase, truth: dict[str, Any]) -> None:
    """One form of the preference as events; only the records that carry it hold the truth tags."""
    if case.form == "explicit":
        day.say("user", case.turns[0][1], truth)
        day.say("assistant", ACKNOWLEDGEMENT)
        return
    carrier = preference_turn(case) if case.form == "persona" else -1
    for index, (role, text) in enumerate(case.turns):
        # choice: the user's selection carries the preference, as does the pick itself
        carries = index == carrier or (case.form == "choice" and role == "user" and index > 0)
        day.say(role, text, truth if carries else None)
    if case.picked is not None:
        picked = case.picked
        day.choose(picked.prompt, picked.options, picked.chosen, truth)


def user_events(
    user: HolderUser,
    cases: dict[Form, PrefEvalCase],
    distractors: Sequence[tuple[str, str]],
    *,
    seed: int,
) -> list[dict[str, Any]]:
    """The user's log in time order: shown forms on distinct days, distractor turns around and between."""
    rng = random.Random(f"prefmem-prefeval-days:{seed}:{user.user_id}")
    extra = rng.randint(*SMALL_TALK_DAYS)
    days = sorted(rng.sample(range(SPAN_DAYS), len(user.forms) + extra))
    shown_days = sorted(rng.sample(days, len(user.forms)))
    by_day = dict(zip(shown_days, user.forms, strict=True))
    events: list[dict[str, Any]] = []
    for number in days:
        day = _Day(user.user_id, number, rng)
        pool = list(distractors)

        def some(low: int, high: int, pool: list[tuple[str, str]] = pool) -> list[tuple[str, str]]:
            return rng.sample(pool, min(len(pool), rng.randint(low, high)))

        form = by_day.get(number)
        if form is None:
            day.chat(some(*AROUND))
        else:
            day.chat(some(0, AROUND[1]))
            truth = {
                f"{TRUTH_PREFIX}slot": user.slot_id,
                f"{TRUTH_PREFIX}value": 1,
                f"{TRUTH_PREFIX}form": form,
            }
            _show(day, cases[form], truth)
            day.chat(some(0, AROUND[1]))
        events += day.events
    return events
