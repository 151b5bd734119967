"""What limits the stability figures: the rules' ceiling and the occasions it takes to recognise.

`rules_ceiling` applies the labelling rules to signals built from the simulator's truth
(reading and grouping perfect); `occasions_to_recognise` counts, for true genuine slots,
the occasions of evidence the rules needed before calling them genuine.
"""

from __future__ import annotations

from collections import Counter

from prefmem.evals.simulator import Population
from prefmem.evals.stability_truth import Record, TruthLinks
from prefmem.memory.consolidation.labeling import judge_slot
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.consolidation.slots import Slot
from prefmem.memory.models import Feedback
from prefmem.memory.signals import Signal, SignalSource


def rules_ceiling(
    population: Population, records: list[Record], rules: ConsolidationRules, links: TruthLinks
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
        record_id = record.record_id()
        slot_id = links.slot.get(record_id)
        if slot_id is None or truth[slot_id].kind != "genuine":
            continue
        slot = truth[slot_id]
        offered = record.options if isinstance(record, Feedback) and slot.source == "answer" else []
        source: SignalSource = "answer" if offered else "statement"
        by_slot.setdefault(slot.slot_id, []).append(
            Signal(
                user_id=record.user_id,
                source=source,
                topic=slot.topic,
                value=links.value[record_id],
                scope="durable",
                occasion=f"{record.timestamp:%Y-%m-%d}",
                timestamp=record.timestamp,
                evidence_id=record_id,
                condition=record.condition,
                item_id=slot.item_id if offered else None,
                options=tuple(f"option {index}" for index in range(len(offered))),
            )
        )
    if not by_slot:
        return None
    called = sum(judge_slot(signals, rules)[-1].kind == "genuine" for signals in by_slot.values())
    return called / len(by_slot)


def occasions_to_recognise(
    population: Population,
    links: TruthLinks,
    slots_by_user: dict[str, dict[str, Slot]],
    rules: ConsolidationRules,
) -> dict[str, float | None]:
    """For true genuine slots: how many occasions of evidence it took to call them genuine."""
    genuine = {s.slot_id for s in population.truth if s.kind == "genuine"}
    needed: list[int] = []
    for slots in slots_by_user.values():
        for slot in slots.values():
            tags = Counter(links.slot.get(s.evidence_id) for s in slot.signals)
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
                    ordered[: index + 1],
                    rules,
                    guessed=slot.ends_guessed,
                    presumed=slot.ends_presumed,
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
