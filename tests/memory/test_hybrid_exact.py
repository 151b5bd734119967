"""Hybrid recall reads only the most similar candidates when that provably suffices; it must
rank exactly as scoring every record would."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.models import Interaction

WORDS = [
    "tea",
    "coffee",
    "rain",
    "hiking",
    "books",
    "jazz",
    "pasta",
    "garden",
    "chess",
    "python",
    "sleep",
    "travel",
    "music",
    "bread",
]


def _brute_force(store: EpisodicStore, user: str, query: str, k: int) -> list[str]:
    vector = store.embedder.embed(query)
    every = store.interactions(user)
    newest = max(i.timestamp for i in every)
    scored = []
    for item in every:
        similarity = float(store.embedder.embed(item.user_text) @ vector)
        age_days = (newest - item.timestamp).total_seconds() / 86400
        recency = 0.5 ** (age_days / store.half_life_days)
        weight = store.similarity_weight + (1 - store.similarity_weight) * recency
        scored.append((-similarity * weight, item.record_id(), item.user_text))
    scored.sort()
    return [text for _, _, text in scored[:k]]


@pytest.mark.parametrize("backend", ["in_memory", "chroma"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hybrid_matches_scoring_every_record(backend: str, seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    embedder = HashingEmbedder()
    ranking = {"half_life_days": 2.0, "similarity_weight": 0.3}
    store: EpisodicStore = (
        InMemoryEpisodicStore(embedder, **ranking)
        if backend == "in_memory"
        else ChromaEpisodicStore.persistent(tmp_path / "chroma", embedder, **ranking)
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    records = [
        Interaction(
            user_id="ana",
            timestamp=start + timedelta(hours=rng.randint(0, 24 * 60)),
            user_text=" ".join(rng.sample(WORDS, 3)) + f" {n}",
        )
        for n in range(120)
    ]
    store.add(records)
    for query in ("tea and rain", "jazz music", "python chess books"):
        got = [e.interaction.user_text for e in store.recall("ana", query, mode="hybrid", k=5)]
        assert got == _brute_force(store, "ana", query, 5)
