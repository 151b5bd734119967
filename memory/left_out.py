"""What a text says it has little or none of: "minimal dialogue", "free of parabens".

"A silicone-free primer" is close to "products containing silicones" word for word and in
embedding, yet says the opposite. The preference scorer compares what a reply offers
once such mentions are cut, and consolidation places a pick among options the same way.
"""

from __future__ import annotations

import re

#: Words after "no" or "little" that name no thing ("no interest", "little time").
_NOT_A_THING = {
    "interest",
    "longer",
    "more",
    "matter",
    "one",
    "time",
    "need",
    "problem",
    "desire",
    "way",
    "way to",
}


# What a text says it has little or none of: "minimal dialogue", "free of parabens",
# "fragrance-free", "no jump scares", "low-impact". A hyphen joins one word ("low-sodium
# diet" leaves out sodium); after a space the thing is one or two words.
_FEW_OR_NONE = re.compile(
    r"\b(?:no|non|zero|without|free (?:of|from)|minimal|minimum|little|less|fewer|low|"
    r"reduced|limited|lack of|absence of)"
    r"(?:-(?P<joined>[a-z]+)|\s+(?:(?:any|much|many|a lot of|too much|too many)\s+)?"
    r"(?:(?<=without )(?:a|an|the)\s+|(?<=of )the\s+|(?<=from )the\s+)?"  # "without a laugh track"
    r"(?:(?:form|kind|type|sort|amount|level|number)s? of\s+)?"
    r"(?!(?:than|the|a|an|of|to|as|or|and|more|one|doubt)\b)"  # "less than", "no doubt": nothing left out
    r"(?P<after>[a-z]+(?:[- ](?!(?:and|or|with|for|to|of|in|on|at|by|from|than|that|which|but|so|as|"
    r"like|such|while|through|after|before|during|per|into|over|under|around|about|near)\b)[a-z]+)?))"
    r"|\b(?P<before>[a-z]+)[- ]free\b(?!\s+(?:of|from)\b)"  # not "shampoo free of sulfates"
)


# Words that open no thing left out: "low on your list", "no problem", "no, I think so".
_NOT_LEFT_OUT_LIST = (
    "on in at by for to with your my our their his her its it i you we they he she this that "
    "these those what which who problem problems worries worry idea matter sense"
)
_NOT_LEFT_OUT = frozenset(_NOT_LEFT_OUT_LIST.split())
# Words left hanging once a mention is cut ("with" of "with minimal X", "little or" of "little or no X").
_DANGLING = re.compile(r"(?:\b(?:with|and|or|little|very|but)\s+)+$", re.IGNORECASE)


def negated_mentions(text: str) -> list[str]:
    """Things a response says it is free of ("gluten-free", "without sugar", "non-alcoholic")."""
    return few_or_none(text)[0]


def few_or_none(text: str) -> tuple[list[str], str]:
    """What a text (a response, or a clause of a preference) says it has little or none of,
    and the text with those mentions cut.

    "A silicone-free primer" is close to "products containing silicones" word for word and
    in embedding, yet says the opposite; comparing what is left ("A primer") says what the
    response offers.
    """
    lower = text.lower()
    found: list[str] = []
    kept: list[str] = []
    last = 0
    for match in _FEW_OR_NONE.finditer(lower):
        thing = match.group("joined") or match.group("after") or match.group("before")
        if thing.split()[0] in _NOT_A_THING or thing.split()[0] in _NOT_LEFT_OUT:
            continue
        found.append(thing)
        kept.append(_DANGLING.sub("", text[last : match.start()]))
        last = match.end()
    if not found:  # the text as given: its embedding is likely cached already
        return found, text
    kept.append(text[last:])
    return found, re.sub(r"\s+", " ", "".join(kept)).strip()
