"""The episodic store on ChromaDB, embedded on disk or on a Chroma server.

Each user gets two collections of their own (interactions and feedback), named by a
digest of the user id: recall never filters one big collection by user, so it stays
fast and no query for one user can ever touch another's records. Vectors are always
computed by prefmem's embedder and passed explicitly; Chroma's own embedding function
(which would download a model) is never used, and telemetry is off.

Record ids start with the record's timestamp in milliseconds, so the newest records
are found by sorting ids, without reading the records themselves.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.embeddings.base import Embedder, Vectors
from prefmem.memory.episodic import scrub
from prefmem.memory.episodic.base import EpisodicStore, ForgetReport, StoredInteraction, id_millis
from prefmem.memory.errors import BackendError, ConfigError, DataFolderError
from prefmem.memory.models import Feedback, Interaction, UserSummary

SQLITE_NAME = "chroma.sqlite3"
_INTERACTIONS = "ep"
_FEEDBACK = "fb"


def _collection_name(prefix: str, user_id: str) -> str:
    return f"{prefix}-{hashlib.sha256(user_id.encode('utf-8')).hexdigest()[:40]}"


def _settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


class ChromaEpisodicStore(EpisodicStore):
    """Episodic memory in ChromaDB; build it with `persistent(...)` or `server(...)`."""

    def __init__(
        self,
        client: Any,
        embedder: Embedder,
        *,
        path: Path | None = None,
        half_life_days: float = 7.0,
        similarity_weight: float = 0.7,
    ) -> None:
        super().__init__(embedder, half_life_days=half_life_days, similarity_weight=similarity_weight)
        self._client = client
        self._path = path
        self._collections: dict[str, Any] = {}
        # Newest interaction per user, as this process last saw it: recency scores in
        # similarity recall need it, and reading every id to find it costs milliseconds.
        self._newest_ms: dict[str, int] = {}

    @classmethod
    def persistent(
        cls, path: Path, embedder: Embedder, *, fill_freed_memory: bool = False, **ranking: Any
    ) -> ChromaEpisodicStore:
        """A store in a folder on disk (the caller holds the data folder's lock).

        `fill_freed_memory` turns on `scrub` for the whole process (see its docstring): what
        makes `forget` leave no trace of a user in the index files. It changes how malloc
        behaves for every thread, so it is the caller's choice: the command line turns it on.
        """
        import chromadb

        if fill_freed_memory:
            scrub.enable()  # before Chroma allocates anything that may reach its index files
        try:
            client = chromadb.PersistentClient(path=str(path), settings=_settings())
        except Exception as error:  # chromadb raises many kinds on a damaged folder
            raise DataFolderError(f"cannot open the episodic store in {path}: {error}") from error
        return cls(client, embedder, path=path, **ranking)

    @classmethod
    def server(
        cls, host: str, port: int, embedder: Embedder, *, ssl: bool = False, **ranking: Any
    ) -> ChromaEpisodicStore:
        """A store on a Chroma server (`chroma run`), shared by any number of processes."""
        import chromadb

        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_settings())
            client.heartbeat()
        except Exception as error:
            raise BackendError(f"cannot reach the Chroma server at {host}:{port}: {error}") from error
        return cls(client, embedder, **ranking)

    # -- collections ---------------------------------------------------------------------
    def _collection(self, prefix: str, user_id: str, *, create: bool) -> Any | None:
        name = _collection_name(prefix, user_id)
        cached = self._collections.get(name)
        if cached is not None:
            return cached
        try:
            if create:
                collection = self._client.get_or_create_collection(
                    name,
                    embedding_function=None,
                    metadata={
                        "hnsw:space": "cosine",
                        "user_id": user_id,
                        "embedder": self.embedder.name,
                    },
                )
            else:
                collection = self._client.get_collection(name, embedding_function=None)
        except Exception as error:
            if not create and "does not exist" in str(error).lower():
                return None
            raise BackendError(f"episodic store error for user {user_id!r}: {error}") from error
        stored_by = (collection.metadata or {}).get("embedder")
        if stored_by and stored_by != self.embedder.name:
            raise ConfigError(
                f"user {user_id!r}'s memory was embedded with {stored_by!r}, but the configured "
                f"embedder is {self.embedder.name!r}; use the same embedder (embedder.model)"
            )
        self._collections[name] = collection
        return collection

    # -- primitives --------------------------------------------------------------------
    def _write(self, records: Sequence[Interaction | Feedback], vectors: Vectors) -> int:
        with scrub.paused():  # our own payloads: nothing allocated here reaches Chroma's buffers
            record_ids = [record.record_id() for record in records]
            payloads = [record.model_dump_json() for record in records]
        groups: dict[tuple[str, str], list[int]] = {}
        for index, record in enumerate(records):
            prefix = _INTERACTIONS if isinstance(record, Interaction) else _FEEDBACK
            groups.setdefault((prefix, record.user_id), []).append(index)
        added = 0
        for (prefix, user_id), indexes in groups.items():
            collection = self._collection(prefix, user_id, create=True)
            assert collection is not None
            ids = [record_ids[i] for i in indexes]
            empty = collection.count() == 0  # a new user's collection holds nothing to compare against
            held = set() if empty else set(collection.get(ids=ids, include=[])["ids"])
            fresh: dict[str, int] = {}
            for record_id, index in zip(ids, indexes, strict=True):
                if record_id not in held:
                    fresh.setdefault(record_id, index)
            if not fresh:
                continue
            chosen = list(fresh.values())
            collection.add(
                ids=list(fresh),
                embeddings=vectors[chosen],
                # One metadata field: Chroma stores a row per field, so fewer fields write faster.
                metadatas=[{"record": payloads[i]} for i in chosen],
            )
            added += len(fresh)
            if prefix == _INTERACTIONS:
                newest = id_millis(max(fresh))
                self._newest_ms[user_id] = max(newest, self._newest_ms.get(user_id, newest))
        return added

    def _search(
        self, user_id: str, vector: NDArray[np.float32], k: int, *, among: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        collection = self._collection(_INTERACTIONS, user_id, create=False)
        if collection is None or k <= 0:
            return []
        result = collection.query(
            query_embeddings=[vector],
            n_results=k,
            ids=list(among) if among is not None else None,
            include=["distances"],
        )
        return [
            (record_id, 1.0 - float(distance))
            for record_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def _newest_ids(self, user_id: str, k: int) -> list[str]:
        collection = self._collection(_INTERACTIONS, user_id, create=False)
        if collection is None:
            return []
        ids: list[str] = collection.get(include=[])["ids"]
        ids.sort(reverse=True)
        if ids:
            self._newest_ms[user_id] = id_millis(ids[0])
        return ids[:k]

    def _newest_millis(self, user_id: str) -> int | None:
        cached = self._newest_ms.get(user_id)
        return cached if cached is not None else super()._newest_millis(user_id)

    def _fetch(self, user_id: str, ids: Sequence[str]) -> list[StoredInteraction]:
        collection = self._collection(_INTERACTIONS, user_id, create=False)
        if collection is None or not ids:
            return []
        result = collection.get(ids=list(ids), include=["metadatas"])
        by_id = {}
        with scrub.paused():  # parsing our own records allocates nothing Chroma writes
            for record_id, metadata in zip(result["ids"], result["metadatas"], strict=True):
                interaction = Interaction.model_validate_json(metadata["record"])
                if interaction.user_id == user_id:  # defence in depth: never hand out another user's record
                    by_id[record_id] = StoredInteraction(record_id, interaction)
        return [by_id[i] for i in ids if i in by_id]

    def users(self) -> list[UserSummary]:
        counts: dict[str, dict[str, int]] = {}
        for collection in self._client.list_collections():
            prefix = collection.name.split("-", 1)[0]
            user_id = (collection.metadata or {}).get("user_id")
            if prefix not in (_INTERACTIONS, _FEEDBACK) or not user_id:
                continue
            counts.setdefault(user_id, {_INTERACTIONS: 0, _FEEDBACK: 0})[prefix] = collection.count()
        return [
            UserSummary(user_id=u, interactions=c[_INTERACTIONS], feedback=c[_FEEDBACK])
            for u, c in sorted(counts.items())
        ]

    def has_user(self, user_id: str) -> bool:
        return any(
            self._collection(prefix, user_id, create=False) is not None
            for prefix in (_INTERACTIONS, _FEEDBACK)
        )

    def feedback(self, user_id: str) -> list[Feedback]:
        collection = self._collection(_FEEDBACK, user_id, create=False)
        if collection is None:
            return []
        result = collection.get(include=["metadatas"])
        pairs = sorted(zip(result["ids"], result["metadatas"], strict=True), key=lambda pair: pair[0])
        return [Feedback.model_validate_json(metadata["record"]) for _, metadata in pairs]

    def _forget(self, user_id: str) -> ForgetReport:
        removed = {_INTERACTIONS: 0, _FEEDBACK: 0}
        for prefix in (_INTERACTIONS, _FEEDBACK):
            collection = self._collection(prefix, user_id, create=False)
            if collection is None:
                continue
            removed[prefix] = collection.count()
            self._client.delete_collection(collection.name)
            self._collections.pop(collection.name, None)
        self._newest_ms.pop(user_id, None)
        if self._path is not None:
            self._scrub_files()
        return ForgetReport(user_id=user_id, interactions=removed[_INTERACTIONS], feedback=removed[_FEEDBACK])

    def _delete(self, user_id: str, ids: Sequence[str]) -> int:
        collection = self._collection(_INTERACTIONS, user_id, create=False)
        if collection is None:
            return 0
        held: list[str] = collection.get(ids=list(ids), include=[])["ids"]
        if not held:
            return 0
        collection.delete(ids=held)
        self._newest_ms.pop(user_id, None)  # the newest may have gone: read it again when needed
        if self._path is not None:
            self._scrub_files()
        return len(held)

    def _scrub_files(self) -> None:
        """Leave no trace of deleted records in the files: rebuild the database, drop orphan indexes.

        SQLite keeps deleted rows in free pages until VACUUM, and Chroma may leave a
        deleted collection's vector index folder behind.
        """
        assert self._path is not None
        database = self._path / SQLITE_NAME
        connection = sqlite3.connect(database, timeout=30)
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
