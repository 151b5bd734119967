"""The stability evaluation keeps the simulator's truth away from the stores and checks the side taken."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from prefmem.evals import stability
from prefmem.evals.simulator import TRUTH_PREFIX, Population, simulate
from prefmem.evals.simulator_answers import Question
from prefmem.evals.stability import consolidate, evaluate_stability, event_records, no_questions, strip_truth
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.preferences import Preference
from prefmem.memory.semantic.store import SemanticStore


@pytest.fixture(scope="module")
def population() -> Population:
    return simulate(6, seed=21)


def test_stripped_records_carry_no_truth_and_the_links_keep_it(population: Population) -> None:
    raw = event_records(population.events)
    records, links = strip_truth(raw)
    assert len(records) == len(raw)
    assert not any(key.startswith(TRUTH_PREFIX) for r in records for key in r.metadata)
    tagged = [r for r in raw if f"{TRUTH_PREFIX}slot" in r.metadata]
    assert len(links.slot) == len(tagged) > 50
    assert set(links.slot.values()) == set(population.slots())
    ids = {r.record_id() for r in records}
    assert set(links.slot) <= ids and set(links.value) == set(links.slot)


def test_only_stripped_records_reach_the_stores(
    population: Population, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    original = stability.consolidate

    def spy(records: list[Any], *args: Any, **kwargs: Any) -> Any:
        seen.extend(records)
        return original(records, *args, **kwargs)

    monkeypatch.setattr(stability, "consolidate", spy)
    evaluate_stability(population, HashingEmbedder())
    assert len(seen) == len(event_records(population.events))
    assert not any(key.startswith(TRUTH_PREFIX) for r in seen for key in r.metadata)


def _outcome(preferences: Mapping[str, list[Preference]], position: dict[str, int]) -> set[tuple[Any, ...]]:
    """Every preference as what consolidation concluded, its evidence named by record position."""
    return {
        (
            user,
            p.kind,
            p.statement,
            p.value,
            p.topic,
            p.item_id,
            p.stability,
            tuple(sorted(p.support.model_dump().items())),
            p.first_seen,
            p.last_seen,
            p.reason,
            tuple(sorted(position[e] for e in p.evidence_ids)),
        )
        for user, held in preferences.items()
        for p in held
    }


def test_consolidation_is_identical_with_and_without_the_truth(population: Population) -> None:
    raw = event_records(population.events)
    records, _ = strip_truth(raw)
    rules = ConsolidationRules()
    outcomes = []
    for given in (raw, records):
        job, _ = consolidate(list(given), HashingEmbedder(), rules)
        position = {r.record_id(): index for index, r in enumerate(given)}
        held = {user: job.semantic.preferences(user) for user in job.semantic.users()}
        outcomes.append(_outcome(held, position))
    assert outcomes[0] == outcomes[1] and len(outcomes[0]) > 30
    # the record ids themselves differ (they digest the metadata): the comparison is not vacuous
    assert {r.record_id() for r in raw} != {r.record_id() for r in records}


def test_recall_counts_a_genuine_slot_only_on_the_true_side() -> None:
    population = simulate(8, seed=4, slips=0.0)
    # no re-asks: the simulated users would answer them by the turned truth below
    honest = evaluate_stability(population, HashingEmbedder(), ask_again=no_questions)
    assert honest["recall_genuine"] == honest["recall_genuine_unchecked"]
    assert honest["genuine_on_wrong_side"] == 0
    statements = honest["recall_genuine_by_source"]["statement"]
    assert statements["recall"] > 0.0  # some, read with the hashing embedder
    # The same log, with the truth saying every genuine statement slot holds the other side:
    # the preferences are the same, but each now stands on the wrong side.
    turned = [
        dataclasses.replace(slot, stance=-(slot.stance or 0))
        if slot.kind == "genuine" and slot.source == "statement"
        else slot
        for slot in population.truth
    ]
    report = evaluate_stability(
        Population(population.events, turned, 0.0, population.bank), HashingEmbedder(), ask_again=no_questions
    )
    assert report["recall_genuine_unchecked"] == honest["recall_genuine_unchecked"]
    assert report["recall_genuine_by_source"]["statement"]["recall"] == 0.0
    assert report["genuine_on_wrong_side"] >= statements["recall"] * statements["slots"]
    assert report["recall_genuine"] < honest["recall_genuine"]


def test_the_reask_hook_asks_and_the_simulated_users_answer(population: Population) -> None:
    asked: list[Question] = []

    def again(pop: Population, store: SemanticStore) -> list[Question]:
        if asked:  # one round
            return []
        assert set(store.users()) == {s.user_id for s in pop.truth}
        end = max(p.last_seen for user in store.users() for p in store.preferences(user))
        for slot in pop.truth:
            if slot.kind == "constructed" and slot.item_id is not None:
                names = [name for name, _ in slot.by_condition]  # its own two framings, twice each
                for day, condition in enumerate(names * 2, start=1):
                    asked.append(Question(slot.user_id, slot.item_id, condition, end + timedelta(days=day)))
        return list(asked)

    before = evaluate_stability(population, HashingEmbedder(), ask_again=no_questions)
    after = evaluate_stability(population, HashingEmbedder(), ask_again=again)
    assert before["questions_asked"] == 0
    assert after["questions_asked"] == len(asked) == 4 * before["per_kind"]["constructed"]["support"]
    assert after["slots"] == before["slots"]
    # answered along the framing, as constructed preferences do: they still read as constructed
    assert (
        after["confusion"]["constructed"]["constructed"]
        >= before["confusion"]["constructed"]["constructed"]
        > 0
    )
