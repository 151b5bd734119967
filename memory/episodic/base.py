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
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.embeddings.base import Embedder, Vectors
from prefmem.memory.errors import InvalidInputError, UnknownUserError
from prefmem.memory.models import Episode, Feedback, Interaction, UserSummary

RecallMode = Literal["similarity", "recency", "hybrid"]
RECALL_MODES: tuple[RecallMode, ...] = ("similarity", "recency", "hybrid")
_MS_PER_DAY = 86_400_000
#: Extra candidates similarity recall asks the index for, to break ties by id (see `recall`).
_TIE_MARGIN = 4


@dataclass(frozen=True)
class ForgetReport:
    """What `forget` removed for one user."""

    user_id: str
    interactions: int
    feedback: int


@dataclass(frozen=True)
class StoredInteraction:
    """An interaction as a backend returns it, with its id."""

    id: str
    interaction: Interaction


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
        candidate_factor: int = 8,
    ) -> None:
        self.embedder = embedder
        self.half_life_days = half_life_days
        self.similarity_weight = similarity_weight
        self.candidate_factor = candidate_factor

    # -- primitives each backend implements --------------------------------------------
    @abstractmethod
    def _write(
        self, records: Sequence[Interaction | Feedback], vectors: Vectors, *, defer_index: bool = False
    ) -> int:
        """Store records with their vectors, skipping ids already held; returns how many were new.

        With `defer_index`, a store whose vector index has a fixed cost per write may keep the
        vectors back until `flush_index` (recall finds them meanwhile); others ignore it."""

    @abstractmethod
    def _search(
        self, user_id: str, vector: NDArray[np.float32], k: int, *, among: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Ids of the k interactions most similar to vector (only among `among` if given), with
        their cosine similarity, best first."""

    @abstractmethod
    def _newest_ids(self, user_id: str, k: int) -> list[str]:
        """Ids of the user's k newest interactions, newest first."""

    @abstractmethod
    def _fetch(self, user_id: str, ids: Sequence[str]) -> list[StoredInteraction]:
        """The user's interactions with these ids (in the given order, unknown ids left out)."""

    def _newest_millis(self, user_id: str) -> int | None:
        """Timestamp (ms) of the user's newest interaction; backends may answer from a cache."""
        newest = self._newest_ids(user_id, 1)
        return id_millis(newest[0]) if newest else None

    @abstractmethod
    def users(self) -> list[UserSummary]:
        """Every user with memory held, sorted by id."""

    @abstractmethod
    def feedback(self, user_id: str) -> list[Feedback]:
        """All the user's feedback, oldest first."""

    @abstractmethod
    def _forget(self, user_id: str) -> ForgetReport:
        """Remove everything held about the user."""

    @abstractmethod
    def _delete(self, user_id: str, ids: Sequence[str]) -> int:
        """Remove the user's interactions with these ids (unknown ids ignored); returns how many went."""

    def close(self) -> None:  # noqa: B027  (optional: most stores hold nothing to release)
        """Release the store's files and processes (nothing to do for a store that holds none)."""

    def flush_index(self, user_id: str | None = None) -> int:
        """Move vectors written with `defer_index` into the vector index: the user's, or everyone's;
        returns how many moved (none for a store that indexes at once)."""
        return 0

    # -- conveniences built on them ----------------------------------------------------
    def add(
        self,
        records: Sequence[Interaction | Feedback],
        *,
        chunk_size: int = 2048,
        progress: Callable[[int], None] | None = None,
        defer_index: bool = False,
    ) -> int:
        """Embed and store records; returns how many were new (duplicates are skipped).

        `defer_index`: see `_write`; the caller then calls `flush_index` soon (a writer that
        stores one exchange at a time: one index write then covers many of them).

        Records go in chunks: one embedder call per chunk (so it can sort texts by length
        and pad little) and one write per chunk (each write touches every user in it, so
        fewer, larger writes are cheaper). Writing in a background thread was measured
        slower on two cores: it competes with the embedder's own threads.
        """
        added = 0
        for start in range(0, len(records), chunk_size):
            chunk = records[start : start + chunk_size]
            vectors = self.embedder.embed_batch([record.embedding_text() for record in chunk])
            added += self._write(chunk, vectors, defer_index=defer_index)
            if progress is not None:
                progress(len(chunk))
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

    def delete_interactions(self, user_id: str, ids: Sequence[str]) -> int:
        """Remove some of the user's interactions (e.g. one conversation); returns how many went.

        Other users are untouched whatever the ids say; the user's preferences are not
        rebuilt here (consolidation notices the change: the record count is in its fingerprint).
        """
        return self._delete(user_id, list(dict.fromkeys(ids))) if ids else 0

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
        if mode == "recency" or not (query and query.strip()):
            ids = self._newest_ids(user_id, k)
            if not ids:
                return []
            latest_ms = id_millis(ids[0])
            return [self._episode(stored, latest_ms, similarity=None) for stored in self._fetch(user_id, ids)]
        vector = self.embedder.embed(query)
        if mode == "similarity":
            # A few more than k, so that equally similar records (the same words said twice)
            # are chosen and ordered by id, not by the index's internal order.
            similarities = dict(self._search(user_id, vector, k + _TIE_MARGIN))
            newest = self._newest_millis(user_id) if similarities else None
            if newest is None:
                return []
            best = sorted(similarities, key=lambda record_id: (-round(similarities[record_id], 6), record_id))
            return [
                self._episode(stored, newest, similarity=similarities[stored.id])
                for stored in self._fetch(user_id, best[:k])
            ]
        # hybrid: score the most similar candidates; add the most recent ones only if they could win
        pool = k * self.candidate_factor
        similarities = dict(self._search(user_id, vector, pool))
        newest_ms = self._newest_millis(user_id) if similarities else None
        if newest_ms is None:
            return []
        scores = self._hybrid_scores(similarities, newest_ms)
        if len(similarities) == pool and not self._pool_decides(scores, similarities, k):
            recent_ids = self._newest_ids(user_id, pool)
            newest_ms = id_millis(recent_ids[0])
            unseen = [record_id for record_id in recent_ids if record_id not in similarities]
            if unseen:
                similarities.update(self._search(user_id, vector, len(unseen), among=unseen))
            scores = self._hybrid_scores(similarities, newest_ms)
        best = sorted(scores, key=lambda record_id: (-scores[record_id], record_id))[:k]
        return [
            self._episode(stored, newest_ms, similarity=similarities[stored.id], hybrid=True)
            for stored in self._fetch(user_id, best)
        ]

    def _hybrid_scores(self, similarities: dict[str, float], newest_ms: int) -> dict[str, float]:
        return {
            record_id: similarity * self._hybrid_weight(id_millis(record_id), newest_ms)
            for record_id, similarity in similarities.items()
        }

    def _pool_decides(self, scores: dict[str, float], similarities: dict[str, float], k: int) -> bool:
        """True when no record outside the similarity pool can enter the hybrid top k.

        A record outside the pool is at most as similar as the pool's least similar one,
        and its hybrid weight is between w and 1, which bounds its score.
        """
        floor = min(similarities.values())
        bound = floor if floor >= 0 else floor * self.similarity_weight
        kth_best = sorted(scores.values(), reverse=True)[min(k, len(scores)) - 1]
        return kth_best >= bound

    def _recency(self, record_ms: int, newest_ms: int) -> float:
        age_days = max(0, newest_ms - record_ms) / _MS_PER_DAY
        return float(0.5 ** (age_days / self.half_life_days))

    def _hybrid_weight(self, record_ms: int, newest_ms: int) -> float:
        """What similarity is multiplied by in hybrid recall: w + (1 - w) x recency."""
        return self.similarity_weight + (1 - self.similarity_weight) * self._recency(record_ms, newest_ms)

    def _episode(
        self, stored: StoredInteraction, newest_ms: int, *, similarity: float | None, hybrid: bool = False
    ) -> Episode:
        recency = self._recency(id_millis(stored.id), newest_ms)
        if similarity is None:
            score = recency
        elif hybrid:
            score = similarity * self._hybrid_weight(id_millis(stored.id), newest_ms)
        else:
            score = similarity
        return Episode(
            id=stored.id, interaction=stored.interaction, score=score, similarity=similarity, recency=recency
        )
