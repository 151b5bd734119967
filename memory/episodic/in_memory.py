"""An in-memory episodic store: a real implementation for tests, demos and evaluations.

It ranks exactly like the Chroma store (the ranking lives in the base class) but
keeps everything in dictionaries and computes similarities with numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.embeddings.base import Embedder, Vectors
from prefmem.memory.episodic.base import EpisodicStore, ForgetReport, StoredInteraction
from prefmem.memory.models import Feedback, Interaction, UserSummary


class InMemoryEpisodicStore(EpisodicStore):
    """Per-user dictionaries of records and vectors; nothing is persisted."""

    def __init__(
        self, embedder: Embedder, *, half_life_days: float = 7.0, similarity_weight: float = 0.7
    ) -> None:
        super().__init__(embedder, half_life_days=half_life_days, similarity_weight=similarity_weight)
        self._interactions: dict[str, dict[str, tuple[Interaction, NDArray[np.float32]]]] = {}
        self._feedback: dict[str, dict[str, Feedback]] = {}

    def _write(
        self, records: Sequence[Interaction | Feedback], vectors: Vectors, *, defer_index: bool = False
    ) -> int:
        added = 0
        for record, vector in zip(records, vectors, strict=True):
            record_id = record.record_id()
            if isinstance(record, Interaction):
                bucket = self._interactions.setdefault(record.user_id, {})
                if record_id not in bucket:
                    bucket[record_id] = (record, vector.copy())
                    added += 1
            else:
                feedback = self._feedback.setdefault(record.user_id, {})
                if record_id not in feedback:
                    feedback[record_id] = record
                    added += 1
        return added

    def _search(
        self, user_id: str, vector: NDArray[np.float32], k: int, *, among: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        held = self._interactions.get(user_id, {})
        candidates = held if among is None else {i: held[i] for i in among if i in held}
        scored = [(record_id, float(np.dot(v, vector))) for record_id, (_, v) in candidates.items()]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:k]

    def _newest_ids(self, user_id: str, k: int) -> list[str]:
        return sorted(self._interactions.get(user_id, {}), reverse=True)[:k]

    def _fetch(self, user_id: str, ids: Sequence[str]) -> list[StoredInteraction]:
        held = self._interactions.get(user_id, {})
        return [StoredInteraction(i, held[i][0]) for i in ids if i in held]

    def users(self) -> list[UserSummary]:
        ids = sorted(set(self._interactions) | set(self._feedback))
        return [
            UserSummary(
                user_id=u,
                interactions=len(self._interactions.get(u, {})),
                feedback=len(self._feedback.get(u, {})),
            )
            for u in ids
        ]

    def feedback(self, user_id: str) -> list[Feedback]:
        held = self._feedback.get(user_id, {})
        return [held[i] for i in sorted(held)]

    def _forget(self, user_id: str) -> ForgetReport:
        interactions = len(self._interactions.pop(user_id, {}))
        feedback = len(self._feedback.pop(user_id, {}))
        return ForgetReport(user_id=user_id, interactions=interactions, feedback=feedback)

    def _delete(self, user_id: str, ids: Sequence[str]) -> int:
        held = self._interactions.get(user_id, {})
        return sum(held.pop(record_id, None) is not None for record_id in ids)
