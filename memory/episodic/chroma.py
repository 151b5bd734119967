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

Vectors written behind: a Chroma write costs a few milliseconds however few vectors it holds
(its own SQLite log, synced several times per write), a query well under one. A writer that
stores one exchange at a time (the HTTP server) may therefore write with `defer_index`: the
texts go into the text store at once, with a mark per vector not yet indexed in the same
transaction, and the vectors wait in this process until `flush_index` adds each user's in one
Chroma write and clears their marks. Meanwhile recall finds them here (exact cosine over the
waiting vectors, merged with Chroma's answer). A crash loses no record: the next open
re-embeds the marked records' texts and indexes them before anything is recalled. Other
processes sharing a Chroma server see such records once they are flushed.
"""

from __future__ import annotations

import threading
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
        # Vectors written behind, per user: vector id -> (record id, vector), until flushed.
        self._waiting: dict[str, dict[str, tuple[str, NDArray[np.float32]]]] = {}
        self._waiting_lock = threading.RLock()
        self._move_older_records()
        self._index_marked_records()

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
        """Index the vectors written behind, then close the text store and the index (the
        embedded index's process exits). If indexing fails, the next open does it."""
        try:
            self.flush_index()
        finally:
            try:
                self._texts.close()
            finally:
                self._index.close()

    # -- the index -----------------------------------------------------------------------
    def _collection(self, user_id: str) -> str:
        """The user's collection name, after checking its vectors came from this embedder."""
        self._existing_collection(user_id)
        return self._ids.collection(user_id)

    def _existing_collection(self, user_id: str) -> str | None:
        """The user's collection name if it exists (checked as `_collection` does), else None."""
        name = self._ids.collection(user_id)
        if name not in self._checked:
            stored_by = self._call(self._index.embedder_of, name)
            if stored_by and stored_by != self.embedder.name:
                raise ConfigError(
                    f"user {user_id!r}'s memory was embedded with {stored_by!r}, but the configured "
                    f"embedder is {self.embedder.name!r}; use the same embedder (embedder.model)"
                )
            if stored_by is None:
                return None
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
    def _write(
        self, records: Sequence[Interaction | Feedback], vectors: Vectors, *, defer_index: bool = False
    ) -> int:
        groups: dict[str, list[int]] = {}
        for index, record in enumerate(records):
            groups.setdefault(record.user_id, []).append(index)
        record_ids = [record.record_id() for record in records]
        rows: list[TextRow] = []
        waiting: dict[str, dict[str, tuple[str, NDArray[np.float32]]]] = {}
        for user_id, indexes in groups.items():
            held = self._texts.held(user_id, [record_ids[i] for i in indexes])
            fresh: dict[str, int] = {}
            for i in indexes:
                if record_ids[i] not in held:
                    fresh.setdefault(record_ids[i], i)
            spoken = [i for i in fresh.values() if isinstance(records[i], Interaction)]
            vector_ids = {i: self._ids.vector_id(user_id, record_ids[i]) for i in spoken}
            if spoken and defer_index:
                if user_id not in self._waiting:  # a mismatched embedder is refused now, not at the flush
                    self._collection(user_id)
                waiting[user_id] = {
                    vector_ids[i]: (record_ids[i], np.array(vectors[i], dtype=np.float32)) for i in spoken
                }
            elif spoken:
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
        if not rows:
            return 0
        marks = [vector_id for pending in waiting.values() for vector_id in pending]
        with self._waiting_lock:
            added = self._texts.insert(rows, unindexed=marks)  # texts and marks in one transaction
            for user_id, pending in waiting.items():
                self._waiting.setdefault(user_id, {}).update(pending)
        return added

    def flush_index(self, user_id: str | None = None) -> int:
        """Add the vectors written behind to Chroma, one write per user, and clear their marks."""
        moved = 0
        with self._waiting_lock:
            users = [user_id] if user_id is not None else list(self._waiting)
            for user in users:
                pending = self._waiting.get(user)
                if not pending:
                    continue
                # only records still held: another process sharing the files may have deleted some
                live = self._texts.still_unindexed(list(pending))
                ids = [vector_id for vector_id in pending if vector_id in live]
                if ids:
                    name = self._collection(user)
                    vectors = np.stack([pending[vector_id][1] for vector_id in ids])
                    self._call(self._index.add, name, ids, vectors, self.embedder.name)
                    self._checked.add(name)
                    self._texts.mark_indexed(ids)
                del self._waiting[user]
                moved += len(ids)
        return moved

    def waiting_vectors(self, user_id: str | None = None) -> int:
        """How many vectors written behind wait to be indexed: the user's, or everyone's."""
        with self._waiting_lock:
            if user_id is not None:
                return len(self._waiting.get(user_id, {}))
            return sum(len(pending) for pending in self._waiting.values())

    def _waiting_hits(
        self, user_id: str, vector: NDArray[np.float32], k: int, among: list[str] | None
    ) -> list[tuple[str, float]]:
        """The k waiting vectors of the user nearest to vector, by cosine similarity (as Chroma's)."""
        with self._waiting_lock:
            pending = self._waiting.get(user_id)
            if not pending:
                return []
            within = set(among) if among is not None else None
            ids = [vector_id for vector_id in pending if within is None or vector_id in within]
            if not ids:
                return []
            matrix = np.stack([pending[vector_id][1] for vector_id in ids])
        norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(vector)), 1e-12)
        similarities = (matrix @ vector) / np.maximum(norms, 1e-12)
        order = np.argsort(-similarities, kind="stable")[:k]
        return [(ids[i], float(similarities[i])) for i in order]

    def _search(
        self, user_id: str, vector: NDArray[np.float32], k: int, *, among: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        if k <= 0 or not self._texts.has_user(user_id):
            return []
        within = (
            [self._ids.vector_id(user_id, record_id) for record_id in among] if among is not None else None
        )
        with self._waiting_lock:  # no flush moves a vector between the two lists meanwhile
            indexed = within
            if within is not None:
                # Chroma refuses to search among ids it does not hold: leave out the vectors
                # waiting here, and those another process sharing the files has not indexed yet
                unindexed = self._texts.still_unindexed(within)
                pending = self._waiting.get(user_id, {})
                indexed = [v for v in within if v not in pending and v not in unindexed]
            hits: list[tuple[str, float]] = []
            name = self._existing_collection(user_id) if indexed is None or indexed else None
            if name is not None:  # none yet: all the user's vectors wait here
                hits = self._call(self._index.query, name, vector, k, indexed)
            waiting = self._waiting_hits(user_id, vector, k, within)
        if waiting:  # the best k of both lists hold the best k of all
            hits = sorted([*hits, *waiting], key=lambda pair: -pair[1])[:k]
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
        with self._waiting_lock:
            self._waiting.pop(user_id, None)
            self._call(self._index.drop, name)
            self._checked.discard(name)
            self._texts.forget_user(user_id)
        return ForgetReport(user_id=user_id, interactions=spoken, feedback=reactions)

    def _delete(self, user_id: str, ids: Sequence[str]) -> int:
        held = sorted(self._texts.held(user_id, ids, interactions_only=True))
        if not held:
            return 0
        vector_ids = [self._ids.vector_id(user_id, record_id) for record_id in held]
        with self._waiting_lock:
            pending = self._waiting.get(user_id, {})
            for vector_id in vector_ids:
                pending.pop(vector_id, None)
            self._call(self._index.delete, self._ids.collection(user_id), vector_ids)
            return self._texts.delete(user_id, held)

    # -- vectors a crash kept out of the index -------------------------------------------
    def _index_marked_records(self) -> None:
        """Index the records whose vectors were written behind and never flushed (the process
        stopped first): their texts are in the text store, so they are embedded again."""
        rows = [row for row in self._texts.unindexed_rows() if row.vector_id is not None]
        by_user: dict[str, list[TextRow]] = {}
        for row in rows:
            by_user.setdefault(row.user_id, []).append(row)
        for user_id, user_rows in by_user.items():
            texts = [Interaction.model_validate_json(row.body).embedding_text() for row in user_rows]
            ids = [str(row.vector_id) for row in user_rows]
            name = self._collection(user_id)
            self._call(self._index.add, name, ids, self.embedder.embed_batch(texts), self.embedder.name)
            self._checked.add(name)
            self._texts.mark_indexed(ids)

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
