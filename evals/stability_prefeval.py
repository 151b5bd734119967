"""Consolidation on words nobody here wrote: PrefEval preferences shown on several days.

Users come from a PrefEval-layout folder (`evals.stability_prefeval_users`): each holds
one item's preference and shows it through its explicit statement, its persona-driven
conversation and its choice-based conversation on different days, or (a seeded share)
through one of them only. The log goes through the same path as `eval stability`: truth
tags stripped, records stored, the consolidation job run over every user.

- recall_genuine: share of repeated users who get a genuine preference linked to their
  preference's records whose statement, given to the preference scorer as the
  preference, picks the item's aligned option among its shuffled multiple-choice options
  (the highest score, not shared). `recall_genuine_unchecked` counts the kind only.
- false_promotion: share of once users who still got a genuine preference;
  `tentative_accuracy` the share whose preference was kept tentative.
- reading_rate: per form, the share of shown forms from which a durable signal was read.
- stance_check_reference: how often the scorer picks the aligned option given the
  PrefEval preference itself, the most the stance check can pass.

Topics the offline scorer was tuned on are left out by default, and named.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from prefmem.agent.reward.preference_terms.base import PreferenceScorer
from prefmem.agent.reward.preference_terms.offline import TUNING_TOPICS
from prefmem.evals.prefeval_data import MCQItem, list_topics, load_mcq, shuffled
from prefmem.evals.prefeval_forms import (
    FORMS,
    Form,
    PrefEvalCase,
    files_used,
    load_cases,
    load_distractor_turns,
)
from prefmem.evals.simulator import TRUTH_PREFIX
from prefmem.evals.stability import consolidate, event_records, strip_truth, user_slots
from prefmem.evals.stability_prefeval_users import ONCE_SHARE, HolderUser, plan_users, user_events
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.consolidation.slots import Slot
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.errors import InvalidInputError
from prefmem.memory.preferences import Preference
from prefmem.memory.semantic.store import SemanticStore

KINDS = ("genuine", "tentative", "constructed", "non_attitude", "superseded", "none")


def picks_aligned(scorer: PreferenceScorer, preference: str, item: MCQItem, *, seed: int) -> bool:
    """Whether the scorer, given `preference`, ranks the item's aligned option strictly first."""
    example = shuffled(item, seed=seed)
    scores = np.asarray(scorer.score(preference, example.prompt, list(example.responses)), dtype=float)
    best = scores[example.best]
    return bool(np.sum(scores >= best) == 1)


def _linked(preferences: list[Preference], records: set[str]) -> list[Preference]:
    """The user's preferences drawn from the records that carry the held preference, most of them first."""
    linked = [(len(records & set(p.evidence_ids)), p) for p in preferences]
    return [p for shared, p in sorted(linked, key=lambda pair: -pair[0]) if shared]


