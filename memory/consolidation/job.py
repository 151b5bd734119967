"""The consolidation job: episodic records in, preferences out, for the users that changed.

For each user whose records changed since the last run (their fingerprint differs),
it extracts signals, groups them into slots, judges each slot and writes the user's
preferences in one transaction. Running it twice changes nothing (the fingerprint
matches); killing it midway loses nothing (a user is either fully written or not
at all, and the next run picks up the rest). A preference the user confirmed or
edited keeps the user's word; a deleted one stays away until new evidence arrives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.consolidation.labeling import Verdict, judge_slot
from prefmem.memory.consolidation.reasks import build_reasks, presentations
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.consolidation.slots import Slot, group_signals
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.errors import UnknownUserError
from prefmem.memory.extraction.base import OccasionUnit, SignalExtractor
from prefmem.memory.models import Feedback, utc_now
from prefmem.memory.preferences import HistoryEntry, Preference, Support
from prefmem.memory.semantic.store import SemanticStore
from prefmem.memory.signals import AGAINST, FOR, Signal, opposite


@dataclass
class UserChange:
    """What one user's consolidation changed."""

    user_id: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class JobSummary:
    """What a run did: users looked at, users reprocessed, and the changes."""

    users_seen: int = 0
    users_processed: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


#: Other phrasings a joined statement slot names in its statement, besides its own topic.
#: The statement is what the reward compares replies with: on the PrefEval topics used for
#: tuning, naming three rather than two lets it pick the aligned option for 0.767 rather
#: than 0.750 of users (one: 0.706), with no change on the persona conversations.
ALSO_SAID = 3


def _stance_on(topic: str, value: str, *, identity: bool = False) -> str:
    if identity:  # the topic keeps its article: "a morning person", "vegan"
        return f"Is {topic}" if value == FOR else f"Is not {topic}"
    if value == FOR:
        return f"Likes {topic}"
    if value == AGAINST:
        return f"Dislikes {topic}"
    return f"{topic}: {value}"


def _also_said(slot: Slot, verdict: Verdict) -> list[str]:
    """The slot's other phrasings in this verdict's run, most often said first, each in its own stance."""
    counts: dict[str, int] = {}
    for signal in verdict.signals:
        if signal.topic != slot.topic:
            counts[signal.topic] = counts.get(signal.topic, 0) + 1
    parts = []
    for topic in sorted(counts, key=lambda t: -counts[t])[:ALSO_SAID]:
        value = verdict.value if slot.ends.get(topic, 1) == 1 else opposite(verdict.value)
        said = _stance_on(topic, value, identity=_is_identity(verdict, topic))
        parts.append(said[0].lower() + said[1:])
    return parts


def describe(slot: Slot, verdict: Verdict) -> str:
    """A readable statement for a slot's verdict; a joined slot names up to `ALSO_SAID` other phrasings."""
    if slot.item_id is not None:
        question = slot.topic.rstrip("?") + "?"
        if verdict.kind == "non_attitude":
            return f'No stable answer to "{question}"'
        if verdict.kind == "constructed":
            return f'Answer to "{question}" depends on how it is asked'
        return f'Answers "{verdict.value}" to "{question}"'
    topic = slot.topic
    if verdict.kind == "non_attitude":
        return f"No stable view on {topic}"
    if verdict.kind == "constructed":
        return f"View on {topic} depends on how it is asked"
    main = _stance_on(topic, verdict.value, identity=_is_identity(verdict, topic))
    return "; ".join([main, *_also_said(slot, verdict)])


def _is_identity(verdict: Verdict, topic: str) -> bool:
    """Whether the user said who they are about this topic ("I'm vegetarian") more often than not."""
    said = [s.identity for s in verdict.signals if s.topic == topic]
    return bool(said) and sum(said) * 2 > len(said)


def preference_id(user_id: str, slot_key: str, role: str) -> str:
    digest = hashlib.sha256(f"{user_id}\x00{slot_key}\x00{role}".encode()).hexdigest()[:16]
    return f"p-{digest}"


