"""PRIME's question on our simulator: which memory lets the reward follow genuine preferences and not noise.

Simulated users (see `evals.simulator`) mix genuine preferences with non-attitudes,
framing-constructed answers, changes of mind and one-off requests. Their event log goes
through the public ingest path into a fresh data folder and is consolidated; then, per
memory condition (`evals.memory_conditions`), the reward picks between the replies of
each slot's question:

- following: for genuine statement and choice topics, the topic's choice question
  (`Topic.choice`: question, reply for stance +1, reply for stance -1); a hit picks the
  reply of the genuine stance. Genuine answer items (the item's question and options)
  and changes of mind stated in words (the new stance) are reported apart.
- momentary leak: for one-off requests, the topic's choice question; picking the reply
  of the one-off stance is a leak. The flip counts only leaks the no-memory reward did
  not already make, so what memory adds shows apart from the base's own lean.
- unstable flip: for non-attitudes and constructed answers, the item's question and
  options; a flip is a pick that differs from the no-memory pick.

Replies are shown in a seeded order. The truth (`sim_` metadata, `TruthSlot`) is read
only here, for scoring.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from prefmem.agent.config import Config
from prefmem.agent.rerank import Personalizer
from prefmem.evals.eval_runtime import fresh_runtime, ingest
from prefmem.evals.memory_conditions import MEMORY_CONDITIONS, MemoryCondition, MemoryView
from prefmem.evals.simulator import TruthSlot, simulate
from prefmem.evals.simulator_phrasing import ITEMS_BY_ID, TOPICS_BY_NAME
from prefmem.evals.stats import Tally
from prefmem.memory.errors import UsageError

Progress = Callable[[int, int], None]  # (steps done, steps in all)

FOLLOWING = (
    "following",
    "following-statement",
    "following-choice",
    "following-answer",
    "following-superseded",
)
MEASURES = (*FOLLOWING, "momentary-leak", "momentary-flip", "unstable-flip")


@dataclass(frozen=True)
class Probe:
    """One question asked of one user for one truth slot, with what the pick is scored against."""

    slot: TruthSlot
    question: str
    replies: tuple[str, ...]
    target: int | None  # the index of the reply the slot's stance favours (None: no side to take)

    @property
    def measures(self) -> tuple[str, ...]:
        """What a pick on this probe counts towards."""
        kind, source = self.slot.kind, self.slot.source
        if kind == "genuine":
            return ("following", f"following-{source}") if source != "answer" else ("following-answer",)
        if kind == "superseded":
            return ("following-superseded",)
        if kind == "momentary":
            return ("momentary-leak", "momentary-flip")
        return ("unstable-flip",)


def probe_for(slot: TruthSlot, *, seed: int) -> Probe | None:
    """The question a slot is tested with, replies in a seeded order; None for slots not tested."""
    rng = random.Random(f"{seed}:{slot.slot_id}")
    if slot.source == "answer" and slot.kind in ("genuine", "non_attitude", "constructed"):
        item = ITEMS_BY_ID[str(slot.item_id)]
        order = list(range(len(item.options)))
        rng.shuffle(order)
        target = order.index(slot.stance) if slot.kind == "genuine" and slot.stance is not None else None
        return Probe(slot, item.wordings[0], tuple(item.options[i] for i in order), target)
    stated_change = slot.kind == "superseded" and slot.source == "statement"
    if not (slot.kind in ("genuine", "momentary") or stated_change) or slot.stance is None:
        return None
    question, pro_reply, con_reply = TOPICS_BY_NAME[slot.topic].choice
    replies = [(pro_reply, 1), (con_reply, -1)]
    rng.shuffle(replies)
    target = [stance for _, stance in replies].index(1 if slot.stance > 0 else -1)
    return Probe(slot, question, tuple(text for text, _ in replies), target)


def _pick(personalizer: Personalizer, view: MemoryView, condition: MemoryCondition, probe: Probe) -> int:
    user_id = probe.slot.user_id
    preferences = view.preferences(condition, user_id, probe.question)
    ranking = personalizer.rank(user_id, probe.question, list(probe.replies), preferences=preferences)
    return ranking.best.index


def _score(tallies: dict[str, Tally], probe: Probe, pick: int, baseline: int) -> None:
    for measure in probe.measures:
        if measure == "momentary-leak":
            tallies[measure].add(pick == probe.target)
        elif measure == "momentary-flip":
            tallies[measure].add(pick == probe.target and baseline != probe.target)
        elif measure == "unstable-flip":
            tallies[measure].add(pick != baseline)
        else:
            tallies[measure].add(pick == probe.target)


def _rows(tallies: dict[MemoryCondition, dict[str, Tally]]) -> list[dict[str, Any]]:
    rows = []
    for condition, by_measure in tallies.items():
        for measure in MEASURES:
            summary = by_measure[measure].summary()
            baseline = tallies["none"][measure].rate
            lift = None
            if measure in FOLLOWING and summary["rate"] is not None and baseline is not None:
                lift = round(float(summary["rate"]) - baseline, 4) + 0.0  # no -0.0
            rows.append({"memory": condition, "measure": measure, **summary, "lift_over_none": lift})
    return rows


def run_recall_comparison(
    config: Config,
    users: int,
    *,
    seed: int = 0,
    slips: float = 0.0,
    memory: Sequence[MemoryCondition] = MEMORY_CONDITIONS,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Simulate, ingest, consolidate, then score every memory condition (see the module docstring)."""
    if config.reward.preference_scorer == "trained":
        raise UsageError(
            "reward.preference_scorer is trained, but the comparison runs in a fresh data folder "
            "with no trained scorer: use offline or auto"
        )
    started = time.perf_counter()
    population = simulate(users, seed=seed, slips=slips)
    probes = [probe for slot in population.truth if (probe := probe_for(slot, seed=seed)) is not None]
    # none is always run: it is the baseline every lift and flip is measured against
    conditions: list[MemoryCondition] = ["none", *(c for c in memory if c != "none")]
    total, done = users + len(probes) * len(conditions), 0

    def step(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    with fresh_runtime(config) as runtime:  # an embedded store in a temporary folder, never a server
        ingest(runtime, population.events)
        runtime.consolidation_job().run(progress=lambda _: step())
        personalizer = runtime.personalizer()
        view = MemoryView.of(runtime)
        tallies = {condition: {measure: Tally() for measure in MEASURES} for condition in conditions}
        for probe in probes:
            baseline = _pick(personalizer, view, "none", probe)
            _score(tallies["none"], probe, baseline, baseline)
            step()
            for condition in conditions[1:]:
                _score(tallies[condition], probe, _pick(personalizer, view, condition, probe), baseline)
                step()
        scorer_name = personalizer.scorer.preference_scorer.name
    return {
        "users": users,
        "seed": seed,
        "slips": slips,
        "slots": len(population.truth),
        "probes": len(probes),
        "preference_scorer": scorer_name,
        "memory": conditions,
        "rows": _rows(tallies),
        "seconds": round(time.perf_counter() - started, 1),
    }
