"""Consolidation off the request path: due users are consolidated in the background, when idle.

A user is due after consolidation.every_n_interactions stored exchanges (as in `prefmem
chat`). Consolidating takes the Memory's lock and its cost grows with the user's history, so
no reply waits for it: a background thread consolidates due users once no chat request has
been in flight for `idle_s` seconds, or, under sustained load, at the latest `within_s`
seconds after the user became due.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prefmem.api import Memory
from prefmem.memory.errors import PrefmemError

log = logging.getLogger(__name__)


class BackgroundConsolidator:
    """Counts each user's stored exchanges and consolidates due users in a background thread."""

    def __init__(self, memory: Memory, *, every: int, idle_s: float, within_s: float) -> None:
        self._memory = memory
        self._every = every
        self._idle_s = idle_s
        self._within_s = within_s
        self._counts: dict[str, int] = {}
        self._due: dict[str, float] = {}  # user -> when it became due
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._condition = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self.runs = 0

    @contextmanager
    def request(self) -> Iterator[None]:
        """Mark a chat request in flight (consolidation waits for a quiet moment)."""
        with self._condition:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._condition:
                self._in_flight -= 1
                self._last_activity = time.monotonic()
                self._condition.notify_all()

    def stored(self, user_id: str) -> None:
        """Count one stored exchange of the user; due users are consolidated later."""
        if self._every <= 0:
            return
        with self._condition:
            self._counts[user_id] = self._counts.get(user_id, 0) + 1
            if self._counts[user_id] >= self._every:
                self._counts[user_id] = 0
                self._due.setdefault(user_id, time.monotonic())
                self._start()
                self._condition.notify_all()

    def pending(self) -> list[str]:
        with self._condition:
            return list(self._due)

    def stop(self) -> None:
        """Stop the thread (a consolidation under way finishes first)."""
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=300)

    def _start(self) -> None:
        if self._thread is None and not self._stopped:
            self._thread = threading.Thread(target=self._run, name="prefmem-consolidate", daemon=True)
            self._thread.start()

    def _next_user(self) -> str | None:
        """Wait for a due user and a quiet moment (or its deadline); None once stopped."""
        with self._condition:
            while not self._stopped:
                if self._due:
                    user_id, since = min(self._due.items(), key=lambda item: item[1])
                    now = time.monotonic()
                    quiet_at = self._last_activity + self._idle_s
                    if (self._in_flight == 0 and now >= quiet_at) or now >= since + self._within_s:
                        del self._due[user_id]
                        return user_id
                    wake = min(
                        since + self._within_s, quiet_at if self._in_flight == 0 else since + self._within_s
                    )
                    self._condition.wait(timeout=max(0.01, wake - now))
                else:
                    self._condition.wait()
            return None

    def _run(self) -> None:
        while (user_id := self._next_user()) is not None:
            try:
                self._memory.consolidate(user_id)
                self.runs += 1
            except PrefmemError as error:  # a closed Memory or a failing store: note it, keep serving
                log.warning("consolidating %s failed: %s", user_id, error)
