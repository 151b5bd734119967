"""Which side a predicate takes when no word of the sentiment lexicon gives it away.

"Crowds wear me out", "a good mystery keeps me up all night": the verbs carry no valence
in VADER, yet the phrase as a whole is plainly for or against. Sentence embeddings place
such a phrase nearer to one of two anchors, the centroid of a few plain statements of
liking and of disliking written for this purpose; a phrase about equally near both is
left undecided (the clause then gives no reading rather than a guess).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from prefmem.memory.embeddings.base import Embedder

#: Plain statements of each side, with the thing spoken of as "it".
LIKING = (
    "it makes me happy",
    "I enjoy it",
    "it is good for me",
    "it helps me",
    "I like it a lot",
    "it suits me well",
)
DISLIKING = (
    "it makes me unhappy",
    "I hate it",
    "it is bad for me",
    "it bothers me",
    "I dislike it a lot",
    "it does not suit me",
)
#: How much nearer to one anchor than to the other a phrase must lie (cosine difference).
MARGIN = 0.03


class AnchorPolarity:
    """Sides of predicates from their embeddings: +1 nearer liking, -1 nearer disliking, 0 neither."""

    def __init__(self, embedder: Embedder, *, margin: float = MARGIN) -> None:
        self._embedder = embedder
        self._margin = margin
        self._axis: np.ndarray | None = None

    def _anchor_axis(self) -> np.ndarray:
        if self._axis is None:
            vectors = np.asarray(self._embedder.embed_batch([*LIKING, *DISLIKING]), dtype=np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            self._axis = vectors[: len(LIKING)].mean(axis=0) - vectors[len(LIKING) :].mean(axis=0)
        return self._axis

    def __call__(self, predicates: Sequence[str]) -> list[int]:
        if not predicates:
            return []
        vectors = np.asarray(self._embedder.embed_batch(list(predicates)), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        leaning = vectors @ self._anchor_axis()
        return [0 if abs(float(lean)) < self._margin else (1 if lean > 0 else -1) for lean in leaning]
