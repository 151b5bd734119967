"""Shared quality penalties: the part of the shared base that any user would agree on.

Cheap checks on the text alone, each a penalty (<= 0) so a clean reply scores 0:

- empty reply: -2 (below any personal gain with the default bound of 1: 2 * bound);
- repetition: minus the share of word trigrams that repeat an earlier one (a model stuck
  in a loop scores near -1);
- parroting: a reply that mostly repeats the prompt: minus the share of its words that
  are a verbatim copy of it, beyond half.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

EMPTY_PENALTY = -2.0
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def repetition_share(words: Sequence[str]) -> float:
    """Share of word trigrams that already appeared earlier in the same text."""
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    if not trigrams:
        return 0.0
    return 1.0 - len(set(trigrams)) / len(trigrams)


def parroting_share(prompt_words: Sequence[str], words: Sequence[str]) -> float:
    """Share of the reply's word trigrams that are copied from the prompt."""
    source = {tuple(prompt_words[i : i + 3]) for i in range(len(prompt_words) - 2)}
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    if not trigrams or not source:
        return 0.0
    return sum(t in source for t in trigrams) / len(trigrams)


def quality_penalty(prompt: str, response: str) -> float:
    """The summed penalty of one reply (0 for a clean one)."""
    words = _words(response)
    if not words:
        return EMPTY_PENALTY
    penalty = 0.0 - repetition_share(words)  # never -0.0 in traces
    parroted = parroting_share(_words(prompt), words)
    if parroted > 0.5:
        penalty -= parroted - 0.5
    return penalty


def quality_penalties(prompt: str, responses: Sequence[str]) -> NDArray[np.float64]:
    """`quality_penalty` for every response."""
    return np.asarray([quality_penalty(prompt, r) for r in responses], dtype=np.float64)
