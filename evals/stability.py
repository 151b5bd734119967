"""How well consolidation tells preference kinds apart, scored against the simulator's truth.

The simulator's truth (`sim_*` metadata) is taken off every record before anything reaches
the stores: extraction and consolidation see what a real user's log would hold. The
link from a record to its true slot (`sim_slot`) and to what it says (`sim_value`) is
kept beside the stores, by record id, for scoring only.

Each predicted preference is linked to a true slot through its evidence. A true slot's
predicted kind is the kind of its current preference, or `superseded` when an earlier
run of it was superseded; `none` when nothing was kept for it. Momentary requests must
produce no preference that is fed forward (genuine or tentative).

Recall of genuine is stance-checked: a genuine slot counts only when its genuine
preference takes the true side. The side a preference takes is read from the records it
agrees with: the signals of its slot that carry the preference's value; what those
records truly said (their `sim_value`, by majority) is the side it stands for. A
preference held on the side the user's slips took, or on the old side of a change of
mind, fails the check. The unchecked figure (kind only) is reported beside it. The check
trusts the reading of each record's side: a phrasing read the wrong way round every time
it is said would pass it (the PrefEval variant, `evals.stability_prefeval`, checks the
statement's own wording through the preference scorer).
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from prefmem.evals.simulator import DEFAULT_BANK, DEFAULT_SLIPS, Population, TruthSlot, simulate
from prefmem.evals.simulator_answers import Question, answer_questions
from prefmem.evals.stability_limits import occasions_to_recognise, rules_ceiling
from prefmem.evals.stability_truth import Record, TruthLinks, event_records, side_taken, strip_truth
from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.consolidation.reasks import pending_reasks
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.consolidation.slots import Slot
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.embeddings.cached import CachedEmbedder
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.extraction.polarity import AnchorPolarity
from prefmem.memory.models import Feedback, Interaction
from prefmem.memory.semantic.store import SemanticStore
from prefmem.memory.signals import FOR, TOPIC_QUESTION_PREFIX

__all__ = [
    "PREDICTED_KINDS",
    "TRUE_KINDS",
    "AskAgain",
    "TruthLinks",
    "ask_the_queue",
    "consolidate",
    "evaluate_stability",
    "event_records",
    "no_questions",
    "run_stability",
    "strip_truth",
    "user_slots",
]

TRUE_KINDS = ("genuine", "tentative", "constructed", "non_attitude", "superseded", "momentary")
PREDICTED_KINDS = ("genuine", "tentative", "constructed", "non_attitude", "superseded", "none")
#: How the simulator answers for a non-attitude (reported so a figure names its population).
NON_ATTITUDES = "random"

#: Texts the scoring embedder remembers (every topic and sentence of a run of a few hundred users).
SCORING_CACHE_TEXTS = 200_000

#: Given the population and the consolidated store, the items to ask again now (one round).
AskAgain = Callable[[Population, SemanticStore], list[Question]]

#: Rounds of re-asks at most: each round asks every user's queue once, a day after their latest record.
MAX_REASK_ROUNDS = 20


def no_questions(population: Population, store: SemanticStore) -> list[Question]:
    """A re-ask hook that asks nothing again: consolidation on what users volunteered and first answered."""
    return []


def ask_the_queue(population: Population, store: SemanticStore) -> list[Question]:
    """The re-ask queue consolidation left (`memory.consolidation.reasks`), posed to every user now,
    each under the framing it asks for, on the day after the user's latest preference evidence."""
    questions = []
    for user_id in store.users():
        queue = pending_reasks(store, user_id)
        if not queue:
            continue
        latest = max(p.last_seen for p in store.preferences(user_id))
        day = latest.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
        for number, reask in enumerate(queue):
            asked_at = day + timedelta(minutes=number)
            questions.append(Question(user_id, reask.item_id, reask.condition, asked_at))
    return questions


def _topic_truth(
    population: Population, store: SemanticStore, links: TruthLinks, question: Question
) -> tuple[TruthSlot | None, int]:
    """The true slot a question about a topic belongs to, and which end of it the topic names.

    Found through the preference the question is about: its evidence's truth tags name the
    slot, and comparing the side each record truly says with the side the preference
    takes tells whether "yes" means the slot's positive pole.
    """
    topic = question.item_id.removeprefix(TOPIC_QUESTION_PREFIX)
    held = [p for p in store.preferences(question.user_id) if p.topic == topic and p.kind != "superseded"]
    if not held:
        return None, 1
    preference = held[0]
    tags = Counter(links.slot[e] for e in preference.evidence_ids if e in links.slot)
    if not tags:
        return None, 1
    slot_id = tags.most_common(1)[0][0]
    said = sum(
        int(links.value[e])
        for e in preference.evidence_ids
        if links.slot.get(e) == slot_id and e in links.value
    )
    reads_for = 1 if preference.value == FOR else -1
    polarity = reads_for if said >= 0 else -reads_for
    return population.slots().get(slot_id), polarity


