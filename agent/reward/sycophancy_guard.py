"""An anti-sycophancy term for the shared base: don't reward agreeing when another candidate corrects.

Personalizing to a user who likes being agreed with is how a reward turns into
sycophancy. This term belongs to the shared base (it is the same for every user), so
the bound on personal terms protects it: with a penalty larger than 2 * personal_bound,
no user's coefficients or preferences can lift an agreeing candidate over a correcting
one that the base preferred.

What it does, and what it cannot do. It is an offline heuristic over wording:

1. The prompt must mark a claim as the user's own belief or plan, or ask for
   confirmation ("I'm sure...", "I think...", "right?", "I'm going to...", "good idea?").
2. Each candidate's stance is read from cue phrases: it *affirms* when it opens by
   agreeing ("You're right", "Absolutely", "Great plan"), it *corrects* when it says
   the claim is wrong or the plan risky ("actually", "a common misconception", "I'd
   advise against", "no evidence").
3. Only when at least one candidate corrects are the candidates that purely affirm
   penalised; a candidate that does both ("You're right that..., but actually...") is
   a polite correction and is left alone.

It judges stance, not truth: it has no knowledge of the world. Its evidence that the
user may be wrong is that some candidate disagrees. So when the user is right and a
candidate wrongly "corrects" them, it penalises the right answer (the sycophancy
evaluation measures this on control probes), and an agreeing reply worded without
the cue phrases, or a correction without them, goes unseen. It is a floor that stops
personalization from buying agreement, not a fact checker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.config import RewardConfig

Stance = Literal["affirms", "corrects", "both", "neither"]

#: The default penalty, reward.sycophancy_penalty: more than twice the default personal_bound
#: (1.0), so personal terms can never trade it away (see agent.reward.scorer).
GUARD_PENALTY = RewardConfig().sycophancy_penalty

_BELIEF = re.compile(
    r"\b(?:i'?m|i am)\s+(?:so\s+|pretty\s+|quite\s+|absolutely\s+|fairly\s+)?"
    r"(?:sure|certain|convinced|positive|confident)\b"
    r"|\bi\s+(?:really\s+|strongly\s+|still\s+|always\s+)?(?:believe|think|know|heard|read|was told|reckon)\b"
    r"|\b(?:everyone|everybody)\s+knows\b|\bit'?s\s+(?:well known|common knowledge|a (?:known )?fact)\b"
    r"|\b(?:right|correct|true|agreed|wouldn'?t you say)\s*\?"
    r"|\b(?:is|are|do|does|did|was|were|have|has|can|will|would)n'?t\s+(?:it|they|you|he|she|that|this|we|i)"
    r"(?:\s+(?:think|agree))?\s*\?"
    r"|\b(?:am i right|am i wrong|confirm|back me up|tell me i'?m right|agree with me)\b"
    r"|\b(?:i'?m|i am)\s+(?:going|planning|about|thinking of|set)\s+to\b"
    r"|\bi'?ve\s+(?:decided|made up my mind)\b"
    r"|\bi\s+(?:plan|intend|want)\s+to\b|\bmy\s+plan\b"
    r"|\b(?:good|great|smart|solid)\s+(?:idea|plan|move|call)\s*\?|\bsounds?\s+(?:good|smart|right)\s*\?",
    re.IGNORECASE,
)
_AFFIRM_OPENING = re.compile(
    r"^\W*(?:yes|yeah|yep|sure|right|agreed|perfect|absolutely|exactly|definitely|totally|of course|"
    r"certainly|indeed|correct|you'?ll\s+be\s+(?:fine|ok|okay)|"
    r"you'?re\s+(?:absolutely\s+|totally\s+|completely\s+|so\s+|quite\s+|100%\s+)?right|"
    r"you\s+are\s+(?:absolutely\s+|totally\s+|completely\s+|quite\s+)?right|"
    r"that'?s\s+(?:absolutely\s+|totally\s+|exactly\s+)?(?:right|correct|true|so true)|"
    r"(?:that'?s\s+|what\s+)?an?\s+(?:great|good|smart|brilliant|fantastic|wonderful|excellent|solid)\s+"
    r"(?:idea|plan|call|move|choice|decision|question)|"
    r"(?:great|good|smart|brilliant)\s+(?:idea|plan|thinking|call|move)|(?:very\s+)?impressive|"
    r"sounds\s+(?:great|good|perfect|smart|like\s+a\s+(?:great|good|solid|smart)\s+plan)|"
    r"go\s+for\s+it|i\s+(?:completely\s+|totally\s+|fully\s+)?agree|spot\s+on|well\s+said|no\s+doubt)\b",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"\b(?:actually|in fact|in reality|contrary to|"
    r"(?:a\s+)?(?:common|popular|widespread)\s+(?:misconception|myth|belief|mistake|misunderstanding)|"
    r"(?:a|just a|an old)\s+myth|misconception|no (?:good |scientific |real )?(?:evidence|difference|link)|"
    r"not\s+worth|"
    r"not\s+(?:quite|true|correct|accurate|really true|the case|supported|a good idea|safe|recommended)|"
    r"(?:isn'?t|is not|aren'?t|are not)\s+(?:true|correct|accurate|the case|supported|safe|recommended)|"
    r"that'?s\s+not\s+(?:right|true|correct|how)|unfortunately|"
    r"i'?d\s+(?:advise|recommend|suggest|caution|argue)\s+against|"
    r"i\s+(?:would\s+not|wouldn'?t|don'?t|do not)\s+(?:recommend|advise|suggest)|"
    r"(?:please\s+)?reconsider|(?:is|are|be|sounds|seems)\s+(?:very\s+|quite\s+|really\s+)?risky|"
    r"(?:research|evidence|studies|the data)\s+(?:shows?|suggests?|says?|doesn'?t support|does not support)|"
    r"(?:doesn'?t|does not|won'?t|will not|can'?t|cannot)\s+(?:work|help|cure|kill|treat|prevent)|"
    r"(?:can|could|may|might)\s+backfire|hold off|before you (?:commit|go ahead|decide))\b",
    re.IGNORECASE,
)
_OPENING_CHARS = 80


def states_belief(prompt: str) -> bool:
    """Whether the prompt marks a claim as the user's belief or plan, or asks for agreement."""
    return bool(_BELIEF.search(prompt))


def stance(candidate: str) -> Stance:
    """How a reply positions itself towards the user's claim, from its wording."""
    affirms = bool(_AFFIRM_OPENING.search(candidate[:_OPENING_CHARS]))
    corrects = bool(_CORRECTION.search(candidate))
    if affirms and corrects:
        return "both"
    if affirms:
        return "affirms"
    return "corrects" if corrects else "neither"


def sycophancy_penalties(
    prompt: str, candidates: Sequence[str], *, penalty: float = GUARD_PENALTY
) -> NDArray[np.float64]:
    """One value <= 0 per candidate: -penalty for a pure affirmation when another candidate corrects.

    All zeros when the prompt states no belief or plan, when no candidate corrects, or
    when `penalty` is 0 (the guard switched off).
    """
    values = np.zeros(len(candidates), dtype=np.float64)
    if penalty <= 0 or len(candidates) < 2 or not states_belief(prompt):
        return values
    stances = [stance(candidate) for candidate in candidates]
    if not any(s in ("corrects", "both") for s in stances):
        return values
    for index, position in enumerate(stances):
        if position == "affirms":
            values[index] = -abs(penalty)
    return values
