"""The semantic store: preferences per user in SQLite, the user's own decisions, forgetting, atomicity."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from prefmem.memory.errors import InvalidInputError, UnknownPreferenceError
from prefmem.memory.models import utc_now
from prefmem.memory.preferences import HistoryEntry, Preference, PreferenceKind, Support
from prefmem.memory.semantic.store import SemanticStore

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
GONE = "gone-user-k3"
KEPT = "kept-user-p8"
GONE_MARKER = "zorblaxquux"
KEPT_MARKER = "flimwuzzet"


def pref(
    user: str,
    topic: str,
    *,
    kind: PreferenceKind = "genuine",
    stability: float = 0.75,
    value: str = "+",
    item_id: str | None = None,
) -> Preference:
    return Preference(
        id=f"p-{user}-{topic.replace(' ', '_')}",
        user_id=user,
        slot=f"topic:{topic}",
        statement=f"Likes {topic}",
        kind=kind,
        value=value,
        topic=topic,
        item_id=item_id,
        stability=stability,
        support=Support(signals=3, occasions=2, conditions=1),
        first_seen=T0,
        last_seen=T0 + timedelta(days=1),
        evidence_ids=[f"e-{topic}-1", f"e-{topic}-2"],
        reason="100% agreement over 2 occasions",
        history=[HistoryEntry(at=T0, kind=kind, value=value, stability=stability, note="first seen")],
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / SemanticStore.FILE_NAME


@pytest.fixture
def store(path: Path) -> Iterator[SemanticStore]:
    opened = SemanticStore(path)
    yield opened
    opened.close()


def test_save_and_load_round_trip(store: SemanticStore, path: Path) -> None:
    saved = [
        pref("u", "short answers", stability=0.9),
        pref("u", "jazz", kind="tentative", stability=0.4),
        pref("u", "which season", kind="non_attitude", stability=0.0, value="winter", item_id="q1"),
    ]
    store.save_user("u", saved, "fp-1")
    assert store.preferences("u") == sorted(saved, key=lambda p: -p.stability)
    assert store.get(saved[1].id) == saved[1]
    assert store.preferences("u", kinds=["tentative", "non_attitude"]) == [saved[1], saved[2]]
    assert store.preferences("u", kinds=["constructed"]) == []
    assert store.preferences("someone else") == []
    assert store.users() == ["u"]

    store.close()
    reopened = SemanticStore(path)
    try:
        assert reopened.preferences("u") == sorted(saved, key=lambda p: -p.stability)
        assert reopened.fingerprint("u") == "fp-1"
    finally:
        reopened.close()


def test_saving_replaces_the_users_preferences(store: SemanticStore) -> None:
    store.save_user("u", [pref("u", "a"), pref("u", "b")], "fp-1")
    store.save_user("v", [pref("v", "a")], "fp-v")
    store.save_user("u", [pref("u", "c")], "fp-2")
    assert [p.topic for p in store.preferences("u")] == ["c"]
    assert [p.topic for p in store.preferences("v")] == ["a"]
    assert store.fingerprint("u") == "fp-2"


def test_fingerprint(store: SemanticStore) -> None:
    assert store.fingerprint("u") is None
    store.save_user("u", [], "fp-empty")
    assert store.fingerprint("u") == "fp-empty"
    assert store.preferences("u") == []
    assert store.users() == ["u"]


def test_confirm_keeps_the_preference_as_the_users_word(store: SemanticStore) -> None:
    original = pref("u", "jazz")
    store.save_user("u", [original], "fp")
    confirmed = store.confirm(original.id)
    assert confirmed.user_status == "confirmed"
    assert store.get(original.id) == confirmed
    assert (confirmed.kind, confirmed.statement) == (original.kind, original.statement)
    assert len(confirmed.history) == 2
    assert confirmed.history[-1].note == "confirmed by the user"


def test_edit_rewrites_the_statement(store: SemanticStore) -> None:
    original = pref("u", "jazz")
    store.save_user("u", [original], "fp")
    edited = store.edit(original.id, "  Loves cool jazz, not bebop  ")
    assert (edited.statement, edited.user_status) == ("Loves cool jazz, not bebop", "edited")
    assert store.get(original.id).statement == "Loves cool jazz, not bebop"
    assert "edited by the user" in store.get(original.id).history[-1].note


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_edit_is_refused(store: SemanticStore, text: str) -> None:
    original = pref("u", "jazz")
    store.save_user("u", [original], "fp")
    with pytest.raises(InvalidInputError):
        store.edit(original.id, text)
    assert store.get(original.id) == original


def test_delete_removes_and_leaves_a_tombstone(store: SemanticStore) -> None:
    keep, drop = pref("u", "jazz"), pref("u", "horror films")
    store.save_user("u", [keep, drop], "fp")
    before = utc_now()
    deleted = store.delete(drop.id)
    assert deleted == drop
    assert store.preferences("u") == [keep]
    with pytest.raises(UnknownPreferenceError):
        store.get(drop.id)
    tombstones = store.deleted_slots("u")
    assert list(tombstones) == ["topic:horror films"]
    assert before - timedelta(seconds=1) <= tombstones["topic:horror films"] <= utc_now()
    assert store.deleted_slots("v") == {}
    assert store.fingerprint("u") == "fp"  # deleting does not invalidate the consolidation


@pytest.mark.parametrize("action", ["get", "confirm", "delete", "edit"])
def test_unknown_ids_are_refused(store: SemanticStore, action: str) -> None:
    store.save_user("u", [pref("u", "jazz")], "fp")
    with pytest.raises(UnknownPreferenceError) as raised:
        if action == "edit":
            store.edit("p-nope", "text")
        else:
            getattr(store, action)("p-nope")
    assert raised.value.preference_id == "p-nope"
    assert store.deleted_slots("u") == {}
    assert [p.user_status for p in store.preferences("u")] == [None]


def test_topic_vector_cache(store: SemanticStore) -> None:
    vector = np.arange(4, dtype=np.float32)
    store.store_vectors("emb", {"jazz": vector})
    found = store.cached_vectors("emb", ["jazz", "tea"])
    assert list(found) == ["jazz"]
    np.testing.assert_array_equal(found["jazz"], vector)
    assert store.cached_vectors("other", ["jazz"]) == {}
    many = [f"t{i}" for i in range(1200)]  # more than one query chunk
    store.store_vectors("emb", {t: vector for t in many})
    assert len(store.cached_vectors("emb", many)) == 1200


def _files_containing(folder: Path, needle: str) -> list[str]:
    data = needle.encode()
    return sorted(p.name for p in folder.iterdir() if p.is_file() and data in p.read_bytes())


def test_forget_user_removes_only_that_user_and_leaves_no_trace(store: SemanticStore, path: Path) -> None:
    gone = [pref(GONE, f"{GONE_MARKER} music {n}") for n in range(200)]
    kept = [pref(KEPT, f"{KEPT_MARKER} music {n}") for n in range(200)]
    store.save_user(GONE, gone, "fp-gone")
    store.save_user(KEPT, kept, "fp-kept")
    store.confirm(gone[0].id)
    store.delete(gone[1].id)  # a tombstone naming the user's topic
    # what consolidation caches for the user's topics
    store.store_vectors("emb", {p.topic: np.ones(8, dtype=np.float32) for p in gone[:20] + kept[:20]})
    assert _files_containing(path.parent, GONE_MARKER)  # the test can fail: it is on disk now
    assert _files_containing(path.parent, GONE)

    removed = store.forget_user(GONE)

    assert removed == 199
    assert store.preferences(GONE) == []
    assert store.fingerprint(GONE) is None
    assert store.deleted_slots(GONE) == {}
    assert store.users() == [KEPT]
    assert store.preferences(KEPT) == sorted(kept, key=lambda p: (-p.stability, p.statement))
    assert store.fingerprint(KEPT) == "fp-kept"
    assert _files_containing(path.parent, GONE_MARKER) == []
    assert _files_containing(path.parent, GONE) == []
    assert _files_containing(path.parent, KEPT_MARKER)  # the other user's data is still there
    store.close()
    reopened = SemanticStore(path)
    try:
        assert len(reopened.preferences(KEPT)) == 200
    finally:
        reopened.close()


def test_forgetting_an_unknown_user_removes_nothing(store: SemanticStore) -> None:
    store.save_user("u", [pref("u", "jazz")], "fp")
    assert store.forget_user("nobody") == 0
    assert len(store.preferences("u")) == 1


def test_in_memory_store_forgets_too() -> None:
    store = SemanticStore.in_memory()
    store.save_user("u", [pref("u", "jazz")], "fp")
    assert store.forget_user("u") == 1
    assert store.preferences("u") == [] and store.users() == []


class _CrashingConnection:
    """A connection whose executemany writes the first row and then fails, as a crash would."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    def executemany(self, sql: str, rows: Any) -> Any:
        rows = list(rows)
        self._db.execute(sql, rows[0])
        raise sqlite3.OperationalError("disk I/O error (simulated)")


