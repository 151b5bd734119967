"""A deterministic, dependency-free embedder for tests and demos.

It hashes words and word pairs into a fixed number of buckets, so texts that share
words are close and unrelated texts are nearly orthogonal. It is a real `Embedder`:
nothing about it is mocked, it just knows no synonyms.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence

import numpy as np

from prefmem.memory.embeddings.base import Embedder, Vectors

_WORD = re.compile(r"[a-z0-9']+")


class HashingEmbedder(Embedder):
    """Bag of hashed words and word pairs, L2-normalised."""

    def __init__(self, dimension: int = 256) -> None:
        if dimension < 8:
            raise ValueError("dimension must be at least 8")
        self._dimension = dimension
        self.name = f"hashing-{dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def _bucket(self, token: str) -> tuple[int, float]:
        digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self._dimension, 1.0 if (value >> 63) & 1 else -1.0

    def embed_batch(self, texts: Sequence[str]) -> Vectors:
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            tokens = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for token in tokens or ["<empty>"]:
                index, sign = self._bucket(token)
                vectors[row, index] += sign
            norm = float(np.linalg.norm(vectors[row]))
            if norm > 0:
                vectors[row] /= norm
        return vectors
