"""The user simulator: valid import-format logs whose ground truth the events really bear out."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from prefmem.evals.simulator import (
    DEFAULT_START,
    TRUTH_PREFIX,
    Population,
    TruthSlot,
    read_truth,
    simulate,
    write_jsonl,
    write_truth,
)
from prefmem.evals.simulator_phrasing import (
    DEV_BANK,
    DURABLE_MARKERS,
    FILLERS,
    ITEMS_BY_ID,
    NEUTRAL_OPTION,
    TEST_BANK,
    TOPICS,
    TOPICS_BY_NAME,
    Bank,
    has_momentary_marker,
    phrase_bank,
)
from prefmem.memory.events import events_to_records, parse_event_line, parse_event_log

Event = dict[str, Any]
NEGATIONS = ("n't", "not ", "never", "can't stand", "avoid")


@pytest.fixture(scope="module")
def population() -> Population:
    return simulate(50, seed=11)  # the defaults: the test part of the bank, slips 0.05


@pytest.fixture(scope="module")
def by_slot(population: Population) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in population.events:
        if "sim_slot" in event.get("metadata", {}):
            grouped[event["metadata"]["sim_slot"]].append(event)
    return grouped


def _slots(population: Population, kind: str, source: str | None = None) -> list[TruthSlot]:
    found = [s for s in population.truth if s.kind == kind and (source is None or s.source == source)]
    assert len(found) >= 5, f"too few {kind} slots ({source}) in the population"
    return found


def _held(slot: TruthSlot) -> int:
    assert slot.stance is not None, slot
    return slot.stance


def _slot_of(event: Event) -> str | None:
    return event.get("metadata", {}).get("sim_slot")


def _day(event: Event) -> str:
    return str(event["timestamp"])[:10]


def _underlying(event: Event) -> int:
    """The chosen option's index in the item's canonical order, found by its text alone."""
    canonical = ITEMS_BY_ID[event["item_id"]].options
    return canonical.index(event["options"][event["chosen"]])


def _statement_stance(text: str) -> tuple[str, int, bool]:
    """(topic, stance, momentary) of a statement, read back from the phrase bank by its words."""
    for filler in FILLERS:
        text = text.removeprefix(filler)
    for topic in TOPICS:
        for stance in (1, -1):
            if text in topic.phrases(stance):
                return topic.topic, stance, False
            if text in topic.momentary(stance):
                return topic.topic, stance, True
    raise AssertionError(f"not a phrase of the bank: {text!r}")


@pytest.mark.parametrize("bank", [DEV_BANK, TEST_BANK], ids=["dev", "test"])
def test_phrase_bank_has_varied_paraphrases_negations_and_markers(bank: Bank) -> None:
    assert len(bank.topics) >= 12 and len(bank.items) >= 10 and len(bank.small_talk) >= 15
    every_phrase = [p for t in TOPICS for p in (*t.pro, *t.con, *t.momentary_pro, *t.momentary_con)]
    assert len(every_phrase) == len(set(every_phrase)), "a phrase must name one topic and stance"
    for topic in bank.topics:
        durable = topic.pro + topic.con
        assert len(topic.pro) >= 5 and len(topic.con) >= 5
        assert not any(has_momentary_marker(p) for p in durable), topic.topic
        for stance in (1, -1):
            assert any(neg in p.lower() for p in topic.phrases(stance) for neg in NEGATIONS), topic.topic
            assert topic.declarations(stance), topic.topic
        assert any(marker in p.lower() for p in durable for marker in DURABLE_MARKERS), topic.topic
        assert len({topic.choice[1], topic.choice[2], NEUTRAL_OPTION}) == 3
    for item in bank.items:
        assert item.wordings[0] != item.wordings[1]
        assert 2 <= len(item.options) <= 3 and len(set(item.options)) == len(item.options)


def test_the_two_parts_share_no_topic_item_or_wording() -> None:
    assert not {t.topic for t in DEV_BANK.topics} & {t.topic for t in TEST_BANK.topics}
    assert not {i.topic for i in DEV_BANK.items} & {i.topic for i in TEST_BANK.items}
    assert not {i.item_id for i in DEV_BANK.items} & {i.item_id for i in TEST_BANK.items}
    dev_words = {w for i in DEV_BANK.items for w in (*i.wordings, *i.options)}
    assert not dev_words & {w for i in TEST_BANK.items for w in (*i.wordings, *i.options)}
    assert not set(DEV_BANK.small_talk) & set(TEST_BANK.small_talk)
    assert phrase_bank("all").topics == DEV_BANK.topics + TEST_BANK.topics
    with pytest.raises(ValueError, match="bank"):
        phrase_bank("holdout")


def test_dev_one_offs_carry_marker_words_and_some_test_one_offs_do_not() -> None:
    dev = [p for t in DEV_BANK.topics for p in t.momentary_pro + t.momentary_con]
    assert all(has_momentary_marker(p) for p in dev)
    test = [p for t in TEST_BANK.topics for p in t.momentary_pro + t.momentary_con]
    unmarked = [p for p in test if not has_momentary_marker(p)]
    assert len(test) // 3 <= len(unmarked) < len(test)


def test_the_test_part_varies_its_sentence_forms() -> None:
    durable = [p for t in TEST_BANK.topics for p in t.pro + t.con]
    first_person = [p for p in durable if p.startswith(("I ", "I'"))]
    assert len(first_person) < len(durable) / 2  # statements about the thing, imperatives, reactions
    imperatives = ("Give ", "Put ", "Tell ", "Skip ", "Ask ", "Call ", "Write ", "Keep ", "Leave ", "Don't ")
    assert sum(p.startswith(imperatives) for p in durable) >= 8


def test_every_event_is_a_valid_import_line_in_time_order(population: Population) -> None:
    assert 2000 < len(population.events) < 8000
    for event in population.events:
        parse_event_line(json.dumps(event))
    times = [datetime.fromisoformat(e["timestamp"]) for e in population.events]
    assert times == sorted(times)
    parsed = parse_event_log(json.dumps(e).encode() for e in population.events)
    assert not parsed.problems and len(parsed.events) == len(population.events)


def test_one_session_per_user_and_day_within_that_day(population: Population) -> None:
    days: dict[str, set[str]] = defaultdict(set)
    for event in population.events:
        match = re.fullmatch(r"(u\d{4})-d(\d{2})", event["session_id"])
        assert match and match.group(1) == event["user_id"]
        expected = (DEFAULT_START + timedelta(days=int(match.group(2)) - 1)).date().isoformat()
        assert _day(event) == expected
        days[event["session_id"]].add(_day(event))
    assert all(len(dates) == 1 for dates in days.values())


def test_each_user_message_is_answered_and_only_signals_carry_truth(population: Population) -> None:
    last: dict[str, Event] = {}
    for event in population.events:
        previous = last.get(event["session_id"])
        if event["type"] == "message" and event["role"] == "assistant":
            assert previous is not None and previous.get("role") == "user"
            assert "metadata" not in event
        elif previous is not None and previous.get("role") == "user":
            raise AssertionError(f"user message left unanswered in {event['session_id']}")
        for key in event.get("metadata", {}):
            assert key.startswith(TRUTH_PREFIX)
        if event["type"] != "message":
            assert event["metadata"]["sim_slot"]
        last[event["session_id"]] = event
    small_talk = [e for e in population.events if e["type"] == "message" and "metadata" not in e]
    assert len(small_talk) > len(population.events) // 5


def test_truth_links_each_slot_to_its_own_users_events(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    slots = population.slots()
    assert set(by_slot) == set(slots)
    for slot_id, events in by_slot.items():
        assert all(e["user_id"] == slots[slot_id].user_id for e in events)
    per_user: dict[str, list[TruthSlot]] = defaultdict(list)
    for slot in population.truth:
        per_user[slot.user_id].append(slot)
    assert len(per_user) == 50
    for user_slots in per_user.values():
        kinds = Counter(s.kind for s in user_slots)
        assert 2 <= kinds["genuine"] <= 4 and 1 <= kinds["non_attitude"] <= 2
        assert kinds["constructed"] == 1 and kinds["tentative"] == 1 and kinds["superseded"] <= 1
        assert 1 <= kinds["momentary"] <= 2
        topics = [s.topic for s in user_slots]
        assert len(topics) == len(set(topics))


def test_genuine_statements_recur_on_three_days_in_different_words(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    for slot in _slots(population, "genuine", "statement"):
        events = by_slot[slot.slot_id]
        assert all(e["role"] == "user" for e in events)
        assert len({_day(e) for e in events}) >= 3
        assert len({e["content"] for e in events}) == len(events) >= 3
        read = [_statement_stance(e["content"]) for e in events]
        assert {(topic, momentary) for topic, _, momentary in read} == {(slot.topic, False)}
        stances = [stance for _, stance, _ in read]
        assert stances == [e["metadata"]["sim_value"] for e in events]
        assert stances.count(_held(slot)) > len(stances) / 2


def test_genuine_answers_hold_one_option_across_days_and_framings(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    framed = 0
    for slot in _slots(population, "genuine", "answer"):
        events = by_slot[slot.slot_id]
        assert len({_day(e) for e in events}) >= 3 and {e["item_id"] for e in events} == {slot.item_id}
        chosen = [_underlying(e) for e in events]
        assert chosen.count(_held(slot)) > len(chosen) / 2
        framed += len({e.get("condition") for e in events}) == 2
    assert framed >= 5


def test_genuine_choices_and_ratings_favour_the_held_side(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    for slot in _slots(population, "genuine", "choice"):
        _, pro_reply, con_reply = TOPICS_BY_NAME[slot.topic].choice
        pole = {pro_reply: 1, con_reply: -1}
        events = by_slot[slot.slot_id]
        assert len({_day(e) for e in events}) >= 3
        for event in events:
            if event["type"] == "choice":
                assert pole[event["options"][event["chosen"]]] == slot.stance
                assert event.get("item_id") == slot.item_id
            else:
                assert event["type"] == "rating"
                assert pole[event["response"]] * event["value"] == slot.stance


def test_non_attitudes_answer_at_random_with_nothing_redrawn() -> None:
    crowd = simulate(200, seed=2)
    grouped: dict[str, list[int]] = defaultdict(list)
    for event in crowd.events:
        if event["type"] == "answer":
            grouped[event["metadata"]["sim_slot"]].append(_underlying(event))
    slots = [s for s in crowd.truth if s.kind == "non_attitude"]
    assert len(slots) >= 200 and all(s.stance is None and len(grouped[s.slot_id]) >= 4 for s in slots)
    unanimous = [s for s in slots if len(set(grouped[s.slot_id])) == 1]
    # by chance some agree every time (2 options, 4 answers: 1 in 8); none would if redrawn
    assert 0 < len(unanimous) < len(slots) / 4
    picks = Counter(
        ITEMS_BY_ID[str(s.item_id)].options[o] == ITEMS_BY_ID[str(s.item_id)].options[0]
        for s in slots
        for o in grouped[s.slot_id]
    )
    first_share = picks[True] / sum(picks.values())
    assert 0.3 < first_share < 0.55  # the first option of 2 or 3 is picked about 2 times in 5


def test_constructed_answers_follow_the_framing(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    for slot in _slots(population, "constructed"):
        per_condition: dict[str, list[int]] = defaultdict(list)
        for event in by_slot[slot.slot_id]:
            per_condition[event["condition"]].append(_underlying(event))
        assert len(per_condition) == 2 and all(len(c) >= 2 for c in per_condition.values())
        held = {condition: set(chosen) for condition, chosen in per_condition.items()}
        assert all(len(options) == 1 for options in held.values())
        assert len({options.pop() for options in held.values()}) == 2
        assert dict(slot.by_condition) == {c: chosen[0] for c, chosen in per_condition.items()}


def test_superseded_slots_run_one_way_then_the_other(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    sources = set()
    for slot in _slots(population, "superseded"):
        sources.add(slot.source)
        events = by_slot[slot.slot_id]
        if slot.source == "answer":
            values = [_underlying(e) for e in events]
        else:
            values = [_statement_stance(e["content"])[1] for e in events]
        switch = values.index(_held(slot))
        assert switch >= 3 and set(values[:switch]) == {slot.previous} != {slot.stance}
        assert len(values) - switch >= 3 and set(values[switch:]) == {slot.stance}
        assert _day(events[switch - 1]) < _day(events[switch])
    assert sources == {"statement", "answer"}


def test_tentative_declarations_are_said_exactly_once(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    for slot in _slots(population, "tentative"):
        [event] = by_slot[slot.slot_id]
        assert event["role"] == "user" and not has_momentary_marker(event["content"])
        assert _statement_stance(event["content"]) == (slot.topic, slot.stance, False)


def test_momentary_requests_are_one_off_requests_of_the_bank(
    population: Population, by_slot: dict[str, list[Event]]
) -> None:
    marked = []
    for slot in _slots(population, "momentary"):
        events = by_slot[slot.slot_id]
        assert 1 <= len({_day(e) for e in events}) == len(events) <= 2
        for event in events:
            marked.append(has_momentary_marker(event["content"]))
            assert _statement_stance(event["content"]) == (slot.topic, slot.stance, True)
    assert any(marked) and not all(marked)  # the test part: some say so only by their situation
    dev = simulate(30, seed=11, bank="dev")
    requests = [e for s in dev.truth if s.kind == "momentary" for e in dev.events if _slot_of(e) == s.slot_id]
    assert requests and all(has_momentary_marker(e["content"]) for e in requests)
    durable = [e for s in population.truth if s.kind != "momentary" for e in by_slot[s.slot_id]]
    assert not any(has_momentary_marker(e["content"]) for e in durable if e["type"] == "message")


def test_swapped_order_points_at_the_same_underlying_option(population: Population) -> None:
    swapped = 0
    for event in population.events:
        if event["type"] != "answer":
            continue
        canonical = list(ITEMS_BY_ID[event["item_id"]].options)
        condition = event.get("condition") or ""
        reversed_order = condition.startswith("order-") and condition != "order-" + "abc"[: len(canonical)]
        assert event["options"] == (canonical[::-1] if reversed_order else canonical)
        assert _underlying(event) == event["metadata"]["sim_value"]
        swapped += reversed_order
    assert swapped >= 20


def test_by_default_some_genuine_occurrences_slip(population: Population) -> None:
    assert population.slips == 0.05 and population.bank == "test"
    genuine = {s.slot_id: s.stance for s in population.truth if s.kind == "genuine"}
    pairs = [
        (e["metadata"]["sim_value"], genuine[str(_slot_of(e))])
        for e in population.events
        if _slot_of(e) in genuine
    ]
    assert 0 < sum(said != held for said, held in pairs) < 0.08 * len(pairs)


def test_without_slips_genuine_slots_are_perfectly_consistent() -> None:
    quiet = simulate(40, seed=5, slips=0.0)
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in quiet.events:
        if "metadata" in event:
            grouped[event["metadata"]["sim_slot"]].append(event)
    for slot in quiet.truth:
        if slot.kind != "genuine":
            continue
        for event in grouped[slot.slot_id]:
            assert event["metadata"]["sim_value"] == slot.stance
            if event["type"] == "answer":
                assert _underlying(event) == slot.stance
            elif event["type"] == "message":
                assert _statement_stance(event["content"])[1] == slot.stance


def test_slips_turn_some_genuine_occurrences_but_never_the_majority() -> None:
    slipping = simulate(40, seed=5, slips=0.3)
    values: dict[str, list[int]] = defaultdict(list)
    for event in slipping.events:
        if "metadata" in event:
            values[event["metadata"]["sim_slot"]].append(event["metadata"]["sim_value"])
    genuine = [s for s in slipping.truth if s.kind == "genuine" and s.source != "choice"]
    flipped = [s for s in genuine if any(v != s.stance for v in values[s.slot_id])]
    assert len(flipped) >= 10
    assert all(values[s.slot_id].count(_held(s)) > len(values[s.slot_id]) / 2 for s in genuine)


def test_same_seed_same_population_and_users_do_not_depend_on_population_size() -> None:
    first, again = simulate(12, seed=3), simulate(12, seed=3)
    assert first.events == again.events and first.truth == again.truth
    assert simulate(12, seed=4).events != first.events
    smaller = simulate(5, seed=3)
    assert smaller.truth == [s for s in first.truth if s.user_id < "u0005"]
    assert smaller.events == [e for e in first.events if e["user_id"] < "u0005"]


def test_start_days_and_arguments() -> None:
    later = simulate(3, days=8, start=datetime(2025, 6, 1, 15, 30))
    dates = {_day(e) for e in later.events}
    assert min(dates) >= "2025-06-01" and max(dates) <= "2025-06-08"
    assert simulate(0).events == []
    with pytest.raises(ValueError, match="days"):
        simulate(1, days=5)
    with pytest.raises(ValueError, match="slips"):
        simulate(1, slips=1.5)
    tz_start = simulate(1, start=datetime(2025, 6, 1, 23, 0, tzinfo=UTC))
    assert min(_day(e) for e in tz_start.events) >= "2025-06-01"


def test_files_round_trip_through_the_importer(population: Population, tmp_path: Path) -> None:
    log, truth = tmp_path / "events.jsonl", tmp_path / "truth.json"
    assert write_jsonl(population, log) == len(population.events)
    assert write_truth(population, truth) == len(population.truth)
    assert read_truth(truth) == population.truth
    parsed = parse_event_log(log.read_bytes().splitlines())
    assert not parsed.problems and len(parsed.events) == len(population.events)
    records = list(events_to_records(parsed.events))
    linked = {r.metadata["sim_slot"] for r in records if "sim_slot" in r.metadata}
    assert linked == set(population.slots())


def test_size_stays_modest() -> None:
    hundred = simulate(100, seed=1)
    per_user = len(hundred.events) / 100
    assert 50 <= per_user <= 120
