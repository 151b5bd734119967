"""General English word classes that statement reading needs beyond the sentiment lexicon.

These are closed classes of the language, not phrases of any corpus: verbs that state
a choice but carry no sentiment (VADER does not score "prefer" or "avoid" the way a
taste needs), adverbs that make a statement a habit or a rule, words that point at the
present moment, and verbs of routine use whose object is what a person habitually
takes ("I drink tea", "I don't eat meat").
"""

from __future__ import annotations

#: Verbs of choosing that VADER scores weakly or not at all, with the side they take.
CHOICE_VERBS: dict[str, int] = {
    "prefer": 1,
    "favor": 1,
    "favour": 1,
    "choose": 1,
    "pick": 1,
    "opt": 1,
    "crave": 1,
    "relish": 1,
    "savor": 1,
    "savour": 1,
    "avoid": -1,
    "skip": -1,
    "shun": -1,
    "refuse": -1,
    "detest": -1,
    "abhor": -1,
    "eschew": -1,
    "devour": 1,
    "stop": -1,
    "quit": -1,
    "cease": -1,
    "ditch": -1,
}

#: Verbs VADER scores for a reason unrelated to liking ("want" is a request, "miss"
#: a loss, "mind" an objection only when negated); read by their frame instead.
NOT_A_TASTE = frozenset({"want", "need", "miss", "wish", "hope", "mind", "matter", "stand", "bear", "care"})

#: "can't stand", "can't bear", "don't mind": verbs that state a taste only negated (the side
#: given is before the negation turns it).
NEGATED_ONLY: dict[str, int] = {
    "stand": 1, "bear": 1, "tolerate": 1, "abide": 1, "handle": 1, "mind": -1, "resist": -1,
    "touch": 1, "do": 1, "miss": 1,
}  # fmt: skip

#: Phrasal verbs of liking and avoiding (verb + particle or preposition).
PHRASAL: dict[tuple[str, str], int] = {
    ("care", "for"): 1,
    ("sit", "through"): 1,
    ("come", "back"): 1,
    ("come", "round"): 1,
    ("come", "around"): 1,
    ("warm", "to"): 1,
    ("tire", "of"): -1,
    ("go", "for"): 1,
    ("go", "with"): 1,
    ("look", "for"): 1,
    ("seek", "out"): 1,
    ("stick", "to"): 1,
    ("live", "for"): 1,
    ("stick", "with"): 1,
    ("swear", "by"): 1,
    ("lean", "towards"): 1,
    ("lean", "toward"): 1,
    ("gravitate", "towards"): 1,
    ("gravitate", "toward"): 1,
    ("opt", "for"): 1,
    ("reach", "for"): 1,
    ("look", "forward"): 1,
    ("stay", "away"): -1,
    ("steer", "clear"): -1,
    ("keep", "away"): -1,
    ("keep", "out"): -1,
    ("shy", "away"): -1,
    ("leave", "out"): -1,
    ("cut", "out"): -1,
    ("cut", "down"): -1,
    ("give", "up"): -1,
    ("swear", "off"): -1,
    ("cut", "back"): -1,
    ("lay", "off"): -1,
    ("go", "off"): -1,
    ("stay", "off"): -1,
}

#: Phrasal verbs a thing does to the speaker ("late nights wipe me out", "music cheers me up"):
#: the side the speaker takes on the thing.
#: Verbs that pass a verdict on their subject, said of things in general ("paperbacks win
#: every time", "open offices suck").
VERDICT_VERBS: dict[str, int] = {"win": 1, "rule": 1, "rock": 1, "suck": -1, "stink": -1}

#: Participles that judge their subject when said of things in general, with no one doing
#: it ("superhero films are overrated", "clear answers are appreciated").
JUDGING_PARTICIPLES: dict[str, int] = {
    "overrated": -1, "underrated": 1, "overhyped": -1, "appreciated": 1, "valued": 1,
}  # fmt: skip

