"""Record ids: stable, sortable by time, and different for different content."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from prefmem.memory.episodic.base import id_millis
from prefmem.memory.models import Feedback, Interaction

T0 = datetime(2024, 3, 10, 8, 30, 15, 123000, tzinfo=UTC)


def test_record_id_is_stable_across_equal_records() -> None:
    a = Interaction(user_id="u", session_id="s", timestamp=T0, user_text="hello", assistant_text="hi")
    b = Interaction(user_id="u", session_id="s", timestamp=T0, user_text="hello", assistant_text="hi")
    assert a.record_id() == a.record_id() == b.record_id()
    # a JSON round trip (how stores keep records) gives the same id back
    assert Interaction.model_validate_json(a.model_dump_json()).record_id() == a.record_id()


def test_record_id_is_the_same_for_naive_and_aware_utc_times() -> None:
    naive = Interaction(user_id="u", timestamp=T0.replace(tzinfo=None), user_text="x")
    aware = Interaction(user_id="u", timestamp=T0, user_text="x")
    shifted = Interaction(user_id="u", timestamp=T0.astimezone(timezone(timedelta(hours=-5))), user_text="x")
    assert naive.record_id() == aware.record_id() == shifted.record_id()


def test_record_id_encodes_the_millisecond_timestamp() -> None:
    record = Interaction(user_id="u", timestamp=T0, user_text="x")
    record_id = record.record_id()
    assert id_millis(record_id) == int(T0.timestamp() * 1000)
    millis, digest = record_id.split("-")
    assert len(millis) == 15 and millis.isdigit()
    assert len(digest) == 20 and all(c in "0123456789abcdef" for c in digest)


def test_record_ids_sort_by_time() -> None:
    moments = [
        datetime(1970, 1, 1, 0, 0, 0, 5000, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2001, 9, 9, 1, 46, 40, tzinfo=UTC),  # the 10-digit -> 13-digit ms boundary
        T0,
        T0 + timedelta(milliseconds=1),
        T0 + timedelta(days=3),
        datetime(2286, 11, 20, tzinfo=UTC),
    ]
    records = [
        Interaction(user_id="u", timestamp=moment, user_text=f"text {n}") for n, moment in enumerate(moments)
    ]
    shuffled = records[:]
    random.Random(4).shuffle(shuffled)
    assert [r.timestamp for r in sorted(shuffled, key=lambda r: r.record_id())] == moments


def test_record_id_differs_with_any_content_change() -> None:
    base = Interaction(user_id="u", session_id="s", timestamp=T0, user_text="I like tea", assistant_text="ok")
    variants = [
        base.model_copy(update={"user_text": "I like coffee"}),
        base.model_copy(update={"assistant_text": "noted"}),
        base.model_copy(update={"user_id": "v"}),
        base.model_copy(update={"session_id": "t"}),
        base.model_copy(update={"condition": "formal"}),
        base.model_copy(update={"metadata": {"a": 1}}),
    ]
    ids = {base.record_id(), *(v.record_id() for v in variants)}
    assert len(ids) == len(variants) + 1
    # same content, same millisecond: only the digest part is equal too
    assert all(i.split("-")[0] == base.record_id().split("-")[0] for i in ids)


def test_record_id_distinguishes_record_kinds_and_feedback_fields() -> None:
    choice = Feedback(user_id="u", timestamp=T0, kind="choice", prompt="p", options=["a", "b"], chosen=0)
    other = choice.model_copy(update={"chosen": 1})
    answer = choice.model_copy(update={"kind": "answer"})
    assert len({choice.record_id(), other.record_id(), answer.record_id()}) == 3


def test_timestamps_before_1970_are_refused() -> None:
    with pytest.raises(ValidationError):
        Interaction(user_id="u", timestamp=datetime(1969, 12, 31, 23, 59, tzinfo=UTC), user_text="x")


def test_empty_user_id_is_refused() -> None:
    with pytest.raises(ValidationError):
        Interaction(user_id="", user_text="x")
