"""The embedded vector index, kept in a child process that never receives any text.

Chroma's native code writes whole buffers to its index files, unused parts included, and
memory handed out by an allocator may hold whatever the process freed before: in the
process that reads and writes users' words, that could be anyone's text. The child
process runs `chroma_index.serve` and receives only collection names, opaque ids and
vectors, so its buffers can never hold text, on any platform and whatever its allocator does.

Children are plain programs (`sys.executable chroma_index.py ...`), not `multiprocessing`
processes: nothing of the parent's `__main__` is imported again. On Linux one starter
program per process imports Chroma once and forks a child per store (milliseconds instead
of a second per store); elsewhere each store starts its own program. Every child exits when
its request pipe closes, and the starter when its socket closes, so none outlives the
parent, even one that is killed.
"""

from __future__ import annotations

import os
import socket
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

#: Seconds `close` waits for a child to write its last changes and exit.
_CLOSE_WAIT_S = 60.0


class _Starter:
    """The per-process starter program (Linux): sends it a path, gets back a child's two pipe ends."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        command = [sys.executable, chroma_index.__file__, "starter", str(theirs.fileno())]
        try:
            self._process = subprocess.Popen(
                command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
            )
        finally:
            theirs.close()
        self._channel = ours
        self.pid = os.getpid()

    def start(self, path: Path) -> tuple[int, int]:
        data = str(path).encode("utf-8")
        try:
            self._channel.sendall(len(data).to_bytes(4, "big") + data)
            _, fds, _, _ = socket.recv_fds(self._channel, 1, 2)
        except OSError as error:
            raise BackendError(f"the vector index starter failed: {error}") from None
        if len(fds) != 2:
            raise BackendError(f"the vector index starter exited (code {self._process.poll()})")
        return fds[0], fds[1]


_starter: _Starter | None = None
_starter_lock = threading.Lock()


def _child_pipes(path: Path) -> tuple[int, int]:
    """A new child serving the index in `path`: (request fd, reply fd) on our side."""
    global _starter
    if sys.platform.startswith("linux"):
        with _starter_lock:
            if _starter is None or _starter.pid != os.getpid():  # none yet, or we are a forked copy
                _starter = _Starter()
            try:
                return _starter.start(path)
            except BackendError:
                _starter = None  # a starter that died is replaced next time
                raise
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    command = [
        sys.executable, chroma_index.__file__, "serve", str(request_read), str(reply_write), str(path)
    ]  # fmt: skip
    try:
        subprocess.Popen(
            command, pass_fds=(request_read, reply_write), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
    except OSError as error:
        for fd in (request_write, reply_read):
            os.close(fd)
        raise BackendError(f"cannot start the vector index process: {error}") from None
    finally:
        os.close(request_read)
        os.close(reply_write)
    return request_write, reply_read


class IndexProcess:
    """A `ChromaIndex` on disk in a child process; the same methods, each a round trip."""

    def __init__(self, path: Path) -> None:
        self.path = path
        request_fd, reply_fd = _child_pipes(path)
        self._requests = Connection(request_fd, readable=False)
        self._replies = Connection(reply_fd, writable=False)
        self._lock = threading.Lock()
        try:
            self.pid: int = self._answer()  # the child says whether Chroma opened the folder
        except BackendError as error:
            self.close()
            raise DataFolderError(f"cannot open the episodic store in {path}: {error}") from None

    def _answer(self) -> Any:
        try:
            reply = self._replies.recv()
        except (EOFError, OSError):
            raise BackendError("the vector index process exited") from None
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
        """Close the request pipe and wait until the child has closed Chroma and exited (its end
        of the reply pipe closes when it exits), so the folder is free when this returns."""
        with self._lock:
            if self._requests.closed:
                return
            self._requests.close()
            try:
                while self._replies.poll(_CLOSE_WAIT_S):
                    self._replies.recv()
            except (EOFError, OSError):
                pass
            finally:
                self._replies.close()
