"""The data folder: where every file prefmem writes lives, and who may write it.

A process that opens the store for writing takes an exclusive lock on the folder;
readers take a shared one. A second writer therefore gets a clear error instead of
two processes corrupting one database.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from prefmem.memory.errors import DataFolderError, StoreBusyError

LockMode = Literal["shared", "exclusive"]
_SQLITE_MAGIC = b"SQLite format 3\x00"


class DataFolder:
    """A data folder path with its lock; use as a context manager or call `acquire`/`release`."""

    LOCK_NAME = ".prefmem.lock"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path).expanduser().resolve()
        self._lock_file: IO[str] | None = None

    def ensure(self) -> Path:
        """Create the folder if needed; raise DataFolderError if that is impossible."""
        if self.path.exists() and not self.path.is_dir():
            raise DataFolderError(f"data folder {self.path} exists but is not a folder")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DataFolderError(f"cannot create data folder {self.path}: {error.strerror}") from error
        return self.path

    def require_existing(self) -> Path:
        """The folder, which must already exist (read-only commands never create one)."""
        if not self.path.is_dir():
            raise DataFolderError(
                f"no data folder at {self.path}: nothing has been stored there yet "
                "(set --data-dir or PREFMEM_DATA_DIR to use another one)"
            )
        return self.path

    def check_database(self, name: str) -> None:
        """Raise DataFolderError if a database file in the folder is not a SQLite database."""
        database = self.path / name
        if not database.exists():
            return
        try:
            with database.open("rb") as handle:
                header = handle.read(len(_SQLITE_MAGIC))
        except OSError as error:
            raise DataFolderError(f"cannot read {database}: {error.strerror}") from error
        if header and header != _SQLITE_MAGIC:
            raise DataFolderError(
                f"{database} is corrupted (not a SQLite database); restore it from a backup "
                "or move the data folder aside to start afresh"
            )

    def acquire(self, mode: LockMode) -> None:
        """Take the folder's lock without waiting; raise StoreBusyError if another process holds it."""
        if self._lock_file is not None:
            return
        lock_path = self.path / self.LOCK_NAME
        handle = lock_path.open("a+", encoding="utf-8")
        flag = fcntl.LOCK_EX if mode == "exclusive" else fcntl.LOCK_SH
        try:
            fcntl.flock(handle, flag | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StoreBusyError(
                f"the data folder {self.path} is in use by {holder}; wait for it to finish, "
                "or use a Chroma server (episodic.server in config.yaml) for concurrent access"
            ) from None
        handle.seek(0)
        handle.truncate()  # with the lock held no writer can be alive: drop a note a past writer left
        if mode == "exclusive":
            handle.write(f"prefmem process {os.getpid()}")
            handle.flush()
        self._lock_file = handle

    def release(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> DataFolder:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