def judge_slots(slots: Sequence[Slot], rules: ConsolidationRules) -> list[tuple[Slot, list[Verdict]]]:
    """Every slot with its verdicts (a change of mind: the old run as superseded, then the current)."""
    return [
        (
            slot,
            judge_slot(
                slot.signals,
                rules,
                guessed=slot.ends_guessed,
                presumed=slot.ends_presumed,
            ),
        )
        for slot in slots
    ]


def build_preferences(user_id: str, slots: Sequence[Slot], rules: ConsolidationRules) -> list[Preference]:
    """Judge every slot and describe each verdict as a preference."""
    return preferences_of(user_id, judge_slots(slots, rules))


def preferences_of(user_id: str, judged: Sequence[tuple[Slot, Sequence[Verdict]]]) -> list[Preference]:
    """The preferences judged slots make: one per verdict."""
    preferences = []
    for slot, verdicts in judged:
        for index, verdict in enumerate(verdicts):
            current = index == len(verdicts) - 1
            role = "current" if current else f"superseded:{verdict.value}"
            signals = verdict.signals
            preferences.append(
                Preference(
                    id=preference_id(user_id, slot.key, role),
                    user_id=user_id,
                    slot=slot.key,
                    statement=describe(slot, verdict),
                    kind=verdict.kind,
                    value=verdict.value,
                    topic=slot.topic,
                    item_id=slot.item_id,
                    stability=verdict.stability,
                    support=Support(
                        signals=len(signals), occasions=verdict.occasions, conditions=verdict.conditions
                    ),
                    first_seen=min(s.timestamp for s in signals),
                    last_seen=max(s.timestamp for s in signals),
                    evidence_ids=sorted({s.evidence_id for s in signals}),
                    reason=verdict.reason,
                )
            )
    return preferences


def merge(
    old: Sequence[Preference], new: Sequence[Preference], deleted: dict[str, datetime], now: datetime
) -> tuple[list[Preference], UserChange]:
    """Carry history and the user's own decisions from the old preferences into the new ones."""
    previous = {p.id: p for p in old}
    change = UserChange(user_id=new[0].user_id if new else (old[0].user_id if old else ""))
    merged = []
    for fresh in new:
        deleted_at = deleted.get(fresh.slot)
        if deleted_at is not None and fresh.last_seen <= deleted_at:
            continue
        before = previous.pop(fresh.id, None)
        if before is None:
            entry = HistoryEntry(
                at=now, kind=fresh.kind, value=fresh.value, stability=fresh.stability, note=fresh.reason
            )
            merged.append(fresh.model_copy(update={"history": [entry]}))
            change.added += 1
            continue
        history = list(before.history)
        if (before.kind, before.value, before.stability) != (fresh.kind, fresh.value, fresh.stability):
            history.append(
                HistoryEntry(
                    at=now, kind=fresh.kind, value=fresh.value, stability=fresh.stability, note=fresh.reason
                )
            )
            change.changed += 1
        updates: dict[str, object] = {"history": history, "user_status": before.user_status}
        if before.user_status is not None:  # confirmed or edited: the statement is the user's word
            updates["statement"] = before.statement
        merged.append(fresh.model_copy(update=updates))
    for gone in previous.values():
        if gone.user_status is not None:  # the user's word outlives the evidence
            merged.append(gone)
        else:
            change.removed += 1
    for preference in merged:
        change.kinds[preference.kind] = change.kinds.get(preference.kind, 0) + 1
    return merged, change


