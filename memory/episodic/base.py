"""The episodic store interface and the recall ranking every backend shares.

A backend implements a few primitives per user (store records, nearest neighbours,
newest ids, fetch by id, forget); `EpisodicStore.recall` builds the three recall modes
on top of them so they rank identically everywhere:

- similarity: cosine similarity of the query to the user's interactions;
- recency: newest first, scored 1.0 for the newest and halving every half-life;
- hybrid: the union of both candidate lists, scored similarity x (w + (1 - w) x recency):
  relevance is required, and among relevant records the recent ones win.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from memory.embeddings.base import Embedder, Vectors
from memory.errors import InvalidInputError, UnknownUserError
from memory.models import Episode, Feedback, Interaction, UserSummary

RecallMode = Literal["similarity", "recency", "hybrid"]
RECALL_MODES: tuple[RecallMode, ...] = ("similarity", "recency", "hybrid")
_MS_PER_DAY = 86_400_000


@dataclass(frozen=True)
class ForgetReport:
    """What `forget` removed for one user."""

    user_id: str
    interactions: int
    feedback: int


@dataclass(frozen=True)
class StoredInteraction:
    """An interaction as a backend returns it: id, record and (optionally) its vector."""

    id: str
    interaction: Interaction
    vector: NDArray[np.float32] | None = None


def id_millis(record_id: str) -> int:
    """The timestamp (ms since the epoch) encoded at the front of every record id."""
    return int(record_id.split("-", 1)[0])


class EpisodicStore(ABC):
    """Per-user storage of interactions and feedback with similarity and recency recall."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        half_life_days: float = 7.0,
        similarity_weight: float = 0.7,
        candidate_factor: int = 4,
    ) -> None:
        self.embedder = embedder
        self.half_life_days = half_life_days
        self.similarity_weight = similarity_weight
        self.candidate_factor = candidate_factor

    # -- primitives each backend implements --------------------------------------------
    @abstractmethod
    def _write(self, records: Sequence[Interaction | Feedback], vectors: Vectors) -> int:
        """Store records with their vectors, skipping ids already held; returns how many were new."""

    @abstractmethod
    def _nearest(self, user_id: str, vector: NDArray[np.float32], k: int) -> list[tuple[str, float]]:
        """The k interactions most similar to vector, as (id, cosine similarity), best first."""

    @abstractmethod
    def _newest_ids(self, user_id: str, k: int) -> list[str]:
        """Ids of the user's k newest interactions, newest first."""

    @abstractmethod
    def _fetch(self, user_id: str, ids: Sequence[str], *, vectors: bool = False) -> list[StoredInteraction]:
        """The user's interactions with these ids (in the given order, unknown ids left out)."""

    @abstractmethod
    def users(self) -> list[UserSummary]:
        """Every user with memory held, sorted by id."""

    @abstractmethod
    def feedback(self, user_id: str) -> list[Feedback]:
        """All the user's feedback, oldest first."""

    @abstractmethod
    def _forget(self, user_id: str) -> ForgetReport:
        """Remove everything held about the user."""

    # -- conveniences built on them ----------------------------------------------------
    def add(
        self,
        records: Sequence[Interaction | Feedback],
        *,
        batch_size: int = 256,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Embed and store records in batches; returns how many were new (duplicates are skipped).

        Writing one batch overlaps with embedding the next, so ingest runs at nearly the
        embedder's own speed.
        """
        added = 0
        with ThreadPoolExecutor(max_workers=1) as writer:
            pending: Future[int] | None = None
            for start in range(0, len(records), batch_size):
                batch = records[start : start + batch_size]
                vectors = self.embedder.embed_batch([record.embedding_text() for record in batch])
                if pending is not None:
                    added += pending.result()
                pending = writer.submit(self._write, batch, vectors)
                if progress is not None:
                    progress(len(batch))
            if pending is not None:
                added += pending.result()
        return added

    def add_with_vectors(self, records: Sequence[Interaction | Feedback], vectors: Vectors) -> int:
        """Store records whose vectors were computed elsewhere (same embedder); returns how many were new."""
        if vectors.shape != (len(records), self.embedder.dimension):
            raise ValueError(f"expected vectors of shape {(len(records), self.embedder.dimension)}")
        return self._write(records, vectors)

    def has_user(self, user_id: str) -> bool:
        return any(summary.user_id == user_id for summary in self.users())

    def require_user(self, user_id: str) -> None:
        """Raise UnknownUserError unless memory is held for the user."""
        if not self.has_user(user_id):
            raise UnknownUserError(user_id)

    def forget(self, user_id: str) -> ForgetReport:
        """Remove everything held about the user; raises UnknownUserError if nothing is."""
        self.require_user(user_id)
        return self._forget(user_id)

    def interactions(self, user_id: str, *, limit: int | None = None) -> list[Interaction]:
        """The user's interactions, newest first (all of them unless limit is given)."""
        ids = self._newest_ids(user_id, limit if limit is not None else 1 << 30)
        return [stored.interaction for stored in self._fetch(user_id, ids)]

    def recall(
        self,
        user_id: str,
        query: str | None = None,
        *,
        mode: RecallMode = "hybrid",
        k: int = 5,
    ) -> list[Episode]:
        """The user's k most relevant interactions for query under the given mode, best first.

        Recency needs no query; similarity and hybrid need one (hybrid without a query
        falls back to recency).
        """
        if mode not in RECALL_MODES:
            raise InvalidInputError(f"unknown recall mode {mode!r}; use one of {', '.join(RECALL_MODES)}")
        if k <= 0:
            return []
        if mode == "similarity" and not (query and query.strip()):
            raise InvalidInputError("similarity recall needs a query")
        newest = self._newest_ids(user_id, 1)
        if not newest:
            return []
        newest_ms = id_millis(newest[0])
        if mode == "recency" or not (query and query.strip()):
            stored_list = self._fetch(user_id, self._newest_ids(user_id, k))
            return [self._episode(stored, newest_ms, similarity=None) for stored in stored_list]
        vector = self.embedder.embed(query)
        if mode == "similarity":
            hits = dict(self._nearest(user_id, vector, k))
            stored_list = self._fetch(user_id, list(hits))
            return [self._episode(stored, newest_ms, similarity=hits[stored.id]) for stored in stored_list]
        # hybrid: rescore the union of the similarity and recency candidate lists
        pool = k * self.candidate_factor
        similarities = dict(self._nearest(user_id, vector, pool))
        stored_list = self._fetch(user_id, list(similarities))
        recent_ids = [i for i in self._newest_ids(user_id, pool) if i not in similarities]
        for stored in self._fetch(user_id, recent_ids, vectors=True):
            assert stored.vector is not None
            similarities[stored.id] = float(np.dot(stored.vector, vector))
            stored_list.append(stored)
        episodes = [
            self._episode(stored, newest_ms, similarity=similarities[stored.id], hybrid=True)
            for stored in stored_list
        ]
        episodes.sort(key=lambda episode: (-episode.score, episode.id))
        return episodes[:k]

    def _episode(
        self, stored: StoredInteraction, newest_ms: int, *, similarity: float | None, hybrid: bool = False
    ) -> Episode:
        age_days = max(0, newest_ms - id_millis(stored.id)) / _MS_PER_DAY
        recency = float(0.5 ** (age_days / self.half_life_days)) if self.half_life_days > 0 else 1.0
        if similarity is None:
            score = recency
        elif hybrid:
            score = similarity * (self.similarity_weight + (1 - self.similarity_weight) * recency)
        else:
            score = similarity
        return Episode(
            id=stored.id, interaction=stored.interaction, score=score, similarity=similarity, recency=recency
        )
