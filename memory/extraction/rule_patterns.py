"""The phrase patterns the offline statement extractor reads: which wordings state a preference.

Every pattern is anchored at the start of a clause (after lead-ins such as "honestly,"
or "due to a knee injury,"): a first-person phrase in the middle of pasted text ("make
this grammatically correct: I like your watch") or of someone else's sentence is not
the user's statement. Negative patterns are tried before positive ones, because
"I prefer not to ..." and "I have no interest in ..." contain positive words.
"""

from __future__ import annotations

import re

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
_IDENTITY = "|".join(IDENTITIES)

#: A lead-in before the clause proper: "for movies, ", "due to a knee injury, ", "when it comes to tea ".
_START = (
    r"^(?:(?:for|when it comes to|as for|as far as|regarding|with|due to|because of|given)"
    r"\s+[^,;:]{1,50}?,?\s+"
    r"|[^,;:]{1,50},\s+)??"
)
#: "I'm", "I am", "Im".
_AM = r"i(?:'m|\s+am|m)\s+"
#: Intensifiers and frequency words between "I" and the verb ("I strongly dislike").
ADVERBS = (
    r"(?:(?:really|truly|absolutely|strongly|greatly|deeply|intensely|generally|usually|always|definitely|much|"
    r"just|honestly|also|firmly|strictly|adamantly|actively|totally|completely|genuinely|simply|personally|"
    r"very|quite|still|often|seriously|particularly|certainly|typically|normally|mostly|mainly|tend\s+to|"
    r"kind\s+of|sort\s+of|do)\s+)*"
)
_NOT = (
    r"(?:do\s*n[o']?t|don't|dont|do\s+not|never|can'?t|cannot|can\s+not|won'?t|will\s+not|would\s*n'?t|"
    r"would\s+not|could\s*n'?t)"
)
#: Adjectives that, in "I find X boring", say the user is against X.
_NEGATIVE_ADJECTIVES = (
    r"(?:boring|annoying|tiresome|tedious|distracting|confusing|ineffective|disorienting|distressing|overwhelming|"
    r"unpleasant|uncomfortable|off-?putting|unbearable|demotivating|stressful|frustrating|irritating|useless|dull|"
    r"unappealing|unenjoyable|exhausting|draining|pointless|gross|disgusting|nauseating|childish|gimmicky|"
    r"pretentious|cheesy|uninteresting|unhelpful|overrated|hard\s+to\s+\w+|difficult\s+to\s+\w+|too\s+\w+|"
    r"a\s+chore|a\s+waste\s+of\s+time)"
)
_AFTER = r"\s+(?P<topic>.+)"

