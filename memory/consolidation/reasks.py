"""The re-ask queue: asked questions whose answers do not yet decide what the user holds.

A slot built from answers to one question (an item) whose current verdict falls short
of `promote_posterior` is undecided: a guess would either personalize to noise or
throw away a real preference, so the question is asked again instead, under another
framing than most of its answers came under (the other option order, where the
question was shown in one). Consolidation writes each user's queue beside their
preferences; `prefmem elicit` asks it first, the chat may weave one in, and an
evaluation can pose it to simulated users (`pending_reasks`, `reask_answer`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from prefmem.memory.consolidation.labeling import Verdict
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.consolidation.slots import Slot
from prefmem.memory.models import Feedback, utc_now
from prefmem.memory.signals import TOPIC_QUESTION_OPTIONS, TOPIC_QUESTION_PREFIX
from prefmem.memory.text_checks import MAX_ID_CHARS

_ORDER = re.compile(r"order-([a-z]+)")
#: The condition of a re-ask of a question only ever shown one way, options reversed.
REVERSED = "order-reversed"


class ReAsk(BaseModel):
    """One question to ask again: what to show, under which condition, and why."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    item_id: str
    prompt: str
    options: tuple[str, ...] = Field(description="The options in the order to show them.")
    condition: str | None = Field(description="The framing this showing counts as (not most answers').")
    answers: int = Field(description="Answers the question has had so far.")
    kind: str = Field(description="The slot's current kind.")
    posterior: float = Field(description="The posterior its current kind rests on.")


class Shown(BaseModel):
    """How a question was last shown under one condition: its wording and its options in order."""

    model_config = ConfigDict(frozen=True)

    prompt: str
    options: tuple[str, ...]


def topic_question_id(topic: str) -> str:
    """The item id asking whether the user likes a topic ("about:jazz"), cut at a word to fit an id."""
    room = MAX_ID_CHARS - len(TOPIC_QUESTION_PREFIX)
    if len(topic) > room:
        cut = topic[:room]
        topic = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return f"{TOPIC_QUESTION_PREFIX}{topic}"


def counterpart(condition: str | None) -> str | None:
    """The other option order of an order condition ("order-ab" -> "order-ba"); None for others."""
    if condition is None:
        return None
    match = _ORDER.fullmatch(condition)
    if match is None or condition == REVERSED:
        return None
    return f"order-{match.group(1)[::-1]}"


def next_condition(asked: Sequence[str | None]) -> str | None:
    """The condition to ask under next, given the conditions of the answers so far (in time order).

    Among the conditions asked and their other option orders, the one asked least; ties go
    to one other than the latest answer's, then by name. A question only ever shown one
    way, and not in a named order, is shown next with its options reversed (`REVERSED`).
    """
    counts = Counter(asked)
    candidates: set[str | None] = set(counts)
    candidates |= {other for c in counts if (other := counterpart(c)) is not None}
    latest = asked[-1] if asked else None
    if not candidates - {latest}:
        return REVERSED
    return min(candidates, key=lambda c: (counts.get(c, 0), c == latest, c or ""))


def showing(condition: str | None, shown: dict[str | None, Shown], latest: Shown) -> Shown:
    """How to show the question under `condition`: as last shown under it, or the other order reversed."""
    if condition in shown:
        return shown[condition]
    for seen, presentation in shown.items():
        if counterpart(seen) == condition:
            return Shown(prompt=presentation.prompt, options=tuple(reversed(presentation.options)))
    return Shown(prompt=latest.prompt, options=tuple(reversed(latest.options)))


def presentations(feedback: Sequence[Feedback]) -> dict[str, dict[str | None, Shown]]:
    """Per item, how it was last shown under each condition, from the user's answer events."""
    found: dict[str, dict[str | None, Shown]] = {}
    for event in sorted(feedback, key=lambda f: f.timestamp):
        if event.item_id is None or not event.options:
            continue
        shown = Shown(prompt=event.prompt, options=tuple(event.options))
        found.setdefault(event.item_id, {})[event.condition] = shown
    return found


class ReAskSource(Protocol):
    """Anything that holds users' re-ask queues (the semantic store does)."""

    def reasks(self, user_id: str) -> list[ReAsk]: ...


