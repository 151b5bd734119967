"""How well consolidation tells preference kinds apart, scored against the simulator's truth.

Each predicted preference is linked to a true slot through its evidence: the episodic
records it was drawn from carry the simulator's `sim_slot` tag (read here, for scoring
only; extraction and consolidation never see it). A true slot's predicted kind is the
kind of its current preference, or `superseded` when an earlier run of it was
superseded; `none` when nothing was kept for it. Momentary requests must produce no
preference that is fed forward (genuine or tentative).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from prefmem.evals.simulator import TRUTH_PREFIX, Population, simulate
from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.consolidation.labeling import judge_slot
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.events import events_to_records, parse_event_line
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.models import Feedback, Interaction
from prefmem.memory.semantic.store import SemanticStore
from prefmem.memory.signals import Signal, SignalSource

TRUE_KINDS = ("genuine", "tentative", "constructed", "non_attitude", "superseded", "momentary")
PREDICTED_KINDS = ("genuine", "tentative", "constructed", "non_attitude", "superseded", "none")


def _truth_links(records: list[Interaction | Feedback], field: str = "slot") -> dict[str, str]:
    """Record id -> the simulator's truth tag (`sim_slot`, or `sim_value`: what the record says)."""
    return {
        record.record_id(): str(record.metadata[f"{TRUTH_PREFIX}{field}"])
        for record in records
        if f"{TRUTH_PREFIX}{field}" in record.metadata
    }


