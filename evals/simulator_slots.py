"""The simulator's slot generators: one function per kind of preference, and the truth it records.

Each generator draws from one user's seeded generator, adds that slot's events to the
user's days and appends its `TruthSlot`. `evals.simulator` plans the mix and assembles
sessions; the module docstring there explains the kinds and the `sim_` metadata.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from prefmem.evals.simulator_phrasing import (
    FILLERS,
    MOMENTARY_REPLIES,
    NEUTRAL_OPTION,
    STATEMENT_REPLIES,
    Item,
    Topic,
)

SlotKind = Literal["genuine", "non_attitude", "constructed", "tentative", "superseded", "momentary"]
SlotSource = Literal["statement", "answer", "choice"]

Body = dict[str, Any]  # an event without user, session and timestamp
Unit = list[Body]  # events that belong together: a user message and the reply to it


@dataclass(frozen=True)
class TruthSlot:
    """What one slot of one user really is.

    `stance`: for statements and choices the stance held (+1 or -1, the `pro` or `con` side
    of the topic; for choices the options are fresh replies, so an index would mean
    nothing); for answers the index of the held option in the item's canonical order.
    Genuine: the stable stance. Superseded: the NEW stance (`previous` holds the old one).
    Tentative and momentary: the stance stated. Non-attitude and constructed: None;
    constructed lists the option held under each condition in `by_condition`.
    """

    user_id: str
    slot_id: str
    kind: SlotKind
    source: SlotSource
    item_id: str | None
    topic: str
    stance: int | None
    previous: int | None = None
    by_condition: tuple[tuple[str, int], ...] = ()


class UserDraft:
    """Collects one user's events by day and truth slots, from one seeded generator."""

    def __init__(self, user_id: str, rng: random.Random, days: int, slips: float) -> None:
        self.user_id, self.rng, self.days, self.slips = user_id, rng, days, slips
        self.by_day: dict[int, list[Unit]] = defaultdict(list)
        self.truth: list[TruthSlot] = []

    def pick_days(self, count: int) -> list[int]:
        return sorted(self.rng.sample(range(self.days), min(count, self.days)))

    def add(self, day: int, unit: Unit) -> None:
        self.by_day[day].append(unit)

    def say(self, day: int, text: str, slot_id: str, value: int, *, momentary: bool = False) -> None:
        replies = MOMENTARY_REPLIES if momentary else STATEMENT_REPLIES
        meta = {"sim_slot": slot_id, "sim_value": value}
        user: Body = {"type": "message", "role": "user", "content": text, "metadata": meta}
        self.add(day, [user, {"type": "message", "role": "assistant", "content": self.rng.choice(replies)}])

    def dress(self, phrase: str) -> str:
        """Sometimes put a filler ("By the way, ...") in front of a first-person statement."""
        if phrase.startswith(("I ", "I'")) and self.rng.random() < 0.3:
            return self.rng.choice(FILLERS) + phrase
        return phrase

    def flips(self, count: int) -> list[bool]:
        """Which occurrences slip (state the opposite), each with probability `slips`, always a minority."""
        flips = [self.rng.random() < self.slips for _ in range(count)]
        allowed = (count - 1) // 2
        kept = 0
        for index, flip in enumerate(flips):
            if flip:
                flips[index] = kept < allowed
                kept += flips[index]
        return flips


def _stance_phrases(user: UserDraft, topic: Topic, values: list[int]) -> list[str]:
    """A different paraphrase for every occurrence, drawn per stance without replacement."""
    pools = {stance: user.rng.sample(topic.phrases(stance), len(topic.phrases(stance))) for stance in (1, -1)}
    used: Counter[int] = Counter()
    out = []
    for value in values:
        pool = pools[value]
        out.append(user.dress(pool[used[value] % len(pool)]))
        used[value] += 1
    return out


def _statements(user: UserDraft, slot_id: str, topic: Topic, days: list[int], values: list[int]) -> None:
    for day, value, text in zip(days, values, _stance_phrases(user, topic, values), strict=True):
        user.say(day, text, slot_id, value)


def condition_names(item: Item, family: str | None) -> tuple[str, str] | None:
    if family == "order":
        letters = "abc"[: len(item.options)]
        return f"order-{letters}", f"order-{letters[::-1]}"
    if family == "wording":
        return "wording-1", "wording-2"
    return None


