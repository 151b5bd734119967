"""Preference x response interaction features, the only evidence the offline and trained scorers see.

Every feature compares a candidate with the preference (its wanted part, its avoided
part, or the whole statement) and is centred across the candidates, so a feature that
is the same for every candidate is 0. With no preference there is nothing to compare
and every feature is 0: a scorer built on them cannot rank candidates by their own
artifacts (length, style, being the odd one out), only by what the preference says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.reward.preference_terms.base import no_preference
from prefmem.agent.reward.preference_terms.polarity import Polarity, split_preference
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.left_out import few_or_none

#: Names of the columns `interaction_features` returns, in order.
FEATURES = (
    "wanted_similarity",  # cosine to the closest wanted phrase
    "avoided_similarity",  # cosine to the closest avoided phrase
    "statement_similarity",  # cosine to the whole statement
    "wanted_words",  # share of the wanted phrases' content words the response uses
    "avoided_words",  # share of the avoided phrases' content words the response uses (not negated)
    "avoided_negated",  # the response says it is free of / without an avoided thing (or one close to it)
)

Features = NDArray[np.float64]
#: A response that says it is free of something at least this close (cosine) to an avoided
#: phrase starts to count as honouring it ("cruelty-free" against "tested on animals");
#: the feature rises linearly to 1 at identity. Set on the tuning topics.
ABSENT_FLOOR = 0.2
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = (
    "a an the and or of for to in on with at by from as is are be any all that this these "
    "those some their your my our its into about over more most very like such other others "
    "also only than then there here what which who whom whose when where why how can will "
    "would should could "
)
_STOP = frozenset(_STOP_WORDS.split())


def _stem(word: str) -> str:
    """A crude stem so 'games'/'game' and 'nuts'/'nut' meet; enough for matching named things."""
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> set[str]:
    """The stems of the content words of a text."""
    return {_stem(word) for word in _WORD.findall(text.lower()) if word not in _STOP and len(word) > 2}


def _word_share(phrases: Sequence[str], response_stems: set[str]) -> float:
    best = 0.0
    for phrase in phrases:
        stems = content_stems(phrase)
        if stems:
            best = max(best, len(stems & response_stems) / len(stems))
    return best


def _closest(phrase_vectors: NDArray[np.float32], response_vectors: NDArray[np.float32]) -> Features:
    if len(phrase_vectors) == 0:
        return np.zeros(len(response_vectors), dtype=np.float64)
    similarities = response_vectors @ phrase_vectors.T
    return np.asarray(similarities.max(axis=1), dtype=np.float64)


def interaction_features(
    embedder: Embedder,
    preference: str,
    responses: Sequence[str],
    *,
    polarity: Polarity | None = None,
) -> Features:
    """An array (len(responses), len(FEATURES)), each column centred across the responses."""
    features = np.zeros((len(responses), len(FEATURES)), dtype=np.float64)
    if no_preference(preference) or len(responses) == 0:
        return features
    parts = polarity or split_preference(preference)
    texts = [preference, *parts.wanted, *parts.avoided, *responses]  # responses as given: often cached
    vectors = embedder.embed_batch(texts)
    wanted_end = 1 + len(parts.wanted)
    avoided_end = wanted_end + len(parts.avoided)
    response_vectors = np.array(vectors[avoided_end:])
    phrase_vectors = vectors[1:avoided_end]
    avoided_vectors = vectors[wanted_end:avoided_end]
    # What each response says it has little or none of ("minimal dialogue", "silicone-free"):
    # a short text each, embedded in a batch of their own so they are not padded to a reply's length
    few = [few_or_none(response) for response in responses]
    absent = [thing for things, _ in few for thing in things]
    absent_vectors = embedder.embed_batch(absent) if absent and len(phrase_vectors) else vectors[:0]
    phrase_stems = set().union(*(content_stems(phrase) for phrase in (*parts.wanted, *parts.avoided)))
    avoided_stems = (
        set().union(*(content_stems(phrase) for phrase in parts.avoided)) if parts.avoided else set()
    )
    spans: list[tuple[int, int]] = []
    start = 0
    for things, _ in few:
        spans.append((start, start + len(things)))
        start += len(things)
    # A response that leaves out something the preference speaks of offers what is left ("a
    # silicone-free primer" offers a primer): the closeness features compare that instead
    cut_rows = [
        row
        for row, (things, _) in enumerate(few)
        if things
        and len(phrase_vectors)
        and (
            set().union(*(content_stems(thing) for thing in things)) & phrase_stems
            or float((absent_vectors[slice(*spans[row])] @ phrase_vectors.T).max()) >= ABSENT_FLOOR
        )
    ]
    if cut_rows:
        cut = embedder.embed_batch([few[row][1] or responses[row] for row in cut_rows])
        response_vectors[cut_rows] = cut
    features[:, 0] = _closest(vectors[1:wanted_end], response_vectors)
    features[:, 1] = _closest(avoided_vectors, response_vectors)
    features[:, 2] = response_vectors @ vectors[0]
    for row, response in enumerate(responses):
        things = few[row][0]
        negated = set().union(*(content_stems(thing) for thing in things))
        stems = content_stems(response) - negated
        features[row, 3] = _word_share(parts.wanted, stems)
        features[row, 4] = _word_share(parts.avoided, stems)
        closeness = 0.0
        if things and len(avoided_vectors):
            closeness = float((absent_vectors[slice(*spans[row])] @ avoided_vectors.T).max())
        near = max(0.0, (closeness - ABSENT_FLOOR) / (1 - ABSENT_FLOOR))
        features[row, 5] = 1.0 if negated & avoided_stems else near
    centred_features: Features = features - features.mean(axis=0, keepdims=True)
    return centred_features