#: Judgements the sentiment lexicon lacks, with a valence on its scale (about that of
#: "boring", -1.3, or "enjoyable", +1.9).
JUDGEMENT_WORDS: dict[str, float] = {
    **dict.fromkeys(
        (
            "overrated", "overhyped", "tedious", "overwhelming", "draining", "tiresome", "cringey",
            "cringeworthy", "overpriced", "gimmicky", "clunky", "bland", "pretentious", "monotonous",
            "mind-numbing", "tacky", "stuffy", "claustrophobic", "unbearable", "fiddly", "finicky",
            "long-winded", "preachy", "condescending", "patronizing", "patronising", "hectic",
            "grating", "jarring", "distracting", "off-putting", "cloying", "soulless", "formulaic",
            "stiff", "noise", "squirm", "cringe", "revolting", "repulsive", "nauseating", "inedible",
            "unwatchable", "unlistenable", "insufferable",
        ),
        -1.5,
    ),
    **dict.fromkeys(
        ("underrated", "refreshing", "cozy", "cosy", "therapeutic", "gripping", "captivating", "moreish"), 1.5
    ),
    **dict.fromkeys(("non-negotiable", "indispensable", "essential"), 2.0),
}  # fmt: skip

#: "X is right up my street": the places a thing can be up for the speaker to like it.
UP_MY = frozenset({"street", "alley"})
#: "X is off the table": the places a thing can be off for the speaker to rule it out.
OFF_THE = frozenset({"table", "menu", "cards"})

#: Nouns that frame a judgement by what they are "of" ("my idea of a nightmare", "my
#: definition of a good time"): the "of" says the side.
FRAMING_NOUNS = frozenset({"idea", "definition", "version", "notion", "picture"})

#: Verbs that link a thing to how it strikes someone ("X sounds dull to me").
SEEMING_VERBS = frozenset({"sound", "seem", "feel", "look", "appear"})

#: Verbs of being affected whose sense with the speaker for object the sentiment lexicon
#: does not give ("X moves me", "X touches me": stirs feelings).
AFFECTING_VERBS: dict[str, int] = {"move": 1, "touch": 1, "suit": 1}

AFFECTING_PHRASAL: dict[tuple[str, str], int] = {
    ("wipe", "out"): -1,
    ("wear", "out"): -1,
    ("stress", "out"): -1,
    ("freak", "out"): -1,
    ("gross", "out"): -1,
    ("bum", "out"): -1,
    ("put", "off"): -1,
    ("turn", "off"): -1,
    ("cheer", "up"): 1,
    ("perk", "up"): 1,
    ("trip", "up"): -1,
    ("calm", "down"): 1,
    ("turn", "on"): 1,
    ("grate", "on"): -1,
    ("jar", "on"): -1,
    ("speak", "to"): 1,
    ("click", "with"): 1,
    ("call", "to"): 1,
    ("click", "for"): 1,
    ("appeal", "to"): 1,
    ("win", "over"): 1,
    ("grow", "on"): 1,
}

#: What a thing does to the speaker, said by an idiom of verb and place ("drive me up the
#: wall", "bore me to tears"), keyed by the verb's lemma and the place's.
AFFECTING_IDIOMS: dict[tuple[str, str], int] = {
    ("drive", "wall"): -1,
    ("drive", "bend"): -1,
    ("drive", "distraction"): -1,
    ("drive", "edge"): -1,
    ("bore", "tear"): -1,
    ("bore", "death"): -1,
    ("scare", "death"): -1,
    ("make", "day"): 1,
    ("warm", "heart"): 1,
    ("turn", "stomach"): -1,
    ("change", "life"): 1,
    ("get", "nerve"): -1,
    ("make", "skin"): -1,
    ("put", "sleep"): -1,
    ("set", "edge"): -1,
    ("give", "creep"): -1,
    ("give", "creeps"): -1,
    ("make", "blood"): -1,
    ("make", "mouth"): 1,
    ("mean", "world"): 1,
    ("mean", "lot"): 1,
    ("mean", "everything"): 1,
    ("mean", "nothing"): -1,
}

#: How a speaker and a thing named together ("X and I ...") get along: per verb, the words
#: after it that say they do ("are friends", "get on", "go way back"); negated, they don't.
GETTING_ALONG: dict[str, frozenset[str]] = {
    "be": frozenset({"friend"}),
    "get": frozenset({"on", "along"}),
    "go": frozenset({"back"}),
}

