"""Group commit: the exchanges of concurrent requests are stored together, in one write.

A store write costs about the same for one record as for dozens (it is dominated by the
commit), so under load the writes of waiting requests are gathered: the first request to
reach the store writes every exchange queued so far, and each request returns once its own
exchange is stored (it is never answered before its exchange is durable). A lone request
writes at once, as before; nothing waits on a timer. Consolidation is not run here: the
server schedules it in the background (see `consolidator`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any

from prefmem.api import Memory
from prefmem.memory.errors import PrefmemError


class ExchangeWriter:
    """Stores exchanges (`Memory.add` arguments) for many threads, batching those that wait."""

    def __init__(self, memory: Memory, *, max_batch: int = 64) -> None:
        self._memory = memory
        self._max_batch = max_batch
        self._queue: list[tuple[Mapping[str, Any], Future[str]]] = []
        self._queue_lock = threading.Lock()
        self._write_lock = threading.Lock()

    def store(self, exchange: Mapping[str, Any]) -> str:
        """Store one exchange, together with any others waiting; its record id once written."""
        done: Future[str] = Future()
        with self._queue_lock:
            self._queue.append((exchange, done))
        while not done.done():
            with self._write_lock:
                if done.done():
                    break
                with self._queue_lock:
                    batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
                self._write(batch)
        return done.result()

    def _write(self, batch: list[tuple[Mapping[str, Any], Future[str]]]) -> None:
        if not batch:
            return
        try:
            ids = self._memory.add_many([exchange for exchange, _ in batch], consolidate=False)
        except PrefmemError:
            # one exchange spoiled the batch (or the store failed): each on its own, so every
            # request gets its own result or error
            for exchange, done in batch:
                try:
                    done.set_result(self._memory.add_many([exchange], consolidate=False)[0])
                except BaseException as error:
                    done.set_exception(error)
            return
        except BaseException as error:
            for _, done in batch:
                done.set_exception(error)
            raise
        for (_, done), record_id in zip(batch, ids, strict=True):
            done.set_result(record_id)
