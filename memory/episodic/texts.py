"""The words of episodic memory: every record's text and metadata, in prefmem's own SQLite file.

The vector index (Chroma, embedded or on a server) receives only opaque ids and vectors;
everything readable about a record (its text, session, condition, metadata) lives here,
next to it in the data folder. That is what makes forgetting hold by construction:
`forget_user` deletes the user's rows, rebuilds the file from the remaining rows alone
(VACUUM) and empties the write-ahead log, so no byte of the user's records is left in a
page, a free page or a log frame, whatever any allocator or index did with its buffers.

Several processes may share the file (with a Chroma server, `prefmem serve`, `chat` and
`consolidate` run at once): readers never block, writers take turns (WAL, busy timeout).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prefmem.memory.errors import BackendError, DataFolderError
from prefmem.memory.sqlite_files import checkpoint_and_truncate, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    user_id TEXT NOT NULL,
    id TEXT NOT NULL,
    vector_id TEXT,
    feedback INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_kind ON records (user_id, feedback, id);
CREATE UNIQUE INDEX IF NOT EXISTS records_by_vector ON records (vector_id);
-- Users stay known once they stored something, until forgotten (clearing every exchange of a
-- user keeps the user, and the preferences they confirmed).
CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY) WITHOUT ROWID;
-- Vectors written behind (see ChromaEpisodicStore): the vector ids of records stored here whose
-- vectors are not in the vector index yet. A mark is written with its record, in one transaction,
-- and cleared once the vector is indexed; marks left by a crash are indexed on the next open.
CREATE TABLE IF NOT EXISTS unindexed (vector_id TEXT PRIMARY KEY) WITHOUT ROWID;
"""
# SQLite allows at most 32766 parameters per statement; stay far below it.
_CHUNK = 900


