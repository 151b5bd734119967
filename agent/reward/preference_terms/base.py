"""The interface of a preference-conditioned term c(p, x, y), and what every backend shares.

A scorer sees one preference statement p, one prompt x and the candidate responses y,
and returns one value in [-1, 1] per candidate: positive honours p, negative goes
against it, 0 is neutral. Scores are relative to the other candidates, and a scorer
returns exactly 0 for every candidate when there is no preference: the term can then
only add what the preference says, never an artifact of the candidates themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

Scores = NDArray[np.float64]


@runtime_checkable
class PreferenceScorer(Protocol):
    """Scores candidate responses by how well each honours a preference statement."""

    #: A short name recorded in traces and benchmark output.
    name: str

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> Scores:
        """One value in [-1, 1] per response; all zeros when `preference` is blank."""
        ...


@dataclass(frozen=True)
class ScorerExample:
    """One training or test item: a preference, a prompt, candidates, and which candidate honours it."""

    preference: str
    prompt: str
    responses: tuple[str, ...]
    best: int
    topic: str = ""

    def __post_init__(self) -> None:
        if len(self.responses) < 2:
            raise ValueError("a scorer example needs at least two responses")
        if not 0 <= self.best < len(self.responses):
            raise ValueError(f"best={self.best} is not the index of a response")


def no_preference(preference: str) -> bool:
    """Whether a preference statement is blank, so the term must stay neutral."""
    return not preference.strip()


def neutral(responses: Sequence[str]) -> Scores:
    """The scores of a term with nothing to say: 0 for every response."""
    return np.zeros(len(responses), dtype=np.float64)


def centred(values: NDArray[np.floating], *, scale: float = 1.0) -> Scores:
    """Values relative to their mean across candidates, squashed into [-1, 1] by tanh(value / scale)."""
    array = np.asarray(values, dtype=np.float64)
    if array.size == 0:
        return array
    squashed: Scores = np.tanh((array - array.mean()) / scale)
    return squashed
