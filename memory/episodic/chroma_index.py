"""The vector index on ChromaDB: opaque ids and vectors per collection, nothing readable.

This module imports nothing from prefmem, because it also runs as a program of its own:
the embedded store keeps Chroma in a child process that never receives any text (see
`IndexProcess`), so that whatever Chroma's native code writes into its files (whole
buffers, unused parts included) cannot hold a user's words: that process never had any.

Run as `python chroma_index.py REQUEST_FD REPLY_FD PATH`, it opens a persistent Chroma
client in PATH and answers `ChromaIndex` calls sent over the two pipes until the request
pipe closes (its parent exited, however it exited).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
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
            if "does not exist" in str(error).lower():
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
        collection = self._get(name)
        if collection is None:
            collection = self._client.get_or_create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine", "embedder": embedder}
            )
            self._collections[name] = collection
        collection.upsert(ids=ids, embeddings=vectors)

    def query(
        self, name: str, vector: NDArray[np.float32], k: int, among: list[str] | None
    ) -> list[tuple[str, float]]:
        """The k ids nearest to vector (only among `among` if given), with cosine similarity, best first."""
        collection = self._get(name)
        if collection is None or k <= 0:
            return []
        result = collection.query(query_embeddings=[vector], n_results=k, ids=among, include=["distances"])
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
        self._client.delete_collection(name)
        self._collections.pop(name, None)
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


def settings() -> Any:
    """Chroma client settings: no telemetry, no reset."""
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


_METHODS = frozenset({"embedder_of", "add", "query", "delete", "drop", "collections", "records"})


def serve(requests: Any, replies: Any, path: str) -> None:
    """Answer calls until the request pipe closes: each request is (method, args), each reply
    ("ok", result) or ("error", kind, message). The first reply says whether the store opened."""
    try:
        index = ChromaIndex.persistent(path)
    except Exception as error:  # chromadb raises many kinds on a damaged folder
        replies.send(("error", type(error).__name__, str(error)))
        return
    replies.send(("ok", None))
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


def _main(argv: Sequence[str]) -> None:
    import signal
    from multiprocessing.connection import Connection

    # The parent handles Ctrl-C (a terminal sends it to the whole process group) and closes us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests = Connection(int(argv[1]), writable=False)
    replies = Connection(int(argv[2]), readable=False)
    serve(requests, replies, argv[3])


if __name__ == "__main__":
    import os
    import sys

    # Running a file puts its folder first on the path; this folder's module names must not
    # shadow anything Chroma imports.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    _main(sys.argv)
