"""Interpretable base reward functions phi_k(prompt, response), each a number in [-1, 1].

The user-specific part of the reward is lambda_u . phi(x, y) (PReF): a handful of
readable axes of style on which users genuinely differ. Each function is pure Python
and regular expressions, so scoring a candidate costs microseconds and needs no model.
A positive value means "more of this than a plain reply"; what that is, axis by axis,
is written in each function's `meaning`. Only differences between two responses to
the same prompt matter to a pairwise comparison, so the exact zero point of an axis
is a readability choice, not a modelling one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_LIST_LINE = re.compile(
    r"^\s*(?:[-*•]\s+|\d{1,2}[.)]\s+|#{1,6}\s+|step\s+\d+\b|\*\*[^*\n]{1,40}:?\*\*)", re.I | re.M
)
# possessives ("the router's") are not contractions: 's counts only after pronouns
_CONTRACTION = re.compile(
    r"\b(?:[A-Za-z]+['’](?:re|ll|ve|d|t|m)|(?:it|that|there|here|what|he|she|let|who|where)['’]s)\b", re.I
)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_CODE = re.compile(r"```|`[^`\n]+`")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|[a-zA-Z]{1,3}\b)?")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
_LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+", re.M)


def _phrases(*items: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of the phrases as whole words."""
    return re.compile(r"\b(?:" + "|".join(re.escape(item) for item in items) + r")\b", re.I)


_FORMAL = _phrases(
    "therefore",
    "however",
    "furthermore",
    "moreover",
    "consequently",
    "regarding",
    "recommended",
    "advisable",
    "please note",
    "ensure",
    "approximately",
    "additionally",
    "subsequently",
    "nevertheless",
    "thus",
    "accordingly",
    "kindly",
    "it is important to",
    "one should",
    "in order to",
)
_INFORMAL = _phrases(
    "hey",
    "yeah",
    "okay",
    "ok",
    "gonna",
    "wanna",
    "kinda",
    "stuff",
    "cool",
    "awesome",
    "super",
    "lol",
    "btw",
    "honestly",
    "pretty much",
    "totally",
    "basically",
    "no worries",
    "sure thing",
)
_JARGON = _phrases(
    "algorithm",
    "api",
    "function",
    "parameter",
    "variable",
    "protocol",
    "latency",
    "throughput",
    "voltage",
    "wattage",
    "metabolism",
    "enzyme",
    "molecule",
    "compound interest",
    "amortization",
    "asymptotic",
    "regression",
    "coefficient",
    "hydrolysis",
    "thermal",
    "frequency",
    "bandwidth",
    "compiler",
    "runtime",
    "kernel",
    "cpu",
    "ram",
    "dependency",
    "backlight",
    "oxidation",
    "glucose",
    "cortisol",
    "carbohydrates",
    "pH",
    "index fund",
    "expense ratio",
    "capacitor",
    "codec",
    "oxygen",
    "nitrogen",
    "tannins",
    "enzymes",
    "proteins",
    "firmware",
    "melatonin",
    "gluten",
)
_EXAMPLE = _phrases(
    "for example",
    "for instance",
    "e.g",
    "such as",
    "say you",
    "imagine",
    "like this",
    "as an example",
    "to illustrate",
    "consider",
)
_WARM = _phrases(
    "happy to help",
    "glad you asked",
    "great question",
    "i hope",
    "hope this helps",
    "good luck",
    "you've got this",
    "you’ve got this",
    "don't worry",
    "don’t worry",
    "no worries",
    "totally normal",
    "i understand",
    "sorry to hear",
    "that sounds",
    "you're doing",
    "you’re doing",
    "take care",
    "enjoy",
    "best of luck",
    "what a lovely",
    "i'm glad",
    "i’m glad",
    "wonderful",
)
_HEDGE = _phrases(
    "might",
    "may",
    "perhaps",
    "possibly",
    "probably",
    "it depends",
    "i think",
    "could",
    "somewhat",
    "in some cases",
    "generally",
    "often",
    "tends to",
    "not always",
    "likely",
    "your mileage",
    "it varies",
    "arguably",
    "roughly",
)
_DIRECT = _phrases(
    "definitely",
    "always",
    "never",
    "simply",
    "clearly",
    "the answer is",
    "do this",
    "must",
    "certainly",
    "without a doubt",
    "the best way is",
    "exactly",
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text))


