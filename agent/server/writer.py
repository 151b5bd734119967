"""Storing exchanges: one writer thread, batching whatever is waiting into one write.

A store write is dominated by its fixed cost, so a single background thread drains the queue
and stores each user's waiting exchanges in one `Memory.add_many` call (its private form
`_add_many`; the episodic store holds a collection per user, so a write covers one user).
Exchanges are stored in the order they were submitted, so each user's stay in order.

Two ways to wait: `store` returns once the exchange is stored (durable before the reply);
`submit` returns at once, with the queue bounded (`max_pending`: a full queue makes the
next submitter wait, so memory stays bounded under load) and `flush` waiting until every
submitted exchange is stored (the server flushes at shutdown). `wait_for_user` waits for
one user's: the server calls it before recalling, so a user's next request always sees
their earlier exchanges (a client's next message usually comes after the write is done).
Consolidation is not run here: the server schedules it in the background (see `consolidator`).

Exchanges are stored with `defer_index`: the write that a reply or a recall waits for is the
text store's alone, and the vector index (whose every write has a fixed cost of milliseconds)
receives each user's waiting vectors in one write, off every request's path: `index_delay_s`
after the first of them, or as soon as no exchange came for a moment (`_IDLE_S`), or at close.
Under load one index write thus covers a user's exchanges of a whole second; recall in this
process finds the waiting ones meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any

from prefmem.api import Memory
from prefmem.memory.errors import BackendError, PrefmemError, UsageError

log = logging.getLogger(__name__)

_Item = tuple[Mapping[str, Any], "Future[str]"]
#: Waiting vectors are indexed at once when no exchange came for this long (a quiet server).
_IDLE_S = 0.05
#: While exchanges keep coming, an index write is followed by a pause this many times as long as
#: it took: index writes hold the Memory's lock at most 1 / (1 + _PACE) of the time, so requests
#: are not held up by a burst of them (the first write of a user creates their collection: tens
#: of milliseconds on a busy disk).
_PACE = 1.0


class ExchangeWriter:
    """Stores exchanges (`Memory.add` arguments by name) from many threads, in batches."""

    def __init__(
        self,
        memory: Memory,
        *,
        max_batch: int = 256,
        max_pending: int = 1024,
        index_delay_s: float = 1.0,
        on_stored: Callable[[str], None] | None = None,
    ) -> None:
        self._memory = memory
        self._max_batch = max_batch
        self._max_pending = max_pending
        self._index_delay_s = index_delay_s
        self._on_stored = on_stored
        self._queue: list[_Item] = []
        self._pending: dict[str, int] = {}  # user -> exchanges submitted and not yet stored
        self._unindexed: dict[str, float] = {}  # user -> when their index write is due (monotonic)
        self._last_submit = time.monotonic()
        self._index_after = 0.0  # no index write before this (monotonic): see _PACE
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
            self._last_submit = time.monotonic()
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
                while not self._queue and not self._closed and self._next_to_index() is None:
                    self._condition.wait(self._until_index_due())
                batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
                user = self._next_to_index()
                if user is not None:
                    del self._unindexed[user]
                elif not batch:
                    return  # closed, and everything is stored and indexed
                self._writing = len(batch)
                self._condition.notify_all()  # room in the queue again
            try:
                if batch:
                    self._write(batch)
            finally:
                with self._condition:
                    self._writing = 0
                    self._condition.notify_all()
            if user is not None:
                started = time.monotonic()
                self._index(user)
                took = time.monotonic() - started
                with self._condition:
                    self._index_after = time.monotonic() + _PACE * took

    def _next_to_index(self) -> str | None:
        """The user whose vectors are due in the index first, if any is due: after the delay,
        or sooner when no exchange came for a moment or the writer is closing (the caller
        holds the condition)."""
        if not self._unindexed:
            return None
        user = min(self._unindexed, key=self._unindexed.__getitem__)
        now = time.monotonic()
        if self._closed or now - self._last_submit >= _IDLE_S:
            return user
        if self._unindexed[user] <= now and self._index_after <= now:
            return user
        return None

    def _until_index_due(self) -> float | None:
        """Seconds until `_next_to_index` may name a user (None: nothing waits to be indexed)."""
        if not self._unindexed:
            return None
        now = time.monotonic()
        due = max(min(self._unindexed.values()), self._index_after)
        return max(0.0, min(due, self._last_submit + _IDLE_S) - now)

    def _index(self, user: str) -> None:
        """Move the user's waiting vectors into the index (a failure is retried after the delay;
        recall finds them meanwhile, and the next open of the store indexes them anyway)."""
        try:
            self._memory._flush_index(user)
        except UsageError as error:
            # not retried: the Memory was closed (which indexed everything first), or the write is
            # refused whatever the time; recall still finds the vectors, the next open indexes them
            log.debug("indexing the exchanges of %s: %s", user, error)
        except Exception as error:
            log.warning("indexing the exchanges of %s failed (retried later): %s", user, error)
            with self._condition:
                if not self._closed:
                    self._unindexed.setdefault(user, time.monotonic() + self._index_delay_s)

    def _stored_unindexed(self, user: str) -> None:
        with self._condition:
            self._unindexed.setdefault(user, time.monotonic() + self._index_delay_s)

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
            ids = self._add([exchange for exchange, _ in batch])
        except PrefmemError:
            # one exchange spoiled the batch (or the store failed): each on its own, so every
            # exchange gets its own result or error
            for exchange, done in batch:
                try:
                    self._stored(exchange, done, self._add([exchange])[0])
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

    def _add(self, exchanges: list[Mapping[str, Any]]) -> list[str]:
        ids = self._memory._add_many(exchanges, consolidate=False, defer_index=True)
        self._stored_unindexed(str(exchanges[0].get("user_id")))
        return ids

    def _stored(self, exchange: Mapping[str, Any], done: Future[str], record_id: str) -> None:
        if self._on_stored is not None:
            self._on_stored(str(exchange["user_id"]))
        done.set_result(record_id)
