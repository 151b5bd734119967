"""User coefficients on disk: one SQLite file in the data folder, one row per user.

Several processes may share the file (see `prefmem.memory.sqlite_files`).

Each save replaces the user's row in a single transaction, so a crash leaves either the
old coefficients or the new ones, never a mix.
"""

from __future__ import annotations

import json
from pathlib import Path

from prefmem.agent.reward.coefficients import UserCoefficients
from prefmem.memory.models import utc_now
from prefmem.memory.sqlite_files import checkpoint_and_truncate, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS coefficients (
    user_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


class CoefficientStore:
    """Saved `UserCoefficients` per user."""

    FILE_NAME = "coefficients.sqlite3"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        # One connection that any thread may use: callers sharing a store across threads
        # serialize their calls (prefmem.Memory holds one lock for every operation).
        self._db = open_database(path, _SCHEMA, what="the coefficient store")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CoefficientStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def save(self, user_id: str, coefficients: UserCoefficients) -> None:
        """Replace the user's coefficients atomically."""
        body = json.dumps(coefficients.to_dict())
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO coefficients (user_id, body, updated_at) VALUES (?, ?, ?)",
                (user_id, body, utc_now().isoformat()),
            )

    def load(self, user_id: str) -> UserCoefficients | None:
        """The user's saved coefficients, or None if none were fitted."""
        row = self._db.execute("SELECT body FROM coefficients WHERE user_id = ?", (user_id,)).fetchone()
        return None if row is None else UserCoefficients.from_dict(json.loads(row[0]))

    def forget(self, user_id: str) -> bool:
        """Remove the user's coefficients, leaving no copy in the file; True if there were any.

        The deleted row's bytes would survive in free pages and the write-ahead log, so the
        file is rebuilt (VACUUM) and the log truncated after the delete.
        """
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            cursor = self._db.execute("DELETE FROM coefficients WHERE user_id = ?", (user_id,))
        removed = cursor.rowcount > 0
        if removed:
            self._db.execute("VACUUM")
            checkpoint_and_truncate(self._db, self.path)
        return removed

    def users(self) -> list[str]:
        return [user for (user,) in self._db.execute("SELECT user_id FROM coefficients ORDER BY user_id")]