def _kind(linked: list[Preference]) -> Preference | None:
    """The preference that stands for the slot: a genuine one if any, else the most linked current one."""
    current = [p for p in linked if p.kind != "superseded"]
    genuine = [p for p in current if p.kind == "genuine"]
    chosen = genuine or current
    return chosen[0] if chosen else None


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def run_prefeval_stability(
    data: Path,
    *,
    embedder: Embedder,
    scorer: PreferenceScorer,
    rules: ConsolidationRules | None = None,
    seed: int = 0,
    limit: int | None = None,
    all_topics: bool = False,
    once_share: float = ONCE_SHARE,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build the users, consolidate them and score them (see the module docstring)."""
    started = time.perf_counter()
    rules = rules or ConsolidationRules()
    available = list_topics(data)
    tuned = [] if all_topics else sorted(set(available) & set(TUNING_TOPICS))
    topics = [topic for topic in available if topic not in tuned]
    if not topics:
        raise InvalidInputError(
            f"{data}: every topic ({', '.join(available)}) was used to tune the offline scorer; "
            "give a folder with other topics"
        )
    cases: dict[tuple[str, int], dict[Form, PrefEvalCase]] = {}
    for case in load_cases(data, FORMS, topics=topics, limit=limit):
        cases.setdefault((case.item.topic, case.item.index), {})[case.form] = case
    items = [item for item in load_mcq(data, topics) if (item.topic, item.index) in cases]
    distractors = load_distractor_turns(data)
    users = plan_users(items, seed=seed, once_share=once_share)
    events = [
        e
        for user in users
        for e in user_events(user, cases[(user.item.topic, user.item.index)], distractors, seed=seed)
    ]
    raw = event_records(events)
    records, links = strip_truth(raw)
    forms_of = {
        clean.record_id(): str(r.metadata[f"{TRUTH_PREFIX}form"])
        for r, clean in zip(raw, records, strict=True)
        if f"{TRUTH_PREFIX}form" in r.metadata
    }
    job, _ = consolidate(records, embedder, rules, progress=progress)
    slots = user_slots(job, records)
    report = _score(users, job.semantic, slots, links.slot, forms_of, scorer, seed=seed)
    report.update(
        {
            "data": str(data),
            "files_used": files_used(data, FORMS, topics, distractors=True),
            "topics": topics,
            "left_out_tuning_topics": tuned,
            "seed": seed,
            "limit": limit,
            "once_share": once_share,
            "events": len(events),
            "scorer": getattr(scorer, "name", type(scorer).__name__),
            "rules": dataclasses.asdict(rules),
            "seconds": round(time.perf_counter() - started, 1),
        }
    )
    return report


def _score(
    users: Sequence[HolderUser],
    semantic: SemanticStore,
    slots: dict[str, dict[str, Slot]],
    slot_of: dict[str, str],
    forms_of: dict[str, str],
    scorer: PreferenceScorer,
    *,
    seed: int,
) -> dict[str, Any]:
    carriers: dict[str, set[str]] = {}
    for record_id, slot_id in slot_of.items():
        carriers.setdefault(slot_id, set()).add(record_id)
    read: dict[str, set[str]] = {}  # slot id -> forms a durable signal was read from
    for per_user in slots.values():
        for slot in per_user.values():
            for signal in slot.signals:
                if signal.evidence_id in forms_of:
                    read.setdefault(slot_of[signal.evidence_id], set()).add(forms_of[signal.evidence_id])
    kinds = {"repeated": Counter[str](), "once": Counter[str]()}
    shown, was_read = Counter[str](), Counter[str]()
    checked = reference = 0
    for user in users:
        group = "once" if user.once else "repeated"
        linked = _linked(semantic.preferences(user.user_id), carriers.get(user.slot_id, set()))
        standing = _kind(linked)
        kind = standing.kind if standing is not None else "none"
        kinds[group][kind] += 1
        for form in user.forms:
            shown[form] += 1
            was_read[form] += form in read.get(user.slot_id, set())
        if not user.once:
            reference += picks_aligned(scorer, user.item.preference, user.item, seed=seed)
            if standing is not None and kind == "genuine":
                checked += picks_aligned(scorer, standing.statement, user.item, seed=seed)
    repeated, once = sum(kinds["repeated"].values()), sum(kinds["once"].values())
    return {
        "users": len(users),
        "users_repeated": repeated,
        "users_once": once,
        "recall_genuine": _rate(checked, repeated),
        "recall_genuine_unchecked": _rate(kinds["repeated"]["genuine"], repeated),
        "false_promotion": _rate(kinds["once"]["genuine"], once),
        "tentative_accuracy": _rate(kinds["once"]["tentative"], once),
        "stance_check_reference": _rate(reference, repeated),
        "reading_rate": {
            form: {"shown": shown[form], "read": _rate(was_read[form], shown[form])} for form in FORMS
        },
        "kinds": {group: {k: counts[k] for k in KINDS} for group, counts in kinds.items()},
    }
