"""What semantic memory brings for a message: the usable preferences, by relevance to it.

Episodic recall returns past exchanges by similarity, recency or both; semantic memory
returns the consolidated preferences that may personalize a reply (genuine, tentative, the
user's own). All of them are fed forward whatever the message, so this does not filter:
it orders them by the cosine similarity of each statement to the message, so a person can
put the two memories side by side for the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.preferences import Preference


@dataclass(frozen=True)
class RecalledPreference:
    """A usable preference with its similarity to the message (None without a message)."""

    preference: Preference
    similarity: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"preference": self.preference.model_dump(mode="json"), "similarity": self.similarity}


def rank_preferences(
    embedder: Embedder, query: str | None, preferences: Sequence[Preference], *, k: int
) -> list[RecalledPreference]:
    """The `k` preferences most similar to `query`, best first (in their given order without one)."""
    if not preferences or k <= 0:
        return []
    if query is None or not query.strip():
        return [RecalledPreference(p, None) for p in preferences[:k]]
    vectors = embedder.embed_batch([query, *(p.statement for p in preferences)])
    similarities = np.asarray(vectors[1:] @ vectors[0], dtype=np.float64)
    order = sorted(range(len(preferences)), key=lambda i: (-similarities[i], i))
    return [RecalledPreference(preferences[i], round(float(similarities[i]), 6)) for i in order[:k]]
