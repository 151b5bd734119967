"""Preferences in SQLite: one file in the data folder, every user's update one transaction.

Several processes may share the file (see `prefmem.memory.sqlite_files`): readers never
block, writers take turns. Forgetting a user rewrites the file so none of their words stay.

A consolidation run replaces a user's preferences in a single transaction together
with the fingerprint of the records it read, so a run killed at any moment leaves
either the old state or the new one, and the next run redoes exactly the users whose
fingerprint does not match. Users' own decisions (confirm, edit, delete) live in the
same rows and tables and survive every later run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.consolidation.reasks import ReAsk
from prefmem.memory.errors import UnknownPreferenceError
from prefmem.memory.models import utc_now
from prefmem.memory.preferences import HistoryEntry, Preference, PreferenceKind
from prefmem.memory.sqlite_files import checkpoint_and_truncate, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS preferences (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS preferences_user ON preferences (user_id, kind);
CREATE TABLE IF NOT EXISTS user_state (
    user_id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    consolidated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deleted_slots (
    user_id TEXT NOT NULL,
    slot TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, slot)
);
CREATE TABLE IF NOT EXISTS reask_queue (
    user_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (user_id, item_id)
);
CREATE TABLE IF NOT EXISTS topic_vectors (
    embedder TEXT NOT NULL,
    topic TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (embedder, topic)
);
"""


