"""Splitting a preference statement into what the user wants and what they avoid.

"I dislike pop music and prefer classical compositions" wants "classical compositions"
and avoids "pop music". A whole-statement embedding cannot tell these apart (it is
close to every option that mentions pop music), so the scorers compare candidates to
each part separately. Plain patterns over clauses cut the statement into phrases: a
clause is avoided when it carries an odd number of negative cues ("dislike", "allergic
to", "that don't involve"...), wanted otherwise; "X instead of / rather than / over Y"
splits in two. A cue list cannot know every word of dislike ("I find it tedious to play
games that ..."), so the side of each phrase is then checked against the statement
reader of consolidation (`memory.extraction.reading`: a dependency parse and a
sentiment lexicon), and a phrase it reads on the other side, and on that side only,
moves there. The patterns keep the phrases: they keep what the reader splits apart
("comedy movies or shows") and what it leaves inside a topic ("methods that don't
involve X").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from prefmem.memory.extraction.reading import read_message
from prefmem.memory.left_out import few_or_none
from prefmem.memory.signals import FOR

#: "I prefer A to B": after "prefer", " to " introduces the other side (groups `a` and `b`).
PREFER_A_TO_B = re.compile(r"\bprefer(?:s|red)?\s+(?!to\b|not\b)(?P<a>\w.+?)\s+to\s+(?P<b>.+)")

# Words that turn a clause against its object. Matched on word boundaries, lower case.
_NEGATIVE_CUES = (
    r"dislikes?|disliked|hate|hates|loathe|loathes|detest|despise|avoid|avoids|avoiding|aversion|averse"
    r"|allerg(?:y|ies|ic)|intoleran(?:t|ce|ces)|sensitiv(?:e|ity)|can't stand|cannot stand|can not stand"
    r"|not (?:a )?(?:big )?fan|not interested|uninterested|not into|not keen|don't|do not|doesn't|does not"
    r"|didn't|won't|never|no longer|not|no|without|free of|fear|afraid|phobia|scared|anxious|anxiety"
    r"|uncomfortable|struggle|struggles|difficult|difficulty|hard time|trouble|bored|boring|tired of"
    r"|sick of|annoy(?:s|ed|ing)?|frustrat(?:e|es|ed|ing)|overwhelm(?:s|ed|ing)?|stay away|steer clear"
    r"|refuse|refrain|against|opposed|cut out|cut back|limit|restrict|reduce|cannot|can't|can not|unable"
    r"|disorient(?:s|ed|ing)?|nause(?:a|ous|ated|ating)|unpleasant|unenjoyable|strenuous|distracting"
    r"|disturbing|irritat(?:e|es|ed|ing)|dread|dreads|skip|skips|turn(?:s|ed)? off|put off|off-putting"
    r"|distress(?:es|ed|ing)?|hard to|objection|object to|dislike"
)
# Word edges that also respect hyphens, so "non-" in "non-alcoholic" or "in" in "in-game" stay put.
_NEGATIVE = re.compile(rf"(?<![\w-])(?:{_NEGATIVE_CUES})(?![\w-])")
# Diets whose name says what they exclude: the clause wants the diet but also avoids its object.
_EXCLUDES = {
    "vegan": "meat, fish, dairy, eggs, honey and other animal products",
    "vegetarian": "meat and fish",
    "pescatarian": "meat",
    "teetotal": "alcohol",
    "sober": "alcohol",
}
_EXCLUDING_DIET = re.compile(r"\b(vegan|vegetarian|pescatarian|teetotal|sober)\b")
# "over" before an amount is "more than" ("over two hours long"), not a contrast.
_AMOUNT = r"(?:\d|a |an |one|two|three|four|five|six|seven|eight|nine|ten|twenty|half|several|a few)"
_CONTRAST = re.compile(rf"\b(?:instead of|rather than|as opposed to|in place of|over(?!\s+{_AMOUNT}))\b")
_CLAUSE_BREAK = re.compile(
    r"[.;!?]+\s+|,\s*(?:but|and|so|yet|while|whereas)\s+|\s+(?:but|whereas|while)\s+"
    r"|,\s*(?=prefer)"
)
# Reasons given for a preference ("due to joint issues", "as they trigger migraines") are not its object.
_REASON = re.compile(
    r",?\s+(?:because|since|as (?=i\b|i'm|they|it|these|those|this|that)|so that|due to)\b.*$"
)
_AND_THEN_VERB = re.compile(
    r"\s+and\s+(?=(?:i\s+)?(?:must|prefer|love|like|enjoy|avoid|hate|dislike|want|need|always|never|"
    r"try|only|can't|cannot|don't|do not|am|have|find|struggle|follow)\b)"
)
# First-person framing that says nothing about the object ("I have a strong ... for").
_FRAMING = re.compile(
    r"(?<![\w-])(?:i'm|i am|i've|i|my|me|have|has|had|a|an|the|strong|strongly|really|very|much|severe|"
    r"strict|strictly|must|always|generally|usually|tend to|prefer(?:ence|s|red)?|love|like|likes|"
    r"enjoy|enjoys|want|wants|need|needs|only|exclusively|mostly|due to|because|follow|follows|find|"
    r"it|that|which|"
    r"for|to|of|in|any|all|am|be|is|are|kind|kinds|type|types|things|stuff|would|rather|more|less|"
    r"favor|favour|interested|interest|passionate|about|into|fond|keen|big|fan|they|them|it|these|those|"
    r"this|makes|make|feel|feels|often|greatly|extremely|intense|intensely|believe|watch|watching|use|"
    r"using|consume|consuming|anything|something|so|as|feel|really|quite|too|tolerate|ones?)(?![\w-])"
)
_FUNCTION_WORD_LIST = (
    "and the but not can lot out way off too its one get got was did has had him her you our who"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())


@dataclass(frozen=True)
class Polarity:
    """The parts of a preference statement: phrases the user wants, and phrases they avoid."""

    wanted: tuple[str, ...] = field(default_factory=tuple)
    avoided: tuple[str, ...] = field(default_factory=tuple)

    @property
    def wanted_text(self) -> str:
        return "; ".join(self.wanted)

    @property
    def avoided_text(self) -> str:
        return "; ".join(self.avoided)


def _core(clause: str) -> str:
    """The object of a clause: the clause without negative cues and first-person framing."""
    text = _NEGATIVE.sub(" ", clause)
    text = _FRAMING.sub(" ", text)
    text = re.sub(r"[^a-z0-9'\- ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" -'")
    # A core of only short function words ("to", "and", "me") names nothing once the framing is gone.
    return text if any(len(word) >= 3 and word not in _FUNCTION_WORDS for word in text.split()) else ""


def _negations(clause: str) -> int:
    return len(_NEGATIVE.findall(clause))


def _clauses(statement: str) -> list[str]:
    text = statement.lower().replace("’", "'")
    parts: list[str] = []
    for piece in _CLAUSE_BREAK.split(text):
        parts.extend(_AND_THEN_VERB.split(piece))
    parts = [_REASON.sub("", part) for part in parts]
    return [part.strip() for part in parts if part and part.strip()]


@functools.lru_cache(maxsize=4096)
def split_preference(statement: str) -> Polarity:
    """The wanted and avoided phrases of a preference statement (both empty for a blank one).

    Cached: a user's few statements are split again for every reply scored."""
    return _checked_by_reading(statement, _split_by_patterns(statement))


