"""The offline default c(p, x, y): closeness to what the user wants minus closeness to what they avoid.

No training: the preference is split into wanted and avoided phrases by rules
(`polarity`), each candidate is compared to both with the packaged embedder and by
the words they share, and the fixed weights below combine the comparisons. Weights
were set on five PrefEval topics (education_learning_styles, entertain_games,
entertain_shows, lifestyle_beauty, lifestyle_fit) and are reported on the other five.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from prefmem.agent.reward.preference_terms.base import Scores, centred, neutral, no_preference
from prefmem.agent.reward.preference_terms.features import FEATURES, interaction_features
from prefmem.memory.embeddings.base import Embedder

#: One weight per feature in `FEATURES`: closeness to the wanted part counts for, closeness to the
#: avoided part against; naming an avoided thing as absent ("nut-free") counts for.
WEIGHTS = {
    "wanted_similarity": 1.0,
    "avoided_similarity": -1.0,
    "statement_similarity": 0.0,
    "wanted_words": 0.5,
    "avoided_words": -1.0,
    "avoided_negated": 1.0,
}
#: The PrefEval topics the weights above (and the statement extractor's wordings) were set on.
#: Evaluations must not report on them: `prefmem eval prefeval` leaves them out.
TUNING_TOPICS: tuple[str, ...] = (
    "education_learning_styles",
    "entertain_games",
    "entertain_shows",
    "lifestyle_beauty",
    "lifestyle_fit",
)
#: Raw differences this large map to tanh(1) ~ 0.76; about the 75th percentile on the tuning topics.
SCALE = 0.3


class OfflinePreferenceScorer:
    """Scores candidates by their closeness to the wanted part of a preference minus the avoided part."""

    name = "offline-polarity-v1"

    def __init__(self, embedder: Embedder, *, scale: float = SCALE) -> None:
        self.embedder = embedder
        self.scale = scale
        self._weights = np.array([WEIGHTS[name] for name in FEATURES], dtype=np.float64)

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> Scores:
        """One value in [-1, 1] per response; the prompt is not needed by this scorer."""
        if no_preference(preference) or not responses:
            return neutral(responses)
        features = interaction_features(self.embedder, preference, responses)
        return centred(features @ self._weights, scale=self.scale)
