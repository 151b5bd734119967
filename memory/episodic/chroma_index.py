"""The vector index on ChromaDB: opaque ids and vectors per collection, nothing readable.

This module imports nothing from prefmem, because it also runs as a program of its own:
the embedded store keeps Chroma in a child process that never receives any text (see
`IndexProcess`), so that whatever Chroma's native code writes into its files (whole
buffers, unused parts included) cannot hold a user's words: that process never had any.

Run as `python chroma_index.py serve REQUEST_FD REPLY_FD PATH`, it opens a persistent
Chroma client in PATH and answers `ChromaIndex` calls sent over the two pipes until the
request pipe closes (its parent exited, however it exited). Run as `python chroma_index.py
starter SOCKET_FD`, it imports Chroma once and forks such a server for each path the
parent sends (see `starter`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

SQLITE_NAME = "chroma.sqlite3"


class ChromaIndex:
    """Named collections of (id, vector) with cosine nearest-neighbour search."""

    def __init__(self, client: Any, *, path: Path | None = None) -> None:
        self._client = client
        self._path = path
        self._collections: dict[str, Any] = {}

    @classmethod
    def persistent(cls, path: str) -> ChromaIndex:
        import chromadb

        client = chromadb.PersistentClient(path=path, settings=settings())
        return cls(client, path=Path(path))

    def _get(self, name: str) -> Any | None:
        collection = self._collections.get(name)
        if collection is not None:
            return collection
        try:
            collection = self._client.get_collection(name, embedding_function=None)
        except Exception as error:
            if _gone(error):
                return None
            raise
        self._collections[name] = collection
        return collection

    def embedder_of(self, name: str) -> str | None:
        """The embedder a collection's vectors came from, or None if there is no such collection."""
        collection = self._get(name)
        if collection is None:
            return None
        return str((collection.metadata or {}).get("embedder", ""))

    def add(self, name: str, ids: list[str], vectors: NDArray[np.float32], embedder: str) -> None:
        """Store (or overwrite) vectors under ids, creating the collection if needed."""
        for attempt in (1, 2):
            collection = self._get(name)
            if collection is None:
                collection = self._client.get_or_create_collection(
                    name, embedding_function=None, metadata={"hnsw:space": "cosine", "embedder": embedder}
                )
                self._collections[name] = collection
            try:
                collection.upsert(ids=ids, embeddings=vectors)
                return
            except Exception as error:
                # another process (sharing a server) deleted the collection since we cached it
                if attempt == 2 or not _gone(error):
                    raise
                self._collections.pop(name, None)

    def query(
        self, name: str, vector: NDArray[np.float32], k: int, among: list[str] | None
    ) -> list[tuple[str, float]]:
        """The k ids nearest to vector (only among `among` if given), with cosine similarity, best first."""
        collection = self._get(name)
        if collection is None or k <= 0:
            return []
        try:
            result = collection.query(
                query_embeddings=[vector], n_results=k, ids=among, include=["distances"]
            )
        except Exception as error:
            if not _gone(error):
                raise
            self._collections.pop(name, None)  # another process deleted it: nothing to find
            return []
        return [
            (vector_id, 1.0 - float(distance))
            for vector_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def delete(self, name: str, ids: list[str]) -> None:
        collection = self._get(name)
        if collection is not None and ids:
            collection.delete(ids=ids)
            self._compact()

    def drop(self, name: str) -> None:
        """Delete the collection (nothing happens if there is none)."""
        if self._get(name) is None:
            return
        self._collections.pop(name, None)
        try:
            self._client.delete_collection(name)
        except Exception as error:
            if not _gone(error):  # gone already: another process sharing the server deleted it
                raise
        self._compact()

    def collections(self) -> list[tuple[str, dict[str, Any]]]:
        """Every collection's name and metadata."""
        return [(c.name, dict(c.metadata or {})) for c in self._client.list_collections()]

    def records(self, name: str) -> tuple[list[str], NDArray[np.float32], list[Any]]:
        """Every id, vector and metadata of a collection (to move records written by older versions)."""
        collection = self._get(name)
        if collection is None:
            return [], np.zeros((0, 0), dtype=np.float32), []
        got = collection.get(include=["embeddings", "metadatas"])
        return list(got["ids"]), np.asarray(got["embeddings"], dtype=np.float32), list(got["metadatas"])

    def close(self) -> None:
        if hasattr(self._client, "close"):
            self._client.close()

    def _compact(self) -> None:
        """On disk, drop deleted vectors from the files: rebuild the database, drop orphan indexes.

        SQLite keeps deleted rows in free pages until VACUUM, and Chroma may leave a deleted
        collection's vector index folder behind. (Vectors are not text; this is hygiene.)
        """
        if self._path is None:
            return
        connection = sqlite3.connect(self._path / SQLITE_NAME, timeout=30)
        try:
            connection.execute("VACUUM")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            live = {row[0] for row in connection.execute("SELECT id FROM segments")}
        finally:
            connection.close()
        for child in self._path.iterdir():
            if (
                child.is_dir()
                and len(child.name) == 36
                and child.name.count("-") == 4
                and child.name not in live
            ):
                shutil.rmtree(child, ignore_errors=True)


def _gone(error: Exception) -> bool:
    """Whether Chroma's error says the collection does not exist (it raises several kinds)."""
    text = str(error).lower()
    return "does not exist" in text or "not found" in text


def settings() -> Any:
    """Chroma client settings: no telemetry, no reset."""
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


_METHODS = frozenset({"embedder_of", "add", "query", "delete", "drop", "collections", "records"})


def serve(requests: Any, replies: Any, path: str) -> None:
    """Answer calls until the request pipe closes: each request is (method, args), each reply
    ("ok", result) or ("error", kind, message). The first reply says whether the store opened
    (and with which process id)."""
    try:
        index = ChromaIndex.persistent(path)
    except Exception as error:  # chromadb raises many kinds on a damaged folder
        replies.send(("error", type(error).__name__, str(error)))
        return
    replies.send(("ok", os.getpid()))
    try:
        while True:
            try:
                method, args = requests.recv()
            except EOFError:
                return
            if method not in _METHODS:
                replies.send(("error", "ValueError", f"unknown call {method!r}"))
                continue
            try:
                replies.send(("ok", getattr(index, method)(*args)))
            except Exception as error:
                replies.send(("error", type(error).__name__, str(error)))
    finally:
        index.close()


def read_path(channel: socket.socket) -> str | None:
    """One length-prefixed path from the parent, or None when the parent has gone."""
    header = channel.recv(4, socket.MSG_WAITALL)
    if len(header) < 4:
        return None
    size = int.from_bytes(header, "big")
    data = channel.recv(size, socket.MSG_WAITALL) if size else b""
    return data.decode("utf-8") if len(data) == size else None


def starter(channel: socket.socket) -> None:
    """Fork a `serve` process per path the parent sends, and pass it the two pipe ends it needs.

    Starting a program and importing Chroma takes about a second; forking this process, which
    has imported Chroma but opened nothing, takes milliseconds. Children are reaped by the
    system (SIGCHLD ignored); each exits when its own request pipe closes.
    """
    import chromadb  # noqa: F401  imported once, here, for every child

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while (path := read_path(channel)) is not None:
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        if os.fork() == 0:
            try:
                channel.close()
                os.close(request_write)
                os.close(reply_read)
                serve(Connection(request_read, writable=False), Connection(reply_write, readable=False), path)
            finally:
                os._exit(0)
        os.close(request_read)
        os.close(reply_write)
        socket.send_fds(channel, [b"k"], [request_write, reply_read])
        os.close(request_write)
        os.close(reply_read)


def _main(argv: Sequence[str]) -> None:
    # The parent handles Ctrl-C (a terminal sends it to the whole process group) and closes us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if argv[1] == "starter":
        starter(socket.socket(fileno=int(argv[2])))
        return
    serve(Connection(int(argv[2]), writable=False), Connection(int(argv[3]), readable=False), argv[4])


if __name__ == "__main__":
    import sys

    # Running a file puts its folder first on the path; this folder's module names must not
    # shadow anything Chroma imports.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    _main(sys.argv)
