"""How prefmem opens its SQLite files, and how it leaves no deleted row behind in them.

Every file is opened the same way, so that several processes may share it: write-ahead
logging (readers never block, writers take turns), a busy timeout (a writer waits for
another instead of failing), and `secure_delete` (deleted rows are overwritten with zeros,
not merely unlinked). Forgetting then rebuilds the file (VACUUM writes a fresh copy of
the remaining rows only) and truncates the log, whose old frames hold old pages.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from prefmem.memory.errors import BackendError, DataFolderError

#: Seconds a writer waits for another process's write to finish before giving up.
BUSY_TIMEOUT_S = 30.0


def open_database(path: Path | str, schema: str, *, what: str) -> sqlite3.Connection:
    """A connection any thread may use (callers serialize their calls), with the schema created.

    `what` names the store in the error raised when the file is not a usable database.
    """
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA secure_delete=ON")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(schema)
    except sqlite3.DatabaseError as error:
        raise DataFolderError(f"{what} {path} is unreadable or corrupted: {error}") from None
    return db


def checkpoint_and_truncate(
    db: sqlite3.Connection, path: Path | str, *, wait_s: float = BUSY_TIMEOUT_S
) -> None:
    """Copy the log into the file and truncate the log to zero bytes, or raise BackendError.

    The truncation needs a moment when no other process is reading; it is retried until
    `wait_s` has passed (other processes' reads are short).
    """
    if str(path) == ":memory:":
        return
    deadline = time.monotonic() + wait_s
    while True:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return
        if time.monotonic() > deadline:
            raise BackendError(
                f"{path}: another process kept reading for {wait_s:.0f} s, so its log could not be "
                "emptied; run forget again when it is idle"
            )
        time.sleep(0.05)
