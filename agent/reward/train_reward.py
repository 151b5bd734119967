"""Learning the reward's base functions from a population's comparisons: from the store or from given pairs.

The population is whoever's pairwise feedback is at hand: the users of the episodic
store (choices, answers, opposite ratings of one prompt, edits: everything
`comparisons_from_feedback` reads), or comparisons built from a data folder by the
command line (`prefmem train-reward --data DIR`). Replies are embedded once, in
batches, by the embedder the reward uses, and `learn_functions` does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from prefmem.agent.reward.coefficients import PairwiseComparison, comparisons_from_feedback
from prefmem.agent.reward.learned_functions import LearnedFunctions, UserPairs, learn_functions
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.extraction.base import OccasionUnit

#: Replies embedded per call while training (keeps memory flat on large populations).
EMBED_CHUNK = 256


def _embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float64)
    chunks = [
        np.asarray(embedder.embed_batch(list(texts[start : start + EMBED_CHUNK])), dtype=np.float64)
        for start in range(0, len(texts), EMBED_CHUNK)
    ]
    return np.concatenate(chunks)


def learn_from_comparisons(
    by_user: Mapping[str, Sequence[PairwiseComparison]],
    embedder: Embedder,
    *,
    count: int,
    l2: float = 1.0,
    prior_strength: float = 1.0,
    min_pairs: int = 5,
    source: Mapping[str, Any] | None = None,
) -> LearnedFunctions:
    """Base functions learned from each user's comparisons (see `learn_functions`)."""
    texts = list(
        dict.fromkeys(text for pairs in by_user.values() for c in pairs for text in (c.preferred, c.other))
    )
    if not texts:
        raise ValueError("there are no comparisons to learn reward functions from")
    vectors = _embed(embedder, texts)
    row = {text: index for index, text in enumerate(texts)}
    users = [
        UserPairs(
            user_id=user,
            preferred=vectors[[row[c.preferred] for c in pairs]],
            other=vectors[[row[c.other] for c in pairs]],
        )
        for user, pairs in by_user.items()
        if pairs
    ]
    return learn_functions(
        users,
        replies=vectors,
        reply_texts=texts,
        count=count,
        embedding_model=embedder.name,
        l2=l2,
        min_pairs=min_pairs,
        prior_strength=prior_strength,
        source=source,
    )


def store_comparisons(
    store: EpisodicStore, *, occasion: OccasionUnit, users: Sequence[str] | None = None
) -> dict[str, list[PairwiseComparison]]:
    """Every (or each named) user's pairwise comparisons from their feedback in the store."""
    names = list(users) if users is not None else [summary.user_id for summary in store.users()]
    return {user: comparisons_from_feedback(store.feedback(user), occasion=occasion) for user in names}