def answer_body(item: Item, underlying: int, condition: str | None, slot_id: str) -> Body:
    """An answer event: a reversed-order condition reverses the options and the chosen index with them."""
    options, chosen, question = list(item.options), underlying, item.wordings[0]
    order = condition_names(item, "order")
    if order is not None and condition == order[1]:
        options.reverse()
        chosen = len(options) - 1 - underlying
    elif condition == "wording-2":
        question = item.wordings[1]
    body: Body = {"type": "answer"}
    if condition is not None:
        body["condition"] = condition
    body.update(item_id=item.item_id, question=question, options=options, chosen=chosen)
    body["metadata"] = {"sim_slot": slot_id, "sim_value": underlying}
    return body


def _mixed_conditions(user: UserDraft, names: tuple[str, str] | None, count: int) -> list[str | None]:
    """Conditions for `count` occasions: both framings present when there are framings at all."""
    if names is None:
        return [None] * count
    conditions: list[str | None] = [names[0], names[1]]
    conditions += [user.rng.choice(names) for _ in range(count - 2)]
    user.rng.shuffle(conditions)
    return conditions


def _family(user: UserDraft, *, framed: bool = False) -> str | None:
    choices: tuple[str | None, ...] = ("order", "wording") if framed else (None, "order", "wording")
    return user.rng.choice(choices)


def random_answer(rng: random.Random, item: Item) -> int:
    """A non-attitude's answer: any option, each as likely (an index in canonical order)."""
    return rng.randrange(len(item.options))


def _other(user: UserDraft, item: Item, option: int) -> int:
    return user.rng.choice([index for index in range(len(item.options)) if index != option])


def _slot(
    user: UserDraft,
    slot_id: str,
    kind: SlotKind,
    source: SlotSource,
    topic: str,
    *,
    item_id: str | None,
    stance: int | None,
    previous: int | None = None,
    by_condition: tuple[tuple[str, int], ...] = (),
) -> None:
    user.truth.append(
        TruthSlot(user.user_id, slot_id, kind, source, item_id, topic, stance, previous, by_condition)
    )


def genuine_statement(user: UserDraft, slot_id: str, topic: Topic) -> None:
    """A durable stance stated on 3-5 days in different words; a minority may slip."""
    stance = user.rng.choice((1, -1))
    days = user.pick_days(user.rng.randint(3, 5))
    values = [-stance if flip else stance for flip in user.flips(len(days))]
    _statements(user, slot_id, topic, days, values)
    _slot(user, slot_id, "genuine", "statement", topic.topic, item_id=None, stance=stance)


def genuine_answer(user: UserDraft, slot_id: str, item: Item) -> None:
    """The same option picked on 3-5 days, under mixed framings for some items; a minority may slip."""
    stance = user.rng.randrange(len(item.options))
    days = user.pick_days(user.rng.randint(3, 5))
    conditions = _mixed_conditions(user, condition_names(item, _family(user)), len(days))
    for day, condition, flip in zip(days, conditions, user.flips(len(days)), strict=True):
        chosen = _other(user, item, stance) if flip else stance
        user.add(day, [answer_body(item, chosen, condition, slot_id)])
    _slot(user, slot_id, "genuine", "answer", item.topic, item_id=item.item_id, stance=stance)


def genuine_choice(user: UserDraft, slot_id: str, topic: Topic) -> None:
    """A stance shown, never stated: choices between two replies and ratings of one, on 3-5 days."""
    rng = user.rng
    stance = rng.choice((1, -1))
    item_id = f"pick-{topic.topic}" if rng.random() < 0.5 else None
    neutral = rng.random() < 0.3
    question, pro_reply, con_reply = topic.choice
    meta = {"sim_slot": slot_id, "sim_value": stance}
    for day in user.pick_days(rng.randint(3, 5)):
        if rng.random() < 0.7:
            pairs = [(pro_reply, 1), (con_reply, -1)]
            if item_id is None:  # a fresh comparison: the order of the replies is arbitrary
                rng.shuffle(pairs)
            if neutral:
                pairs.append((NEUTRAL_OPTION, 0))
            body: Body = {"type": "choice", "prompt": question, "options": [text for text, _ in pairs]}
            body["chosen"] = [pole for _, pole in pairs].index(stance)
            if item_id is not None:
                body["item_id"] = item_id
        else:
            pole = rng.choice((1, -1))
            response = pro_reply if pole > 0 else con_reply
            body = {"type": "rating", "prompt": question, "response": response}
            body["value"] = 1 if pole == stance else -1
        body["metadata"] = dict(meta)
        user.add(day, [body])
    _slot(user, slot_id, "genuine", "choice", topic.topic, item_id=item_id, stance=stance)


