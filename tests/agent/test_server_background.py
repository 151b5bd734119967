"""The server's background parts: group commit of exchanges, consolidation off the request path."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from prefmem import Memory
from prefmem.agent.server import writer as writer_module
from prefmem.agent.server.consolidator import BackgroundConsolidator
from prefmem.agent.server.writer import ExchangeWriter
from prefmem.memory.errors import InvalidInputError


class _SlowFirstWrite:
    """A Memory stand-in whose first write waits until the test releases it; records batch sizes."""

    def __init__(self, memory: Memory) -> None:
        self.memory = memory
        self.batches: list[int] = []
        self.release = threading.Event()
        self.entered = threading.Event()

    def _add_many(
        self, exchanges: Sequence[Mapping[str, Any]], *, consolidate: bool, defer_index: bool
    ) -> list[str]:
        if not self.batches:
            self.entered.set()
            assert self.release.wait(10)
        self.batches.append(len(exchanges))
        return self.memory._add_many(exchanges, consolidate=consolidate, defer_index=defer_index)

    def _flush_index(self, user_id: str | None = None) -> int:
        return self.memory._flush_index(user_id)


def test_exchanges_waiting_for_a_write_are_stored_together(server_memory: Memory) -> None:
    spy = _SlowFirstWrite(server_memory)
    writer = ExchangeWriter(spy)  # type: ignore[arg-type]
    ids: dict[int, str] = {}

    def store(number: int) -> None:
        ids[number] = writer.store({"user_id": f"u{number % 3}", "message": f"note {number}"})

    first = threading.Thread(target=store, args=(0,))
    first.start()
    assert spy.entered.wait(10)
    others = [threading.Thread(target=store, args=(n,)) for n in range(1, 9)]
    for thread in others:
        thread.start()
    time.sleep(0.2)  # all eight are queued behind the first write
    spy.release.set()
    for thread in [first, *others]:
        thread.join(10)
    # the first write held; the eight queued behind it went in one write per user
    assert spy.batches[0] == 1 and sorted(spy.batches[1:]) == [2, 3, 3]
    assert len(set(ids.values())) == 9
    stored = sorted(
        e.interaction.user_text for u in range(3) for e in server_memory.recall(f"u{u}", None, k=9)
    )
    assert stored == sorted(f"note {n}" for n in range(9))


def test_a_bad_exchange_fails_alone(server_memory: Memory) -> None:
    writer = ExchangeWriter(server_memory)
    assert writer.store({"user_id": "ana", "message": "fine"})
    with pytest.raises(InvalidInputError, match="empty"):
        writer.store({"user_id": "ana", "message": "   "})
    assert [e.interaction.user_text for e in server_memory.recall("ana", None)] == ["fine"]


def _statements(memory: Memory, user: str, consolidator: BackgroundConsolidator) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for day in range(3):
        memory.add(user, "I love playing the harmonica in the evening", timestamp=start + timedelta(days=day))
        consolidator.stored(user)


def _wait_for(condition: Any, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_due_users_are_consolidated_once_requests_are_quiet(server_memory: Memory) -> None:
    consolidator = BackgroundConsolidator(server_memory, every=3, idle_s=0.05, within_s=60)
    try:
        with consolidator.request():  # a request in flight holds consolidation back
            _statements(server_memory, "ana", consolidator)
            time.sleep(0.3)
            assert consolidator.pending() == ["ana"] and server_memory.preferences("ana") == []
        assert _wait_for(lambda: consolidator.runs == 1)
        assert [p.kind for p in server_memory.preferences("ana")] == ["genuine"]
    finally:
        consolidator.stop()


def test_sustained_load_still_consolidates_within_the_deadline(server_memory: Memory) -> None:
    consolidator = BackgroundConsolidator(server_memory, every=3, idle_s=10, within_s=0.2)
    try:
        with consolidator.request():
            _statements(server_memory, "ana", consolidator)
            assert _wait_for(lambda: consolidator.runs == 1, seconds=10)
    finally:
        consolidator.stop()


def test_no_consolidation_when_turned_off(server_memory: Memory) -> None:
    consolidator = BackgroundConsolidator(server_memory, every=0, idle_s=0, within_s=0)
    _statements(server_memory, "ana", consolidator)
    assert consolidator.pending() == [] and server_memory.preferences("ana") == []
    consolidator.stop()


def test_write_behind_replies_before_the_exchange_is_stored(
    make_app: Callable[..., FastAPI], server_memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_add_many = server_memory._add_many

    def slow_add_many(
        exchanges: Sequence[Mapping[str, Any]], *, consolidate: bool, defer_index: bool
    ) -> list[str]:
        assert release.wait(10)
        return real_add_many(exchanges, consolidate=consolidate, defer_index=defer_index)

    monkeypatch.setattr(server_memory, "_add_many", slow_add_many)
    app = make_app(write_behind=True)
    body = {"model": "m", "user": "ana", "messages": [{"role": "user", "content": "I sail on Sundays"}]}
    with TestClient(app) as client:
        started = time.monotonic()
        assert client.post("/v1/chat/completions", json=body).status_code == 200
        assert time.monotonic() - started < 5  # answered while the store was still held up
        replies: list[dict[str, Any]] = []
        traced = threading.Thread(
            target=lambda: replies.append(
                client.post("/v1/chat/completions", json={**body, "prefmem": {"trace": True}}).json()
            )
        )
        traced.start()
        time.sleep(0.2)
        assert traced.is_alive()  # the user's next request waits for their earlier exchange
        release.set()
        traced.join(10)
    [reply] = replies
    recalled = [e["interaction"]["user_text"] for e in reply["prefmem_trace"]["recalled"]]
    assert recalled == ["I sail on Sundays"]  # ... so that recall sees it
    # leaving the client ran the app's shutdown, which stores everything queued
    assert len(server_memory.recall("ana", None)) == 2


class _CountedIndex:
    """Wraps the episodic store's vector index, recording the ids of each write."""

    def __init__(self, index: Any) -> None:
        self.index = index
        self.writes: list[list[str]] = []

    def add(self, name: str, ids: list[str], vectors: Any, embedder: str) -> None:
        self.writes.append(list(ids))
        self.index.add(name, ids, vectors, embedder)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.index, name)