def pending_reasks(store: ReAskSource, user_id: str, *, limit: int | None = None) -> list[ReAsk]:
    """The re-asks to pose to a user now, from their consolidated state (fewest answers first)."""
    queued = store.reasks(user_id)
    return queued if limit is None else queued[:limit]


def reask_text(reask: ReAsk) -> str:
    """The re-ask as plain text to append to a reply: the question and its lettered options."""
    letters = "ABCDEFGH"
    options = "\n".join(f"{letter}: {option}" for letter, option in zip(letters, reask.options, strict=False))
    return f"One quick question, to get your preferences right: {reask.prompt}\n{options}"


def reask_answer(
    reask: ReAsk,
    chosen: int,
    *,
    session_id: str,
    timestamp: datetime | None = None,
    source: str = "reask",
) -> Feedback:
    """The `answer` event recording the answer to a re-ask (`chosen` indexes `reask.options`)."""
    if not 0 <= chosen < len(reask.options):
        raise ValueError(f"chosen must index the {len(reask.options)} options")
    return Feedback(
        user_id=reask.user_id,
        session_id=session_id,
        timestamp=timestamp or utc_now(),
        condition=reask.condition,
        kind="answer",
        prompt=reask.prompt,
        options=list(reask.options),
        chosen=chosen,
        item_id=reask.item_id,
        metadata={"source": source, "reask": True},
    )


def topic_reask(user_id: str, slot: Slot, current: Verdict, rules: ConsolidationRules) -> ReAsk | None:
    """A yes/no question about a statement slot not yet decided: said on one occasion only,
    or on several that disagree (tentative, or read as no view at all but short of
    certain): "Do you like jazz, as a rule?". A remark made once may be a passing one;
    the answers tell, weighed as answers (`labeling`: one volunteered occasion does not
    make a slot volunteered). `reask_said_once` turns the first case off."""
    said_once = current.occasions < rules.min_occasions
    if said_once and not rules.reask_said_once:
        return None
    short = current.posterior < rules.promote_posterior or said_once
    if current.kind not in ("tentative", "non_attitude") or not short:
        return None
    answers = sum(signal.source == "answer" for signal in slot.signals)
    if answers >= rules.reask_max_answers:
        return None
    return ReAsk(
        user_id=user_id,
        item_id=topic_question_id(slot.topic),
        prompt=f"Do you like {slot.topic}, as a rule?",
        options=TOPIC_QUESTION_OPTIONS,
        condition=None,
        answers=answers,
        kind=current.kind,
        posterior=current.posterior,
    )


def build_reasks(
    user_id: str,
    judged: Sequence[tuple[Slot, Sequence[Verdict]]],
    rules: ConsolidationRules,
    shown: dict[str, dict[str | None, Shown]] | None = None,
) -> list[ReAsk]:
    """The undecided asked questions of a user's judged slots, as re-asks (fewest answers first).

    `shown` (from `presentations`) gives the wording and option order each question was
    shown in; without it, the question's normalised text and options are used.
    """
    queue = []
    for slot, verdicts in judged:
        current = verdicts[-1]
        if slot.item_id is None:
            asked_about = topic_reask(user_id, slot, current, rules) if slot.signals else None
            if asked_about is not None:
                queue.append(asked_about)
            continue
        if not slot.signals:
            continue
        if current.kind != "tentative" and current.posterior >= rules.promote_posterior:
            continue
        answers = len(slot.signals)
        if answers >= rules.reask_max_answers:
            continue
        in_time = sorted(slot.signals, key=lambda s: s.timestamp)
        asked = [signal.condition for signal in in_time]
        condition = next_condition(asked)
        known = (shown or {}).get(slot.item_id, {})
        latest = known.get(asked[-1]) or Shown(prompt=slot.topic, options=in_time[-1].options)
        presentation = showing(condition, known, latest)
        queue.append(
            ReAsk(
                user_id=user_id,
                item_id=slot.item_id,
                prompt=presentation.prompt,
                options=presentation.options,
                condition=condition,
                answers=answers,
                kind=current.kind,
                posterior=current.posterior,
            )
        )
    queue.sort(key=lambda reask: (reask.answers, reask.item_id))
    return queue