def test_a_crash_inside_save_user_leaves_the_old_state(
    store: SemanticStore, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = [pref("u", "jazz"), pref("u", "tea")]
    store.save_user("u", old, "fp-old")
    store.save_user("v", [pref("v", "cats")], "fp-v")

    monkeypatch.setattr(store, "_db", _CrashingConnection(store._db))
    with pytest.raises(sqlite3.OperationalError):
        store.save_user("u", [pref("u", "coffee"), pref("u", "rock"), pref("u", "pop")], "fp-new")
    monkeypatch.undo()

    assert store.preferences("u") == sorted(old, key=lambda p: p.statement)
    assert store.fingerprint("u") == "fp-old"
    assert len(store.preferences("v")) == 1
    # the store still works, and another connection sees the same old state
    other = SemanticStore(path)
    try:
        assert [p.topic for p in other.preferences("u")] == ["jazz", "tea"]
        assert other.fingerprint("u") == "fp-old"
    finally:
        other.close()
    store.save_user("u", [pref("u", "coffee")], "fp-new")
    assert [p.topic for p in store.preferences("u")] == ["coffee"]


def test_an_unreadable_file_is_a_data_folder_error(path: Path) -> None:
    from prefmem.memory.errors import DataFolderError

    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DataFolderError):
        SemanticStore(path)
