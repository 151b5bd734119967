"""The caching embedder: same vectors as the model, each text embedded once while it stays cached."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from prefmem.memory.embeddings.base import Vectors
from prefmem.memory.embeddings.cached import CachedEmbedder
from prefmem.memory.embeddings.fake import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed_batch(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        return super().embed_batch(texts)


def test_vectors_equal_the_inner_embedders_and_repeats_are_not_re_embedded() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner)
    texts = ["spicy food", "mild food", "spicy food"]
    first = cached.embed_batch(texts)
    np.testing.assert_allclose(first, HashingEmbedder().embed_batch(texts))
    again = cached.embed_batch(["mild food", "jazz"])
    np.testing.assert_allclose(again[0], first[1])
    assert inner.seen == ["spicy food", "mild food", "jazz"]
    assert cached.dimension == inner.dimension and cached.name == inner.name


def test_least_recently_used_texts_leave_first() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, capacity=2)
    cached.embed_batch(["a b", "c d"])
    cached.embed_batch(["a b"])  # "a b" is now the most recent
    cached.embed_batch(["e f"])  # evicts "c d"
    cached.embed_batch(["a b", "c d"])
    assert inner.seen == ["a b", "c d", "e f", "c d"]
    assert cached.embed_batch([]).shape == (0, inner.dimension)
    with pytest.raises(ValueError):
        CachedEmbedder(inner, capacity=0)