def _rising(count: float, scale: float) -> float:
    """0 occurrences -> -1, rising towards +1 as occurrences grow (scale: how fast)."""
    return 2.0 * math.tanh(count / scale) - 1.0


def length(prompt: str, response: str) -> float:
    """Log-ratio of the response's words to a length suited to the prompt, squashed into [-1, 1].

    The target grows with the prompt (a long question deserves a longer answer): 25 words
    plus 1.5 per prompt word, capped at 120.
    """
    target = min(120.0, 25.0 + 1.5 * len(_words(prompt)))
    words = max(1, len(_words(response)))
    return math.tanh(math.log2(words / target))


def structure(prompt: str, response: str) -> float:
    """Lines that are list items, numbered steps, headings or bold labels: -1 for plain prose."""
    return _rising(_count(_LIST_LINE, response), 2.0)


def formality(prompt: str, response: str) -> float:
    """Formal markers minus informal ones (contractions, slang, exclamation marks, emoji)."""
    formal = _count(_FORMAL, response)
    informal = (
        _count(_INFORMAL, response)
        + _count(_CONTRACTION, response)
        + response.count("!")
        + _count(_EMOJI, response)
    )
    return math.tanh((formal - informal) / 2.0)


def technical_depth(prompt: str, response: str) -> float:
    """Jargon, figures, acronyms and code: about 0 for one technical mention, -0.5 for none."""
    text = _LIST_NUMBER.sub("", response)  # a numbered list is structure, not figures
    count = _count(_JARGON, text) + _count(_NUMBER, text) + _count(_ACRONYM, text) + 2 * _count(_CODE, text)
    return math.tanh((count - 1) / 2.0)


def examples(prompt: str, response: str) -> float:
    """Concrete examples ("for example", "such as", code blocks): -1 when none are given."""
    return _rising(_count(_EXAMPLE, response) + response.count("```") // 2, 1.0)


def warmth(prompt: str, response: str) -> float:
    """Friendly, encouraging or empathetic phrases: -1 for a neutral, impersonal reply."""
    return _rising(_count(_WARM, response), 1.5)


def hedging(prompt: str, response: str) -> float:
    """Hedges ("might", "it depends") minus flat assertions ("always", "simply"): negative is direct."""
    return math.tanh((_count(_HEDGE, response) - _count(_DIRECT, response)) / 2.0)


@dataclass(frozen=True)
class BaseFunction:
    """One interpretable axis of the reward: its name, what a positive value means, and how to compute it."""

    name: str
    meaning: str
    compute: Callable[[str, str], float]


BASE_FUNCTIONS: tuple[BaseFunction, ...] = (
    BaseFunction("length", "longer than a length suited to the prompt", length),
    BaseFunction("structure", "organised as lists, numbered steps or headings", structure),
    BaseFunction("formality", "formal register rather than casual (contractions, slang, '!')", formality),
    BaseFunction("technical_depth", "technical detail: jargon, figures, acronyms, code", technical_depth),
    BaseFunction("examples", "gives concrete examples", examples),
    BaseFunction("warmth", "friendly, encouraging, empathetic tone", warmth),
    BaseFunction("hedging", "hedged and qualified rather than direct and assertive", hedging),
)
BASE_NAMES: tuple[str, ...] = tuple(function.name for function in BASE_FUNCTIONS)


def base_features(prompt: str, responses: Sequence[str]) -> NDArray[np.float64]:
    """phi(prompt, response) for each response: an array of shape (len(responses), len(BASE_FUNCTIONS))."""
    features = np.empty((len(responses), len(BASE_FUNCTIONS)), dtype=np.float64)
    for row, response in enumerate(responses):
        for column, function in enumerate(BASE_FUNCTIONS):
            features[row, column] = function.compute(prompt, response)
    return features