#: Verbs that link a subject to what it is ("I'm ...", "I never grow weary of ...", "I feel ...").
LINKING_VERBS = frozenset({"be", "get", "become", "grow", "feel"})

#: Prepositions that, right after a verb's object, act as its particle ("leave X out").
PARTICLES = frozenset({"out", "off", "away"})

#: Verbs of comparing: "nothing beats X" favours X.
COMPARING_VERBS = frozenset({"beat", "top", "compare", "match", "rival", "surpass", "equal"})

#: Verbs of liking whose progressive still tells a taste held these days ("I've been loving
#: audiobooks lately"), said of kinds of things.
HELD_TASTE_VERBS = frozenset(
    {"love", "enjoy", "like", "prefer", "hate", "dislike", "adore", "loathe", "detest", "favour", "favor"}
)

#: Verbs of liking strong enough to be said without "I" ("love me some barbecue", "hate
#: crowds"); "enjoy", "like" without a subject are wishes or orders ("enjoy your meal").
STRONG_LIKING_VERBS = frozenset({"love", "adore", "hate", "loathe", "detest"})

#: Verbs of coming to hold, or ceasing to hold, an attitude ("develop a taste for X",
#: "lose interest in X"); the losing ones turn it.
LOSING_VERBS = frozenset({"lose"})
GAINING_VERBS = frozenset({"develop", "acquire", "gain", "form"}) | LOSING_VERBS

#: Nouns of attitude held towards something ("an aversion to", "a soft spot for").
ATTITUDE_NOUNS: dict[str, int] = {
    "preference": 1,
    "taste": 1,
    "fondness": 1,
    "passion": 1,
    "weakness": 1,
    "spot": 1,
    "interest": 1,
    "patience": 1,
    "tolerance": 1,
    "time": 1,
    "aversion": -1,
    "dislike": -1,
    "distaste": -1,
    "allergy": -1,
    "intolerance": -1,
    "phobia": -1,
    "fear": -1,
    "hatred": -1,
    "objection": -1,
}

#: Nouns that name a kind or an amount of something ("any kind of jazz", "all sorts of
#: puzzles", "a bit of dark chocolate"): the topic is what follows "of".
KIND_NOUNS = frozenset({"kind", "sort", "type", "form", "style", "variety", "genre", "bit", "lot", "plenty"})
#: Words that say how many of a kind, not which kind ("any", "most", "all sorts of").
QUANTIFIERS = frozenset(
    {"any", "all", "most", "every", "each", "some", "many", "several", "various", "different"}
    | {"these", "those"}
)

#: Nouns that state a verdict as the complement of "is": "X is a must", "X is a hard no".
VERDICT_NOUNS: dict[str, int] = {
    "last resort": -1,
    "must": 1,
    "yes": 1,
    "favorite": 1,
    "favourite": 1,
    "treat": 1,
    "no": -1,
    "nope": -1,
    "dealbreaker": -1,
    "peeve": -1,
    "nightmare": -1,
    "pass": -1,
    "nemesis": -1,
    "bane": -1,
    "pleasure": 1,
    "staple": 1,
    "go-to": 1,
    "jam": 1,
    "no-go": -1,
}

#: Verbs that hedge the verb they govern: "I tend to avoid X" says what "avoid X" says, and
#: "I've come to dislike X" what "dislike X" says now.
HEDGING_VERBS = frozenset({"tend", "try", "seem", "come", "grow", "learn", "start", "begin"})

#: People defined by what they are devoted to: "a fan of", "a believer in", "a lover of".
DEVOTEES = frozenset(
    {
        "fan",
        "lover",
        "believer",
        "admirer",
        "enthusiast",
        "devotee",
        "supporter",
        "buff",
        "aficionado",
        "follower",
        "sucker",
        "stickler",
        "nerd",
        "geek",
        "junkie",
        "addict",
        "connoisseur",
    }
)

