"""An embedder that remembers its recent results, so a text is embedded once per burst of work.

Reranking embeds the same texts several times in one turn (the candidates for relevance
and again for every preference term) and the same preference phrases every turn. Wrapping
the embedder in `CachedEmbedder` turns those repeats into dictionary look-ups; only texts
not seen recently reach the model, in one batch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.embeddings.base import Embedder, Vectors


class CachedEmbedder(Embedder):
    """Wraps an embedder with a least-recently-used cache of `capacity` texts."""

    def __init__(self, inner: Embedder, *, capacity: int = 4096) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.inner = inner
        self.name = inner.name
        self.capacity = capacity
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_batch(self, texts: Sequence[str]) -> Vectors:
        found: dict[str, NDArray[np.float32]] = {}
        for text in texts:
            if text in self._cache and text not in found:
                self._cache.move_to_end(text)
                found[text] = self._cache[text]
        missing = list(dict.fromkeys(text for text in texts if text not in found))
        if missing:
            for text, vector in zip(missing, self.inner.embed_batch(missing), strict=True):
                found[text] = np.asarray(vector, dtype=np.float32)
                self._remember(text, found[text])
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([found[text] for text in texts])

    def _remember(self, text: str, vector: NDArray[np.float32]) -> None:
        self._cache[text] = vector
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
