"""Which end of a common scale a phrase names: "short answers" and "walls of text" are opposite ends.

Sentence embeddings say two phrases are about the same thing (answer length), not that
they name opposite ends of it, so joined paraphrases need another way to tell "for
short answers" and "against walls of text" (one stance) from "for short answers" and
"for detailed answers" (a contradiction). This module reads it from words: a small
lexicon of scales that preferences about an assistant and everyday tastes run along
(the reward's style axes, plus effort, time of day, heat, brightness, cost, humour,
spelling, units, audio or reading, outdoors or indoors, and volume), and absence markers
("without code", "sugar-free", "meatless", "vegetarian", "games that don't involve
crafting", "minimal backtracking"), which put a phrase at the
other end from one that names the same thing as present, and at the same end as one that
leaves it out too.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _ends(first: str, second: str) -> tuple[frozenset[str], frozenset[str]]:
    return _word_set(first), _word_set(second)


#: Each scale: the words of one end, then the words of the other. A word may sit on
#: several scales ("simple" is both low depth and low effort).
SCALES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "length": _ends(
        "short shorter shortest brief briefer concise succinct terse summary summaries gist tldr "
        "few fewer fewest minimal compact bite-sized snappy to-the-point",
        "long longer lengthy detailed verbose wordy rambling thorough exhaustive elaborate in-depth "
        "walls essay essays comprehensive full",
    ),
    "depth": _ends(
        "simple simpler basic high-level plain easy beginner layman overview surface gist",
        "technical complex complicated deep deeper advanced expert nitty-gritty jargon acronyms "
        "detail details in-depth rigorous",
    ),
    "effort": _ends(
        "quick quicker fast faster easy shortcut shortcuts quick-fix simple speedy instant",
        "slow slow-cooked elaborate afternoon hours time-consuming involved",
    ),
    "time_of_day": _ends(
        "morning mornings early dawn sunrise breakfast am",
        "evening evenings night nights late dinner pm after-work after-dinner",
    ),
    "formality": _ends(
        "formal professional polished business proper",
        "casual informal slang relaxed chatty laid-back colloquial",
    ),
    "heat": _ends("spicy spice hot hotter fiery heat chili chilli", "mild bland gentle"),
    "brightness": _ends("dark darker", "light bright brighter"),
    "cost": _ends(
        "cheap cheaper cheapest budget affordable inexpensive economical economy bargain bargains "
        "low-cost frugal thrifty",
        "luxury luxurious expensive pricey upscale premium fancy high-end posh lavish splurge five-star",
    ),
    "humour": _ends(
        "funny humour humor humorous witty wit joke jokes joking playful light-hearted banter puns silly",
        "serious dead-serious solemn humourless humorless dry",
    ),
    "spelling": _ends("british uk colour organise", "american us-country color organize"),
    "units": _ends(
        "metric metre metres meter meters kilometre kilometres kilometer kilometers km kilogram kilograms "
        "kg gram grams celsius centimetre centimetres litre litres",
        "imperial foot feet mile miles pound pounds lbs fahrenheit inch inches ounce ounces yard yards "
        "gallon gallons",
    ),
    "medium": _ends(
        "audio podcast podcasts listen listening audiobook audiobooks",
        "read reading article articles written print",
    ),
    "setting": _ends("outdoor outdoors outside open-air", "indoor indoors inside"),
    "volume": _ends("quiet quieter calm peaceful silent silence", "loud louder noisy lively"),
}

_SCALE_WORDS = frozenset(word for ends in SCALES.values() for end in ends for word in end)

#: "US" names the country only before these words; elsewhere "us" is the pronoun.
_US_COUNTRY = re.compile(r"\bus(?= (?:english|spellings?|units|customary|forms?)\b)")

_ABSENCE = re.compile(
    r"\b(?:without|no|non|skip(?:ping)?|free of|minus)\s+"
    r"(?:(?:the|any|all|a|an|too many|too much|many|much)\s+)?"
    r"([a-z-]+(?:(?:,|,? (?:or|and|nor)) [a-z-]+)*)"
    r"|\b([a-z]+)-free\b|\bnon-([a-z]+)"
    # "leave the code out"
    r"|\bleave\s+(?:(?:the|any|all)\s+)?([a-z-]+)\s+out\b"
)
#: What a thing is said not to include, or to hold little of: "games that don't involve
#: crafting", "a game with minimal backtracking" (the other end from "extensive crafting").
_LEFT_OUT = re.compile(
    r"\b(?:(?:do|does|did|would|will)(?:n't| not)|never)\s+"
    r"(?:involve|include|contain|have|need|require|feature|use)s?\s+"
    r"|\b(?:minimal|less|fewer|reduced)\s+"
)
_LEFT_OUT_LIST = re.compile(
    r"(?:(?:too much|much|many|any|a lot of|lots of|the|a|an)\s+)?"
    r"([a-z-]+(?:(?:,|,? (?:or|and|nor)) [a-z-]+)*)"
)
_LIST_JOINTS = re.compile(r",? (?:or|and|nor) |, ")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_JOINED = (("after work", "after-work"), ("after dinner", "after-dinner"), ("to the point", "to-the-point"))
#: "A few more hours", "a few extra steps": more of something, not the "few" end of a scale.
_FEW_MORE = re.compile(r"\b(?:a\s+)?few\s+(?=(?:more|extra)\b)")
#: Words two phrases can share without naming the same thing.
_GENERIC = _word_set(
    "a an the and or of for to in on with at by from any all that this my your answers answer things thing "
    "stuff one ones"
)


#: Words that name something by what it leaves out ("vegetarian": no meat or fish).
_IMPLIED_ABSENCE = {
    "vegetarian": ("meat", "fish"),
    "veggie": ("meat", "fish"),
    "vegan": ("meat", "fish", "dairy", "egg"),
    "pescatarian": ("meat",),
    "plant-based": ("meat", "fish"),
    "teetotal": ("alcohol",),
    "teetotaler": ("alcohol",),
    "teetotaller": ("alcohol",),
    "sober": ("alcohol",),
    "celiac": ("gluten",),
    "coeliac": ("gluten",),
}


def _words(phrase: str) -> list[str]:
    """The phrase's words; a hyphenated word counts whole and by its parts ("early-morning")."""
    text = phrase.lower().replace("’", "'")
    for spaced, joined in _JOINED:
        text = text.replace(spaced, joined)
    text = _US_COUNTRY.sub("us-country", text)
    text = _FEW_MORE.sub("", text)
    words = []
    for word in _WORD.findall(text):
        words.append(word)
        if "-" in word:
            words += word.split("-")
    return words


