"""The embedded vector index, kept in a child process that never receives any text.

Chroma's native code writes whole buffers to its index files, unused parts included, and
memory handed out by an allocator may hold whatever the process freed before: in the
process that reads and writes users' words, that could be anyone's text. The child
process runs `chroma_index.py` and receives only collection names, opaque ids and vectors,
so its buffers can never hold text, on any platform and whatever its allocator does.

The child is a plain program (`sys.executable chroma_index.py ...`), not a
`multiprocessing` process: nothing of the parent's `__main__` is imported again. It exits
when its request pipe closes, so it never outlives the parent, even one that is killed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.episodic import chroma_index
from prefmem.memory.errors import BackendError, DataFolderError


class IndexProcess:
    """A `ChromaIndex` on disk in a child process; the same methods, each a round trip."""

    def __init__(self, path: Path) -> None:
        self.path = path
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        command = [sys.executable, chroma_index.__file__, str(request_read), str(reply_write), str(path)]
        try:
            self._child = subprocess.Popen(
                command,
                pass_fds=(request_read, reply_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                close_fds=True,
            )
        except OSError as error:
            for fd in (request_read, request_write, reply_read, reply_write):
                os.close(fd)
            raise BackendError(f"cannot start the vector index process: {error}") from None
        os.close(request_read)
        os.close(reply_write)
        self._requests = Connection(request_write, readable=False)
        self._replies = Connection(reply_read, writable=False)
        self._lock = threading.Lock()
        try:
            self._answer()  # the child says whether Chroma opened the folder
        except BackendError as error:
            self.close()
            raise DataFolderError(f"cannot open the episodic store in {path}: {error}") from None

    def _answer(self) -> Any:
        try:
            reply = self._replies.recv()
        except (EOFError, OSError):
            code = self._child.poll()
            raise BackendError(f"the vector index process exited (code {code})") from None
        if reply[0] == "error":
            raise BackendError(f"vector index: {reply[1]}: {reply[2]}")
        return reply[1]

    def _call(self, method: str, *args: Any) -> Any:
        with self._lock:
            try:
                self._requests.send((method, args))
            except (OSError, ValueError):
                raise BackendError("the vector index process is gone") from None
            return self._answer()

    def embedder_of(self, name: str) -> str | None:
        result: str | None = self._call("embedder_of", name)
        return result

    def add(self, name: str, ids: list[str], vectors: NDArray[np.float32], embedder: str) -> None:
        self._call("add", name, ids, np.ascontiguousarray(vectors, dtype=np.float32), embedder)

    def query(
        self, name: str, vector: NDArray[np.float32], k: int, among: list[str] | None
    ) -> list[tuple[str, float]]:
        result: list[tuple[str, float]] = self._call("query", name, vector, k, among)
        return result

    def delete(self, name: str, ids: list[str]) -> None:
        self._call("delete", name, ids)

    def drop(self, name: str) -> None:
        self._call("drop", name)

    def collections(self) -> list[tuple[str, dict[str, Any]]]:
        result: list[tuple[str, dict[str, Any]]] = self._call("collections")
        return result

    def records(self, name: str) -> tuple[list[str], NDArray[np.float32], list[Any]]:
        result: tuple[list[str], NDArray[np.float32], list[Any]] = self._call("records", name)
        return result

    def close(self) -> None:
        """Close the pipes; the child closes Chroma and exits (waited for, then killed if stuck)."""
        with self._lock:
            if self._requests.closed:
                return
            self._requests.close()
            self._replies.close()
        try:
            self._child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
