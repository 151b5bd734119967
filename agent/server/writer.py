"""Storing exchanges: one writer thread, batching whatever is waiting into one write.

A store write is dominated by its fixed cost, so a single background thread drains the queue
and stores each user's waiting exchanges in one `Memory.add_many` call (the episodic store
holds a collection per user, so a write covers one user).
Exchanges are stored in the order they were submitted, so each user's stay in order.

Two ways to wait: `store` returns once the exchange is stored (durable before the reply);
`submit` returns at once, with the queue bounded (`max_pending`: a full queue makes the
next submitter wait, so memory stays bounded under load) and `flush` waiting until every
submitted exchange is stored (the server flushes at shutdown). `wait_for_user` waits for
one user's: the server calls it before recalling, so a user's next request always sees
their earlier exchanges (a client's next message usually comes after the write is done).
Consolidation is not run here: the server schedules it in the background (see `consolidator`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any

from prefmem.api import Memory
from prefmem.memory.errors import BackendError, PrefmemError

log = logging.getLogger(__name__)

_Item = tuple[Mapping[str, Any], "Future[str]"]


class ExchangeWriter:
    """Stores exchanges (`Memory.add` arguments by name) from many threads, in batches."""

    def __init__(
        self,
        memory: Memory,
        *,
        max_batch: int = 256,
        max_pending: int = 1024,
        on_stored: Callable[[str], None] | None = None,
    ) -> None:
        self._memory = memory
        self._max_batch = max_batch
        self._max_pending = max_pending
        self._on_stored = on_stored
        self._queue: list[_Item] = []
        self._pending: dict[str, int] = {}  # user -> exchanges submitted and not yet stored
        self._writing = 0
        self._condition = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None

    def submit(self, exchange: Mapping[str, Any]) -> Future[str]:
        """Queue the exchange; the future holds its record id (or error) once it is stored."""
        done: Future[str] = Future()
        with self._condition:
            while len(self._queue) >= self._max_pending and not self._closed:
                self._condition.wait()
            if self._closed:
                raise BackendError("the server is shutting down: the exchange was not stored")
            self._queue.append((exchange, done))
            user = str(exchange.get("user_id"))
            self._pending[user] = self._pending.get(user, 0) + 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="prefmem-writer", daemon=True)
                self._thread.start()
            self._condition.notify_all()
        return done

    def store(self, exchange: Mapping[str, Any]) -> str:
        """Store the exchange (with any others waiting); its record id once written."""
        return self.submit(exchange).result()

    def flush(self, timeout_s: float | None = None) -> bool:
        """Wait until everything submitted so far is stored; False if the timeout came first."""
        with self._condition:
            return self._condition.wait_for(lambda: not self._queue and not self._writing, timeout=timeout_s)

    def wait_for_user(self, user_id: str, timeout_s: float | None = None) -> bool:
        """Wait until the user's submitted exchanges are stored (so a recall sees them)."""
        with self._condition:
            return self._condition.wait_for(lambda: not self._pending.get(user_id), timeout=timeout_s)

    def close(self, timeout_s: float = 300.0) -> None:
        """Store what is queued, then stop the thread; later submissions are refused."""
        self.flush(timeout_s)
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: bool(self._queue) or self._closed)
                if not self._queue:
                    return
                batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
                self._writing = len(batch)
                self._condition.notify_all()  # room in the queue again
            try:
                self._write(batch)
            finally:
                with self._condition:
                    self._writing = 0
                    self._condition.notify_all()

    def _write(self, batch: list[_Item]) -> None:
        """Store the batch one user at a time: the Memory's lock is let go between users, so
        requests waiting to recall are held up by one user's write, not by the whole batch."""
        by_user: dict[str, list[_Item]] = {}
        for item in batch:
            by_user.setdefault(str(item[0].get("user_id")), []).append(item)
        for items in by_user.values():
            self._write_user(items)

    def _write_user(self, batch: list[_Item]) -> None:
        try:
            self._store_user(batch)
        finally:
            user = str(batch[0][0].get("user_id"))
            with self._condition:
                left = self._pending.get(user, 0) - len(batch)
                if left > 0:
                    self._pending[user] = left
                else:
                    self._pending.pop(user, None)
                self._condition.notify_all()

    def _store_user(self, batch: list[_Item]) -> None:
        try:
            ids = self._memory.add_many([exchange for exchange, _ in batch], consolidate=False)
        except PrefmemError:
            # one exchange spoiled the batch (or the store failed): each on its own, so every
            # exchange gets its own result or error
            for exchange, done in batch:
                try:
                    self._stored(exchange, done, self._memory.add_many([exchange], consolidate=False)[0])
                except BaseException as error:
                    log.warning("an exchange of %s was not stored: %s", exchange.get("user_id"), error)
                    done.set_exception(error)
            return
        except BaseException as error:
            log.exception("storing %d exchanges failed", len(batch))
            for _, done in batch:
                done.set_exception(error)
            return
        for (exchange, done), record_id in zip(batch, ids, strict=True):
            self._stored(exchange, done, record_id)

    def _stored(self, exchange: Mapping[str, Any], done: Future[str], record_id: str) -> None:
        if self._on_stored is not None:
            self._on_stored(str(exchange["user_id"]))
        done.set_result(record_id)