NEGATIVE_PATTERNS = [
    _AM + r"not\s+(?:a\s+|an\s+)?(?P<topic>" + _IDENTITY + r")\b",
    # "I prefer not to ...", "I'd rather not ...", "I try to avoid ...", "I need to stay away from ..."
    r"i\s+" + ADVERBS + r"(?:prefer|would\s+prefer|'d\s+prefer|would\s+rather|'d\s+rather|choose|try|"
    r"tend|want|need|like|have|aim|make\s+a\s+point)\s+(?:not\s+to|not|to\s+avoid|to\s+stay\s+away\s+from|"
    r"to\s+steer\s+clear\s+of|to\s+keep\s+away\s+from)" + _AFTER,
    r"i(?:'d|\s+would)\s+" + ADVERBS + r"(?:rather|prefer)\s+(?:not\s+to|not|to\s+avoid|avoid)" + _AFTER,
    r"i\s+" + ADVERBS + _NOT + r"\s+(?:really\s+|much\s+|ever\s+|particularly\s+|at\s+all\s+)?"
    r"(?:like|love|enjoy|want|need|stand|bear|tolerate|handle|abide|eat|drink|use|read|watch|play|consume|wear|"
    r"buy|do|care\s+for|go\s+for|appreciate|fancy|see\s+the\s+appeal\s+of)" + _AFTER,
    r"i\s+" + ADVERBS + r"(?:hate|dislike|avoid|detest|loathe|despise|abhor|refuse\s+to|can'?t\s+stand|"
    r"cannot\s+stand|shun|object\s+to|stay\s+away\s+from|steer\s+clear\s+of|keep\s+away\s+from|"
    r"shy\s+away\s+from|steer\s+away\s+from)" + _AFTER,
    # "I have a strong aversion to ...", "I have an allergy to ...", "I have a low tolerance for ..."
    r"i\s+(?:have|feel|'ve\s+got|got)\s+(?:an?\s+)?(?:[a-z-]+\s+){0,3}?(?:aversion|dislike|distaste|objection|"
    r"allergy|intolerance|hatred|phobia|fear|disdain|antipathy|tolerance)\s+(?:to|for|of|towards?|against|with)"
    + _AFTER,
    r"i\s+(?:have|feel|'ve\s+got|got)\s+(?:absolutely\s+)?(?:no|zero|little)\s+(?:real\s+|particular\s+|great\s+)?"
    r"(?:interest|desire|patience|time|use|love|taste|appetite|liking|fondness|enthusiasm)\s+(?:in|for)"
    + _AFTER,
    _AM + ADVERBS + r"(?:not\s+(?:really\s+|at\s+all\s+|very\s+|particularly\s+|much\s+of\s+)?(?:a\s+|an\s+)?"
    r"(?:big\s+|huge\s+|great\s+)?(?:interested\s+in|into|keen\s+on|fond\s+of|big\s+on|fan\s+of|"
    r"crazy\s+about|drawn\s+to|comfortable\s+with)|(?:allergic|averse|opposed|intolerant|sensitive)\s+to|"
    r"against|(?:scared|afraid|terrified|wary|sick|tired)\s+of|(?:put\s+off|turned\s+off|bored)\s+by|"
    r"uncomfortable\s+with|done\s+with)" + _AFTER,
    r"^(?P<topic>.+?)\s+(?:is|are)\s*(?:n[o']?t|\s+not)\s+(?:really\s+)?(?:for\s+me|my\s+thing|my\s+style|"
    r"my\s+cup\s+of\s+tea|my\s+jam)\b",
    r"^(?P<topic>.+?)\s+(?:is|are)\s+(?:an?\s+)?(?:absolute\s+|total\s+|big\s+|major\s+)?(?:deal-?\s?breaker|"
    r"no-?go|turn-?off|pet\s+peeve|off-?limits|out\s+of\s+the\s+question)s?\b",
    r"^(?:please\s+)?(?:don'?t|do\s+not|never|no\s+more|stop)\s+(?:use|give\s+me|send\s+me|include|add|using|"
    r"giving\s+me|suggest|recommend|show\s+me|make)" + _AFTER,
    r"^no\s+(?P<topic>[a-z][a-z -]+?)\s+(?:for\s+me|please)\b",
    _AM + r"not\s+(?:a|an)\s+(?P<topic>[a-z][a-z -]*?)\s+(?:person|fan|type)\b",
    r"i\s+" + ADVERBS + r"(?:find|consider)\s+it\s+(?:very\s+|really\s+|quite\s+|so\s+|rather\s+)?"
    r"(?:" + _NEGATIVE_ADJECTIVES + r"|hard|difficult)\s+to" + _AFTER,
    r"i\s+" + ADVERBS + r"(?:find|consider)\s+(?P<topic>.+?)\s+(?:to\s+be\s+)?(?:very\s+|really\s+|"
    r"quite\s+|so\s+|rather\s+|kind\s+of\s+)?" + _NEGATIVE_ADJECTIVES + r"\b",
    # The catch-all "I never X" / "I don't X", less verbs that speak of knowing, not liking.
    r"i\s+(?:do\s*n[o']?t|don't|dont|never)\s+(?!(?:know|understand|think|remember|get|see|mean|have|recall|"
    r"believe|feel|care|agree|expect|mind|need|want|wish|hope|plan|like|love|enjoy)\b)(?:\w+\s+)?(?:to\s+)?"
    r"(?P<topic>[a-z].+)",
    r"^(?:please\s+)?don'?t\s+be\s+(?:so\s+|too\s+)?(?P<topic>[a-z]+)",
]

#: Imperatives ("suggest X", "no X", "avoid X") say something lasting only with a durable
#: marker ("in general", "as a rule", "always"); otherwise they are requests for the task at hand.
NEGATIVE_IMPERATIVES = [
    r"^(?:please\s+)?(?:avoid|skip|leave\s+out)" + _AFTER,
    r"^(?:please\s+)?(?:always\s+)?leave\s+(?P<topic>.+?)\s+out\b",
    r"^(?:no|nothing)\s+(?P<topic>[a-z].+)",
]
POSITIVE_IMPERATIVES = [
    r"^(?:please\s+)?(?:suggest|recommend|give|show|send|schedule|cite|use|pick|choose|talk|write|keep|make|"
    r"include|go|explain|stick\s+to|feel\s+free\s+to)\s+(?:me\s+|to\s+me\s+)?(?P<topic>.+)",
]

#: "I want to add a column", "I need to finish this": a goal for the task at hand, not a taste.
GOAL = re.compile(
    _START + r"(?:i\s+(?:really\s+|just\s+|also\s+)?(?:want|need|would\s+like|'d\s+like|wish|hope|plan|"
    r"have|try|am\s+trying|'m\s+trying)\s+to\s+)"
)