#: Adjectives that state an attachment with their own preposition ("obsessed with X",
#: "big on X", "wary of X"), whatever a sentiment lexicon says of the adjective alone.
AFFINITY_ADJECTIVES: dict[tuple[str, str], int] = {
    ("obsessed", "with"): 1,
    ("besotted", "with"): 1,
    ("smitten", "with"): 1,
    ("enamoured", "with"): 1,
    ("enamored", "with"): 1,
    ("hooked", "on"): 1,
    ("partial", "to"): 1,
    ("big", "on"): 1,
    ("keen", "on"): 1,
    ("mad", "about"): 1,
    ("crazy", "about"): 1,
    ("passionate", "about"): 1,
    ("wary", "of"): -1,
    ("averse", "to"): -1,
    ("sick", "of"): -1,
    ("tired", "of"): -1,
    ("done", "with"): -1,
    ("through", "with"): -1,
}

#: Verbs of routine use: "I drink tea" and "I don't eat meat" say what a person takes.
ROUTINE_VERBS = frozenset(
    {
        "eat",
        "drink",
        "use",
        "wear",
        "watch",
        "read",
        "listen",
        "play",
        "cook",
        "drive",
        "ride",
        "buy",
        "order",
        "code",
        "program",
        "write",
        "speak",
        "practice",
        "practise",
        "do",
        "follow",
        "take",
        "smoke",
        "grow",
        "collect",
        "run",
        "swim",
        "bake",
        "knit",
        "paint",
        "draw",
        "sing",
        "travel",
        "fly",
        "compete",
        "train",
        "consume",
    }
)

#: Verbs that name a pastime or a way of getting about when said without an object ("I bike
#: everywhere", "I hike most weekends"); with a frequency they state a habit.
ACTIVITY_VERBS = frozenset(
    {
        "bike",
        "cycle",
        "walk",
        "hike",
        "jog",
        "commute",
        "meditate",
        "garden",
        "camp",
        "ski",
        "surf",
        "climb",
        "dance",
        "fish",
        "skate",
        "sail",
        "golf",
        "bowl",
        "row",
        "box",
        "hunt",
        "kayak",
        "exercise",
        "volunteer",
    }
)

#: Frequency adverbs that make a bare act a habit ("I swim daily").
FREQUENCY_ADVERBS = frozenset({"daily", "weekly", "regularly", "nightly", "everywhere", "religiously"})

#: Habit adverbs that say an act is rare, which goes against it ("I rarely drink").
SELDOM_ADVERBS = frozenset({"rarely", "seldom", "hardly"})

#: Verbs of changing from one thing to another: "I switched from Vim to VS Code" is for
#: VS Code and against Vim, and, though said in the past, tells of what holds now.
SWITCH_VERBS = frozenset({"switch", "move", "migrate", "convert", "transition"})

#: Verbs of going whose preposition names the activity: "go for walks", "go on hikes".
GOING_VERBS = frozenset({"go", "head"})

#: Verbs of consuming that a topic drops ("watching horror films" is about horror films).
CONSUMING = frozenset(
    {"watch", "read", "listen", "eat", "drink", "use", "play", "wear", "buy", "have", "get"}
)

#: Verbs whose object comes after "to" ("listen to jazz"), where "to" is not a contrast.
TO_OBJECT_VERBS = frozenset({"listen", "subscribe"})

#: Verbs of offering or putting in, whose object is what a request is about ("stop
#: suggesting recipes with pork" is about recipes with pork).
OFFERING_VERBS = frozenset({"suggest", "recommend", "include", "mention", "offer", "add", "send"})

#: Verbs of stopping an act: "stop suggesting X" asks, from now on, for no more X.
STOPPING_VERBS = frozenset({"stop", "quit"})

#: Adverbs and phrases that make a statement a standing rule or habit.
HABIT_ADVERBS = frozenset(
    {
        "always",
        "never",
        "usually",
        "generally",
        "normally",
        "typically",
        "mostly",
        "mainly",
        "only",
        "exclusively",
        "often",
        "rarely",
        "seldom",
        "habitually",
        "ever",
        "anymore",
    }
)
DURABLE_PHRASES = (
    "from now on",
    "going forward",
    "in general",
    "as a rule",
    "by default",
    "every time",
    "all the time",
    "in the future",
    "whenever",
    "each time",
    "any day",
    "any year",
    "any time",
    "anytime",
    "any season",
    "everywhere",
    "as always",
    "as usual",
    "like always",
    "every single time",
    "without fail",
    "every day",
    "every week",
    "every weekend",
    "every morning",
    "every evening",
    "every night",
    "day in, day out",
)

