"""Posing a user's re-ask queue until it empties: for evaluations and scripted answerers.

Each round consolidates the user, poses every queued re-ask through `answer` (which
returns the index of the option picked, in the order the re-ask shows them), stores the
answers and consolidates again. Each round's answers are dated one day after the
user's latest record, so each re-ask is an occasion of its own (answers on one day
under one framing would count as a single vote).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.consolidation.reasks import ReAsk, pending_reasks, reask_answer


@dataclass
class ReaskRun:
    """What posing the queue took: questions per item and rounds."""

    rounds: int = 0
    questions: int = 0
    per_item: dict[str, int] = field(default_factory=dict)


def pose_reasks(
    job: ConsolidationJob, user_id: str, answer: Callable[[ReAsk], int], *, max_rounds: int = 20
) -> ReaskRun:
    """Ask the user's queued re-asks, round after round, until none is left or `max_rounds` pass."""
    run = ReaskRun()
    job.run([user_id])
    while run.rounds < max_rounds and (queue := pending_reasks(job.semantic, user_id)):
        records = [*job.episodic.interactions(user_id), *job.episodic.feedback(user_id)]
        day = max(record.timestamp for record in records) + timedelta(days=1)
        events = []
        for number, reask in enumerate(queue):
            when = day + timedelta(minutes=number)
            events.append(
                reask_answer(reask, answer(reask), session_id=f"reask-{day:%Y%m%d}", timestamp=when)
            )
            run.per_item[reask.item_id] = run.per_item.get(reask.item_id, 0) + 1
        job.episodic.add(events)
        run.questions += len(events)
        run.rounds += 1
        job.run([user_id])
    return run