POSITIVE_PATTERNS = [
    r"i\s+" + ADVERBS + r"(?:follow|keep|eat|stick\s+to|adhere\s+to|maintain|live\s+on|observe)\s+(?:a|an)\s+"
    r"(?P<topic>(?:[a-z-]+\s+){0,3}?diet)\b",
    _AM + ADVERBS + r"on\s+(?:a|an)\s+(?P<topic>(?:[a-z-]+\s+){0,3}?diet)\b",
    r"i\s+" + ADVERBS + r"(?:like|love|prefer|enjoy|adore|favou?r|want|need|go\s+for|appreciate|value|relish|"
    r"use(?!\s+(?:it|them|this|that|these|those|one|ones)\b)|"  # "I use metric units", not "I use it"
    r"gravitate\s+towards?|lean\s+towards?|swear\s+by|stick\s+(?:to|with)|adhere\s+to|insist\s+on|opt\s+for|"
    r"seek\s+out|believe\s+in|pick|choose|go\s+with|(?:can\s+)?(?:only|exclusively|solely)\s+(?:use|eat|watch|"
    r"read|buy|wear|drink|play|listen\s+to|support|do|choose|pick|enjoy|like|want|travel|fly|cook))" + _AFTER,
    r"i\s+" + ADVERBS + r"(?:learn|work|study|think|focus|sleep|function|do)\s+best\s+"
    r"(?:through|with|in|when|by|on|from|using|via)" + _AFTER,
    r"i\s+(?:have|feel)\s+(?!no\b|zero\b|little\b)(?:an?\s+)?(?:[a-z-]+\s+){0,3}?(?:preference|liking|fondness|"
    r"love|passion|taste|soft\s+spot|weakness|penchant)\s+for" + _AFTER,
    _AM + r"(?:a\s+)?(?:big\s+|huge\s+|great\s+|massive\s+)?fan\s+of" + _AFTER,
    _AM + ADVERBS + r"(?:into|keen\s+on|fond\s+of|drawn\s+to|passionate\s+about|crazy\s+about|partial\s+to|"
    r"big\s+on|all\s+about|a\s+(?:big\s+|firm\s+|strong\s+)?believer\s+in|committed\s+to|devoted\s+to)"
    + _AFTER,
    r"i\s+(?:never|don't\s+ever|do\s+not\s+ever)\s+(?:get|grow)\s+(?:tired|bored|sick)\s+of" + _AFTER,
    r"^(?P<topic>.+?)\s+(?:is|are)\s+(?:really\s+|definitely\s+|always\s+)?(?:my\s+favou?rite|my\s+thing|"
    r"my\s+style|for\s+me|the\s+best\s+for\s+me|my\s+cup\s+of\s+tea|my\s+go-?to|my\s+jam|a\s+must|"
    r"(?:essential|non-?negotiable|a\s+priority|important|a\s+requirement)\s+(?:for|to)\s+me|"
    r"easier\s+for\s+me)\b",
    r"^(?:please\s+)?always\s+(?:use|give\s+me|keep|make|write|send\s+me|include)" + _AFTER,
    r"i'?d\s+(?:much\s+)?rather\s+(?:you\s+|have\s+|get\s+)?(?P<topic>.+)",
    # "the hotter the better", "the scarier the film, the better": for the quality compared
    r"^the\s+(?P<topic>[a-z]+er)(?:\s+the\s+[a-z]+)?,?\s+the\s+better\b",
    # "bullet points work best", "a short snippet helps me more than a paragraph"
    r"^(?P<topic>[a-z][a-z' -]*?)\s+(?:works?\s+best|helps?\s+me\s+(?:more|most|the\s+most))\b",
    # "classical is what I listen to most", "podcasts are what I usually go for"
    r"^(?P<topic>[a-z][a-z' -]*?)\s+(?:is|are)\s+what\s+i\s+(?:usually\s+|mostly\s+|always\s+)?"
    r"(?:listen\s+to|read|watch|eat|drink|play|cook|use|wear|order|go\s+for|pick|choose)"
    r"(?:\s+(?:most|the\s+most|most\s+of\s+the\s+time|all\s+the\s+time))?\b",
    # "tea over coffee for me": for the first, against what follows "over"
    r"^(?P<topic>[a-z][a-z' -]*?)\s+over\s+[a-z][a-z' -]*?\s+for\s+me\b",
    r"i\s+(?:always|usually)\s+(?P<topic>[a-z].+)",
    _AM + r"(?:a\s+|an\s+)?(?P<topic>" + _IDENTITY + r")\b",
    _AM + r"(?:a|an)\s+(?P<topic>[a-z-]+)\s+person\b",
]


def compile_anchored(patterns: list[str]) -> list[re.Pattern[str]]:
    """Compile patterns so that a first-person one matches only at the start of a clause."""
    return [re.compile(p if p.startswith("^") else _START + p) for p in patterns]


NEGATIVE = compile_anchored(NEGATIVE_PATTERNS)
POSITIVE = compile_anchored(POSITIVE_PATTERNS)
NEGATIVE_ORDERS = compile_anchored(NEGATIVE_IMPERATIVES)
POSITIVE_ORDERS = compile_anchored(POSITIVE_IMPERATIVES)

#: "I prefer A to B": after "prefer", " to " introduces the other side ("to" is too common
#: elsewhere to split on). Groups `a` (wanted) and `b` (set against it).
PREFER_A_TO_B = re.compile(r"\bprefer(?:s|red)?\s+(?!to\b|not\b)(?P<a>\w.+?)\s+to\s+(?P<b>.+)")