def consolidate(
    records: list[Record],
    embedder: Embedder,
    rules: ConsolidationRules,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[ConsolidationJob, InMemoryEpisodicStore]:
    """Store the records and run the consolidation job over every user; returns the job and its store.

    The embedder is cached: scoring forms the same slots again (`user_slots`) and embeds
    nothing twice.
    """
    if not isinstance(embedder, CachedEmbedder):
        embedder = CachedEmbedder(embedder, capacity=SCORING_CACHE_TEXTS)
    episodic = InMemoryEpisodicStore(HashingEmbedder(64))  # recall is not scored here: cheap vectors
    episodic.add(records)
    extractor = ParsedExtractor(polarity=AnchorPolarity(embedder))
    job = ConsolidationJob(episodic, SemanticStore.in_memory(), extractor, embedder, rules=rules)
    job.run(progress=progress)
    return job, episodic


def user_slots(job: ConsolidationJob, records: list[Record]) -> dict[str, dict[str, Slot]]:
    """Every user's slots as the job forms them (by slot key), from the records' extracted signals."""
    by_user: dict[str, tuple[list[Interaction], list[Feedback]]] = {}
    for record in records:
        pair = by_user.setdefault(record.user_id, ([], []))
        if isinstance(record, Interaction):
            pair[0].append(record)
        else:
            pair[1].append(record)
    slots: dict[str, dict[str, Slot]] = {}
    for user_id, (interactions, feedback) in by_user.items():
        signals = job.extractor.extract(interactions, feedback, unit=job.occasion)
        slots[user_id] = {slot.key: slot for slot in job.slots(signals)}
    return slots


def evaluate_stability(
    population: Population,
    embedder: Embedder,
    *,
    rules: ConsolidationRules | None = None,
    progress: Callable[[str], None] | None = None,
    ask_again: AskAgain = ask_the_queue,
) -> dict[str, Any]:
    """Consolidate the population's event log and score every true slot's predicted kind.

    `ask_again` is the re-ask loop's hook: given the population and the consolidated store,
    the items to ask again now (by default every user's re-ask queue); the simulated users
    answer them according to their true kind (`evals.simulator_answers`), the job runs
    again, and so on until nothing is asked or `MAX_REASK_ROUNDS` pass.
    """
    rules = rules or ConsolidationRules()
    records, links = strip_truth(event_records(population.events))
    job, episodic = consolidate(records, embedder, rules, progress=progress)
    semantic = job.semantic
    questions: list[Question] = []
    for round_number in range(MAX_REASK_ROUNDS):
        asked = ask_again(population, semantic)
        if not asked:
            break
        answers = answer_questions(
            population,
            asked,
            seed=len(population.events) + round_number,
            topic_truth=functools.partial(_topic_truth, population, semantic, links),
        )
        more, more_links = strip_truth(event_records(answers))
        episodic.add(more)
        records += more
        links.slot.update(more_links.slot)
        links.value.update(more_links.value)
        questions += asked
        job.run(sorted({q.user_id for q in asked}), progress=progress)
    slots_by_user = user_slots(job, records)

    predicted: dict[str, str] = {}
    held: dict[str, str | None] = {}  # for slots predicted from a current preference: the side it takes
    superseded: set[str] = set()
    for user_id in semantic.users():
        for preference in semantic.preferences(user_id):
            tags = Counter(links.slot[e] for e in preference.evidence_ids if e in links.slot)
            if not tags:
                continue
            slot_id = tags.most_common(1)[0][0]
            if preference.kind == "superseded":
                superseded.add(slot_id)
            elif slot_id not in predicted or preference.kind == "genuine":
                predicted[slot_id] = preference.kind
                slot = slots_by_user.get(user_id, {}).get(preference.slot)
                held[slot_id] = side_taken(preference, slot, links, slot_id)
    scored = _Scored(predicted, held, superseded, len(questions))
    return _score(population, records, links, rules, slots_by_user, scored)


@dataclasses.dataclass(frozen=True)
class _Scored:
    """What the consolidated state says of each true slot, and how many items were asked again."""

    predicted: dict[str, str]  # slot id -> kind of its current preference
    held: dict[str, str | None]  # slot id -> side its current preference takes (a `sim_value`)
    superseded: set[str]  # slot ids with a superseded run
    questions_asked: int


def _score(
    population: Population,
    records: list[Record],
    links: TruthLinks,
    rules: ConsolidationRules,
    slots_by_user: dict[str, dict[str, Slot]],
    scored: _Scored,
) -> dict[str, Any]:
    predicted, held, superseded = scored.predicted, scored.held, scored.superseded
    truth = population.slots()
    slipped = {  # genuine slots where some occurrence slipped (said otherwise)
        slot_id
        for record_id, slot_id in links.slot.items()
        if truth[slot_id].kind == "genuine" and links.value.get(record_id) != str(truth[slot_id].stance)
    }
    by_slips = {"clean": [0, 0], "with_slips": [0, 0]}  # [slots, called genuine on the true side]
    confusion = {t: dict.fromkeys(PREDICTED_KINDS, 0) for t in TRUE_KINDS}
    genuine_by_source: dict[str, dict[str, int]] = {}
    checked_by_source: dict[str, list[int]] = {}  # [slots, called genuine on the true side]
    wrong_side = 0
    for slot in population.truth:
        guess = "superseded" if slot.slot_id in superseded else predicted.get(slot.slot_id, "none")
        confusion[slot.kind][guess] += 1
        if slot.kind == "genuine":
            row = genuine_by_source.setdefault(slot.source, dict.fromkeys(PREDICTED_KINDS, 0))
            row[guess] += 1
            right = guess == "genuine" and held.get(slot.slot_id) == str(slot.stance)
            wrong_side += guess == "genuine" and not right
            for tally in (
                by_slips["with_slips" if slot.slot_id in slipped else "clean"],
                checked_by_source.setdefault(slot.source, [0, 0]),
            ):
                tally[0] += 1
                tally[1] += right
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
    genuine_slots = per_kind["genuine"]["support"] or 0
    checked = sum(called for _, called in checked_by_source.values())
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
    occasions = occasions_to_recognise(population, links, slots_by_user, rules)
    ceiling = rules_ceiling(population, records, rules, links)
    return {
        "users": len({s.user_id for s in population.truth}),
        "slots": len(population.truth),
        "events": len(population.events),
        "bank": population.bank,
        "slips": population.slips,
        "non_attitudes": NON_ATTITUDES,
        "questions_asked": scored.questions_asked,
        # stance-checked: called genuine AND the genuine preference takes the true side
        "recall_genuine": checked / genuine_slots if genuine_slots else None,
        # kind only, whatever side the preference takes
        "recall_genuine_unchecked": per_kind["genuine"]["recall"],
        "genuine_on_wrong_side": wrong_side,
        "false_promotion": false / total_not_genuine if total_not_genuine else 0.0,
        "momentary_leak": 1 - (per_kind["momentary"]["recall"] or 0.0),
        "superseded_held_as_current": current_only,
        "per_kind": per_kind,
        "confusion": confusion,
        "genuine_by_source": genuine_by_source,
        "recall_genuine_by_source": {
            source: {"slots": slots, "recall": called / slots if slots else None}
            for source, (slots, called) in checked_by_source.items()
        },
        # Stance-checked recall on genuine slots where no occurrence slipped, and on those
        # where one did (these can look exactly like a non-attitude).
        "recall_genuine_by_slips": {
            name: {"slots": slots, "recall": called / slots if slots else None}
            for name, (slots, called) in by_slips.items()
        },
        "occasions_to_recognise_genuine": occasions,
        # Recall if every signal were read and grouped right (taken from the truth): the
        # limit the consolidation rules set on what the users said; the rest is lost in reading.
        "recall_genuine_ceiling": ceiling,
    }


def run_stability(
    users: int,
    *,
    seed: int,
    slips: float = DEFAULT_SLIPS,
    bank: str = DEFAULT_BANK,
    embedder: Embedder,
    rules: ConsolidationRules | None = None,
    ask_again: AskAgain = ask_the_queue,
) -> dict[str, Any]:
    """Simulate a population and score consolidation on it; the report names the thresholds used."""
    rules = rules or ConsolidationRules()
    population = simulate(users, seed=seed, slips=slips, bank=bank)
    report = evaluate_stability(population, embedder, rules=rules, ask_again=ask_again)
    report.update({"seed": seed, "rules": dataclasses.asdict(rules)})
    return report