#: A level named in one word: "low-impact" and "high-impact" are two ends of one scale,
#: as are "low-carb" and "high-carb", whatever the thing measured.
_LEVEL = re.compile(r"(low|high)-([a-z]+)")


def scale_ends(phrase: str) -> dict[str, int]:
    """For each scale the phrase names one end of: +1 for the first end, -1 for the other.

    A scale word the phrase names as left out counts for the other end ("non-technical").
    A word that names a level of something ("low-impact") places it on that thing's scale.
    """
    absent = absent_words(phrase)
    words = {word for word in _words(phrase) if word.rstrip("s") not in absent}
    ends = {}
    for scale, (first, second) in SCALES.items():
        low = bool(words & first) or bool(absent & second)
        high = bool(words & second) or bool(absent & first)
        if low != high:
            ends[scale] = 1 if low else -1
    levels: dict[str, set[int]] = {}
    for word in words:
        level = _LEVEL.fullmatch(word)
        if level is not None and word not in _SCALE_WORDS:  # "high-level" is on the depth scale
            levels.setdefault(f"level:{level.group(2)}", set()).add(1 if level.group(1) == "low" else -1)
    ends.update({scale: found.pop() for scale, found in levels.items() if len(found) == 1})
    return ends


def absent_words(phrase: str) -> set[str]:
    """Content words the phrase names as absent ("without any code" -> {"code"})."""
    found: set[str] = set()
    for match in _ABSENCE.finditer(phrase.lower()):
        named = match.group(2) or match.group(3) or match.group(4)
        listed = _LIST_JOINTS.split(match.group(1)) if match.group(1) else [named]
        found.update(word.rstrip("s") for word in listed if word and word not in _GENERIC)
    text = phrase.lower().replace("’", "'")
    for marker in _LEFT_OUT.finditer(text):
        held = _LEFT_OUT_LIST.match(text, marker.end())
        if held is not None:
            listed = _LIST_JOINTS.split(held.group(1))
            found.update(word.rstrip("s") for word in listed if word and word not in _GENERIC)
    for word in _words(phrase):
        if word.endswith("less") and len(word) > 6:  # "meatless", "sugarless"
            found.add(word[: -len("less")])
        found.update(_IMPLIED_ABSENCE.get(word, ()))
    return found