def test_a_users_waiting_exchanges_reach_the_index_in_one_write(
    server_memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = server_memory._parts.store
    counted = _CountedIndex(store._index)  # type: ignore[attr-defined]
    monkeypatch.setattr(store, "_index", counted)
    writer = ExchangeWriter(server_memory, index_delay_s=60.0)
    done = [writer.submit({"user_id": "ana", "message": f"kayak trip number {n}"}) for n in range(6)]
    writer.flush()
    ids = [future.result() for future in done]
    # stored and recalled at once, from the vectors waiting in memory
    found = server_memory.recall("ana", "kayak trip", mode="similarity", k=10)
    assert {e.id for e in found} == set(ids)
    # the server fell quiet: the six went into the index together, long before the delay
    deadline = time.monotonic() + 10
    while store.waiting_vectors() and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.01)
    assert store.waiting_vectors() == 0  # type: ignore[attr-defined]
    assert [len(write) for write in counted.writes] == [6]
    writer.close()


def test_closing_the_writer_indexes_every_waiting_exchange(
    server_memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "_IDLE_S", 60.0)  # no early write when the server is quiet
    store = server_memory._parts.store
    writer = ExchangeWriter(server_memory, index_delay_s=60.0)
    for n in range(3):
        writer.submit({"user_id": f"u{n}", "message": f"a note about sailing {n}"})
        writer.flush()  # stored; the vectors wait
    time.sleep(0.2)
    assert store.waiting_vectors() == 3  # type: ignore[attr-defined]
    writer.close()
    assert store.waiting_vectors() == 0  # type: ignore[attr-defined]
    assert all(len(server_memory.recall(f"u{n}", "sailing", mode="similarity")) == 1 for n in range(3))
