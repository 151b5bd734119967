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

    def add_many(self, exchanges: Sequence[Mapping[str, Any]], *, consolidate: bool = True) -> list[str]:
        if not self.batches:
            self.entered.set()
            assert self.release.wait(10)
        self.batches.append(len(exchanges))
        return self.memory.add_many(exchanges, consolidate=consolidate)


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
    real_add_many = server_memory.add_many

    def slow_add_many(exchanges: Sequence[Mapping[str, Any]], *, consolidate: bool = True) -> list[str]:
        assert release.wait(10)
        return real_add_many(exchanges, consolidate=consolidate)

    monkeypatch.setattr(server_memory, "add_many", slow_add_many)
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