class SemanticStore:
    """Persisted preferences per user, with fingerprints for incremental consolidation."""

    FILE_NAME = "semantic.sqlite3"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        # One connection that any thread may use: callers sharing a store across threads
        # serialize their calls (prefmem.Memory holds one lock for every operation).
        self._db = open_database(path, _SCHEMA, what="the semantic store")

    @classmethod
    def in_memory(cls) -> SemanticStore:
        """A store that lives only as long as the object (for tests and evaluations)."""
        return cls(":memory:")

    def close(self) -> None:
        self._db.close()

    # -- consolidation -------------------------------------------------------------------
    def fingerprint(self, user_id: str) -> str | None:
        row = self._db.execute("SELECT fingerprint FROM user_state WHERE user_id = ?", (user_id,)).fetchone()
        return None if row is None else str(row[0])

    def save_user(
        self,
        user_id: str,
        preferences: Sequence[Preference],
        fingerprint: str,
        reasks: Sequence[ReAsk] = (),
    ) -> None:
        """Replace the user's preferences and re-ask queue, and record their fingerprint, atomically."""
        rows = [(p.id, p.user_id, p.kind, p.model_dump_json()) for p in preferences]
        queue = [(user_id, n, r.item_id, r.model_dump_json()) for n, r in enumerate(reasks)]
        with self._transaction():
            self._db.execute("DELETE FROM preferences WHERE user_id = ?", (user_id,))
            self._db.executemany(
                "INSERT INTO preferences (id, user_id, kind, body) VALUES (?, ?, ?, ?)", rows
            )
            self._db.execute("DELETE FROM reask_queue WHERE user_id = ?", (user_id,))
            self._db.executemany("INSERT INTO reask_queue VALUES (?, ?, ?, ?)", queue)
            self._db.execute(
                "INSERT OR REPLACE INTO user_state (user_id, fingerprint, consolidated_at) VALUES (?, ?, ?)",
                (user_id, fingerprint, utc_now().isoformat()),
            )

    def deleted_slots(self, user_id: str) -> dict[str, datetime]:
        rows = self._db.execute("SELECT slot, deleted_at FROM deleted_slots WHERE user_id = ?", (user_id,))
        return {slot: datetime.fromisoformat(at) for slot, at in rows}

    # -- reading -------------------------------------------------------------------------
    def preferences(self, user_id: str, *, kinds: Iterable[PreferenceKind] | None = None) -> list[Preference]:
        """The user's preferences, most stable first."""
        wanted = list(kinds) if kinds is not None else None
        if wanted:
            marks = ",".join("?" * len(wanted))
            query = f"SELECT body FROM preferences WHERE user_id = ? AND kind IN ({marks})"
            rows = self._db.execute(query, (user_id, *wanted))
        else:
            rows = self._db.execute("SELECT body FROM preferences WHERE user_id = ?", (user_id,))
        found = [Preference.model_validate_json(body) for (body,) in rows]
        found.sort(key=lambda p: (-p.stability, p.statement))
        return found

    def get(self, preference_id: str) -> Preference:
        row = self._db.execute("SELECT body FROM preferences WHERE id = ?", (preference_id,)).fetchone()
        if row is None:
            raise UnknownPreferenceError(preference_id)
        return Preference.model_validate_json(row[0])

    def reasks(self, user_id: str) -> list[ReAsk]:
        """The user's queued re-asks, in the order consolidation put them."""
        rows = self._db.execute(
            "SELECT body FROM reask_queue WHERE user_id = ? ORDER BY position", (user_id,)
        )
        return [ReAsk.model_validate_json(body) for (body,) in rows]

    def drop_reask(self, user_id: str, item_id: str) -> None:
        """Take a re-ask off the queue once asked (the next consolidation weighs the answer)."""
        with self._transaction():
            self._db.execute("DELETE FROM reask_queue WHERE user_id = ? AND item_id = ?", (user_id, item_id))

    def users(self) -> list[str]:
        return [u for (u,) in self._db.execute("SELECT user_id FROM user_state ORDER BY user_id")]

    # -- the user's own decisions --------------------------------------------------------
    def confirm(self, preference_id: str) -> Preference:
        """The user stands by this preference: it is kept as their word."""
        return self._update(preference_id, "confirmed", note="confirmed by the user")

    def edit(self, preference_id: str, statement: str) -> Preference:
        """The user rewrote the statement: kept as written, never overwritten by consolidation."""
        text = statement.strip()
        if not text:
            from prefmem.memory.errors import InvalidInputError

            raise InvalidInputError("the new statement is empty")
        return self._update(preference_id, "edited", statement=text, note=f"edited by the user: {text}")

    def delete(self, preference_id: str) -> Preference:
        """Remove a preference; its slot stays suppressed until new evidence arrives after now."""
        preference = self.get(preference_id)
        with self._transaction():
            self._db.execute("DELETE FROM preferences WHERE id = ?", (preference_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO deleted_slots (user_id, slot, deleted_at) VALUES (?, ?, ?)",
                (preference.user_id, preference.slot, utc_now().isoformat()),
            )
        return preference

    def _update(
        self, preference_id: str, status: str, *, note: str, statement: str | None = None
    ) -> Preference:
        current = self.get(preference_id)
        entry = HistoryEntry(
            at=utc_now(), kind=current.kind, value=current.value, stability=current.stability, note=note
        )
        changes: dict[str, object] = {"user_status": status, "history": [*current.history, entry]}
        if statement is not None:
            changes["statement"] = statement
        updated = current.model_copy(update=changes)
        with self._transaction():
            self._db.execute(
                "UPDATE preferences SET body = ? WHERE id = ?", (updated.model_dump_json(), preference_id)
            )
        return updated

    # -- forgetting ----------------------------------------------------------------------
    def forget_user(self, user_id: str) -> int:
        """Remove everything held about the user and rebuild the file so no deleted row survives."""
        with self._transaction():
            removed = self._db.execute("DELETE FROM preferences WHERE user_id = ?", (user_id,)).rowcount
            self._db.execute("DELETE FROM user_state WHERE user_id = ?", (user_id,))
            self._db.execute("DELETE FROM deleted_slots WHERE user_id = ?", (user_id,))
            self._db.execute("DELETE FROM reask_queue WHERE user_id = ?", (user_id,))
            # Cached topics are the users' own words and are not tied to a user: drop the whole
            # cache (it is recomputed on demand) so none of this user's topics survive.
            self._db.execute("DELETE FROM topic_vectors")
        if str(self.path) != ":memory:":
            self._db.execute("VACUUM")  # a fresh copy of the remaining rows only
            checkpoint_and_truncate(self._db, self.path)  # the log's old frames hold old pages
        return int(removed)

    # -- topic vectors (a cache: recomputable, shared by users) --------------------------
    def cached_vectors(self, embedder: str, topics: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        found: dict[str, NDArray[np.float32]] = {}
        for start in range(0, len(topics), 500):
            chunk = list(topics[start : start + 500])
            marks = ",".join("?" * len(chunk))
            query = f"SELECT topic, vector FROM topic_vectors WHERE embedder = ? AND topic IN ({marks})"
            for topic, blob in self._db.execute(query, (embedder, *chunk)):
                found[topic] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def store_vectors(self, embedder: str, vectors: dict[str, NDArray[np.float32]]) -> None:
        rows = [(embedder, topic, vector.astype(np.float32).tobytes()) for topic, vector in vectors.items()]
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO topic_vectors VALUES (?, ?, ?)", rows)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