@lru_cache(maxsize=4096)
def _reading(phrase: str) -> tuple[dict[str, int], frozenset[str], frozenset[str]]:
    """A phrase's scale ends, the words it names as absent and those it names as present."""
    absent = frozenset(absent_words(phrase))
    present = frozenset({w.rstrip("s") for w in _words(phrase)} - _GENERIC - absent)
    return scale_ends(phrase), absent, present


def link_keys(phrase: str) -> frozenset[str]:
    """What `relation` can link the phrase by: its scales and the things it names (present or
    absent). Two phrases `relation` links always share one of these."""
    ends, absent, present = _reading(phrase)
    return frozenset({f"scale:{scale}" for scale in ends} | {f"thing:{word}" for word in absent | present})


def relation(first: str, second: str) -> int:
    """+1 when the two phrases name the same end of what they share, -1 opposite ends, 0 unknown.

    Scale ends and things named as absent decide; failing them, a phrase whose words all
    recur in the other names the same thing or a kind of it, so the same end. A word merely
    shared ("pop music", "classical music") says nothing.
    """
    first_ends, first_absent, first_present = _reading(first)
    second_ends, second_absent, second_present = _reading(second)
    votes = sum(first_ends[scale] * second_ends[scale] for scale in first_ends.keys() & second_ends.keys())
    votes -= len(first_absent & second_present) + len(second_absent & first_present)
    votes += len(first_absent & second_absent)  # both leave the same thing out
    if not votes and _names_within(first_present, second_present):
        votes = 1  # "horror" and "horror films": one names a kind of the other
    if not votes and _same_kind_of_thing(first, second):
        votes = 1  # "virtual simulations" and "virtual reality experiences": both virtual
    return (votes > 0) - (votes < 0)


#: Words that hang a phrase's description after its head ("games with pixel art"): its first
#: word is then the head, not what sets it apart.
_AFTER_THE_HEAD = _word_set("with without that which who whose of for in on to from about by than like")


def _same_kind_of_thing(first: str, second: str) -> bool:
    """Two plain noun phrases that open with the same describing word and name different
    things ("virtual simulations", "virtual reality experiences"): what sets both apart is the
    same, so they name the same end. Sharing the head alone ("pop music", "classical music")
    says nothing, nor does a phrase described after its head."""
    a, b = _words(first), _words(second)
    if len(a) < 2 or len(b) < 2 or _AFTER_THE_HEAD & (set(a) | set(b)):
        return False
    return a[0] == b[0] and a[0] not in _GENERIC and a[-1] != b[-1]


def _names_within(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether every word one phrase names is named by the other too ("jazz", "live jazz")."""
    return bool(first) and bool(second) and (first <= second or second <= first)