def evaluate_stability(
    population: Population,
    embedder: Embedder,
    *,
    rules: ConsolidationRules | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Consolidate the population's event log and score every true slot's predicted kind."""
    rules = rules or ConsolidationRules()
    records = list(events_to_records(parse_event_line(json.dumps(e)) for e in population.events))
    links = _truth_links(records)
    said = _truth_links(records, "value")
    episodic = InMemoryEpisodicStore(HashingEmbedder(64))  # recall is not scored here: cheap vectors
    episodic.add(records)
    semantic = SemanticStore.in_memory()
    extractor = ParsedExtractor()
    job = ConsolidationJob(episodic, semantic, extractor, embedder, rules=rules)
    job.run(progress=progress)

    predicted: dict[str, str] = {}
    held: dict[str, str] = {}  # for slots predicted genuine: the side its evidence mostly says
    superseded: set[str] = set()
    for user_id in semantic.users():
        for preference in semantic.preferences(user_id):
            tags = Counter(links[e] for e in preference.evidence_ids if e in links)
            if not tags:
                continue
            slot_id = tags.most_common(1)[0][0]
            if preference.kind == "superseded":
                superseded.add(slot_id)
            elif slot_id not in predicted or preference.kind == "genuine":
                predicted[slot_id] = preference.kind
                sides = Counter(
                    said[e] for e in preference.evidence_ids if links.get(e) == slot_id and e in said
                )
                if sides:
                    held[slot_id] = sides.most_common(1)[0][0]
    truth = population.slots()
    slipped = {  # genuine slots where some occurrence slipped (said otherwise)
        slot_id
        for record_id, slot_id in links.items()
        if truth[slot_id].kind == "genuine" and said.get(record_id) != str(truth[slot_id].stance)
    }
    by_slips = {"clean": [0, 0], "with_slips": [0, 0]}  # [slots, called genuine]
    confusion = {t: dict.fromkeys(PREDICTED_KINDS, 0) for t in TRUE_KINDS}
    genuine_by_source: dict[str, dict[str, int]] = {}
    for slot in population.truth:
        guess = "superseded" if slot.slot_id in superseded else predicted.get(slot.slot_id, "none")
        confusion[slot.kind][guess] += 1
        if slot.kind == "genuine":
            row = genuine_by_source.setdefault(slot.source, dict.fromkeys(PREDICTED_KINDS, 0))
            row[guess] += 1
            tally = by_slips["with_slips" if slot.slot_id in slipped else "clean"]
            tally[0] += 1
            tally[1] += guess == "genuine"
    per_kind = {}
    for kind in TRUE_KINDS:
        actual = sum(confusion[kind].values())
        hits = (
            confusion[kind].get(kind, 0)
            if kind != "momentary"
            else sum(n for k, n in confusion[kind].items() if k not in ("genuine", "tentative"))
        )
        claimed = sum(row.get(kind, 0) for row in confusion.values()) if kind in PREDICTED_KINDS else hits
        per_kind[kind] = {
            "support": actual,
            "recall": hits / actual if actual else None,
            "precision": hits / claimed if claimed else None,
        }
    not_genuine = [k for k in TRUE_KINDS if k != "genuine"]
    # A change of mind whose new side is held as genuine (its history missed) is not a false
    # promotion: DESIGN makes the later side the current genuine preference.
    current_only = sum(
        1
        for slot in population.truth
        if slot.kind == "superseded"
        and slot.slot_id not in superseded
        and predicted.get(slot.slot_id) == "genuine"
        and held.get(slot.slot_id) == str(slot.stance)
    )
    false = sum(confusion[k]["genuine"] for k in not_genuine) - current_only
    total_not_genuine = sum(sum(confusion[k].values()) for k in not_genuine)
    occasions = _occasions_to_recognise(population, records, links, job, rules)
    ceiling = rules_ceiling(population, records, rules)
    return {
        "users": len({s.user_id for s in population.truth}),
        "slots": len(population.truth),
        "events": len(population.events),
        "recall_genuine": per_kind["genuine"]["recall"],
        "false_promotion": false / total_not_genuine if total_not_genuine else 0.0,
        "momentary_leak": 1 - (per_kind["momentary"]["recall"] or 0.0),
        "superseded_held_as_current": current_only,
        "per_kind": per_kind,
        "confusion": confusion,
        "genuine_by_source": genuine_by_source,
        # Recall on genuine slots where no occurrence slipped, and on those where one did
        # (these can look exactly like a non-attitude).
        "recall_genuine_by_slips": {
            name: {"slots": slots, "recall": called / slots if slots else None}
            for name, (slots, called) in by_slips.items()
        },
        "occasions_to_recognise_genuine": occasions,
        # Recall if every signal were read and grouped right (taken from the truth): the
        # limit the consolidation rules set on what the users said; the rest is lost in reading.
        "recall_genuine_ceiling": ceiling,
    }


def rules_ceiling(
    population: Population, records: list[Interaction | Feedback], rules: ConsolidationRules
) -> float | None:
    """Share of true genuine slots the consolidation rules call genuine when reading is perfect.

    Each slot's signals are built from the truth instead of extracted: one per event, with
    the value the simulator says it carries, its day, framing and option count. Whatever
    the labelling rules still miss here (a slip that leaves answers at "2 of 3" or
    "3 of 4", which random answering would give as often, or statements whose latest
    occasion dissents) no faithful reading wins back; only a reading that happens to miss
    the occurrence that slipped can do better.
    """
    truth = population.slots()
    by_slot: dict[str, list[Signal]] = {}
    for record in records:
        slot_id = record.metadata.get(f"{TRUTH_PREFIX}slot")
        if slot_id is None or truth[str(slot_id)].kind != "genuine":
            continue
        slot = truth[str(slot_id)]
        offered = record.options if isinstance(record, Feedback) and slot.source == "answer" else []
        source: SignalSource = "answer" if offered else "statement"
        by_slot.setdefault(slot.slot_id, []).append(
            Signal(
                user_id=record.user_id,
                source=source,
                topic=slot.topic,
                value=str(record.metadata[f"{TRUTH_PREFIX}value"]),
                scope="durable",
                occasion=f"{record.timestamp:%Y-%m-%d}",
                timestamp=record.timestamp,
                evidence_id=record.record_id(),
                condition=record.condition,
                item_id=slot.item_id if offered else None,
                options=tuple(f"option {index}" for index in range(len(offered))),
            )
        )
    if not by_slot:
        return None
    called = sum(judge_slot(signals, rules)[-1].kind == "genuine" for signals in by_slot.values())
    return called / len(by_slot)


def _occasions_to_recognise(
    population: Population,
    records: list[Interaction | Feedback],
    links: dict[str, str],
    job: ConsolidationJob,
    rules: ConsolidationRules,
) -> dict[str, float | None]:
    """For true genuine slots: how many occasions of evidence it took to call them genuine."""
    genuine = {s.slot_id for s in population.truth if s.kind == "genuine"}
    by_user: dict[str, tuple[list[Interaction], list[Feedback]]] = {}
    for record in records:
        pair = by_user.setdefault(record.user_id, ([], []))
        (pair[0] if isinstance(record, Interaction) else pair[1]).append(record)  # type: ignore[arg-type]
    needed: list[int] = []
    for interactions, feedback in by_user.values():
        signals = job.extractor.extract(interactions, feedback, unit=job.occasion)
        for slot in job.slots(signals):
            tags = Counter(links.get(s.evidence_id) for s in slot.signals)
            tag = tags.most_common(1)[0][0] if tags else None
            if tag not in genuine:
                continue
            ordered = sorted(slot.signals, key=lambda s: s.timestamp)
            days: list[str] = []
            for index, signal in enumerate(ordered):
                if signal.occasion not in days:
                    days.append(signal.occasion)
                if index + 1 < len(ordered) and ordered[index + 1].occasion == signal.occasion:
                    continue
                verdict = judge_slot(
                    ordered[: index + 1], rules, guessed=slot.ends_guessed, presumed=slot.ends_presumed
                )[-1]
                if verdict.kind == "genuine":
                    needed.append(len(days))
                    break
    if not needed:
        return {"median": None, "mean": None, "recognised": 0}
    needed.sort()
    return {
        "median": float(needed[len(needed) // 2]),
        "mean": sum(needed) / len(needed),
        "recognised": len(needed),
    }


def run_stability(
    users: int,
    *,
    seed: int,
    slips: float = 0.0,
    embedder: Embedder,
    rules: ConsolidationRules | None = None,
) -> dict[str, Any]:
    """Simulate a population and score consolidation on it; the report names the thresholds used."""
    rules = rules or ConsolidationRules()
    population = simulate(users, seed=seed, slips=slips)
    report = evaluate_stability(population, embedder, rules=rules)
    report.update({"seed": seed, "slips": slips, "rules": dataclasses.asdict(rules)})
    return report