#: A topic the reader left a negation inside ("methods that don't involve X"): the reader
#: did not resolve it, and its words would vote for the wrong side.
_NEGATION_INSIDE = re.compile(r"n't\b|\b(?:not|no|never|without)\b|-free\b")


def _checked_by_reading(statement: str, parts: Polarity) -> Polarity:
    """`parts` with each phrase moved to the side the statement reader reads it on, where
    the reader reads it on one side only. A phrase is the reader's when it holds at least
    half the content words of one of the reader's topics."""
    from prefmem.agent.reward.preference_terms.features import content_stems  # features imports this module

    read: dict[bool, list[set[str]]] = {True: [], False: []}
    for reading in read_message(statement):
        if _NEGATION_INSIDE.search(reading.topic):
            continue
        read[reading.stance == FOR].append(content_stems(reading.topic))
        if reading.contrast:  # "tea rather than coffee": the other side
            read[reading.stance != FOR].append(content_stems(reading.contrast))
    if not read[True] and not read[False]:
        return parts

    def wanted(phrase: str, said_wanted: bool) -> bool:
        stems = content_stems(phrase)
        on = {side: any(t and len(t & stems) * 2 >= len(t) for t in topics) for side, topics in read.items()}
        return on[True] if on[True] != on[False] else said_wanted

    phrases = [(p, wanted(p, True)) for p in parts.wanted] + [(p, wanted(p, False)) for p in parts.avoided]
    return Polarity(
        wanted=tuple(dict.fromkeys(p for p, side in phrases if side)),
        avoided=tuple(dict.fromkeys(p for p, side in phrases if not side)),
    )


def _split_by_patterns(statement: str) -> Polarity:
    """The wanted and avoided phrases as the clause patterns and negative cues cut them."""
    wanted: list[str] = []
    avoided: list[str] = []

    def add(clause: str, negative: bool) -> None:
        core = _core(clause)
        if core:
            (avoided if negative else wanted).append(core)

    for clause in _clauses(statement):
        # "games with little or no violence": avoided what it is free of, and (unless the
        # rest is itself against something) wanted what is left
        things, rest = few_or_none(clause)
        avoided.extend(things)
        if things and _negations(rest) % 2 == 0:
            clause = rest
        prefer_to = PREFER_A_TO_B.search(clause)
        contrast = _CONTRAST.search(clause)
        negative = _negations(clause) % 2 == 1
        if prefer_to and not negative:
            add(prefer_to.group("a"), False)
            add(prefer_to.group("b"), True)
        elif contrast:
            head, tail = clause[: contrast.start()], clause[contrast.end() :]
            head_negative = _negations(head) % 2 == 1
            add(head, head_negative)
            add(tail, not head_negative)
        else:
            add(clause, negative)
        for diet in _EXCLUDING_DIET.findall(clause):
            avoided.append(_EXCLUDES[diet])
    return Polarity(wanted=tuple(dict.fromkeys(wanted)), avoided=tuple(dict.fromkeys(avoided)))