class ConsolidationJob:
    """Turns a user's episodic records into preferences in the semantic store."""

    #: How slots are grouped, joined and judged. It goes into each user's fingerprint, so a
    #: new version rebuilds every user's preferences on the next run; bump it whenever
    #: grouping, paraphrase joining, labelling or the wording of statements and reasons changes.
    logic_version = "consolidation-v13"

    def __init__(
        self,
        episodic: EpisodicStore,
        semantic: SemanticStore,
        extractor: SignalExtractor,
        embedder: Embedder,
        *,
        rules: ConsolidationRules | None = None,
        occasion: OccasionUnit = "day",
    ) -> None:
        self.episodic = episodic
        self.semantic = semantic
        self.extractor = extractor
        self.embedder = embedder
        self.rules = rules or ConsolidationRules()
        self.occasion: OccasionUnit = occasion

    def _topic_vectors(self, topics: Sequence[str]) -> NDArray[np.float32]:
        """Embeddings of topics, cached in the semantic store (topics recur across runs and users)."""
        cached = self.semantic.cached_vectors(self.embedder.name, topics)
        missing = [t for t in dict.fromkeys(topics) if t not in cached]
        if missing:
            fresh = dict(zip(missing, self.embedder.embed_batch(missing), strict=True))
            self.semantic.store_vectors(self.embedder.name, fresh)
            cached.update(fresh)
        return np.stack([cached[t] for t in topics]).astype(np.float32)

    def fingerprint(self, user_id: str, interactions: int, feedback: int) -> str:
        """What the user's preferences were built from: records (count, newest), extractor, logic, rules."""
        newest = self.episodic.recall(user_id, None, mode="recency", k=1)
        parts = [
            str(interactions),
            str(feedback),
            newest[0].id if newest else "",
            self.extractor.name,
            self.logic_version,
            self.occasion,
            repr(self.rules),
            self.embedder.name,
        ]
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]

    def slots(self, signals: Sequence[Signal]) -> list[Slot]:
        """One user's signals in slots; paraphrases join unless the extractor names topics consistently."""
        joining = None if self.extractor.names_topics_consistently else self.rules.paraphrase_similarity
        return group_signals(
            signals,
            self._topic_vectors,
            threshold=self.rules.slot_similarity,
            paraphrase_threshold=joining,
            word_link_bonus=self.rules.word_link_bonus,
        )

    def consolidate_signals(
        self,
        user_id: str,
        signals: Sequence[Signal],
        fingerprint: str,
        feedback: Sequence[Feedback] = (),
    ) -> UserChange:
        """Consolidate one user from signals already extracted, and save the result.

        The user's undecided asked questions are queued to be asked again, in the
        wording and option order `feedback` (their answer events) shows them in; a
        question whose preference the user confirmed, edited or deleted is not asked.
        """
        judged = judge_slots(self.slots(signals), self.rules)
        fresh = preferences_of(user_id, judged)
        old = self.semantic.preferences(user_id)
        deleted = self.semantic.deleted_slots(user_id)
        merged, change = merge(old, fresh, deleted, utc_now())
        change.user_id = user_id
        settled = {p.slot for p in merged if p.user_status is not None} | set(deleted)
        open_slots = [(slot, verdicts) for slot, verdicts in judged if slot.key not in settled]
        queue = build_reasks(user_id, open_slots, self.rules, presentations(feedback))
        self.semantic.save_user(user_id, merged, fingerprint, queue)
        return change

    def run(
        self,
        users: Sequence[str] | None = None,
        *,
        force: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> JobSummary:
        """Consolidate the given users (all by default) whose records changed since the last run."""
        summaries = {u.user_id: u for u in self.episodic.users()}
        chosen = list(users) if users is not None else sorted(summaries)
        for user_id in chosen:
            if user_id not in summaries:  # the listing above already says who exists
                raise UnknownUserError(user_id)
        summary = JobSummary(users_seen=len(chosen))
        for user_id in chosen:
            held = summaries[user_id]
            fingerprint = self.fingerprint(user_id, held.interactions, held.feedback)
            if force or self.semantic.fingerprint(user_id) != fingerprint:
                interactions = self.episodic.interactions(user_id)
                feedback = self.episodic.feedback(user_id)
                signals = self.extractor.extract(interactions, feedback, unit=self.occasion)
                change = self.consolidate_signals(user_id, signals, fingerprint, feedback)
                summary.users_processed += 1
                summary.added += change.added
                summary.changed += change.changed
                summary.removed += change.removed
                for kind, count in change.kinds.items():
                    summary.kinds[kind] = summary.kinds.get(kind, 0) + count
            if progress is not None:
                progress(user_id)
        return summary
