"""c(p, x, y) by an LLM judge: any LangChain chat model rates how well each candidate honours p.

The judge sees the preference, the prompt and the numbered candidates together and
rates each from 1 (goes against the preference) to 5 (honours it fully); ratings map to
[-1, 1] and are centred across the candidates like every other term. Models that
support `with_structured_output` are called that way; others are asked for JSON and
their reply is parsed. A reply that cannot be read, or has the wrong number of
ratings, leaves the term neutral (all zeros) and is counted in `failures`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from prefmem.agent.reward.preference_terms.base import Scores, neutral, no_preference
from prefmem.memory.structured_answers import StructuredAsker


class Ratings(BaseModel):
    """One rating per candidate, in the order shown: 1 goes against the preference, 5 honours it fully."""

    ratings: list[int] = Field(description="One whole number from 1 to 5 per candidate, in order.")


INSTRUCTIONS = (
    "You judge candidate replies to a user's message. The user stated this preference: {preference}\n"
    "Rate every candidate from 1 (goes against the preference) through 3 (unrelated to it) to 5 "
    "(honours it fully). Judge only the preference, not general quality."
)


class LLMJudgeScorer:
    """Rates candidates with a LangChain chat model; `failures` counts replies it could not read."""

    def __init__(self, chat_model: Any) -> None:
        model_id = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None)
        self.name = f"llm-judge:{model_id if isinstance(model_id, str) else type(chat_model).__name__}"
        self._asker = StructuredAsker(
            chat_model,
            Ratings,
            json_hint='{"ratings": [one number per candidate]}',
            role="the preference judge",
        )
        self.failures = 0

    def _messages(self, preference: str, prompt: str, responses: Sequence[str]) -> list[tuple[str, str]]:
        shown = "\n".join(f"[{number}] {text}" for number, text in enumerate(responses, start=1))
        return [
            ("system", INSTRUCTIONS.format(preference=preference.strip())),
            ("human", f"User's message: {prompt}\n\nCandidates:\n{shown}"),
        ]

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> Scores:
        """One value in [-1, 1] per response; all zeros with no preference or an unreadable reply."""
        if no_preference(preference) or not responses:
            return neutral(responses)
        answer = self._asker.ask(self._messages(preference, prompt, responses))
        if answer is None or len(answer.ratings) != len(responses):
            self.failures += 1
            return neutral(responses)
        ratings = (np.clip(np.asarray(answer.ratings, dtype=np.float64), 1, 5) - 3) / 2
        centred_ratings: Scores = np.clip(ratings - ratings.mean(), -1.0, 1.0)
        return centred_ratings
