"""The episodic store: vectors in ChromaDB (embedded on disk or on a Chroma server), words in prefmem's file.

Chroma receives only what nearest-neighbour search needs: per user a collection named by
a keyed digest of the user id, holding vectors under keyed digests of the record ids
(`OpaqueIds`). No text, no metadata about users, no timestamps. Every record's text and
metadata lives in the data folder's text store (`TextStore`), which `forget` rewrites so
that nothing of the user is left in it. The embedded index runs in a child process that
never receives text (`IndexProcess`); a Chroma server is another process anyway.

Recency needs no index: record ids start with the record's timestamp in milliseconds, and
the text store lists a user's newest ids from its own index. Feedback has no vector in
Chroma: it is only listed, never searched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.embeddings.base import Embedder, Vectors
from prefmem.memory.episodic.base import EpisodicStore, ForgetReport, StoredInteraction
from prefmem.memory.episodic.chroma_index import SQLITE_NAME, ChromaIndex, settings
from prefmem.memory.episodic.opaque_ids import OpaqueIds
from prefmem.memory.episodic.texts import TextRow, TextStore
from prefmem.memory.errors import BackendError, ConfigError
from prefmem.memory.models import Feedback, Interaction, UserSummary

__all__ = ["SQLITE_NAME", "ChromaEpisodicStore"]


class VectorIndex(Protocol):
    """What the store needs of a vector index (`ChromaIndex`, in this process or a child one)."""

    def embedder_of(self, name: str) -> str | None: ...
    def add(self, name: str, ids: list[str], vectors: NDArray[np.float32], embedder: str) -> None: ...
    def query(
        self, name: str, vector: NDArray[np.float32], k: int, among: list[str] | None
    ) -> list[tuple[str, float]]: ...
    def delete(self, name: str, ids: list[str]) -> None: ...
    def drop(self, name: str) -> None: ...
    def collections(self) -> list[tuple[str, dict[str, Any]]]: ...
    def records(self, name: str) -> tuple[list[str], NDArray[np.float32], list[Any]]: ...
    def close(self) -> None: ...


class ChromaEpisodicStore(EpisodicStore):
    """Episodic memory; build it with `persistent(...)` or `server(...)`, and `close()` it."""

    def __init__(
        self,
        index: VectorIndex,
        texts: TextStore,
        ids: OpaqueIds,
        embedder: Embedder,
        *,
        half_life_days: float = 7.0,
        similarity_weight: float = 0.7,
    ) -> None:
        super().__init__(embedder, half_life_days=half_life_days, similarity_weight=similarity_weight)
        self._index = index
        self._texts = texts
        self._ids = ids
        self._checked: set[str] = set()  # collections whose embedder matched
        self._move_older_records()

    @classmethod
    def persistent(cls, path: Path, embedder: Embedder, **ranking: Any) -> ChromaEpisodicStore:
        """A store in a folder on disk (the caller holds the data folder's lock): Chroma's files,
        the text store and the id key, all in `path`."""
        from prefmem.memory.episodic.index_process import IndexProcess

        path.mkdir(parents=True, exist_ok=True)
        index = IndexProcess(path)
        try:
            texts = TextStore(path / TextStore.FILE_NAME)
        except BaseException:
            index.close()
            raise
        return cls(index, texts, OpaqueIds.in_folder(path), embedder, **ranking)

    @classmethod
    def server(
        cls, host: str, port: int, embedder: Embedder, *, folder: Path, ssl: bool = False, **ranking: Any
    ) -> ChromaEpisodicStore:
        """Vectors on a Chroma server (`chroma run`); the text store and id key in `folder`, which
        every process sharing the memory must share (several may use both at once)."""
        import chromadb

        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings())
            client.heartbeat()
        except Exception as error:
            raise BackendError(f"cannot reach the Chroma server at {host}:{port}: {error}") from error
        folder.mkdir(parents=True, exist_ok=True)
        texts = TextStore(folder / TextStore.FILE_NAME)
        return cls(ChromaIndex(client), texts, OpaqueIds.in_folder(folder), embedder, **ranking)

    def close(self) -> None:
        """Close the text store and the index (the embedded index's process exits)."""
        self._texts.close()
        self._index.close()

    # -- the index -----------------------------------------------------------------------
    def _collection(self, user_id: str) -> str:
        """The user's collection name, after checking its vectors came from this embedder."""
        name = self._ids.collection(user_id)
        if name not in self._checked:
            stored_by = self._call(self._index.embedder_of, name)
            if stored_by and stored_by != self.embedder.name:
                raise ConfigError(
                    f"user {user_id!r}'s memory was embedded with {stored_by!r}, but the configured "
                    f"embedder is {self.embedder.name!r}; use the same embedder (embedder.model)"
                )
            if stored_by is not None:
                self._checked.add(name)
        return name

    @staticmethod
    def _call(method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except BackendError:
            raise
        except Exception as error:  # chromadb raises many kinds
            raise BackendError(f"episodic store error: {error}") from error

    # -- primitives --------------------------------------------------------------------
    def _write(self, records: Sequence[Interaction | Feedback], vectors: Vectors) -> int:
        groups: dict[str, list[int]] = {}
        for index, record in enumerate(records):
            groups.setdefault(record.user_id, []).append(index)
        record_ids = [record.record_id() for record in records]
        rows: list[TextRow] = []
        for user_id, indexes in groups.items():
            held = self._texts.held(user_id, [record_ids[i] for i in indexes])
            fresh: dict[str, int] = {}
            for i in indexes:
                if record_ids[i] not in held:
                    fresh.setdefault(record_ids[i], i)
            spoken = [i for i in fresh.values() if isinstance(records[i], Interaction)]
            vector_ids = {i: self._ids.vector_id(user_id, record_ids[i]) for i in spoken}
            if spoken:
                # Vectors first: a crash before the texts are written leaves vectors no text
                # points to, which recall ignores and the next write of the records overwrites.
                name = self._collection(user_id)
                self._call(
                    self._index.add, name, list(vector_ids.values()), vectors[spoken], self.embedder.name
                )
                self._checked.add(name)
            for record_id, i in fresh.items():
                record = records[i]
                rows.append(
                    TextRow(
                        user_id,
                        record_id,
                        vector_ids.get(i),
                        isinstance(record, Feedback),
                        record.model_dump_json(),
                    )
                )
        return self._texts.insert(rows) if rows else 0

    def _search(
        self, user_id: str, vector: NDArray[np.float32], k: int, *, among: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        if k <= 0 or not self._texts.has_user(user_id):
            return []
        within = (
            [self._ids.vector_id(user_id, record_id) for record_id in among] if among is not None else None
        )
        hits = self._call(self._index.query, self._collection(user_id), vector, k, within)
        by_vector = self._texts.record_ids(user_id, [vector_id for vector_id, _ in hits])
        return [(by_vector[vector_id], score) for vector_id, score in hits if vector_id in by_vector]

    def _newest_ids(self, user_id: str, k: int) -> list[str]:
        ids = self._texts.newest_ids(user_id, k)
        if ids:
            self._collection(user_id)  # a mismatched embedder is reported whatever the recall mode
        return ids

    def _fetch(self, user_id: str, ids: Sequence[str]) -> list[StoredInteraction]:
        bodies = self._texts.bodies(user_id, ids)
        found = []
        for record_id in ids:
            body = bodies.get(record_id)
            if body is None:
                continue
            interaction = Interaction.model_validate_json(body)
            if interaction.user_id == user_id:  # defence in depth: never hand out another user's record
                found.append(StoredInteraction(record_id, interaction))
        return found

    def users(self) -> list[UserSummary]:
        return [
            UserSummary(user_id=user, interactions=spoken, feedback=reactions)
            for user, (spoken, reactions) in sorted(self._texts.counts().items())
        ]

    def has_user(self, user_id: str) -> bool:
        return self._texts.has_user(user_id)

    def feedback(self, user_id: str) -> list[Feedback]:
        return [Feedback.model_validate_json(body) for body in self._texts.feedback_bodies(user_id)]

    def _forget(self, user_id: str) -> ForgetReport:
        spoken, reactions = self._texts.counts(user_id).get(user_id, (0, 0))
        # Vectors first: if this stops halfway, the user is still listed and forget can be rerun.
        name = self._ids.collection(user_id)
        self._call(self._index.drop, name)
        self._checked.discard(name)
        self._texts.forget_user(user_id)
        return ForgetReport(user_id=user_id, interactions=spoken, feedback=reactions)

    def _delete(self, user_id: str, ids: Sequence[str]) -> int:
        held = sorted(self._texts.held(user_id, ids, interactions_only=True))
        if not held:
            return 0
        vector_ids = [self._ids.vector_id(user_id, record_id) for record_id in held]
        self._call(self._index.delete, self._ids.collection(user_id), vector_ids)
        return self._texts.delete(user_id, held)

    # -- records written by versions that kept them in Chroma ----------------------------
    def _move_older_records(self) -> None:
        """Move records that older versions kept in Chroma (named by a plain digest of the user id,
        with the record's text as metadata) into the text store and opaque collections."""
        older = [
            (name, meta)
            for name, meta in self._call(self._index.collections)
            if name.split("-", 1)[0] in ("ep", "fb") and meta.get("user_id")
        ]
        for name, meta in older:
            _, vectors, metadatas = self._call(self._index.records, name)
            kind: type[Interaction] | type[Feedback] = Interaction if name.startswith("ep-") else Feedback
            records = [kind.model_validate_json(metadata["record"]) for metadata in metadatas]
            if records:
                if meta.get("embedder") and meta["embedder"] != self.embedder.name:
                    raise ConfigError(
                        f"user {meta['user_id']!r}'s memory was embedded with {meta['embedder']!r}, "
                        f"but the configured embedder is {self.embedder.name!r}; "
                        "use the same embedder (embedder.model)"
                    )
                if len(vectors) != len(records):
                    vectors = self.embedder.embed_batch([r.embedding_text() for r in records])
                self._write(records, vectors)
            self._call(self._index.drop, name)
