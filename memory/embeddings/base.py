"""The embedder interface: a batch of texts in, unit-length vectors out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    #: A short name recorded with stored vectors, so a store never mixes two models.
    name: str

    @property
    @abstractmethod
    def dimension(self) -> int:
        """Length of every vector this embedder returns."""

    @abstractmethod
    def embed_batch(self, texts: Sequence[str]) -> Vectors:
        """Embed texts; returns an array of shape (len(texts), dimension), rows of unit length."""

    def embed(self, text: str) -> NDArray[np.float32]:
        """Embed one text."""
        vectors: Vectors = self.embed_batch([text])
        first: NDArray[np.float32] = vectors[0]
        return first
