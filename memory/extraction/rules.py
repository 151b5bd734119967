"""The offline statement extractor: patterns for stance, negation and scope; no LLM needed.

It finds first-person preference statements ("I prefer short answers", "I can't stand
horror films", "I have no interest in musicals", "X isn't for me", "please always use
metric units"), reads their stance (negations and negative verbs turn it against the
topic), their scope (one-off requests such as "just today" or "for this email" are
momentary, never preferences), and the topic they are about. Questions, goals ("I want
to add a column"), text pasted for a task and other people's words state no preference.
Paraphrases are grouped later, by meaning, when slots are formed. Topics keep the user's
own words: "I don't like long answers" is against "long answers"; consolidation reads
that "long" and "short" are opposite ends of one scale and that it agrees with "I
prefer short answers" (`memory.consolidation.scales`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from prefmem.memory.extraction.base import OccasionUnit, SignalExtractor, normalise, statement_signal
from prefmem.memory.extraction.rule_patterns import (
    ADVERBS,
    GOAL,
    IDENTITIES,
    NEGATIVE,
    NEGATIVE_ORDERS,
    POSITIVE,
    POSITIVE_ORDERS,
    PREFER_A_TO_B,
)
from prefmem.memory.models import Interaction
from prefmem.memory.signals import AGAINST, FOR, Scope, Signal, opposite

__all__ = ["IDENTITIES", "RuleExtractor", "read_statement"]

_MOMENTARY = re.compile(
    r"\b(just|only)\s+(for\s+)?(today|tonight|now|this\s+(time|once|one|week|evening))\b"
    r"|\b(?:just|only)\s+for\s+(?:this|that)\s+\w+"
    r"|\bthis\s+(time|once)\b|\bfor\s+(this|that)\s+(one|email|e-mail|message|letter|post|answer|reply|"
    r"question|trip|meeting|report|essay|document|task|request|project|party|event|dinner|weekend|occasion|"
    r"presentation|call|recipe|meal)\b"
    r"|\bright\s+now\b|\bfor\s+now\b|\btoday\b|\btonight\b|\bat\s+the\s+moment\b|\bfor\s+the\s+moment\b"
)
_DURABLE = re.compile(
    r"\b(always|never|in general|generally|as a rule|usually|every time|by default|all the time)\b"
)
_LEAD = re.compile(
    r"^(?:(?:honestly|frankly|fyi|quick note|by the way|btw|also|and|so|oh|ok|okay|well|actually|personally|"
    r"to be honest|in fact|just so you know|for what it's worth|for the record|note)[,:]?\s+)+"
)
#: A lead-in that scopes the clause to now ("just today I ..."): the scope is read before it goes.
_MOMENTARY_LEAD = re.compile(
    r"^(?:(?:just|only)\s+(?:for\s+)?(?:today|tonight|now|this\s+\w+)|this\s+(?:time|once)|today|tonight|"
    r"right\s+now|for\s+now)[,:]?\s+"
)
_MARKER_LEAD = re.compile(r"^(?:(?:in general|generally|as a rule|always|by default|from now on)[,:]?\s+)+")
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
    "will you",
    "do you",
    "did you",
    "have you",
    "is it",
    "is there",
    "are you",
    "are there",
    "should i",
    "shall ",
    "can i",
    "could i",
    "may i",
    "do i",
    "i wonder",
    "i was wondering",
)
#: A message that opens with one of these asks for a task; what follows its first colon is
#: the material to work on ("translate this: I like your watch"), not the user speaking.
_TASK_OPENERS = re.compile(
    r"^(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:write|create|make|generate|convert|translate|summari[sz]e|"
    r"rewrite|draft|compose|list|fix|correct|complete|select|consider|answer|explain|describe|craft|edit|"
    r"proofread|paraphrase|act\s+as|pretend|imagine|continue|design|build|implement|calculate|solve|analy[sz]e|"
    r"classify|extract|read|review|improve|check|give\s+me|tell\s+me|help\s+me|show\s+me)\b"
)
_CODE = re.compile(r"[{}=<>#\\|]|\(\)|```")
#: Quoted speech with a first person in it is someone's words being discussed, not a statement.
_QUOTED_SPEECH = re.compile(r"“[^”]*\b(?:i|i'm|my)\b[^”]*”|\"[^\"]*\b(?:i|i'm|my)\b[^\"]*\"")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|;\s+(?!(?:just\s+|so\s+)?give\s+me\b)|(?<=[。！？；])\s*|\n+")
_CLAUSE_JOINTS = re.compile(
    r"\s+but\s+(?!not\b)|,\s*(?:and\s+|so\s+|as\s+|since\s+|because\s+)?(?=i[\s'])"
    # "I love jazz and I hate crowds": a second first-person statement, even without a comma
    r"|\s+and\s+(?=i(?:'m|\s+am)\s|i'd\s+(?:much\s+)?rather\b|i\s+(?:really\s+|also\s+|just\s+)?"
    r"(?:love|like|adore|hate|prefer|dislike|enjoy|can't|cannot|don't|do\s+not|never|want|need)\b)"
)
#: "... and strongly dislike Y": a second clause with the same subject, read as its own statement.
_AND_VERB = re.compile(
    r"(?:,\s*|\s+)(?:and|but)\s+(?:then\s+)?(?="
    + ADVERBS
    + r"(?:prefer|dislike|avoid|hate|love|like|enjoy|despise|loathe|detest|refuse|find|do\s+not|don't|never|"
    r"will\s+not|won't|can't|cannot|can\s+only|only\s+(?:use|eat|watch|support|buy)|follow|am|'m|would|'d|"
    r"have\s+(?:a|an|no)\b)\b)"
)
_PREFERRING = re.compile(r",\s*(?:preferring|favou?ring)\s+")
_RELATIVE = re.compile(r"\b(?:that|which|who|whose|where)\b")

_FILLER = re.compile(
    r"^(?:to\s+|the\s+|a\s+|an\s+|my\s+|some\s+|any\s+|all\s+|of\s+|about\s+|with\s+|when\s+|"
    # "I like it when you use emojis": what the assistant does is about emojis.
    r"it\s+when\s+you(?:'re|\s+are)?\s+(?:(?:add|include|give(?:\s+me)?|get|keep\s+it|make\s+it|write\s+in|"
    r"try\s+to\s+be|use)\s+)?|it\s+when\s+|"
    r"it\s+if\s+|having\s+|getting\s+|it\s+|strict\s+|only\s+|(?:form|kind|type|sort)s?\s+of\s+|"
    r"stay\s+(?:engaged|focused)\s+(?:in|with|on)\s+|"
    # The act of consuming is not the taste: "watching horror films" is about horror films.
    r"(?:use|using|watch|watching|play|playing|eat|eating|consume|consuming|drink|drinking|attend|attending|"
    r"wear|wearing|buy|buying|read|reading|listen\s+to|listening\s+to|participate\s+in|participating\s+in|"
    r"engage\s+in|engaging\s+in|take\s+part\s+in|taking\s+part\s+in|do|doing|try|trying)\s+(?=\S))+"
)
_TRAILING = re.compile(
    r"(?:\s+(?:please|thanks|thank you|very much|a lot|at all|in general|as a rule|really|either|too|"
    r"anymore|any more|though|honestly|personally|by default|these days|nowadays|for me|whenever possible|"
    r"if possible|when possible|only))+$"
)
_NUMBER = r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|a\s+couple|an?\s+(?:hour|minute))"
#: Where the topic ends: a new clause, a reason, or what a comparison sets it against
#: ("trains over planes" is about trains). A comma inside a noun phrase ("a careful,
#: evidence-based style") does not end it.
_TOPIC_END = re.compile(
    r"\s*;.*$"
    r"|,\s*(?:but|so|as|because|since|which|who|though|although|while|especially|including|even|except|"
    r"unless|if|when|whenever|i|it|they|that's|preferring|prefer|unlike|rather|instead|not|etc|e\.g|i\.e|"
    r"such\s+as|like|particularly|mainly|mostly|both)\b.*$"
    r"|\s+(?:because|since|due\s+to|as\s+(?:i|they|it|these|this|those|the|my|a|an|well)\b|so\s+(?:i|that|they|it)\b|"
    r"rather\s+than|instead\s+of|in\s+my\s+\w+|with\s+me|"
    r"(?:much\s+)?more\s+than(?!\s+" + _NUMBER + r")|than(?!\s+" + _NUMBER + r")|over(?!\s+" + _NUMBER + r")|"
    r"(?:and|but),?\s+not)\s+.*$"
)
#: Topics that only point back at something said before ("I prefer to avoid them").
_PRONOUNS = {"it", "them", "they", "this", "that", "these", "those", "one", "ones", "him", "her", "so", "you"}
#: What a request for the task at hand looks like, as opposed to a taste ("I need X", "don't add Y").
_REQUEST = re.compile(
    r"(?:^|\s)(?:" + ADVERBS + r"(?:do\s*n[o']?t\s+|don't\s+|won't\s+)?(?:want|need|would\s+like|'d\s+like)\b"
    r"|(?:please\s+)?(?:don'?t|do\s+not|never|no\s+more|stop)\s+(?:use|give|send|include|add|suggest|recommend|"
    r"show|make)\b)"
)

#: "I need an introduction to ...", "I want a poem about ...": asking for one thing, now.
_ARTEFACT = re.compile(
    r"^(?:[^,;:]{1,50},\s+)?i\s+" + ADVERBS + r"(?:want|need|would\s+like|'d\s+like)\s+(?:a|an|one)\s+"
)


def _without_trailing_symbols(text: str) -> str:
    """The text without emoji and other pictographs at its end ("short answers 🙂"); "c++" keeps its
    signs, and a text of pictographs alone ("🍣") stays as it is."""
    end = len(text)
    while end and unicodedata.category(text[end - 1]) in ("So", "Sk", "Cf", "Mn", "Zs"):
        end -= 1
    return text[:end] if text[:end].strip() else text


def _topic(raw: str) -> str:
    text = _MOMENTARY.sub(" ", raw)
    text = _DURABLE.sub(" ", text)
    text = _TOPIC_END.sub("", normalise(text))
    for _ in range(4):
        text = _without_trailing_symbols(_FILLER.sub("", text)).strip()
        text = _TRAILING.sub("", text).strip(" ,")
    return text[:120]


#: After "but not": words that start something other than a thing ("but not just jazz", "but not on weekdays").
_NOT_A_THING = (
    r"(?:just|only|necessarily|always|really|yet|sure|that|this|so|too|very|even|because|when|if|on|in|at|for|"
    r"with|by|from|during|every|all|as|to|a\s+lot|much|many|any|everything|everyone|anything|now|today|anymore)"
)
#: "A rather than B", "A instead of B", "A over B", "rather A than B": what follows is the other side.
_OTHER_SIDE = re.compile(
    r"\s(?:rather\s+than|instead\s+of|as\s+opposed\s+to|than(?!\s+" + _NUMBER + r")|over(?!\s+" + _NUMBER + r")|"
    # "jazz, but not smooth jazz": an exception named by a thing ("but not just jazz" names none)
    r"(?:and|but),?\s+not(?=\s+(?!" + _NOT_A_THING + r"\b)))"
    r"\s+(?P<b>.+)$"
)


#: "Horror films aren't for me; give me thrillers": what is wanted instead of what was turned down.
_GIVE_ME_INSTEAD = re.compile(r";\s*(?:just\s+|so\s+)?give\s+me\s+(?P<b>[a-z].+)$")


def _wanted_instead(text: str) -> str | None:
    """After a "not for me" clause, the thing asked for instead ("...; give me horror" -> "horror")."""
    found = _GIVE_ME_INSTEAD.search(text)
    if found is None:
        return None
    return _named_thing(found.group("b"), vague=frozenset({"something", "anything", "more", "less"}))


def _other_side(text: str) -> str | None:
    """The other side of a comparison in a clause ("i prefer tea to coffee" -> "coffee"), if it names one."""
    found = PREFER_A_TO_B.search(text) or _OTHER_SIDE.search(text)
    if found is None:
        return None
    return _named_thing(found.group("b"))


def _named_thing(raw: str, *, vague: frozenset[str] = frozenset()) -> str | None:
    """The topic `raw` names, or None when it names nothing (too short, a pronoun, or starts with a `vague` word)."""
    thing = _topic(raw)
    if len(thing) < 2 or thing in _PRONOUNS or thing.split()[0] in _PRONOUNS | vague:
        return None
    return thing


def read_statement(
    sentence: str, *, task: bool = False, momentary: bool = False
) -> tuple[str, str, Scope] | None:
    """(topic, stance, scope) of one clause, or None when it states no preference.

    `task` says the clause comes from a message that asks for something (a question, a
    task, code): wants and don'ts in it qualify that task, so they are momentary.
    `momentary` says the sentence around the clause is scoped to now ("this time ..., I need ...").
    """
    found = read_statement_and_contrast(sentence, task=task, momentary=momentary)
    return None if found is None else found[0]


def read_statement_and_contrast(
    sentence: str, *, task: bool = False, momentary: bool = False
) -> tuple[tuple[str, str, Scope], tuple[str, str] | None] | None:
    """`read_statement`'s reading, and the other side of a comparison with the opposite stance.

    "I prefer grounded stories to science fiction" is for grounded stories and against
    science fiction; the second part is None when the clause compares with nothing.
    """
    if sentence.rstrip().endswith("?"):
        return None
    text = normalise(sentence.replace("’", "'"))
    if not text or text.startswith(_QUESTION_STARTS) or _CODE.search(text):
        return None
    scope: Scope = "momentary" if momentary or _MOMENTARY.search(text) else "durable"
    text = _LEAD.sub("", _MOMENTARY_LEAD.sub("", _LEAD.sub("", text)))
    ordered = _MARKER_LEAD.sub("", text)
    durable_order = ordered != text or text.startswith("please always")
    marked_durable = durable_order or bool(_DURABLE.search(text))
    candidates = [(AGAINST, NEGATIVE), (FOR, POSITIVE)]
    if durable_order or scope == "momentary":
        candidates = [(AGAINST, NEGATIVE_ORDERS), (FOR, POSITIVE_ORDERS), *candidates]
    for stance, patterns in candidates:
        for pattern in patterns:
            match = pattern.search(ordered)
            if not match:
                continue
            if stance == FOR and GOAL.match(ordered) and not marked_durable:
                return None  # "I want to add a column": a goal, not a taste
            raw = match.group("topic")
            pair = PREFER_A_TO_B.search(ordered)
            if pair is not None and raw.startswith(pair.group("a")):
                raw = pair.group("a")  # "grounded stories to science fiction" is about grounded stories
            topic = _topic(raw)
            if len(topic) < 2 or topic in _PRONOUNS or topic.split()[0] in _PRONOUNS - {"one"}:
                return None
            asked = ordered[: match.start("topic")]
            if not marked_durable and (
                (task and _REQUEST.search(asked)) or (stance == FOR and _ARTEFACT.match(ordered))
            ):
                scope = "momentary"  # a request for the task at hand, not a standing taste
            other = _other_side(ordered if pair is not None else ordered[match.start("topic") :])
            if other is None and stance == AGAINST:
                other = _wanted_instead(ordered[match.start("topic") :])
            contrast = None
            if other is not None and other != topic:
                contrast = (other, opposite(stance))
            return (topic, stance, scope), contrast
    return None


def _clauses(message: str) -> tuple[list[tuple[str, bool]], bool]:
    """The message's clauses, each with whether its sentence is scoped to now, and whether
    the message asks for a task (then its wants are momentary)."""
    text = message.replace("’", "'").replace("‘", "'").strip()
    if len(text) > 1 and text[0] in '"“' and text[-1] in '"”' and text.count('"') <= 2:
        text = text[1:-1]  # a whole message in quotes is still the user's own
    text = _QUOTED_SPEECH.sub(" ", text.lower())
    opener = text.lstrip()
    task = "?" in text or bool(_CODE.search(text)) or bool(_TASK_OPENERS.match(opener))
    if _TASK_OPENERS.match(opener) and ":" in text:
        text = text.split(":", 1)[0]  # what follows is the material for the task
    text = re.split(r":\s*\n", text, maxsplit=1)[0]  # pasted text or code after "here it is:"
    text = _PREFERRING.sub(". i prefer ", text)
    clauses: list[tuple[str, bool]] = []
    for sentence in _SENTENCES.split(text):
        momentary = bool(_MOMENTARY.search(sentence))
        for part in _CLAUSE_JOINTS.split(sentence):
            start, subject = 0, ""
            for joint in _AND_VERB.finditer(part):
                # "... products that are vegan and do not contain ...": the relative clause goes on.
                if not _RELATIVE.search(part[start : joint.start()]):
                    clauses.append((subject + part[start : joint.start()], momentary))
                    start, subject = joint.end(), "i "
            clauses.append((subject + part[start:], momentary))
    return [(c, m) for c, m in clauses if c.strip()], task


class RuleExtractor(SignalExtractor):
    """Pattern-based statement extraction that works offline, with no model."""

    name = "rules-v12"

    def statements(self, interactions: Sequence[Interaction], *, unit: OccasionUnit = "day") -> list[Signal]:
        signals = []
        for interaction in interactions:
            if not interaction.user_text:
                continue
            seen: set[str] = set()  # one signal per topic and message: its first reading stands
            clauses, task = _clauses(interaction.user_text)
            for clause, momentary in clauses:
                found = read_statement_and_contrast(clause, task=task, momentary=momentary)
                if found is None or found[0][0] in seen:
                    continue
                (topic, stance, scope), contrast = found
                seen.add(topic)
                signals.append(statement_signal(interaction, topic, stance, scope, clause.strip(), unit=unit))
                if contrast is not None and contrast[0] not in seen:
                    seen.add(contrast[0])
                    other, other_stance = contrast
                    signals.append(
                        statement_signal(interaction, other, other_stance, scope, clause.strip(), unit=unit)
                    )
        return signals
