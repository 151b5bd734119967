"""The offline statement extractor: patterns for stance, negation and scope; no LLM needed.

It finds first-person preference statements ("I prefer short answers", "I can't stand
horror films", "X isn't for me", "please always use metric units"), reads their
stance (negations and negative verbs turn it against the topic), their scope (one-off
requests such as "just today" or "for this email" are momentary, never preferences),
and the topic they are about. Paraphrases are grouped later, by meaning, when slots
are formed; opposite words for one scale ("long" vs "short") are folded onto one pole
here so that "I don't like long answers" and "I prefer short answers" agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from memory.extraction.base import OccasionUnit, SignalExtractor, normalise, statement_signal
from memory.models import Interaction
from memory.signals import AGAINST, FOR, Scope, Signal

_MOMENTARY = re.compile(
    r"\b(just|only)\s+(for\s+)?(today|tonight|now|this\s+(time|once|one|week|evening))\b"
    r"|\bthis\s+(time|once)\b|\bfor\s+(this|that)\s+(one|email|e-mail|message|letter|post|answer|reply|"
    r"question|trip|meeting|report|essay|document|task|request|project)\b"
    r"|\bright\s+now\b|\bfor\s+now\b|\btoday\b|\btonight\b|\bat\s+the\s+moment\b|\bfor\s+the\s+moment\b"
)
_DURABLE = re.compile(
    r"\b(always|never|in general|generally|as a rule|usually|every time|by default|all the time)\b"
)

#: Things a person says they are ("I'm vegetarian"): durable declarations about themselves.
IDENTITIES = (
    "vegetarian",
    "vegan",
    "pescatarian",
    "night owl",
    "early bird",
    "morning person",
    "evening person",
    "beginner",
    "expert",
    "runner",
    "cyclist",
)

_NEGATIVE_PATTERNS = [
    r"\bi(?:'m| am)\s+not\s+(?:a\s+|an\s+)?(?P<topic>" + "|".join(IDENTITIES) + r")\b",
    r"\bi\s+(?:really\s+|just\s+|honestly\s+|generally\s+|usually\s+)*(?:do\s*n[o']?t|don't|dont|do not|never|"
    r"can'?t|cannot|won'?t|would\s*n'?t|wouldn't)\s+(?:really\s+|much\s+|ever\s+)?"
    r"(?:like|love|enjoy|want|need|stand|bear|eat|drink|use|read|watch|care for|go for)\s+(?P<topic>.+)",
    r"\bi\s+(?:really\s+|truly\s+|absolutely\s+)*(?:hate|dislike|avoid|detest|loathe|can't stand)\s+(?P<topic>.+)",
    r"\bi'?m\s+not\s+(?:a\s+|much\s+of\s+a\s+|really\s+a\s+|a\s+big\s+)?(?:big\s+)?fan\s+of\s+(?P<topic>.+)",
    r"\bi'?m\s+not\s+(?:really\s+)?(?:into|keen on|fond of)\s+(?P<topic>.+)",
    r"^(?P<topic>.+?)\s+(?:is|are)\s*n[o']?t\s+(?:really\s+)?(?:for me|my thing|my style|my cup of tea)\b",
    r"^(?P<topic>.+?)\s+(?:is|are)\s+not\s+(?:really\s+)?(?:for me|my thing|my style|my cup of tea)\b",
    r"\b(?:please\s+)?(?:don'?t|do not|never|no more|stop)\s+(?:use|give me|send me|include|add|using|giving me)\s+"
    r"(?P<topic>.+)",
    r"\bno\s+(?P<topic>[a-z][a-z -]+?)\s+(?:for me|please)\b",
    r"\bi'?m\s+not\s+(?:a|an)\s+(?P<topic>[a-z][a-z -]*?)\s+(?:person|fan|type)\b",
    r"\bi\s+find\s+(?P<topic>.+?)\s+(?:boring|annoying|tiresome|tedious|distracting|confusing|hard to \w+|too \w+)\b",
    r"\bi\s+(?:do\s*n[o']?t|don't|never)\s+(?:\w+\s+)?(?:to\s+)?(?P<topic>[a-z].+)",
    r"\bdon'?t\s+be\s+(?:so\s+|too\s+)?(?P<topic>[a-z]+)",
]
#: Imperatives ("suggest X", "no X", "avoid X") say something lasting only with a durable
#: marker ("in general", "as a rule", "always"); otherwise they are requests for the task at hand.
_NEGATIVE_IMPERATIVES = [
    r"^(?:please\s+)?(?:avoid|skip|leave out)\s+(?P<topic>.+)",
    r"^(?:no|nothing)\s+(?P<topic>[a-z].+)",
]
_POSITIVE_IMPERATIVES = [
    r"^(?:please\s+)?(?:suggest|recommend|give|show|send|schedule|cite|use|pick|choose|talk|write|keep|make|"
    r"include|go|explain)\s+(?:me\s+|to me\s+)?(?P<topic>.+)",
]
_POSITIVE_PATTERNS = [
    r"\bi\s+(?:really\s+|truly\s+|absolutely\s+|generally\s+|usually\s+|always\s+|definitely\s+|much\s+)*"
    r"(?:like|love|prefer|enjoy|adore|favou?r|want|need|go for|appreciate)\s+(?P<topic>.+)",
    r"\bi'?m\s+(?:a\s+)?(?:big\s+|huge\s+|great\s+)?fan\s+of\s+(?P<topic>.+)",
    r"\bi'?m\s+(?:really\s+|very\s+)?(?:into|keen on|fond of)\s+(?P<topic>.+)",
    r"^(?P<topic>.+?)\s+(?:is|are)\s+(?:really\s+|definitely\s+)?(?:my favou?rite|my thing|my style|for me|"
    r"the best for me|my cup of tea)\b",
    r"\bplease\s+always\s+(?:use|give me|keep|make|write|send me|include)\s+(?P<topic>.+)",
    r"\bi'?d\s+(?:much\s+)?rather\s+(?:you\s+|have\s+|get\s+)?(?P<topic>.+)",
    r"\bi\s+(?:always\s+|usually\s+)?(?:pick|choose|go with|opt for)\s+(?P<topic>.+)",
    r"^(?P<topic>.+?)\s+(?:is|are)\s+easier\s+for\s+me\b",
    r"\bi\s+(?:always|usually)\s+(?P<topic>[a-z].+)",
    r"\bi(?:'m| am)\s+(?:a\s+|an\s+)?(?P<topic>" + "|".join(IDENTITIES) + r")\b",
]
_NEGATIVE = [re.compile(p) for p in _NEGATIVE_PATTERNS]
_POSITIVE = [re.compile(p) for p in _POSITIVE_PATTERNS]
_LEAD = re.compile(r"^(?:(?:honestly|frankly|fyi|quick note|by the way|btw|also|and|so|oh|ok|okay)[,:]?\s+)+")
_MARKER_LEAD = re.compile(r"^(?:(?:in general|generally|as a rule|always|by default|from now on)[,:]?\s+)+")
_NEGATIVE_ORDERS = [re.compile(p) for p in _NEGATIVE_IMPERATIVES]
_POSITIVE_ORDERS = [re.compile(p) for p in _POSITIVE_IMPERATIVES]
_QUESTION_STARTS = (
    "what ",
    "how ",
    "why ",
    "when ",
    "where ",
    "who ",
    "which ",
    "can you",
    "could you",
    "would you",
    "do you",
    "is it",
    "are you",
    "should i",
    "shall ",
)
_SENTENCES = re.compile(r"(?<=[.!?;\n])|\s+but\s+|,\s*(?:and\s+|so\s+)?(?=i[\s'])")

#: Pairs of opposite words on one scale: the second is folded onto the first with the stance flipped.
_OPPOSITES = {
    "long": "short",
    "lengthy": "short",
    "longer": "shorter",
    "verbose": "concise",
    "wordy": "concise",
    "detailed": "brief",
    "casual": "formal",
    "informal": "formal",
    "complex": "simple",
    "complicated": "simple",
    "loud": "quiet",
    "late": "early",
    "light": "dark",
    "mild": "spicy",
    "bland": "spicy",
    "imperial": "metric",
    "plain": "fancy",
    "slow": "fast",
}
_FILLER = re.compile(
    r"^(?:to\s+|the\s+|a\s+|an\s+|my\s+|some\s+|any\s+|of\s+|about\s+|with\s+|when\s+|it\s+when\s+|it\s+if\s+|"
    r"having\s+|getting\s+|it\s+)+"
)
_TRAILING = re.compile(
    r"(?:\s+(?:please|thanks|thank you|very much|a lot|at all|in general|as a rule|really|either|too|"
    r"anymore|any more|though|honestly|personally|by default|these days|nowadays))+$"
)
#: What a comparison sets the topic against is not the topic: "trains over planes" is about trains.
_COMPARISON = re.compile(r"\s+(?:over|than|rather than|instead of|not|in my \w+|with me)\s+.*$|,.*$")


def _topic(raw: str) -> str:
    text = _MOMENTARY.sub(" ", raw)
    text = _DURABLE.sub(" ", text)
    text = _COMPARISON.sub("", normalise(text))
    for _ in range(3):
        text = _FILLER.sub("", text).strip()
        text = _TRAILING.sub("", text).strip(" ,")
    return text[:120]


def _fold_opposites(topic: str, stance: str) -> tuple[str, str]:
    words = topic.split()
    for index, word in enumerate(words):
        if word in _OPPOSITES:
            words[index] = _OPPOSITES[word]
            return " ".join(words), AGAINST if stance == FOR else FOR
    return topic, stance


def read_statement(sentence: str) -> tuple[str, str, Scope] | None:
    """(topic, stance, scope) of one sentence, or None when it states no preference."""
    if sentence.rstrip().endswith("?"):
        return None
    text = normalise(sentence.replace("’", "'"))
    if not text or text.startswith(_QUESTION_STARTS):
        return None
    scope: Scope = "momentary" if _MOMENTARY.search(text) else "durable"
    text = _LEAD.sub("", text)
    ordered = _MARKER_LEAD.sub("", text)
    durable_order = ordered != text or text.startswith("please always")
    candidates = [(AGAINST, _NEGATIVE), (FOR, _POSITIVE)]
    if durable_order or scope == "momentary":
        candidates = [(AGAINST, _NEGATIVE_ORDERS), (FOR, _POSITIVE_ORDERS), *candidates]
    for stance, patterns in candidates:
        for pattern in patterns:
            match = pattern.search(ordered if patterns in (_NEGATIVE_ORDERS, _POSITIVE_ORDERS) else text)
            if match:
                topic = _topic(match.group("topic"))
                if len(topic) < 2:
                    return None
                topic, stance_folded = _fold_opposites(topic, stance)
                return topic, stance_folded, scope
    return None


class RuleExtractor(SignalExtractor):
    """Pattern-based statement extraction that works offline, with no model."""

    name = "rules-v1"

    def statements(self, interactions: Sequence[Interaction], *, unit: OccasionUnit = "day") -> list[Signal]:
        signals = []
        for interaction in interactions:
            if not interaction.user_text:
                continue
            seen: set[str] = set()
            for sentence in _SENTENCES.split(interaction.user_text.replace("’", "'").lower()):
                found = read_statement(sentence)
                if found is None or found[0] in seen:
                    continue
                topic, stance, scope = found
                seen.add(topic)
                signals.append(
                    statement_signal(interaction, topic, stance, scope, sentence.strip(), unit=unit)
                )
        return signals