#: Spans of time a habit recurs over ("most mornings", "every summer"): with "every", "most",
#: "each" or "all" they say how often, not what.
RECURRING_SPANS = frozenset(
    [
        "morning",
        "evening",
        "night",
        "afternoon",
        "day",
        "weekday",
        "weekend",
        "week",
        "month",
        "year",
        "season",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
        "lunchtime",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
#: Words that say how often a span of time comes round: "every", "most mornings".
FREQUENCY_DETERMINERS = frozenset({"every", "most", "each", "all", "many"})

#: Discourse markers that open a sentence without adding to what it says.
LEAD_INS = (
    "fyi",
    "btw",
    "by the way",
    "just so you know",
    "for what it's worth",
    "for the record",
    "quick note",
    "note",
    "honestly",
    "frankly",
    "to be honest",
    "personally",
    "actually",
    "oh",
    "ah",
    "well",
    "ok",
    "okay",
    "so",
    "and",
    "also",
    "anyway",
)

#: Words that, before a colon, announce material to work on ("translate this: ...").
MATERIAL_WORDS = frozenset(
    {
        "this",
        "these",
        "following",
        "below",
        "it",
        "text",
        "sentence",
        "paragraph",
        "passage",
        "email",
        "message",
        "code",
        "list",
        "poem",
        "story",
        "article",
        "question",
        "here",
        "draft",
        "letter",
        "post",
        "summary",
    }
)

#: Words that point at the present moment or a single coming occasion.
#: One-off occasions: "for the weekend", "for the wedding" name the one coming up.
OCCASION_NOUNS = frozenset(
    {
        "weekend", "trip", "party", "wedding", "meeting", "interview",
        "flight", "journey", "visit", "presentation", "exam", "event", "date", "birthday",
    }
)  # fmt: skip

DEICTIC_TIME = frozenset(
    {
        "today",
        "tonight",
        "tomorrow",
        "now",
        "currently",
        "yesterday",
        "moment",
        "soon",
        "later",
        "next",
        "this",
    }
)

#: Units a time from now is counted in ("in five minutes", "within an hour").
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "sec", "min", "hr"})

#: Request verbs: "I want X", "I'd like X", "I need X" ask for something; lasting only when marked.
REQUEST_VERBS = frozenset({"want", "need", "like", "love"})

#: Nouns that, owned by the speaker ("X is my thing", "X is my go-to"), say X is favoured.
#: Nouns with a valence in the sentiment lexicon ("passion", "favorite") need no entry.
OWNED_FAVOURITES = frozenset(
    {"thing", "jam", "style", "go-to", "choice", "pick", "staple", "ritual", "habit", "tradition", "routine"}
)

#: Absence: "meat-free", "sugar-less", "without sugar" are against the thing named.
ABSENCE_SUFFIXES = ("-free", " free", "-less")

#: Words that state no taste however they are used as a subject or object.
EMPTY_TOPICS = frozenset(
    {
        "it",
        "them",
        "they",
        "this",
        "that",
        "these",
        "those",
        "one",
        "ones",
        "other",
        "others",
        "rest",
        "him",
        "her",
        "you",
        "so",
        "something",
        "anything",
        "everything",
        "nothing",
        "thing",
        "things",
        "stuff",
        "lot",
        "way",
        "what",
        "which",
        "who",
        "me",
        "myself",
        "us",
        "all",
        "some",
        "much",
        "more",
        "most",
    }
)

#: Nouns after an opening "As a ..." that name no role the speaker holds ("as a rule", "as a
#: result", "as a kid": a way of speaking, or a time long past).
NOT_ROLES = frozenset(
    {
        "rule", "result", "whole", "matter", "reminder", "note", "side", "bonus", "start", "example",
        "joke", "gift", "favour", "favor", "treat", "kid", "child", "teenager", "teen", "baby", "boy",
        "girl", "youngster", "consequence", "precaution", "test", "aside", "compromise", "backup",
    }
)  # fmt: skip
