"""The simulator's truth beside the stores: taken off the records, kept by record id for scoring.

The stores must see what a real user's log would hold, so every `sim_*` key is removed
before a record is stored; what the keys said is kept here, by the id of the stripped
record (a record id digests the whole record, metadata included).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import Any

from prefmem.evals.simulator import TRUTH_PREFIX
from prefmem.memory.consolidation.slots import Slot
from prefmem.memory.events import events_to_records, parse_event_line
from prefmem.memory.models import Feedback, Interaction
from prefmem.memory.preferences import Preference

Record = Interaction | Feedback


@dataclasses.dataclass
class TruthLinks:
    """For scoring only: per record id, the true slot it speaks of and what it says there."""

    slot: dict[str, str] = dataclasses.field(default_factory=dict)
    value: dict[str, str] = dataclasses.field(default_factory=dict)


def strip_truth(records: list[Record]) -> tuple[list[Record], TruthLinks]:
    """The records without any `sim_` key, and the truth links keyed by the stripped records' ids.

    A record id is a digest of the whole record, metadata included, so the links are
    keyed by the ids the stores will see.
    """
    stripped: list[Record] = []
    links = TruthLinks()
    for record in records:
        kept = {k: v for k, v in record.metadata.items() if not k.startswith(TRUTH_PREFIX)}
        clean = record.model_copy(update={"metadata": kept})
        record_id = clean.record_id()
        if f"{TRUTH_PREFIX}slot" in record.metadata:
            links.slot[record_id] = str(record.metadata[f"{TRUTH_PREFIX}slot"])
            links.value[record_id] = str(record.metadata[f"{TRUTH_PREFIX}value"])
        stripped.append(clean)
    return stripped, links


def event_records(events: list[dict[str, Any]]) -> list[Record]:
    """Import-format events as records, through the public parsing path."""
    return list(events_to_records(parse_event_line(json.dumps(e)) for e in events))


def side_taken(preference: Preference, slot: Slot | None, links: TruthLinks, slot_id: str) -> str | None:
    """What the records a preference agrees with truly said (majority `sim_value`), or None."""
    if slot is None:
        return None
    sides = Counter(
        links.value[s.evidence_id]
        for s in slot.signals
        if s.value == preference.value and links.slot.get(s.evidence_id) == slot_id
    )
    return sides.most_common(1)[0][0] if sides else None