@dataclass(frozen=True)
class TextRow:
    """One record as stored: its owner, id, id in the vector index (interactions only), JSON body."""

    user_id: str
    id: str
    vector_id: str | None
    feedback: bool
    body: str


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class TextStore:
    """Records' bodies per user, looked up by record id or by vector id."""

    FILE_NAME = "texts.sqlite3"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = open_database(path, _SCHEMA, what="the episodic text store")
        # One connection shared by the threads of this process; sqlite3 objects are not
        # safe to use from two threads at once, so calls take turns.
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing -------------------------------------------------------------------------
    def held(self, user_id: str, ids: Sequence[str], *, interactions_only: bool = False) -> set[str]:
        """Which of these record ids the user already has (only interactions, if asked)."""
        found: set[str] = set()
        kind = " AND feedback = 0" if interactions_only else ""
        with self._lock:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id FROM records WHERE user_id = ? AND id IN ({marks}){kind}"
                found.update(row[0] for row in self._db.execute(query, (user_id, *chunk)))
        return found

    def insert(self, rows: Iterable[TextRow], *, unindexed: Sequence[str] = ()) -> int:
        """Store rows in one transaction, skipping ids already held; returns how many were new.

        `unindexed` are vector ids of these rows whose vectors the index does not hold yet: they
        are marked in the same transaction (see `mark_indexed`, `unindexed_rows`)."""
        values = [(r.user_id, r.id, r.vector_id, int(r.feedback), r.body) for r in rows]
        users = sorted({(value[0],) for value in values})
        with self._lock, self._transaction():
            before = self._db.total_changes
            self._db.executemany("INSERT OR IGNORE INTO records VALUES (?, ?, ?, ?, ?)", values)
            added = self._db.total_changes - before
            self._db.executemany("INSERT OR IGNORE INTO users VALUES (?)", users)
            self._db.executemany("INSERT OR IGNORE INTO unindexed VALUES (?)", [(v,) for v in unindexed])
            return added

    def mark_indexed(self, vector_ids: Sequence[str]) -> None:
        """Clear the marks of vectors that the index now holds."""
        with self._lock, self._transaction():
            for chunk in _chunks(vector_ids):
                marks = ",".join("?" * len(chunk))
                self._db.execute(f"DELETE FROM unindexed WHERE vector_id IN ({marks})", tuple(chunk))

    def still_unindexed(self, vector_ids: Sequence[str]) -> set[str]:
        """Which of these vector ids are still marked (a record deleted or forgotten meanwhile, by
        this process or another one sharing the file, is not)."""
        found: set[str] = set()
        with self._lock:
            for chunk in _chunks(vector_ids):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT vector_id FROM unindexed WHERE vector_id IN ({marks})"
                found.update(row[0] for row in self._db.execute(query, tuple(chunk)))
        return found

    def unindexed_rows(self) -> list[TextRow]:
        """Every marked record (the vectors a crash kept out of the index), after dropping marks
        whose record is gone."""
        with self._lock:
            if self._db.execute("SELECT 1 FROM unindexed LIMIT 1").fetchone() is None:
                return []  # the usual case (closed cleanly): nothing to write
            with self._transaction():
                self._db.execute(
                    "DELETE FROM unindexed WHERE vector_id NOT IN "
                    "(SELECT vector_id FROM records WHERE vector_id IS NOT NULL)"
                )
            rows = self._db.execute(
                "SELECT r.user_id, r.id, r.vector_id, r.feedback, r.body FROM unindexed u "
                "JOIN records r ON r.vector_id = u.vector_id ORDER BY r.user_id, r.id"
            ).fetchall()
        return [TextRow(user, id_, vector, bool(kind), body) for user, id_, vector, kind, body in rows]

    # -- reading -------------------------------------------------------------------------
    def bodies(self, user_id: str, ids: Sequence[str]) -> dict[str, str]:
        """The user's record bodies by id (unknown ids, and other users' records, left out)."""
        found: dict[str, str] = {}
        with self._lock:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id, body FROM records WHERE user_id = ? AND id IN ({marks})"
                found.update(self._db.execute(query, (user_id, *chunk)).fetchall())
        return found

    def record_ids(self, user_id: str, vector_ids: Sequence[str]) -> dict[str, str]:
        """Record ids of the user's interactions by their vector ids (unknown ones left out)."""
        found: dict[str, str] = {}
        with self._lock:
            for chunk in _chunks(vector_ids):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT vector_id, id FROM records WHERE user_id = ? AND vector_id IN ({marks})"
                found.update(self._db.execute(query, (user_id, *chunk)).fetchall())
        return found

    def newest_ids(self, user_id: str, k: int) -> list[str]:
        """Ids of the user's k newest interactions, newest first (ids start with the time)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM records WHERE user_id = ? AND feedback = 0 ORDER BY id DESC LIMIT ?",
                (user_id, k),
            )
            return [row[0] for row in rows]

    def feedback_bodies(self, user_id: str) -> list[str]:
        """The user's feedback bodies, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM records WHERE user_id = ? AND feedback = 1 ORDER BY id", (user_id,)
            )
            return [row[0] for row in rows]

    def has_user(self, user_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return row is not None

    def counts(self, user_id: str | None = None) -> dict[str, tuple[int, int]]:
        """(interactions, feedback) per user: every user, or only the one given."""
        where, args = ("WHERE u.user_id = ?", (user_id,)) if user_id is not None else ("", ())
        query = (
            "SELECT u.user_id, r.feedback, count(r.id) FROM users u "
            f"LEFT JOIN records r ON r.user_id = u.user_id {where} GROUP BY u.user_id, r.feedback"
        )
        found: dict[str, list[int]] = {}
        with self._lock:
            for user, feedback, count in self._db.execute(query, args):
                pair = found.setdefault(user, [0, 0])
                if feedback is not None:
                    pair[int(feedback)] = int(count)
        return {user: (pair[0], pair[1]) for user, pair in found.items()}

    # -- deleting ------------------------------------------------------------------------
    def delete(self, user_id: str, ids: Sequence[str]) -> int:
        """Remove some of the user's records and leave no copy of them in the file."""
        with self._lock:
            with self._transaction():
                removed = 0
                for chunk in _chunks(ids):
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(
                        "DELETE FROM unindexed WHERE vector_id IN (SELECT vector_id FROM records "
                        f"WHERE user_id = ? AND id IN ({marks}))",
                        (user_id, *chunk),
                    )
                    query = f"DELETE FROM records WHERE user_id = ? AND id IN ({marks})"
                    removed += self._db.execute(query, (user_id, *chunk)).rowcount
            if removed:
                self._rebuild()
        return removed

    def forget_user(self, user_id: str) -> None:
        """Remove every record of the user and leave no copy of them in the file."""
        with self._lock:
            with self._transaction():
                self._db.execute(
                    "DELETE FROM unindexed WHERE vector_id IN "
                    "(SELECT vector_id FROM records WHERE user_id = ?)",
                    (user_id,),
                )
                self._db.execute("DELETE FROM records WHERE user_id = ?", (user_id,))
                self._db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            self._rebuild()

    def _rebuild(self) -> None:
        """Rewrite the file from the remaining rows and empty the log (see the module docstring)."""
        try:
            self._db.execute("VACUUM")
        except sqlite3.OperationalError as error:
            raise BackendError(f"cannot rebuild {self.path} after deleting: {error}") from None
        checkpoint_and_truncate(self._db, self.path)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise DataFolderError(f"cannot write {self.path}: {error}") from None
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