def non_attitude(user: UserDraft, slot_id: str, item: Item) -> None:
    """An item asked on 4-6 days and answered uniformly at random.

    Nothing is redrawn: by chance the answers may agree, or follow the framing, as a
    real non-attitude's do now and then; telling those apart is the job under test.
    """
    rng = user.rng
    days = user.pick_days(rng.randint(4, 6))
    conditions = _mixed_conditions(user, condition_names(item, _family(user)), len(days))
    answers = [random_answer(rng, item) for _ in days]
    for day, condition, answer in zip(days, conditions, answers, strict=True):
        user.add(day, [answer_body(item, answer, condition, slot_id)])
    _slot(user, slot_id, "non_attitude", "answer", item.topic, item_id=item.item_id, stance=None)


def constructed(user: UserDraft, slot_id: str, item: Item) -> None:
    """2-3 answers under each of two framings: consistent within one, different across them.

    Under option order the user picks whatever is shown at one position (a primacy or
    recency effect), so the underlying option follows the order; under wording, each
    wording pulls towards its own option.
    """
    rng = user.rng
    family = _family(user, framed=True)
    names = condition_names(item, family)
    assert names is not None
    last = len(item.options) - 1
    if family == "order":
        shown = rng.choice((0, last))
        held = {names[0]: shown, names[1]: last - shown}
    else:
        first = rng.randrange(len(item.options))
        held = {names[0]: first, names[1]: _other(user, item, first)}
    conditions = [names[0]] * rng.randint(2, 3) + [names[1]] * rng.randint(2, 3)
    rng.shuffle(conditions)
    for day, condition in zip(user.pick_days(len(conditions)), conditions, strict=True):
        user.add(day, [answer_body(item, held[condition], condition, slot_id)])
    by_condition = tuple((name, held[name]) for name in names)
    _slot(
        user,
        slot_id,
        "constructed",
        "answer",
        item.topic,
        item_id=item.item_id,
        stance=None,
        by_condition=by_condition,
    )


def _runs(user: UserDraft) -> tuple[list[int], list[int]]:
    old, new = user.rng.randint(3, 4), user.rng.randint(3, 4)
    if old + new > user.days:
        old = new = 3
    days = user.pick_days(old + new)
    return days[:old], days[old:]


def superseded_statement(user: UserDraft, slot_id: str, topic: Topic) -> None:
    """A change of mind in words: one stance on 3-4 days, the opposite on 3-4 later days."""
    old = user.rng.choice((1, -1))
    before, after = _runs(user)
    values = [old] * len(before) + [-old] * len(after)
    _statements(user, slot_id, topic, before + after, values)
    _slot(user, slot_id, "superseded", "statement", topic.topic, item_id=None, stance=-old, previous=old)


def superseded_answer(user: UserDraft, slot_id: str, item: Item) -> None:
    """A change of mind on an item: one option on 3-4 days, another on 3-4 later days."""
    old = user.rng.randrange(len(item.options))
    new = _other(user, item, old)
    before, after = _runs(user)
    names = condition_names(item, _family(user))
    for day in before + after:
        condition = None if names is None else user.rng.choice(names)
        user.add(day, [answer_body(item, old if day in before else new, condition, slot_id)])
    _slot(user, slot_id, "superseded", "answer", item.topic, item_id=item.item_id, stance=new, previous=old)


def tentative(user: UserDraft, slot_id: str, topic: Topic) -> None:
    """A durable first-person declaration ("I'm vegetarian.") said exactly once."""
    stance = user.rng.choice((1, -1))
    text = user.dress(user.rng.choice(topic.declarations(stance)))
    user.say(user.pick_days(1)[0], text, slot_id, stance)
    _slot(user, slot_id, "tentative", "statement", topic.topic, item_id=None, stance=stance)


def momentary(user: UserDraft, slot_id: str, topic: Topic) -> None:
    """A request scoped to now ("this time, ..."), once, or twice in other words on another day."""
    rng = user.rng
    stance = rng.choice([value for value in (1, -1) if topic.momentary(value)])
    pool = topic.momentary(stance)
    count = 2 if len(pool) > 1 and rng.random() < 0.25 else 1
    for day, text in zip(user.pick_days(count), rng.sample(pool, count), strict=True):
        user.say(day, text, slot_id, stance, momentary=True)
    _slot(user, slot_id, "momentary", "statement", topic.topic, item_id=None, stance=stance)
