"""Reading preference statements from a dependency parse: what a clause is about, which side, how lasting.

A message is parsed (`language.parser`) and each clause is read by its grammar, not by
matching phrases:

- **who speaks of what.** A clause counts when its subject is the speaker ("I love
  hiking", "I'm vegetarian"), something the speaker owns as a taste ("my favourite
  food is pizza"), a thing judged with the speaker as the one affected ("long answers
  wear me down", "jazz is great", "brevity matters to me"), or when it tells the
  assistant what to do (an imperative). Others' tastes ("my wife loves opera") and
  questions state nothing about the user.
- **which side.** The clause's head word carries the stance: its valence in the VADER
  lexicon ("love" +, "boring" -), a few verbs of choosing the lexicon does not score
  ("prefer", "avoid"), phrasal verbs ("stay away from"), and verbs of routine use ("I
  drink tea"). Negation ("not", "never", "n't") turns it round; so does absence in the
  topic itself ("meat-free" is against meat).
- **how lasting.** A clause is momentary when it points at now or at one coming
  occasion (today, tonight, this time, for this email: the parser's date and time
  entities and deictic words), and so are requests and instructions ("I want the short
  version", "keep it brief") unless a habit or rule marker makes them lasting ("always",
  "from now on", "usually"), or when the message sets a passing situation ("I'm heading
  out the door", "I'm stuck in traffic"). Past events say nothing lasting.
- **what about.** The topic is the object (or subject) phrase, without articles,
  pronouns, relative clauses and the act of consuming ("watching horror films" is about
  horror films); what a comparison sets against it ("tea over coffee") is read as the
  other side.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from prefmem.memory.extraction import lexicon
from prefmem.memory.extraction.elided import with_subjects_supplied
from prefmem.memory.extraction.language import parser, valence
from prefmem.memory.extraction.verb_hint import with_verb_hinted
from prefmem.memory.signals import AGAINST, FOR, Scope

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Frame = Literal["taste", "identity", "request", "instruction"]

#: Valence (VADER units) a head word needs before its sign is read as a stance.
MIN_VALENCE = 0.9
#: The stance of a reading whose side only a polarity model can give.
UNDECIDED = "?"
#: Sides (+1 for, -1 against, 0 undecided) of predicates such as "it wears me out".
Polarity = Callable[[Sequence[str]], Sequence[int]]
#: Longest topic kept, in words.
MAX_TOPIC_WORDS = 12

_FIRST_PERSON = frozenset({"i", "we"})
_SPEAKER_OBJECTS = frozenset({"me", "us", "myself"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
#: "X is what I eat most", "X is how I relax", "X is when I work best": the clause is about X.
_CLEFT_WORDS = frozenset({"what", "how", "where", "when"})
#: Pronouns for a thing already in the conversation ("send it", "fix this").
_THINGS_AT_HAND = frozenset({"it", "this", "that", "them", "these", "those"})
#: Adverbs that link a clause to the one before ("so", "then"), never part of a topic.
_CONNECTIVES = frozenset({"so", "then", "also", "thus", "hence", "therefore"})
#: "not much of a X", "a bit of a X": a degree put before what the speaker is.
_DEGREE_OF = frozenset({"much", "bit", "more"})
#: Words for the greater part of something: "most of my projects", "all of what I cook".
_SHARE_WORDS = frozenset({"most", "all", "much", "nearly", "almost"})
#: Named entities that say where or when, not what is used ("most of my friends are in London").
_PLACE_OR_TIME = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})
_DROPPED_LEADS = frozenset(
    {
        "a",
        "an",
        "the",
        "to",
        "my",
        "our",
        "your",
        "some",
        "any",
        "all",
        "really",
        "very",
        "just",
        "more",
        "less",
    }
)
_CONTRAST_PREPS = frozenset({"than", "over", "instead", "rather", "to"})
_SUBORDINATE_MARKS = frozenset({"if", "when", "whenever", "because", "since", "unless", "while", "although"})
_CODE = re.compile(r"[{}=<>\\|]|\(\)|```")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_LEAD_IN = re.compile(r"(?i)(?:" + "|".join(lexicon.LEAD_INS) + r")\s*[,:!-]?\s+")
_SPEAKER_FIRST = re.compile(r"I\b|I'|[A-Z]{2}|[A-Z][a-z]+[A-Z]")  # "I", "NASA", "TypeScript"
#: An aside closing a sentence that only vouches for what came before ("..., never
#: have been", "..., always has", "..., if I'm honest"): left out, as it misleads the parser.
_TRAILING_ASIDE = re.compile(
    r"(?i),\s*(?:(?:and\s+)?(?:never|always)\s+(?:have|has|had|did|will|was|were)(?:\s+been)?(?:\s+for\s+me)?"
    r"|if\s+i'?m\s+(?:being\s+)?honest|to\s+be\s+(?:honest|fair)|i\s+(?:must|have\s+to|'ll|will)\s+(?:say|admit)"
    r"|i\s+(?:admit|confess))\s*(?=[.!?]?$)"
)
#: ", so " joining two clauses (not "so that", "so much", "so far", "so no X": one clause to the
#: parser, a question after it).
_SO_CLAUSE = re.compile(
    r",\s+so\s+(?!(?:that|much|many|far|long|no|nothing|do|does|is|are|what|where|how|which|can|could)\b)([a-z])"
)
#: A statement by the speaker with a question tacked on after a comma ("I love hiking, any
#: trail ideas?", "I'd rather skip the crowds, so where is quieter?"): two sentences, so the
#: statement is not lost as part of a question.
_STATEMENT_THEN_QUESTION = re.compile(
    r"(?i)^(?P<said>(?:I\b|I'|my\b|we\b|we')[^,?]*),\s+(?:so\s+|and\s+|but\s+)?"
    r"(?P<asked>(?:any|what|what's|where|where's|which|how|who|can|could|would|should|do|does|is|are|got)\b[^?]*\?)$"
)
_RULE_FIRST = re.compile(r"(?i)(" + "|".join(lexicon.DURABLE_PHRASES) + r")\s*,\s*")
#: Words after a colon beyond which they are material pasted in, not the user's own sentence.
MAX_SPOKEN_AFTER_COLON = 40
#: Words that open a clause giving a reason ("since I avoid dairy, ...").
_REASON_MARKS = frozenset({"since", "because", "as"})
#: Particles of phrasal verbs the parser may take for prepositions ("puts me off my food").
_PARTICLES = frozenset({"off", "up", "out", "down", "over"})
#: Marks of a clause set against another: "whereas I prefer hotels", "while I prefer tea",
#: "board games are a hit, though I avoid the long ones".
_CONTRAST_MARKS = frozenset({"while", "whereas", "whilst", "though", "although"})
#: Characters of a task message read as the user speaking: its first line, at most this long.
MAX_TASK_CHARS = 300
#: Characters of a long line within which the speaker's sentences about themselves are read.
MAX_OWN_WORDS_CHARS = 1500
#: A sentence in which the speaker speaks of themselves.
_SPEAKER_SAYS = re.compile(r"\b(?:I|I'm|I've|I'd|my)\b")
_QUOTED = re.compile(r"[\"“][^\"”]{0,400}[\"”]")


@dataclass(frozen=True)
class Reading:
    """One preference a clause states: its topic, side, scope and the clause it came from."""

    topic: str
    stance: str
    scope: Scope
    clause: str
    frame: Frame = "taste"
    #: What a comparison in the clause sets against the topic ("coffee" in "tea over coffee").
    contrast: str | None = None
    #: For an `UNDECIDED` stance: the predicate with the topic as "it" ("it wears me out").
    predicate: str = ""


def read_messages(texts: Iterable[str], *, polarity: Polarity | None = None) -> list[list[Reading]]:
    """The readings of each message, parsed in one batch (much faster than one by one).

    A clause whose side no known word gives ("crowds wear me out") is read only with a
    `polarity` model (`memory.extraction.polarity`): it decides, or abstains and the clause
    gives nothing.
    """
    texts = list(texts)
    prepared = [_prepare(text) for text in texts]
    docs = parser().pipe([text for text, _ in prepared], batch_size=64)
    found: list[list[Reading]] = []
    # "Cruise ships? Not for me.": a verdict with no subject or verb is read with the
    # subject it leaves out supplied ("they are not for me"), when that reads something lasting
    supplied: list[tuple[int, str]] = []
    verbs_hinted: list[tuple[int, str]] = []
    for i, ((text, task), doc) in enumerate(zip(prepared, docs, strict=True)):
        found.append(list(_read_doc(doc, task)) if text else [])
        if text and not any(r.scope == "durable" for r in found[i]):
            full = with_subjects_supplied(doc)
            if full is not None:
                supplied.append((i, full))
            hint = with_verb_hinted(doc)
            if hint is not None:
                verbs_hinted.append((i, hint))
    completed = parser().pipe([full for _, full in supplied], batch_size=64)
    for (i, _), doc in zip(supplied, completed, strict=True):
        read_supplied = list(_read_doc(doc, prepared[i][1]))
        if any(r.scope == "durable" for r in read_supplied):
            found[i] = read_supplied
    # A first word put in lower case helps the tagger most of the time, and sometimes misleads
    # it ("gluten is off the table", "Python if you can, ..." parsed with the noun as a verb):
    # a message read as nothing lasting is parsed again as written, and read that way if
    # that finds something lasting.
    again = [
        (i, as_written)
        for i, (text, task) in enumerate(prepared)
        if text
        and not any(r.scope == "durable" for r in found[i])
        and (as_written := _prepare(texts[i], lower_first=False))[0] != text
    ]
    redone = parser().pipe([text for _, (text, _) in again], batch_size=64)
    for (i, (_, task)), doc in zip(again, redone, strict=True):
        read_as_written = list(_read_doc(doc, task))
        if not found[i] or any(r.scope == "durable" for r in read_as_written):
            found[i] = read_as_written
    # "Cold weather suits me", parsed with "suits" as a plural noun: parsed again with a hint
    # that it is a verb (`verb_hint`), and read that way if that finds something lasting
    hinted = [(i, text) for i, text in verbs_hinted if not any(r.scope == "durable" for r in found[i])]
    for (i, _), doc in zip(hinted, parser().pipe([text for _, text in hinted], batch_size=64), strict=True):
        read_hinted = list(_read_doc(doc, prepared[i][1]))
        if any(r.scope == "durable" for r in read_hinted):
            found[i] = read_hinted
    pending = [r.predicate for readings in found for r in readings if r.stance == UNDECIDED]
    sides = iter(polarity(pending) if polarity is not None and pending else [0] * len(pending))
    decided = []
    for readings in found:
        kept = []
        for reading in readings:
            if reading.stance == UNDECIDED:
                side = next(sides)
                if side == 0:
                    continue
                reading = dataclasses.replace(reading, stance=FOR if side > 0 else AGAINST)
            kept.append(reading)
        decided.append(kept)
    return decided


def read_message(text: str, *, polarity: Polarity | None = None) -> list[Reading]:
    """The preferences one message states (none for questions, tasks' material and small talk)."""
    return read_messages([text], polarity=polarity)[0]


def _prepare(message: str, *, lower_first: bool = True) -> tuple[str, bool]:
    """The part of a message that is the user speaking, and whether the message asks for a task.

    Quoted speech is someone's words being discussed; what follows a colon after a
    request ("translate this: I like your watch") is material to work on.
    """
    text = message.replace("’", "'").replace("‘", "'").strip()
    if len(text) > 1 and text[0] in '"“' and text[-1] in '"”' and text.count('"') <= 2:
        text = text[1:-1]
    text = _QUOTED.sub('"..."', text)
    task = "?" in text or bool(_CODE.search(text))
    head, colon, rest = text.partition(":")
    words = [word.lower().strip(".,;!") for word in head.split()]
    # "translate this: ...", "make this grammatically correct: ...", "create titles as an
    # expert: <a page of material>": what follows is material to work on, not the user speaking
    if (
        colon
        and words
        and (
            any(word in lexicon.MATERIAL_WORDS for word in words)
            or len(rest.split()) > MAX_SPOKEN_AFTER_COLON
        )
    ):
        text, task = head, True
    if task and len(text) > MAX_TASK_CHARS:
        # a long task message (a question with pasted code, a quiz, a transcript): the user
        # speaks in its opening paragraph; the rest is material
        text = _own_words(text.split("\n\n", 1)[0].split("\n", 1)[0])
    return _without_lead_ins(text, lower_first=lower_first).strip(), task


def _own_words(line: str) -> str:
    """A long line's opening (up to `MAX_TASK_CHARS`), then only its sentences where the
    speaker speaks of themselves ("By the way, I usually avoid X."): the rest of a long
    line is more often material (a quiz, a story to edit) than the user speaking."""
    sentences = _SENTENCE_END.split(line)
    kept: list[str] = []
    length = 0
    for sentence in sentences:
        length += len(sentence) + 1
        opening = length <= MAX_TASK_CHARS or (not kept and length <= 2 * MAX_TASK_CHARS)
        own = length <= MAX_OWN_WORDS_CHARS and _SPEAKER_SAYS.search(sentence) is not None
        if opening or own:
            kept.append(sentence)
    return " ".join(kept) if kept else line[:MAX_TASK_CHARS]


def _without_lead_ins(text: str, *, lower_first: bool = True) -> str:
    """Each sentence without its discourse lead-in ("FYI,", "Quick note:"), and a rule marker
    that opens a sentence ("In general, suggest X") moved to its end, where the parser reads it
    as a modifier rather than as the thing talked about."""
    sentences = []
    # "I'm coeliac, so gluten is out": the clause after "so" stands alone, its subject first
    # (after "so" the small tagger takes a bare noun for a verb)
    text = _SO_CLAUSE.sub(lambda found: ". " + found.group(1).upper(), text)
    for sentence in _SENTENCE_END.split(text):
        sentence = _TRAILING_ASIDE.sub("", sentence)
        split = _STATEMENT_THEN_QUESTION.match(sentence)
        if split is not None:
            asked = split.group("asked")
            sentences.append(_without_lead_ins(f"{split.group('said')}.", lower_first=lower_first))
            sentence = asked[0].upper() + asked[1:]
        changed = True
        while changed:
            found = _LEAD_IN.match(sentence)
            changed = found is not None and found.end() < len(sentence)
            if found is not None and changed:
                sentence = sentence[found.end() :]
        rule = _RULE_FIRST.match(sentence)
        if rule is not None and rule.end() < len(sentence):
            body = sentence[rule.end() :]
            end = len(body.rstrip(".!;")) if body.rstrip(".!;") else len(body)
            sentence = f"{body[:end]} {rule.group(1).lower()}{body[end:]}"
        if lower_first and sentence[:1].isupper() and not _SPEAKER_FIRST.match(sentence):
            # a capital first word misleads the small tagger ("Recommend" as an adjective)
            sentence = sentence[0].lower() + sentence[1:]
        sentences.append(sentence)
    return " ".join(sentences)


def _excepted(target: Token | _Joined) -> bool:
    """A conjunct set apart by "never": "fish but never red meat" (the word itself is dropped
    from the topic as a habit adverb, so it is looked for here)."""
    if isinstance(target, _Joined) or target.dep_ != "conj":
        return False
    return any(c.lower_ == "never" for c in target.children)


def _read_doc(doc: Doc, task: bool) -> Iterator[Reading]:
    """The message's readings, one per topic: its first, unless a later clause says the same
    topic lasts ("Please use Rust for the samples. It's my main language.")."""
    _mend_tags(doc)
    passing = any(_sets_a_passing_situation(sentence) for sentence in doc.sents)
    kept: dict[str, Reading] = {}
    lasting = False
    for sentence in doc.sents:
        role = _as_a_role(sentence)
        if role is not None:
            kept.setdefault(role.topic, role)
        asked = _is_question(sentence)
        for head in _clause_heads(sentence):
            if asked and not _speakers_reason(head) and not _habit_told(head):
                continue  # "since I avoid X, what could I cook?": only the reason is said
            lasting = lasting or _says_that_is_how_it_is_liked(head)
            for reading in _read_clause(head, sentence, task=task, passing=passing):
                first = kept.get(reading.topic)
                later_lasts = first is not None and first.scope == "momentary" and reading.scope == "durable"
                # words that give the side beat a side left to guess ("X all blur together for me;
                # I've stopped watching them")
                decided = first is not None and first.stance == UNDECIDED and reading.stance != UNDECIDED
                if first is None or later_lasts or (decided and first.scope == reading.scope):
                    kept[reading.topic] = reading
    one_off = _points_at_now(doc) or any(t.lower_ in lexicon.DEICTIC_TIME or t.lower_ == "once" for t in doc)
    if lasting and not passing and not one_off:  # "Keep British spellings. That's how I prefer it."
        kept = {
            topic: dataclasses.replace(r, scope="durable") if r.frame in ("instruction", "request") else r
            for topic, r in kept.items()
        }
    yield from kept.values()


def _habit_told(head: Token) -> bool:
    """A habit the speaker states in a sentence that goes on to ask ("I usually prefer board
    games, but I'm wondering if there are any card games worth a try?"): said, not asked."""
    subject = _subject(head)
    return (
        subject is not None
        and subject.lower_ in _FIRST_PERSON
        and subject.i < head.i
        and any(c.lower_ in lexicon.HABIT_ADVERBS for c in head.children)
        and not any(c.dep_ == "aux" and c.i < subject.i for c in head.children)  # "Do I always ...?"
    )


def _as_a_role(sentence: Span) -> Reading | None:
    """ "As a vegetarian, what can I cook?": a role the speaker opens with, even in a question."""
    first = sentence[0]
    if first.lower_ != "as" or first.dep_ != "prep" or first.head.lower_ in ("soon", "long", "far", "well"):
        return None
    nouns = _pobjs(first)
    if len(nouns) != 1 or nouns[0].pos_ != "NOUN" or nouns[0].lemma_.lower() in lexicon.NOT_ROLES:
        return None
    article = [c.lower_ for c in nouns[0].children if c.dep_ == "det"]
    if article not in (["a"], ["an"]) or not _speaks_of_self(sentence):
        return None
    topic, _absent = _topic(nouns[0])
    clause = _clause_text(first, sentence)
    return Reading(f"{article[0]} {topic}", FOR, "durable", clause, "identity", None) if topic else None


def _speaks_of_self(sentence: Span) -> bool:
    """Whether the speaker is in the sentence ("I", "me", "my"), or asks "you" for something."""
    return any(t.lower_ in ("i", "me", "my", "you") for t in sentence)


def _says_that_is_how_it_is_liked(head: Token) -> bool:
    """ "That's how I like it", "this is the way I prefer it": what was asked is the speaker's way."""
    subject = _subject(head)
    if subject is None or subject.lower_ not in ("that", "this") or _negated(head):
        return False
    for child in head.children:
        if child.dep_ not in ("ccomp", "attr", "advcl", "relcl"):
            continue
        clause = (
            child
            if child.pos_ in ("VERB", "AUX")
            else next((g for g in child.children if g.dep_ == "relcl"), None)
        )
        ways = {t.lower_ for t in child.subtree} & {"how", "way"}
        liking = clause is not None and clause.lemma_.lower() in ("like", "prefer", "love", "want", "enjoy")
        if liking and ways and _by_speaker(clause) and not _negated(clause):  # type: ignore[arg-type]
            return True
    return False


def _mend_tags(doc: Doc) -> None:
    """Mend taggings the small parser gets wrong in a way that turns the reading: "bore me"
    taken for the past of "bear" ("museums bore me"), and a verb whose past is spelt as its
    present taken for the past in a sentence told in the present ("soup is fine, but lentils
    upset my stomach")."""
    for token in doc:
        if token.lower_ == "bore" and token.lemma_ == "bear":
            if any(c.dep_ in ("dobj", "dative") and c.lower_ in _SPEAKER_OBJECTS for c in token.children):
                token.lemma_ = "bore"
                token.tag_ = "VBP"
        elif token.tag_ == "VBD" and token.lower_ == token.lemma_.lower():
            told_now = any(t.tag_ in ("VBZ", "VBP") for t in token.sent if t.i != token.i)
            told_then = any(t.tag_ == "VBD" and t.lower_ != t.lemma_.lower() for t in token.sent)
            # "soap operas put me to sleep": a kind of thing doing something to the speaker
            kinds_do = any(
                c.dep_ == "nsubj" and c.tag_ == "NNS" and not any(g.dep_ == "det" for g in c.children)
                for c in token.children
            ) and any(g.lower_ in ("me", "my") for g in token.subtree)
            if (told_now or kinds_do) and not told_then:
                token.tag_ = "VBP"


def _is_question(sentence: Span) -> bool:
    """A question, marked or not: "?" at the end, a wh-word first, or an auxiliary before the subject."""
    if sentence.text.rstrip().endswith("?"):
        return True
    words = [
        t for t in sentence if not t.is_punct and t.lower_ not in ("so", "and", "but", "ok", "okay", "hey")
    ]
    if not words:
        return False
    first = words[0]
    if first.tag_ in ("WDT", "WP", "WP$", "WRB") and first.head.dep_ != "advcl":
        return True
    return (
        first.dep_ == "aux"
        and first.head.dep_ == "ROOT"
        and any(c.dep_ == "nsubj" and c.i > first.i for c in first.head.children)
    )


def _clause_heads(sentence: Span) -> Iterator[Token]:
    """The heads of the sentence's main clauses: its root, verbs coordinated with it, and
    complement clauses with a subject of their own ("I think I prefer tea")."""
    for token in sentence:
        if token.pos_ not in ("VERB", "AUX") and token.dep_ != "ROOT":
            continue
        # a verb with its own subject coordinated with a root the parser took for a noun ("Most
        # people like summer, but I prefer autumn": "like" read as a preposition)
        own_clause = token.head.dep_ == "ROOT" and _subject(token) is not None
        coordinated = (
            token.dep_ == "conj"
            and (token.head.pos_ in ("VERB", "AUX") or own_clause)
            and not _continues_infinitive(token)
        )
        complement = token.dep_ in ("ccomp", "parataxis") and _subject(token) is not None
        cleft = _opens_with_cleft_word(token)  # "X is how I unwind": read with X
        if token.dep_ == "ROOT" or coordinated or (complement and not cleft) or _speakers_reason(token):
            yield token


def _speakers_reason(token: Token) -> bool:
    """A reason the speaker gives about themselves ("since I usually avoid X, ...", "because I
    can't stand Y"), or a contrast they draw with others ("my sister loves camping, whereas I
    prefer hotels"): a clause of its own, read like a main one."""
    if token.dep_ != "advcl" or not any(
        c.dep_ == "mark" and c.lower_ in _REASON_MARKS | _CONTRAST_MARKS for c in token.children
    ):
        return False
    subject = _subject(token)
    # in the present: "ever since I was a child" says when, not why
    present = token.tag_ in ("VBP", "VBZ") or any(
        c.dep_ == "aux" and c.tag_ in ("VBP", "VBZ", "MD") for c in token.children
    )
    return present and subject is not None and subject.lower_ in _FIRST_PERSON


def _subject(head: Token) -> Token | None:
    """The clause's subject, inherited from the verb it is coordinated with ("I love X and hate Y")."""
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")]
    if subjects:  # csubj: "lying on a beach bores me"; of two, the nearer ("nothing with X, I hate it")
        return max(subjects, key=lambda c: (c.i < head.i, c.i if c.i < head.i else -c.i))
    for child in head.children:  # "I enjoy grilling", misparsed with "enjoy" as an auxiliary holding "I"
        if child.dep_ == "aux":
            held = [g for g in child.children if g.dep_ == "nsubj"]
            if held:
                return held[0]
    if head.dep_ == "conj" and head.head is not head:
        modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children)
        first = _subject(head.head)
        # "I have sensitive skin and avoid X": the tagger often calls the second verb a base form
        joined = any(c.dep_ == "cc" and c.lower_ in ("and", "but", "or") for c in head.head.children)
        if joined and first is None:  # "I find it hard to stay focused and prefer X": the speaker's
            speakers = (c for a in head.head.ancestors for c in a.children if c.dep_ == "nsubj")
            first = next((c for c in speakers if c.lower_ in _FIRST_PERSON), None)
        if joined and first is not None and first.lower_ in _FIRST_PERSON:
            return first
        if head.tag_ == "VB" and head.head.tag_ != "VB" and not modal:
            return None  # "we are short on time, skip the details": a base form after a clause is an order
        return first
    return None


def _negated(head: Token) -> bool:
    """Whether the clause's verb is negated: "not", "n't", "never", "no longer"."""
    no_longer = any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in head.children)
    # "football's never interested me", parsed with "never" on the adjective
    on_predicate = head.lemma_ == "be" and any(
        c.dep_ == "acomp" and any(g.dep_ == "neg" and g.i < c.i for g in c.children) for c in head.children
    )
    return (
        on_predicate
        or no_longer
        or any(child.dep_ == "neg" or child.lower_ in ("never", "no longer") for child in head.children)
        or any(
            child.dep_ == "aux" and any(g.dep_ == "neg" for g in child.children) for child in head.children
        )
    )


def _sets_a_passing_situation(sentence: Span) -> bool:
    """Whether the speaker says what is going on now: "I'm heading out the door", "I'm stuck in traffic"."""
    for token in sentence:
        subject = _subject(token) if token.pos_ in ("VERB", "AUX") else None
        if subject is None or subject.lower_ not in _FIRST_PERSON:
            continue
        aux_be = any(c.dep_ == "aux" and c.lemma_ == "be" for c in token.children)
        progressive = token.tag_ == "VBG" and aux_be
        # "I'm going to ...", "I'm trying to ..." announce a plan or a goal, not a situation
        planning = token.lemma_ in ("go", "try") and any(c.dep_ == "xcomp" for c in token.children)
        if progressive and not planning:
            return True
        if token.lemma_ == "be" and any(
            c.dep_ == "acomp" and c.lower_ == "about" and any(g.dep_ == "xcomp" for g in c.children)
            for c in token.children
        ):
            return True
    return False


def _points_at_now(tokens: Iterable[Token], *, bare_now: bool = True) -> bool:
    """A deictic time ("today", "tonight", "this time", "right now", "for this email") among the tokens;
    without `bare_now`, "now" counts only as "right now", "for now" or "just now"."""
    for token in tokens:
        word = token.lower_
        if _counted_from_now(token) or _the_coming_occasion(token):
            return True
        if word not in lexicon.DEICTIC_TIME:
            continue
        if word == "now" and token.head.lower_ == "from":
            continue  # "from now on" is a rule for the future
        before = token.doc[token.i - 1].lower_ if token.i > 0 else ""
        if word == "now" and not bare_now and before not in ("right", "for", "just"):
            continue
        if word == "this":
            noun = token.head
            if noun.dep_ == "pobj" or token.ent_type_ in (
                "DATE",
                "TIME",
            ):  # "in this recipe", "for this email"
                return True
            if noun.lower_ in ("time", "once", "week", "weekend", "evening", "morning", "afternoon"):
                return True
            continue
        if token.ent_type_ in ("DATE", "TIME") or token.dep_ in ("npadvmod", "advmod", "pobj", "tmod"):
            return True
    return False


def _the_coming_occasion(token: Token) -> bool:
    """ "for the long weekend", "for the wedding": the one occasion coming up."""
    return (
        token.lemma_.lower() in lexicon.OCCASION_NOUNS
        and token.dep_ == "pobj"
        and token.head.lower_ == "for"
        and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    )


def _counted_from_now(token: Token) -> bool:
    """ "in five minutes", "within an hour": a time counted from the moment of speaking."""
    counted = any(
        c.dep_ in ("nummod", "det") and c.lower_ not in ("the", "every", "each") for c in token.children
    )
    return (
        token.dep_ == "pobj"
        and token.head.lower_ in ("in", "within")
        and token.lemma_.lower() in lexicon.TIME_UNITS
        and counted
    )


def _names_a_rule(prep: Token) -> bool:
    """A phrase such as "by default" or "in general": how lasting, not what about."""
    text = " ".join(t.lower_ for t in prep.subtree)
    return text in lexicon.DURABLE_PHRASES


def _marked_lasting(sentence: Span, head: Token, frame: Frame) -> bool:
    """A rule phrase anywhere in the sentence ("from now on"), or a habit adverb on the clause's own verb.

    In a request "only" limits what is asked for ("I only need the steps"), not how often.
    """
    text = sentence.text.lower()
    if any(phrase in text for phrase in lexicon.DURABLE_PHRASES):
        return True
    stopping = head.lemma_.lower() in lexicon.STOPPING_VERBS and any(
        c.dep_ == "xcomp" and c.tag_ == "VBG" for c in head.children
    )
    if frame == "instruction" and stopping:  # "stop suggesting X": from now on
        return True
    habits = lexicon.HABIT_ADVERBS - {"only"} if frame == "request" else lexicon.HABIT_ADVERBS
    if any(c.lower_ in habits and c.dep_ in ("advmod", "neg", "npadvmod") for c in head.children):
        return True
    # "send the report when you finish" names one thing: not a standing rule
    one_thing = any(c.dep_ == "dobj" and _names_one_thing(c) for c in head.children)
    return (
        frame in ("instruction", "request") and not one_thing and any(_whenever_you(c) for c in head.children)
    )


def _whenever_you(clause: Token) -> bool:
    """ "... when you show code", "... whenever you write SQL": a condition on what the assistant
    does in general makes an instruction a standing rule."""
    if clause.dep_ != "advcl" or clause.tag_ not in ("VBP", "VBZ", "VB"):
        return False
    marked = any(
        c.lower_ in ("when", "whenever", "if") and c.dep_ in ("advmod", "mark") for c in clause.children
    )
    return marked and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in clause.children)


def _scope(
    frame: Frame, sentence: Span, head: Token, *, task: bool, passing: bool, definite: bool
) -> Scope | None:
    """Durable or momentary, by what the clause points at and what kind of statement it is.

    `definite`: the clause names one thing at hand ("the short version", "something upbeat",
    "the second draft"), not a kind of thing.
    """
    if _marked_lasting(sentence, head, frame):
        return "durable"
    # a taste "now" ("winter is a hard no for me now") tells of a change, not of one occasion
    if _points_at_now(sentence, bare_now=frame in ("request", "instruction")):
        return "momentary"
    if frame == "instruction":
        return "momentary"
    if frame == "request" and (task or passing or definite):
        return "momentary"
    if frame == "taste" and definite:  # "I prefer the second draft": a choice among things at hand
        return "momentary"
    if frame == "taste" and _decides_now(head):
        return "momentary"
    return "durable"


def _decides_now(head: Token) -> bool:
    """ "I'll go with the quiz app", "I'll take the train": a decision about what is at hand, said
    in the future, unless negated or said as a habit ("I'll never eat veal", "I'll always pick X")."""
    future = any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in head.children)
    habitual = any(c.lower_ in lexicon.HABIT_ADVERBS for c in head.children)
    return future and not habitual and not _negated(head)


def _read_clause(head: Token, sentence: Span, *, task: bool, passing: bool) -> list[Reading]:
    progressive = head.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in head.children)
    owner = _subject(head)
    owned = owner is not None and _owned_by_speaker(owner)
    trying = head.lemma_.lower() == "try" and any(c.dep_ == "xcomp" for c in head.children)
    # "I've been preferring shorter answers lately": a taste verb in the progressive is a taste held
    # now ("I'm loving this song" is about one thing at hand, which its scope says)
    things = [c for c in head.children if c.dep_ == "dobj"]
    tasting = (
        head.lemma_.lower() in lexicon.HELD_TASTE_VERBS
        and bool(things)
        and all(_generic(t) and not any(c.dep_ == "poss" for c in t.children) for t in things)
    )  # not "I'm enjoying the book so far": that one book, now
    # "my hobbies are hiking and ..." is misparsed; "we're celebrating our anniversary" is what
    # is going on, not a taste ("I've been doing yoga since my twenties" is kept up: a habit)
    if progressive and not owned and not trying and not tasting and not _kept_up(head):
        return []
    # ("I'm trying to cut down on sugar" is a standing effort: read through its inner verb)
    habitual = any(c.lower_ in lexicon.HABIT_ADVERBS for c in head.children)
    past = head.tag_ in ("VBD", "VBN") and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
    # a past event is not a standing taste ("I mostly read X" is tagged past, but is a habit; a
    # subjectless "lay them out" mistagged as past is an order)
    if (
        past
        and not habitual
        and _subject(head) is not None
        and head.lemma_.lower() not in lexicon.SWITCH_VERBS
    ):
        return []
    if any(
        c.dep_ == "mark" and c.lower_ in _SUBORDINATE_MARKS for c in head.children
    ) and not _speakers_reason(head):
        return []
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children)
    not_yet = any(c.lower_ in ("before", "yet") for c in head.children) or head.lemma_ in ("try", "do")
    if perfect and not_yet and _negated(head):
        return []  # "I've never tried sushi", "I've never done it before": not yet met, no taste
    subject = _subject(head)
    if subject is None and head.pos_ in ("NOUN", "PROPN", "ADJ") and head.dep_ == "ROOT":
        found = _fragment(head, sentence)
    elif subject is None and _speaker_left_out(head):
        found = _speaker_clause(head)
    elif subject is None:
        found = _instruction(head)
    elif subject.lower_ in _FIRST_PERSON:
        found = _speaker_clause(head)
    elif subject.dep_ != "expl" and _owned_by_speaker(subject):
        found = _owned_favourite(head, subject) or _where_mine_go(head, subject)
    elif _share_of_mine(subject):
        found = _where_mine_go(head, subject)
    elif subject.lower_ in ("nothing", "none") or subject.dep_ == "expl":
        found = _nothing_like(head, subject)
    elif subject.lower_ == "you" and head.lemma_.lower() in lexicon.COMPARING_VERBS and _negated(head):
        beaten, _ = _objects(head)  # "you can't beat a good curry": nothing beats it (turned below)
        found = ("taste", -1, beaten, False) if beaten else None
    elif (referent := _referent(subject)) is not None:
        found = _judged_thing(head, referent)  # "nothing with dice, they bore me"
    elif _antecedent(subject) is not None and _names_the_speakers_choice(head):
        found = _judged_thing(head, _antecedent(subject))  # type: ignore[arg-type]  # "Go? It's what I use"
    elif subject.lower_ in lexicon.EMPTY_TOPICS and _filled_in(subject):
        found = _judged_thing(head, _filled_in(subject)[0])  # "anything with mushrooms is a no"
    elif subject.lower_ in lexicon.EMPTY_TOPICS or subject.lower_ in _DEMONSTRATIVES:
        return []
    else:
        found = _judged_thing(head, subject)
        if found is not None:  # "museums and galleries bore me": each thing coordinated is judged
            frame, stance, objects, definite = found
            objects = [t for o in objects for t in (_with_conjuncts(o) if o is subject else [o])]
            found = (frame, stance, objects, definite)
    if found is None:
        return []
    frame, stance, objects, definite = found
    if frame == "taste":  # "we've got two tabbies and I'm besotted with them": the tabbies
        objects = [_referent(t) or t if _referring(t) else t for t in objects]
    if frame == "taste" and any(_points_at_one(t) for t in objects if not isinstance(t, _Joined)):
        definite = True
    if _negated(head):
        stance = -stance
    predicate = ""
    if stance == 0:
        subject_words = {t.i for t in subject.subtree} if subject is not None else set()
        rest = " ".join(t.text for t in head.subtree if t.i not in subject_words and not t.is_punct)
        judgement = _judgement(head) if head.lemma_ in ("find", "consider") else None
        predicate = f"it is {judgement.text}" if judgement is not None else f"it {rest}".strip()
    scope = _scope(frame, sentence, head, task=task, passing=passing, definite=definite)
    if scope is None:
        return []
    clause = _clause_text(head, sentence)
    readings = []
    contrast = _contrast(head)
    for target in objects:
        if _clock_time(target):
            continue  # "before 8 am": when, not what
        topic, absent = _topic(target)
        if frame == "identity" and topic and not isinstance(target, _Joined):
            article = next(
                (c.lower_ for c in target.children if c.dep_ == "det" and c.lower_ in ("a", "an")), ""
            )
            topic = f"{article} {topic}".strip()  # "a morning person", "vegan"
        if not topic:
            continue
        # "I want no onions" and "I hate meat-free meals" turn round; a dislike with "no" before
        # its object ("I scare easily, so no horror", one clause to the parser) says no twice
        said_no = not isinstance(target, _Joined) and any(
            c.dep_ == "det" and c.lower_ == "no" for c in target.children
        )
        side = -stance if absent and not (said_no and stance < 0) else stance
        if stance == 0:
            readings.append(Reading(topic, UNDECIDED, scope, clause, frame, None, predicate))
            continue
        if topic.startswith("not "):  # "I like jazz but not smooth jazz": the exception takes the other side
            topic, side = topic[4:], -side
        elif _excepted(target):  # "I eat fish but never red meat"
            side = -side
        readings.append(
            Reading(
                topic,
                FOR if side > 0 else AGAINST,
                scope,
                clause,
                frame,
                contrast if contrast != topic else None,
            )
        )
    return readings


#: (frame, +1/-1 stance before negation, the tokens naming its topics, whether a request names one thing)
_Found = tuple[Frame, int, list["Token"], bool]


def _speaker_clause(head: Token) -> _Found | None:
    """ "I ..." clauses: identities, tastes, routines, requests."""
    along = _getting_along_with(head)
    if along is not None:
        return along
    wished = _would_rather_it_were(head)
    if wished is not None:
        return wished
    if head.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in head.children):
        for prep in (c for c in head.children if c.dep_ == "prep"):  # "I'm obsessed with X"
            side = lexicon.AFFINITY_ADJECTIVES.get((head.lower_, prep.lower_))
            if side is not None:
                return ("taste", side, _pobjs(prep), False)
    ones = [c for c in head.children if c.dep_ == "attr" and c.lower_ == "one"] if head.lemma_ == "be" else []
    for one_for in ones:
        liked = [o for p in one_for.children if p.dep_ == "prep" and p.lower_ == "for" for o in _pobjs(p)]
        if liked:  # "I'm not one for big parties", "I've never been one for crowds"
            return ("taste", 1, liked, False)
    linked = any(c.dep_ in ("acomp", "attr", "oprd") for c in head.children)
    if head.lemma_ == "be" or (head.lemma_ in lexicon.LINKING_VERBS and linked):
        return _speaker_is(head)
    if head.tag_ == "VBG":  # the small parser sometimes reads "I enjoy mowing" as an auxiliary "enjoy"
        for aux in head.children:
            if aux.dep_ == "aux" and aux.lemma_ not in ("be", "have", "do"):
                stance = _taste_of(aux, "")
                if stance is not None:
                    return ("taste", stance, _verb_as_topic(head), False)
    lemma = head.lemma_.lower()
    inner = [
        c
        for c in head.children
        if c.dep_ in ("xcomp", "advcl")
        and c.pos_ == "VERB"
        # "I tend to avoid X"; "I've started enjoying X" (a gerund only after starting)
        and (_after_to(c) or _has_to(c) or (c.tag_ == "VBG" and lemma in ("start", "begin")))
    ]
    # "I tend to avoid X", "I try to eat X": the inner verb says it ("I learn best ..." has none)
    if lemma in lexicon.HEDGING_VERBS and inner:
        found = _speaker_clause(inner[0])
        if not _negated(inner[0]):
            return found
        if found is None:  # "I try not to fly": against flying
            return ("taste", -1, _verb_as_topic(inner[0]), False) if lemma == "try" else None
        frame, stance, targets, one = found
        return (frame, -stance, targets, one)  # "I tend not to eat meat"
    if lemma == "find" or lemma == "consider":
        return _finds(head)
    if lemma in lexicon.SWITCH_VERBS:  # "I switched from Vim to VS Code": for what was switched to
        switched_to = [
            o for c in head.children if c.dep_ == "prep" and c.lower_ in ("to", "into") for o in _pobjs(c)
        ]
        left = any(c.dep_ == "prep" and c.lower_ == "from" for c in head.children)
        if switched_to and left:
            return ("taste", 1, switched_to, False)
    had_enough = _enough_of(head)
    if had_enough is not None:
        return had_enough
    answered = _says_yes_or_no_to(head)
    if answered is not None:
        return answered
    have_got = lemma == "get" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children)
    if lemma == "have" or have_got or lemma in lexicon.GAINING_VERBS:
        # "I have a soft spot for X", "I've got a real dislike of X", "I've developed a taste for
        # X", "I've lost interest in X" (losing an attitude turns it)
        attitude = _attitude(head)
        if attitude is not None:
            frame, side, targets, definite = attitude
            return (frame, -side if lemma in lexicon.LOSING_VERBS else side, targets, definite)
    best = any(c.lower_ == "best" and c.dep_ in ("advmod", "amod") for c in head.subtree if c.i < head.i + 4)
    if best:
        ways = [o for c in head.children if c.dep_ == "prep" for o in _pobjs(c)]
        if ways:  # "I learn best through examples", "I sleep best in silence"
            return ("taste", 1, ways[:1], False)
    lacking = [o for c in head.children if c.dep_ == "prep" and c.lower_ == "without" for o in _pobjs(c)]
    if lacking and _taste_of(head, "") is None:  # "I could live without X" is against X
        return ("taste", -1, lacking, False)
    direct, particle = _objects(head)
    objects = _without_recurring_times(direct or _nouns_after(head))
    would = any(c.dep_ == "aux" and c.lower_ in ("would", "'d") for c in head.children)
    rather = any(c.lower_ in ("rather", "sooner") for c in head.children)  # "I'd sooner walk"
    if rather:  # "I'd rather hike than sit on a beach": the act itself when nothing is named
        objects = [o for o in objects if o.head.lower_ != "than"]  # "rather walk than drive": not driving
        acted = head.pos_ == "VERB" and head.tag_ != "MD" and lemma not in lexicon.NOT_A_TASTE
        targets = objects or ([head] if acted else [])
        # "I'd rather skip X", "I'd rather avoid X": a verb of shunning says which side
        side = -1 if objects and lexicon.CHOICE_VERBS.get(lemma, 0) < 0 else 1
        return ("taste", side, targets, False) if targets else None
    if lemma in lexicon.REQUEST_VERBS and (would or lemma in ("want", "need")):
        if any(c.dep_ == "xcomp" and c.tag_ == "VB" for c in head.children) and not objects:
            return None  # "I want to learn Spanish": a goal
        infinitive = [c for c in head.children if c.dep_ == "xcomp"]
        targets = objects or [t for c in infinitive for t in _objects(c)[0]]
        targets = targets or [c for c in head.children if c.dep_ in ("ccomp", "oprd") and c.pos_ == "ADJ"]
        if not targets:
            return None
        asked = [*targets, *(c for c in head.children if c.dep_ == "dobj")]
        # "I need to finish my essay", "I need to send it": an act on one thing at hand is a task
        asked += [o for c in infinitive for o in c.children if c.pos_ == "VERB" and o.dep_ == "dobj"]
        one = any(
            _names_one_thing(t) or t.lower_ in _INDEFINITE_ONES or t.lower_ in _THINGS_AT_HAND or _my_one(t)
            for t in asked
        )
        composed = _through_inner_verb(head, 1)  # "I'd like to avoid X": asking to be spared X
        if composed is not None:
            return ("request", composed[1], composed[2], one)
        return ("request", 1, targets, one)
    stance = _taste_of(head, particle)
    if stance is not None:
        composed = _through_inner_verb(head, stance)
        if composed is not None:
            return composed
        return ("taste", stance, objects or _verb_as_topic(head), False) if objects or _xcomp(head) else None
    # "I've been doing yoga since my twenties": a progressive kept up for years is a habit
    progressive = any(c.dep_ == "aux" and c.lemma_ == "be" for c in head.children) and not _kept_up(head)
    seldom = any(  # "I rarely drink", "I hardly ever watch TV"
        t.lower_ in lexicon.SELDOM_ADVERBS for c in head.children if c.dep_ == "advmod" for t in c.subtree
    )
    if lemma in lexicon.ROUTINE_VERBS and objects and not progressive:
        if seldom:
            return ("taste", -1, objects, False)
        where = [p for p in head.children if p.dep_ == "prep" and p.lower_ in ("in", "with") and _pobjs(p)]
        where = [p for p in where if not any(o in objects for o in _pobjs(p))]
        if where and len(objects) == 1:  # "I write code in Rust": the language is the taste
            return ("taste", 1, [_Joined(objects[0], where[0])], False)  # type: ignore[list-item]
        return ("taste", 1, objects, False)
    habit = any(c.lower_ in lexicon.HABIT_ADVERBS for c in head.children)
    # a pastime in the simple present is a habit ("I cycle to work"); a routine needs a frequency
    auxes = [c.lemma_ for c in head.children if c.dep_ == "aux"]
    present = head.tag_ in ("VBP", "VBZ") or (head.tag_ == "VB" and auxes == ["do"])  # "I don't hike"
    plain = lemma in lexicon.ACTIVITY_VERBS and present and not _xcomp(head)
    pastime = lemma in lexicon.ROUTINE_VERBS or lemma in lexicon.ACTIVITY_VERBS
    bare = not direct and not any(c.dep_ in ("dobj", "dative") for c in head.children)  # no "it" either
    if pastime and bare and not progressive and (habit or plain or _said_how_often(head)):
        # "I bike everywhere", "I swim twice a week", "I never fly", "I rarely drink"
        return ("taste", -1 if seldom else 1, [_Act(head)], False)  # type: ignore[list-item]
    often = habit or _said_how_often(head)
    if often and lemma in lexicon.GOING_VERBS and not progressive:
        places = [o for p in head.children if p.dep_ == "prep" and p.lower_ == "to" for o in _pobjs(p)]
        if places:  # "I go to the theatre twice a month"
            return ("taste", -1 if seldom else 1, places, False)
    if often and objects and not progressive and lemma not in lexicon.NOT_A_TASTE and lemma != "have":
        # "I always finish dinner with green tea": a habit says what is taken
        preps = [p for p in head.children if p.dep_ == "prep" and p.lower_ in ("with", "in", "on")]
        withs = [o for p in preps for o in _pobjs(p)]
        owned = all(any(c.dep_ == "poss" for c in o.children) for o in objects)
        return ("taste", 1, withs if withs and owned else objects, False)
    return None


def _would_rather_it_were(head: Token) -> _Found | None:
    """ "I'd rather they were Python than Java", "I would rather the recipes were vegetarian":
    the speaker wishes the things at hand were otherwise, for what they name."""
    if head.tag_ != "MD" or head.lower_ not in ("would", "'d"):
        return None
    wishes = [c for c in head.children if c.dep_ == "ccomp" and c.lemma_ == "be"]
    if head.dep_ == "ccomp" and head.head.lemma_ == "be":  # the parser may hang "I'd rather" on the wish
        wishes.append(head.head)
    rather = any(c.lower_ == "rather" for c in head.children)
    for wish in wishes:
        if not rather and not any(c.lower_ == "rather" for c in wish.children):
            continue
        named = [c for c in wish.children if c.dep_ == "attr"]
        if named:
            return ("taste", 1, named, False)
        described = [c for c in wish.children if c.dep_ == "acomp"]
        things = [c for c in wish.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")]
        if described and things:
            return ("taste", 1, [_Joined(described[0], things[0])], False)  # type: ignore[list-item]
        if described:
            return ("taste", 1, described, False)
    return None


def _getting_along_with(head: Token) -> _Found | None:
    """ "Hot weather and I are not friends", "X and I get on": how the speaker gets along
    with a thing named beside them as the subject (the parser makes the thing the root)."""
    thing = head.head
    if head.dep_ != "conj" or thing.pos_ not in ("NOUN", "ADJ") or thing.i > head.i:
        return None  # not a person ("Tom and I are friends"), nor someone's ("my sister and I")
    if thing.ent_type_ in _NOT_KINDS or thing.ent_type_ == "PERSON" or _owned_by_speaker(thing):
        return None
    attributes = {c.lemma_.lower() for c in head.children if c.dep_ in ("attr", "prt", "prep", "advmod")}
    if not attributes & lexicon.GETTING_ALONG.get(head.lemma_.lower(), frozenset()):
        return None
    return ("taste", 1, [thing], False)


def _said_how_often(head: Token) -> bool:
    """A frequency on the verb: "every morning", "twice a week", "daily", "everywhere"."""
    for child in head.children:
        words = {t.lower_ for t in child.subtree}
        if child.dep_ == "npadvmod" and words & {"every", "each", "twice", "times", "once"}:
            return True
        if child.dep_ == "advmod" and child.lower_ in lexicon.FREQUENCY_ADVERBS:
            return True
        if child.dep_ in ("dobj", "npadvmod") and _recurring_time(child):  # "most mornings"
            return True
        if child.lower_ in ("once", "twice") and any(t.dep_ == "npadvmod" for t in child.children):
            return True  # "(at least) once a week", parsed with the span under "once"
    return False


def _through_inner_verb(head: Token, stance: int) -> _Found | None:
    """A taste verb over another verb takes the inner verb's side, turned by its own: "I prefer
    to avoid X" and "I'd like to stay away from X" are against X, and so is "I prefer not to
    watch X". None when the inner verb states no taste and is not negated ("I love to cook X")."""
    inner = next((c for c in head.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if inner is None or any(c.dep_ == "dobj" for c in head.children):
        return None
    objects, particle = _objects(inner)
    inner_stance = _taste_of(inner, particle)
    negated = _negated(inner)
    if inner_stance is not None and inner_stance > 0:
        inner_stance = None  # "I like to play tennis": liking the act, read as it stands
    if inner_stance is None:
        return ("taste", -stance, _verb_as_topic(inner), False) if negated else None
    objects = objects or _nouns_after(inner)
    if not objects:
        return None
    return ("taste", stance * inner_stance * (-1 if negated else 1), objects, False)


def _speaker_is(head: Token) -> _Found | None:
    """ "I'm vegetarian", "I'm a morning person", "I'm a huge fan of X", "I'm allergic to X", "I'm into X"."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "into":
            return ("taste", 1, _pobjs(child), False)
        all_about = child.dep_ == "prep" and child.lower_ in ("about", "for")
        if all_about and any(c.lower_ == "all" for c in head.children):  # "I'm all about X", "all for X"
            return ("taste", 1, _pobjs(child), False)
        if child.dep_ == "prep" and child.lower_ == "against" and _pobjs(child):  # "I'm against X"
            return ("taste", -1, _pobjs(child), False)
        if child.dep_ not in ("attr", "acomp"):
            continue
        places = [p for p in child.children if p.dep_ == "prep" and _pobjs(p)]
        # "I've never been big on X": the parser may hang the adjective's "on X" on the verb
        places += [p for p in head.children if p.dep_ == "prep" and p.i == child.i + 1 and _pobjs(p)]
        weight = _valence_of(child)
        happiest = _superlative(child) and weight is not None and weight >= MIN_VALENCE
        if happiest and places:
            return ("taste", 1, _pobjs(places[0]), False)  # "I'm happiest near the ocean"
        doing = [
            c
            for c in (*child.children, *head.children)
            if c.dep_ == "advcl" and c.tag_ == "VBG" and any(m.lower_ == "when" for m in c.children)
        ]
        if happiest and doing:
            return ("taste", 1, _act_topic(doing[0]), False)  # "I'm calmest when I'm gardening"
        for prep in places:  # "obsessed with X", "big on X", "wary of X"
            side = lexicon.AFFINITY_ADJECTIVES.get((child.lower_, prep.lower_))
            if side is not None:
                return ("taste", side, _pobjs(prep), False)
        of = [o for c in child.children if c.dep_ == "prep" and c.lower_ == "of" for o in _pobjs(c)]
        if child.lower_ in _DEGREE_OF and of:  # "not much of a coffee person", "a bit of a foodie"
            child = of[0]
            if child.pos_ != "NOUN":
                return None
            return ("identity", 1, [child], False)
        preps = [
            c
            for c in child.children
            if c.dep_ == "prep"
            and c.lower_ in ("of", "to", "about", "on", "in", "for", "with", "by")
            and not _says_when(c)  # "vegan for six years": how long, not what
        ]
        if preps:
            preps = preps[:1]  # "a fan of X in Y": X
            weight = 1.0 if child.lemma_.lower() in lexicon.DEVOTEES else _valence_of(child)
            if weight is None or abs(weight) < MIN_VALENCE:
                return None
            if any(c.dep_ == "det" and c.lower_ == "no" for c in child.children):
                weight = -weight  # "I'm no fan of X"
            return ("taste", 1 if weight > 0 else -1, [t for p in preps for t in _pobjs(p)], False)
        misread = [c for c in child.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "NOUN")]
        weight = _valence_of(child)
        if child.pos_ == "ADJ" and misread and weight is not None and abs(weight) >= MIN_VALENCE:
            return ("taste", 1 if weight > 0 else -1, misread, False)  # "allergic to shellfish", misparsed
        if child.pos_ not in ("NOUN", "ADJ") or child.tag_ in ("VBN", "VBG"):
            return None
        if child.dep_ == "acomp" and _valence_of(child) is not None:
            return None  # a state ("I'm exhausted", "I'm happy"), not who the speaker is
        return ("identity", 1, [child], False)
    return None


def _attitude(head: Token) -> _Found | None:
    """ "I have a strong aversion to X", "I have no interest in X", "I have a soft spot for X"."""
    for noun in head.children:
        if noun.dep_ != "dobj":
            continue
        side = lexicon.ATTITUDE_NOUNS.get(noun.lemma_.lower())
        if noun.lower_ == "thing" and [c.lower_ for c in noun.children if c.dep_ != "prep"] == ["a"]:
            side = 1  # "I have a thing for old maps"
        if side is None:
            weight = _valence_of(noun)
            side = None if weight is None or abs(weight) < MIN_VALENCE else (1 if weight > 0 else -1)
        near = [*noun.children, *head.children]  # the parser hangs "to X" on the noun or the verb
        preps = [c for c in near if c.dep_ == "prep" and c.lower_ in ("to", "for", "in", "of", "towards")]
        targets = [o for p in preps[:1] for o in _pobjs(p)]
        if not targets:  # "an aversion to seafood" misread as an infinitive "to seafood"
            targets = [c for c in noun.children if c.dep_ in ("relcl", "acl") and _after_to(c)]
        if not targets and any(c.dep_ == "aux" and c.lower_ == "to" for c in noun.subtree):
            targets = [c for c in noun.children if c.dep_ == "appos"]  # "... to online courses", misparsed
        if side is None or not targets:
            return None
        few = ("no", "zero", "little")
        if any(c.dep_ in ("det", "nummod", "amod") and c.lower_ in few for c in noun.children):
            side = -side  # "no interest in", "little patience for"
        return ("taste", side, targets, False)
    return None


def _enough_of(head: Token) -> _Found | None:
    """ "I've had enough of X" is against X; "I can't get enough of X" is for it (against before
    the negation). An un-negated "get enough of X" says how much, not what the speaker likes."""
    lemma = head.lemma_.lower()
    if lemma not in ("have", "get") or (lemma == "get" and not _negated(head)):
        return None
    for enough in (c for c in head.children if c.lower_ == "enough" and c.dep_ in ("dobj", "npadvmod")):
        things = [o for p in enough.children if p.dep_ == "prep" and p.lower_ == "of" for o in _pobjs(p)]
        if things:
            return ("taste", -1, _filled_in_all(things), False)
    return None


def _says_yes_or_no_to(head: Token) -> _Found | None:
    """ "I say no to X" is against X, "I always say yes to X" for it ("never say no to X": for)."""
    if head.lemma_.lower() != "say":
        return None
    answer = next((c.lower_ for c in head.children if c.lower_ in ("yes", "no") and c.dep_ != "neg"), None)
    things = [o for c in head.children if c.dep_ == "prep" and c.lower_ == "to" for o in _pobjs(c)]
    if answer is None or not things:
        return None
    return ("taste", 1 if answer == "yes" else -1, _filled_in_all(things), False)


def _filled_in_all(things: list[Token]) -> list[Token]:
    """Each empty word replaced by what its "with" phrase names ("anything with olives": olives)."""
    named: list[Token] = []
    for thing in things:
        filled = _filled_in(thing) if thing.lower_ in lexicon.EMPTY_TOPICS else []
        named.extend(filled or [thing])
    return named


def _has_to(verb: Token) -> bool:
    """An infinitive with "to" split from it: "to really enjoy"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _after_to(token: Token) -> bool:
    """Whether the token follows "to" right away (a noun the tagger took for an infinitive)."""
    return token.i > 0 and token.doc[token.i - 1].lower_ == "to"


def _finds(head: Token) -> _Found | None:
    """ "I find X boring", "I consider X essential"."""
    objects = [c for c in head.children if c.dep_ in ("dobj", "nsubj") and c is not _subject(head)]
    # "no emoji, please, I find them distracting": the kind of thing "them" stands for
    objects = [(_referent(c) or c) if c.lower_ in ("them", "those", "these") else c for c in objects]
    for noun in objects:  # "I find sweet wines cloying", parsed with the judgement as the object
        weight = _valence_of(noun)
        things = [c for c in noun.children if c.dep_ == "compound"]
        if things and weight is not None and abs(weight) >= MIN_VALENCE / 3:
            described = [c for c in noun.children if c.dep_ == "amod" and c.i < things[-1].i]
            thing = _Joined(described[0], things[-1]) if described else things[-1]
            return ("taste", 1 if weight > 0 else -1, [thing], False)  # type: ignore[list-item]
    for noun in objects:  # the small parser often hangs the judgement on the noun: "music boring"
        after = [a for a in noun.children if a.dep_ in ("amod", "acl") and a.i > noun.i and a.tag_ != "VBN"]
        weight = _lessened(after[0], _valence_of(after[0])) if after else None
        if weight is not None and abs(weight) >= MIN_VALENCE / 3:
            return ("taste", 1 if weight > 0 else -1, [noun], False)
        if after and after[0].tag_ in ("JJ", "VBG") and not list(after[0].children):
            return ("taste", 0, [noun], False)  # "I find X disorienting": left to the polarity model
    for child in head.children:
        if child.dep_ in ("oprd", "ccomp", "xcomp", "acomp"):
            judged = [g for g in child.children if g.dep_ in ("nsubj", "dobj")] or objects
            judged = [(_referent(j) or j) if j.lower_ in ("them", "those", "these") else j for j in judged]
            if [j.lower_ for j in judged] == ["it"]:  # "I find it tedious to plan trips": the trips
                judged = [o for v in child.subtree if v.dep_ in ("xcomp", "advcl") for o in _objects(v)[0]]
            # every adjective of the judgement counts ("too slow and boring"); "hard to read" is -0.4
            weights = [_lessened(a, _valence_of(a)) for a in child.subtree if a.pos_ == "ADJ" or a is child]
            known = [w for w in weights if w is not None and abs(w) >= MIN_VALENCE / 3]
            if judged and known:
                return ("taste", 1 if sum(known) > 0 else -1, judged, False)
            if judged and (child.pos_ == "ADJ" or child.tag_ == "VBG"):
                return ("taste", 0, judged, False)  # "I find X disorienting": left to the polarity model
    return None


def _lessened(word: Token, weight: float | None) -> float | None:
    """A judgement's weight, turned round when it is said to fall short: "less engaging than
    books", "the least appealing", "not effective"."""
    falls_short = ("less", "least", "not", "n't")
    short = any(c.dep_ in ("advmod", "neg") and c.lower_ in falls_short for c in word.children)
    return -weight if short and weight is not None else weight


def _judgement(head: Token) -> Token | None:
    """The word a "find" clause judges with: "disorienting" in "I find X disorienting"."""
    for token in head.subtree:
        judging = token.dep_ in ("acl", "ccomp", "oprd", "acomp", "xcomp") or (
            token.dep_ == "amod" and token.i > token.head.i  # "music boring", not "loud music"
        )
        if token.i > head.i and token.tag_ in ("JJ", "VBG") and judging:
            return token
    return None


def _owned_favourite(head: Token, subject: Token) -> _Found | None:
    """ "My favourite food is pizza", "My passion is knitting": the complement is favoured."""
    gerund = head.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in head.children)
    if head.lemma_ != "be" and not gerund:
        return None
    # "my favorite music genre": the parser may hang "favorite" on "music", not on "genre"
    said_before = [
        t for c in subject.children if c.dep_ == "compound" for t in c.children if t.dep_ == "amod"
    ]
    weights = [valence(t.lower_) for t in [subject, *subject.children, *said_before] if t.dep_ != "poss"]
    known = [w for w in weights if w is not None and abs(w) >= MIN_VALENCE]
    least = any(t.lower_ == "least" for t in subject.subtree)
    # a modifier the tokenizer split ("go-to" is "go", "-", "to") is read whole
    modifiers = {"".join(t.text for t in c.subtree).lower() for c in subject.children if c.i < subject.i}
    favoured = subject.lower_ in lexicon.OWNED_FAVOURITES or modifiers & lexicon.OWNED_FAVOURITES
    if not known and not favoured:
        return None
    stance = 1 if not known or sum(known) > 0 else -1
    if gerund:  # "my favourite hobbies are hiking and ...": the parser makes the gerund the head
        complements = _verb_as_topic(head) + [
            c for c in head.children if c.dep_ == "advcl" and c.tag_ == "VBG"
        ]
    else:
        complements = [c for c in head.children if c.dep_ in ("attr", "acomp")]
        complements += [t for c in head.children if c.dep_ == "xcomp" for t in _verb_as_topic(c)]
    return ("taste", -stance if least else stance, complements, False) if complements else None


def _superlative(word: Token) -> bool:
    """ "happiest", "calmest": the tagger often calls them plain adjectives."""
    if word.tag_ == "JJS":
        return True
    text = word.lower_
    stems = (text[:-4] + "y", text[:-3], text[:-2]) if text.endswith("iest") else (text[:-3], text[:-2])
    return text.endswith("est") and any(len(stem) > 2 and valence(stem) is not None for stem in stems)


def _my_one(noun: Token) -> bool:
    """One thing of the speaker's, named in the singular ("my essay"), not a kind ("my meals")."""
    return noun.tag_ == "NN" and _owned_by_speaker(noun)


def _owned_by_speaker(noun: Token) -> bool:
    """Whether the speaker owns it: "my projects", "our dinners"."""
    return any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in noun.children)


def _by_speaker(clause: Token) -> bool:
    """Whether the clause's subject is the speaker ("I", "we")."""
    subject = _subject(clause)
    return subject is not None and subject.lower_ in _FIRST_PERSON


def _share_of_mine(subject: Token) -> bool:
    """ "Most of my projects", "nearly all of my reading", "most of what I cook": the greater
    part of the speaker's own things or doings."""
    if subject.lower_ not in _SHARE_WORDS:
        return False
    for prep in subject.children:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        for held in prep.children:
            if _owned_by_speaker(held):
                return True
            if held.pos_ in ("VERB", "AUX") and _by_speaker(held):
                return True
    return False


def _where_mine_go(head: Token, subject: Token) -> _Found | None:
    """Where most of the speaker's things are is what they use: "most of my projects are in
    Rust", "all my reading happens on a Kindle", "my meals are mostly vegetarian". The share
    must be said ("most", "all", "mostly"); "my car is in the shop" says nothing lasting."""
    if head.lemma_ not in ("be", "happen"):
        return None
    shared = _share_of_mine(subject) or any(
        c.lower_ in _SHARE_WORDS and c.dep_ in ("det", "predet", "amod") for c in subject.children
    )
    if not shared and not any(c.lower_ in lexicon.HABIT_ADVERBS for c in head.children):
        return None
    used: list[Token] = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "on", "with", "by"):
            used += [
                o
                for o in _pobjs(child)
                if o.ent_type_ not in _PLACE_OR_TIME
                and not any(g.dep_ == "poss" for g in o.children)  # "on my phone": a thing owned
            ]
        elif child.dep_ in ("attr", "acomp") and _valence_of(child) is None:
            used.append(child)  # "mostly vegetarian" (a judgement, "mostly boring", is not a use)
    return ("taste", 1, used, False) if used else None


#: Clauses hung on a verb that comment on the saying, not on the thing ("..., to be honest").
_ASIDE_DEPS = frozenset({"advcl", "parataxis", "npadvmod"})


def _is_aside(clause: Token) -> bool:
    """A clause that comments on the saying ("..., to be honest", "..., frankly speaking")."""
    if clause.dep_ in _ASIDE_DEPS:
        return True
    start = min(t.i for t in clause.subtree)
    return clause.dep_ == "xcomp" and start > 0 and clause.doc[start - 1].text == ","


def _valence_of_described(noun: Token) -> float | None:
    """A noun's valence, else that of the first adjective before it that has one ("fun";
    "one of my favourite hobbies", "one of the best things")."""
    weight = valence(noun.lower_)
    if weight is not None:
        return weight
    before = (c for c in noun.children if c.dep_ == "amod" and c.i < noun.i)
    return next((w for w in (valence(c.lower_) for c in before) if w is not None), None)


def _judged_thing(head: Token, subject: Token) -> _Found | None:
    """A thing as subject, judged: "jazz is great", "X is my thing", "X isn't for me", "X bores me"."""
    if any(c.lower_ in _DEMONSTRATIVES for c in subject.children) or subject.pos_ == "PRON":
        return None
    if head.lemma_.lower() in lexicon.COMPARING_VERBS and _objects(head)[0]:
        return ("taste", 1, [subject], False)  # "trains beat planes": the contrast is read below
    if head.lemma_ in ("be", "become"):  # "X is my go-to snack", "X has become my go-to snack"
        if _ruled_out(head):  # "dairy's out for me", "X is out of the question"
            return ("taste", -1, [subject], False)
        for child in head.children:
            if child.dep_ == "intj" and child.lower_ in lexicon.VERDICT_NOUNS:  # "X is a hard no", misparsed
                return ("taste", lexicon.VERDICT_NOUNS[child.lower_], [subject], False)
            if child.dep_ == "prep" and child.lower_ in ("for", "to") and _speaker_in(child):
                return ("taste", 1, [subject], False)  # "X is (not) for me"
            if (
                child.dep_ == "prep"
                and child.lower_ == "up"
                and any(o.lemma_.lower() in lexicon.UP_MY and _owned_by_speaker(o) for o in _pobjs(child))
            ):
                return ("taste", 1, [subject], False)  # "X is right up my street"
            if (
                child.dep_ == "prep"
                and child.lower_ == "off"
                and any(o.lemma_.lower() in lexicon.OFF_THE for o in _pobjs(child))
            ):
                return ("taste", -1, [subject], False)  # "gluten is off the table (for me)"
            if child.dep_ not in ("attr", "acomp"):
                continue
            chosen = _chosen_by_speaker(child)
            if chosen is not None:  # "X is the language I reach for", "the one sweet I can't stand"
                return ("taste", chosen, [subject], False)
            if child.lower_ == "me" and _generic(subject):  # "bold prints just aren't me", "X is so me"
                return ("taste", 1, [subject], False)
            excess = any(g.lower_ == "too" for g in child.subtree if g.i < child.i)
            if child.dep_ == "acomp" and excess and (_generic(subject) or _to_the_speaker(child)):
                return ("taste", -1, [subject], False)  # "fizzy drinks are far too sweet for me"
            owned = _owned_by_speaker(child)
            weight = _valence_of(child)
            of_what = False  # the weight is that of what the noun is "of"
            for modifier in child.children:
                if modifier.dep_ == "amod" and weight is None:
                    weight = valence(modifier.lower_)
                if modifier.dep_ == "prep" and modifier.lower_ == "of" and weight is None:
                    # "a lot of fun", "one of my favourite hobbies", "my idea of a nightmare"
                    weight = next((_valence_of_described(o) for o in _pobjs(modifier)), None)
                    of_what = weight is not None
            verdict = _verdict_noun(child)
            if verdict is not None:  # "X is a must", "X is a hard no", "X is a pet peeve of mine"
                return ("taste", verdict, [subject], False)
            part_of_mine = child.lemma_ == "part" and any(
                p.dep_ == "prep" and p.lower_ == "of" and any(_owned_by_speaker(o) for o in _pobjs(p))
                for p in child.children
            )
            if part_of_mine and _generic(subject):  # "board games are a big part of my weekends"
                return ("taste", 1, [subject], False)
            one_thing = subject.pos_ == "NOUN" and any(
                c.dep_ == "det" and c.lower_ in ("the", "a", "an") for c in subject.children
            )
            kind_said_with_a = not any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children)
            if owned and child.lemma_.lower() in lexicon.OWNED_FAVOURITES and kind_said_with_a:
                return ("taste", 1, [subject], False)  # "a thousand-piece jigsaw is my winter tradition"
            framing = child.lemma_.lower() in lexicon.FRAMING_NOUNS
            if owned and framing and not of_what:  # "my idea of a nightmare": the predicate tells
                return ("taste", 0, [subject], False)
            if owned and not one_thing:  # "the audience is my coworkers" says who, not what is liked
                against = weight is not None and (weight <= -2.5 or (of_what and weight <= -MIN_VALENCE))
                least = any(t.lower_ == "least" for t in child.subtree)  # "my least favourite season"
                return ("taste", -1 if against != least else 1, [subject], False)
            to_me = any(g.dep_ == "prep" and _speaker_in(g) for g in child.children)
            only = any(g.lower_ == "only" for g in child.children) or child.lower_ == "one"
            if to_me and only and weight is None:  # "X is the only coffee for me", "X is the one for me"
                return ("taste", 1, [subject], False)
            if weight is not None and abs(weight) >= MIN_VALENCE and (to_me or _generic(subject)):
                return ("taste", 1 if weight > 0 else -1, [subject], False)
            if to_me:  # "X is essential to me", "X is just noise to me": the whole predicate tells
                return ("taste", 0, [subject], False)
        for child in head.children:  # "X is what I watch most": the speaker's own choice
            cleft = child.dep_ in ("ccomp", "attr", "relcl") and _opens_with_cleft_word(child)
            if cleft and _by_speaker(child) and _taste_of(child, "") != -1:
                return ("taste", -1 if _negated(child) else 1, [subject], False)
        return None
    if head.lemma_.lower() in lexicon.HEDGING_VERBS:  # "X tends to feel too slow for my liking"
        seeming = [
            c for c in head.children if c.dep_ == "xcomp" and c.lemma_.lower() in lexicon.SEEMING_VERBS
        ]
        if seeming:
            return _seems_to_speaker(seeming[0], subject)
    if head.lemma_.lower() in lexicon.SEEMING_VERBS and head.dep_ not in ("ccomp", "xcomp"):
        # "camping sounds dull to me" (not "X makes replies feel warmer to me": X is judged)
        return _seems_to_speaker(head, subject)
    passive = any(c.dep_ == "auxpass" for c in head.children) and not any(
        c.dep_ == "agent" for c in head.children
    )
    judged = lexicon.JUDGING_PARTICIPLES.get(head.lower_)
    owned = any(c.dep_ == "poss" for c in subject.children)  # "your help is appreciated": thanks
    if passive and judged is not None and _generic(subject) and not owned:  # "X films are overrated"
        return ("taste", judged, [subject], False)
    verdict = lexicon.VERDICT_VERBS.get(head.lemma_.lower())
    intransitive = not any(c.dep_ in ("dobj", "prep", "xcomp", "ccomp", "prt") for c in head.children)
    if verdict is not None and intransitive and _generic(subject):  # "paperbacks win every time"
        return ("taste", verdict, [subject], False)
    works_best = head.lemma_ == "work" and any(
        c.dep_ == "advmod" and c.lower_ in ("best", "better") for c in head.children
    )
    if works_best and _generic(subject):  # "simple recipes work best": a standing verdict
        return ("taste", 1, [subject], False)
    works_for_me = head.lemma_ == "work" and any(
        c.dep_ == "prep" and c.lower_ == "for" and _speaker_in(c) for c in head.children
    )
    # "dishes with shellfish won't work for me" (not "Tuesday works for me": a plan agreed to)
    if works_for_me and _generic(subject) and subject.ent_type_ not in _PLACE_OR_TIME:
        return ("taste", 1, [subject], False)
    speaker_object = any(
        (c.dep_ in ("dobj", "dative") and c.lower_ in _SPEAKER_OBJECTS)
        or (c.dep_ in ("dobj", "dative") and any(g.dep_ == "poss" and g.lower_ == "my" for g in c.children))
        or (c.dep_ in ("prep", "dative") and _speaker_in(c))
        or (c.dep_ in ("ccomp", "xcomp") and any(g.lower_ in _SPEAKER_OBJECTS for g in c.children))
        # "X gets on my nerves", "X makes my skin crawl": the speaker's own part is affected
        or (c.dep_ == "prep" and any(_owned_by_speaker(o) for o in _pobjs(c)))
        or (c.dep_ in ("ccomp", "xcomp") and any(g.dep_ == "poss" and g.lower_ == "my" for g in c.subtree))
        for c in head.children
    )
    if not speaker_object:
        return None
    particle = next((c.lower_ for c in head.children if c.dep_ == "prt"), "")
    if not particle:  # "X puts me right off my food": the particle parsed as a preposition
        particle = next((c.lower_ for c in head.children if c.dep_ == "prep" and c.lower_ in _PARTICLES), "")
    towards = next((c.lower_ for c in head.children if c.dep_ == "prep" and _speaker_in(c)), "")
    affecting = lexicon.AFFECTING_PHRASAL.get((head.lemma_.lower(), particle or towards))
    if affecting is not None:  # "late nights wipe me out", "jazz cheers me up", "X grates on me"
        return ("taste", affecting, [subject], False)
    # the place of the idiom, however the parser hangs it: "up the wall", "round the bend", "my day"
    where = [t.lemma_.lower() for t in head.subtree if t.i > head.i and t.pos_ in ("NOUN", "VERB", "PRON")]
    found = (lexicon.AFFECTING_IDIOMS.get((head.lemma_.lower(), w)) for w in where)
    idiom = next((side for side in found if side is not None), None)
    if idiom is not None:  # "long emails drive me up the wall"
        return ("taste", idiom, [subject], False)
    weights = [lexicon.AFFECTING_VERBS.get(head.lemma_.lower(), _verb_valence(head))]
    aside = {t.i for c in head.children if _is_aside(c) for t in c.subtree}  # ", to be honest"
    weights += [
        _valence_of(c)
        for c in head.subtree
        if c.dep_ in ("acomp", "oprd", "ccomp", "xcomp", "advmod") and c.i not in aside
    ]
    known = [w for w in weights if w is not None and abs(w) >= MIN_VALENCE / 9]
    if known:
        return ("taste", 1 if sum(known) > 0 else -1, [subject], False)
    # no word the lexicon knows carries it ("crowds wear me out"): the side is left to the
    # extractor's polarity model, which weighs the whole predicate (`UNDECIDED`)
    return ("taste", 0, [subject], False)


def _ruled_out(head: Token) -> bool:
    """Whether "be" says its subject is out for the speaker: "out for me", "out of the question"."""
    for out in (c for c in head.children if c.lower_ == "out"):
        for prep in (c for c in (*out.children, *head.children) if c.dep_ == "prep"):
            if prep.lower_ == "for" and _speaker_in(prep):
                return True
            if prep.lower_ == "of" and any(o.lemma_.lower() == "question" for o in _pobjs(prep)):
                return True
    return False


def _verdict_noun(noun: Token) -> int | None:
    """The side a verdict noun takes ("a must", "a no-go", "a last resort"), by its word, its
    hyphenated whole, or with the adjectives before it; None for any other noun."""
    described = " ".join(t.lower_ for t in noun.children if t.dep_ == "amod" and t.i < noun.i)
    for key in (noun.lemma_.lower(), _hyphenated(noun), f"{described} {noun.lemma_.lower()}"):
        if key in lexicon.VERDICT_NOUNS:
            return lexicon.VERDICT_NOUNS[key]
    return None


def _hyphenated(token: Token) -> str:
    """The word a token ends, with what hyphens join to it ("no-go" for "go")."""
    start = token.i
    doc = token.doc
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
        start -= 2
    return doc[start : token.i + 1].text.lower()


def _without_recurring_times(objects: list[Token]) -> list[Token]:
    """Objects less the spans of time a habit recurs over ("I do yoga most mornings"); the parser
    may hang the object on the span ("I play chess most evenings", chess under evenings)."""
    kept: list[Token] = []
    for thing in objects:
        if not _recurring_time(thing):
            kept.append(thing)
            continue
        kept.extend(c for c in thing.children if c.dep_ in ("nmod", "compound") and c.i < thing.i)
    return kept


def _kept_up(head: Token) -> bool:
    """ "I've been doing yoga since my twenties", "... for ten years": kept up over time, a habit
    (not a job in hand kept at: "we've been painting the hallway since Monday")."""
    things = [c for c in head.children if c.dep_ == "dobj"]
    return all(_generic(t) for t in things) and any(
        p.dep_ == "prep" and (p.lower_ == "since" or _says_when(p)) for p in head.children
    )


def _recurring_time(noun: Token) -> bool:
    """ "most mornings", "every summer": a span of time said with how often it comes round."""
    return noun.lemma_.lower() in lexicon.RECURRING_SPANS and any(
        c.lower_ in lexicon.FREQUENCY_DETERMINERS
        for c in noun.children
        if c.dep_ in ("det", "amod", "predet")
    )


def _says_when(prep: Token) -> bool:
    """A preposition of how long whose object is a time or a span of it ("for six years",
    "since 2010"); not "a fan of summer"."""
    objects = _pobjs(prep)
    timed = bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)
    return timed and prep.lower_ in ("for", "since", "during")


def _chosen_by_speaker(noun: Token) -> int | None:
    """+1 / -1 when a clause of the speaker's on the noun says how they take it ("the language I
    reach for", "the one sweet I can't stand", "something I avoid", "the milk we buy every
    week"), None when none does."""
    for clause in noun.children:
        inner = _subject(clause) if clause.dep_ == "relcl" else None
        if inner is None or inner.lower_ not in _FIRST_PERSON:
            continue
        particle = next((c.lower_ for c in clause.children if c.dep_ in ("prep", "prt")), "")
        side = _taste_of(clause, particle)
        # a routine said in the past ("the language I used at my first job") is no choice now
        if side is None and (clause.lemma_.lower() not in lexicon.ROUTINE_VERBS or clause.tag_ == "VBD"):
            continue
        side = side or 1
        return -side if _negated(clause) else side
    return None


def _to_the_speaker(word: Token) -> bool:
    """Whether a word is said of the speaker: "too sweet for me", "dull to me"."""
    return any(g.dep_ == "prep" and _speaker_in(g) for g in (*word.children, *word.head.children))


def _seems_to_speaker(head: Token, subject: Token) -> _Found | None:
    """ "Camping sounds dull to me", "formal language feels stiff to me": how a thing strikes
    the speaker. Without "to me" ("the plan sounds good") it is a reaction to one thing at
    hand, not a standing taste."""
    for child in head.children:
        if child.dep_ not in ("acomp", "oprd", "attr"):
            continue
        # "too slow and drawn out for my liking": the measure may hang on a conjunct
        joined = [t for c in head.children if c.dep_ == "conj" for t in c.children]
        around = [*child.children, *head.children, *joined]
        to_me = any(g.dep_ == "prep" and g.lower_ in ("to", "for") and _speaker_in(g) for g in around)
        too = any(g.lower_ == "too" for g in child.subtree if g.i < child.i)
        excess = too and child.dep_ in ("acomp", "oprd")
        if excess and (to_me or _generic(subject)):  # "long meetings feel too draining"
            return ("taste", -1, [subject], False)
        if not to_me:
            return None
        weight = _valence_of(child)
        if weight is not None and abs(weight) >= MIN_VALENCE:
            return ("taste", 1 if weight > 0 else -1, [subject], False)
        return ("taste", 0, [subject], False)  # the polarity model weighs the predicate
    return None


def _fragment(head: Token, sentence: Span) -> _Found | None:
    """A verbless answer: "cats over dogs, every time", "no onions for me", "dark chocolate or
    nothing", "the fewer meetings, the better". Lasting only with a rule marker or "for me"."""
    words = [t.lower_ for t in sentence]
    if words[:1] == ["the"] and "better" in words[2:]:  # the comparative correlative
        grade = sentence[1] if len(sentence) > 1 else None
        if grade is not None and grade.tag_ in ("JJR", "RBR"):
            noun = next((t for t in sentence[2:] if t.pos_ in ("NOUN", "PROPN")), None)
            if noun is not None and noun.i < words.index("better", 2):
                return (
                    "taste",
                    1,
                    [noun],
                    False,
                )  # "the fewer X": the topic phrase reads less of X as against
            return ("taste", 1, [grade], False)  # "the hotter, the better"
    if head.pos_ == "ADJ":
        return None
    devoted_to = [o for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for o in _pobjs(c)]
    if head.lemma_.lower() in lexicon.DEVOTEES:  # "big fan of sci-fi here", "I'm" left out
        # "not a fan of X": the negation turns it below; "huge fan" alone names no thing
        return ("taste", 1, devoted_to, False) if devoted_to else None
    negated = any(c.dep_ == "det" and c.lower_ == "no" for c in head.children)
    or_nothing = any(c.dep_ == "conj" and c.lower_ == "nothing" for c in head.children)
    compared = any(c.dep_ == "prep" and c.lower_ in ("over", "than") for c in head.children)
    for_me = any(c.dep_ == "prep" and c.lower_ == "for" and _speaker_in(c) for c in head.children)
    if not (negated or or_nothing or compared or for_me or _marked_lasting(sentence, head, "taste")):
        return None
    # "no onions": the topic phrase names the thing as absent, which turns the side
    return ("taste" if for_me else "instruction", 1, [head], False)


def _nothing_like(head: Token, subject: Token) -> _Found | None:
    """ "Nothing beats X", "there's nothing like X": the thing compared with nothing is favoured."""
    if subject.dep_ == "expl":
        nothing = [c for c in head.children if c.dep_ == "attr" and c.lower_ == "nothing"]
        likes = [p for n in nothing for p in n.children if p.dep_ == "prep" and p.lower_ == "like"]
        targets = [o for p in likes for o in _pobjs(p)]
        if not targets:  # "there's nothing I enjoy more than X": what the speaker likes best
            liked = [
                c
                for n in nothing
                for c in n.children
                if c.dep_ == "relcl" and _taste_of(c, "") == 1 and not _negated(c) and _by_speaker(c)
            ]
            targets = [o for c in liked for t in c.subtree if t.lower_ == "than" for o in _pobjs(t)]
        return ("taste", 1, targets, False) if targets else None
    if head.lemma_.lower() not in lexicon.COMPARING_VERBS:
        return _does_it_most(head)
    objects, _ = _objects(head)
    return ("taste", 1, objects, False) if objects else None


def _does_it_most(head: Token) -> _Found | None:
    """ "Nothing relaxes me like a long swim", "nothing annoys me more than X": X is what does
    it to the speaker most, for or against as the verb's valence says."""
    if not any(c.dep_ in ("dobj", "dative") and c.lower_ in _SPEAKER_OBJECTS for c in head.children):
        return None
    preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("like", "than")]
    more = [c for c in head.children if c.lower_ in ("more", "better")]
    preps += [g for c in more for g in c.children if g.lower_ == "than"]
    compared = [o for p in preps for o in _pobjs(p)]
    weight = _verb_valence(head)
    if not compared or weight is None or abs(weight) < MIN_VALENCE:
        return None
    return ("taste", 1 if weight > 0 else -1, compared, False)


def _speaker_left_out(head: Token) -> bool:
    """A clause whose "I" was left out, as people write in a hurry: "can't get enough of X",
    "never been big on X", "love me some X". An order takes no modal or perfect auxiliary,
    and "been" alone is a perfect with its "I've" left out; of the verbs of liking, only the
    strong ones are said this way ("Enjoy your meal!" is a wish)."""
    if head.pos_ not in ("VERB", "AUX") or any(c.lower_ == "please" for c in head.children):
        return False
    auxiliaries = [c for c in head.children if c.dep_ == "aux"]
    if any(a.lemma_.lower() in ("can", "could", "would", "have") for a in auxiliaries):
        return True
    if head.lemma_ == "be" and head.tag_ == "VBN" and not auxiliaries:  # "never been big on X"
        return True
    return head.lemma_.lower() in lexicon.STRONG_LIKING_VERBS and head.tag_ in ("VB", "VBP")


def _instruction(head: Token) -> _Found | None:
    """An imperative for the assistant: "use metric units", "avoid jargon", "keep answers short"."""
    if head.tag_ not in ("VB", "VBP", "VBD") or any(
        c.dep_ == "aux" and c.lemma_ != "do" for c in head.children
    ):
        return None
    objects, particle = _objects(head)
    complement = [
        c for c in head.children if c.dep_ in ("oprd", "acomp", "ccomp", "xcomp") and c.pos_ == "ADJ"
    ]
    if complement:
        named = [o for o in objects if o.lower_ not in lexicon.EMPTY_TOPICS]
        if named:  # "keep answers short" is for short answers
            return ("instruction", 1, [_Joined(complement[0], named[0])], False)  # type: ignore[list-item]
        return ("instruction", 1, complement, False)
    if not objects:
        return None
    side = lexicon.CHOICE_VERBS.get(head.lemma_.lower(), 0) or lexicon.PHRASAL.get(
        (head.lemma_.lower(), particle), 0
    )
    if head.lemma_.lower() in lexicon.STOPPING_VERBS:
        side = -1  # "stop suggesting X" is against X
    return ("instruction", -1 if side < 0 else 1, objects, False)


def _first_word(head: Token) -> Token:
    """The first word of the head's clause that is not an interjection or an adverb ("please", "always")."""
    for token in head.subtree:
        if token.dep_ in ("intj", "advmod", "neg", "aux", "punct") or token.lower_ in (
            "please",
            "just",
            "kindly",
        ):
            continue
        return token
    return head


def _valence_of(token: Token) -> float | None:
    """The valence of a word, or of its dictionary form ("easier" -> "easy"); judgements the
    sentiment lexicon lacks ("overrated") come from `lexicon.JUDGEMENT_WORDS`."""
    judged = lexicon.JUDGEMENT_WORDS.get(token.lower_)
    if judged is not None:
        return judged
    found = valence(token.lower_)
    return found if found is not None else valence(token.lemma_.lower())


def _verb_valence(verb: Token) -> float | None:
    """The valence of a verb: of its dictionary form, else, for a clause's main verb, of the
    word as written (the parser's dictionary form may be wrong: "hated" -> "hat"). A verb
    inside a clause may be an adjective in disguise ("can't stand forced humour"), whose
    lexicon sense is not the verb's."""
    found = valence(verb.lemma_.lower())
    if found is None and verb.dep_ in ("ROOT", "conj"):
        found = valence(verb.lower_)
    return found


def _taste_of(head: Token, particle: str) -> int | None:
    """+1 / -1 when the verb states a taste (before negation), None when it states none."""
    lemma = head.lemma_.lower()
    if (lemma, particle) in lexicon.PHRASAL:
        return lexicon.PHRASAL[(lemma, particle)]
    if lemma == "do" and head.tag_ in ("VBN", "VBD"):
        return None  # "I've never done it before": not yet tried, no taste ("I don't do mornings" is)
    if lemma == "miss" and any(c.lower_ == "never" for c in head.children):
        occasions = [
            o
            for o in head.children
            if o.dep_ == "dobj" and any(d.lower_ in ("a", "an", "my") for d in o.children)
        ]
        if occasions:  # "I never miss a match": there every time (the negation turns this round)
            return -1
    if lemma in lexicon.NEGATED_ONLY:
        return lexicon.NEGATED_ONLY[lemma] if _negated(head) else None
    if lemma in lexicon.CHOICE_VERBS:
        return lexicon.CHOICE_VERBS[lemma]
    if lemma in lexicon.NOT_A_TASTE or head.lower_ in lexicon.NOT_A_TASTE:
        return None
    weight = _verb_valence(head)
    if weight is None or abs(weight) < MIN_VALENCE:
        return None
    return 1 if weight > 0 else -1


def _objects(head: Token) -> tuple[list[Token], str]:
    """What a verb is about (direct objects, their conjuncts, objects of its particle or
    preposition), and its particle or first preposition ("care for", "stay away")."""
    particle = ""
    found: list[Token] = []
    for child in head.children:
        if child.dep_ == "prt" or (child.dep_ == "prep" and child.lower_ in lexicon.PARTICLES):
            particle = particle or child.lower_
        elif child.dep_ in ("dobj", "attr", "dative") and (
            child.lower_ not in lexicon.EMPTY_TOPICS or _described(child)
        ):
            found.extend(_with_conjuncts(child))
        elif child.dep_ == "dobj" and (named := _named_before(child)) is not None:
            found.append(named)  # "I used to love horror films, but now I can't stand them"
        elif child.dep_ == "dobj" and child.lower_ in lexicon.EMPTY_TOPICS:
            # "anything involving X", with "involving" hung on the verb as a preposition: X
            after = [c for c in head.children if c.dep_ == "prep" and c.tag_ == "VBG" and c.i == child.i + 1]
            found.extend(o for c in after for o in c.children if o.dep_ in ("dobj", "pobj"))
            found.extend(_filled_in(child))  # "anything with cilantro": cilantro
        elif (child.dep_ == "xcomp" and child.pos_ in ("VERB", "NOUN")) or (
            child.dep_ == "pcomp" and child.tag_ == "VBG"  # "I like writing X", misparsed
        ):
            found.extend(_verb_as_topic(child))
        elif child.dep_ in ("advmod", "acomp") and child.lower_ in ("away", "clear", "forward"):
            particle = particle or child.lower_
            for grand in child.children:
                if grand.dep_ == "prep":
                    found.extend(_pobjs(grand))
    if not found and any(c.dep_ == "dobj" and c.lower_ == "it" for c in head.children):
        for child in head.children:  # "I like it when replies have tables": the when-clause says what
            if child.dep_ == "advcl" and any(g.lower_ in ("when", "whenever", "if") for g in child.children):
                found.extend(_objects(child)[0])
    if not found:
        for child in head.children:
            if (
                child.dep_ == "prep"
                and child.i > head.i  # not a fronted "after work", "given the choice": when or if
                # "listen to X": "to" names the verb's own object, it contrasts nothing
                and (child.lower_ not in _CONTRAST_PREPS or (child.lower_ == "to" and _takes_to(head)))
                and not _speaker_in(child)
                and not _points_at_now(child.subtree)
                and not _says_when(child)  # "for a decade": how long, not what
            ):
                particle = particle or child.lower_
                found.extend(_pobjs(child))
                break
    elif not particle:
        particle = next((c.lower_ for c in head.children if c.dep_ == "prep"), "")
    return found, particle


def _takes_to(verb: Token) -> bool:
    """Whether "to" after the verb marks its own object ("listen to X", "stick to X")."""
    lemma = verb.lemma_.lower()
    return lemma in lexicon.TO_OBJECT_VERBS or (lemma, "to") in lexicon.PHRASAL


def _antecedent(pronoun: Token) -> Token | None:
    """What "it" or "that" at the start of a sentence stands for: the last thing named in the
    sentence before ("Can you show examples in Go? It's what I use at work": Go)."""
    if pronoun.lower_ not in ("it", "that") or pronoun.i != pronoun.sent.start:
        return None
    start = pronoun.sent.start
    if start == 0:
        return None
    before = pronoun.doc[start - 1].sent
    named = [
        chunk.root
        for chunk in before.noun_chunks
        if chunk.root.pos_ in ("NOUN", "PROPN")
        and chunk.root.lower_ not in lexicon.EMPTY_TOPICS
        and _names_a_kind(chunk.root)  # not "use bullets for the summary. That's how I like it"
    ]
    proper = [token for token in named if token.pos_ == "PROPN"]  # a name is the likelier referent
    return (proper or named)[-1] if named else None


#: Pronouns that can stand for a kind of thing named just before, and whether they are plural.
_REFERRING = {"it": False, "they": True, "them": True, "those": True, "these": True, "ones": True}
#: Where a noun a pronoun may stand for sits in its clause (not a predicate, a time or a measure).
_REFERABLE_ROLES = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "ROOT", "advcl", "dep", "attr"}
)
#: Named things that are no kind of thing one likes: places, people, dates, amounts.
_NOT_KINDS = frozenset(
    {"GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"}
)
#: Empty words a phrase after them fills in ("anything except rap").
_FILLED_IN_WORDS = frozenset({"anything", "nothing", "something", "everything"})
#: Words of thanks: what they are for is what was just given, not a kind of thing liked.
_COURTESIES = frozenset({"thanks", "thank", "cheers"})
#: Determiners that still name a kind of thing ("no emoji", "any mushrooms").
_KIND_DETERMINERS = frozenset({"no", "any", "all"})


def _referring(target: Token | _Joined) -> bool:
    """Whether a target is a pronoun that may stand for a kind of thing named before."""
    return not isinstance(target, _Joined) and target.lower_ in _REFERRING and target.pos_ == "PRON"


def _referent(pronoun: Token) -> Token | None:
    """The kind of thing a pronoun stands for, named just before it: earlier in its sentence
    ("Give me board games, nothing with dice, they bore me": dice), else in the sentence
    before ("No olives, please. I can't stand them").

    Only a kind of thing is taken (`_may_be_referred_to`), and "it" takes a singular; "they"
    the last kind named, whatever the tagger made of its number ("dice"). An "it" that only
    holds a place ("it's nice to meet you", "it would be fun") stands for nothing.
    """
    plural = _REFERRING.get(pronoun.lower_)
    if pronoun.lower_ == "that" and pronoun.dep_ == "nsubj" and _names_the_speakers_choice(pronoun.head):
        plural = False  # "write it in Rust, that's what I use": only where the speaker says it is theirs
    if plural is None:
        return None
    clause = pronoun.head
    if pronoun.lower_ == "it" and pronoun.dep_ in ("nsubj", "nsubjpass") and _holds_a_place(clause):
        return None
    if pronoun.lower_ == "it" and pronoun.dep_ == "dobj" and _speakers_reason(clause):
        done = _reasoned_act(clause.head)
        if done is not None:  # "I swim most mornings because I enjoy it": the swimming
            return done
    sentence = pronoun.sent
    before = pronoun.doc[sentence.start - 1].sent if sentence.start > 0 else pronoun.doc[0:0]
    governing = {t.i for t in pronoun.ancestors}  # "a fan of them": not the fan
    for span in (pronoun.doc[sentence.start : pronoun.i], before):
        kinds = [n for n in span if n.i not in governing and _may_be_referred_to(n, clause, plural=plural)]
        # a phrase's own noun, not one inside it ("no emoji in replies": emoji)
        heads = {n.i for n in kinds}
        kinds = [n for n in kinds if not (n.head.pos_ == "ADP" and n.head.head.i in heads)]
        fitting = kinds if plural else [n for n in kinds if n.tag_ in ("NN", "NNP")]
        if fitting:
            return fitting[-1]
    return None


def _reasoned_act(verb: Token) -> Token | None:
    """The act a reason clause's "it" stands for: the speaker's own act it explains ("I go
    swimming ... because I enjoy it", "I try to get out on the trails ... because I love it")."""
    subject = _subject(verb) or (_subject(verb.head) if verb.dep_ == "xcomp" else None)
    if verb.pos_ not in ("VERB", "AUX") or subject is None or subject.lower_ not in _FIRST_PERSON:
        return None
    tried = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    act = tried[0] if tried and verb.lemma_.lower() in ("try", "manage", "like", "love", "get") else verb
    if act.lemma_.lower() in lexicon.NOT_A_TASTE:
        return None
    return act


def _holds_a_place(clause: Token) -> bool:
    """Whether "it" is a placeholder in this clause: what it stands for comes after ("it's
    rewarding to grow food", "it's nice that you came"), or the clause only imagines ("it
    would be fun", "it must be hard")."""
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in clause.children)
    deferred = any(
        (t.dep_ == "aux" and t.lower_ == "to") or (t.dep_ == "mark" and t.lower_ == "that")
        for t in clause.subtree
        if t.i > clause.i
    )
    return modal or deferred


def _may_be_referred_to(noun: Token, clause: Token, *, plural: bool = False) -> bool:
    """Whether a noun names a kind of thing a later pronoun can stand for.

    Not one thing at hand ("the tips", "my essay"), a place, person or date ("Spain", "all
    day"), what a phrase about another thing holds ("this recipe for lasagna", "a lot of
    work"), what an act is done to ("I love making cookies": the pronoun after stands for
    the act), nor what a pronoun was said to be ("it's a lot of work, but it's fun").
    """
    if noun.pos_ not in ("NOUN", "PROPN") or noun.lower_ in lexicon.EMPTY_TOPICS:
        return False
    hung_loose = noun.dep_ == "npadvmod" and not any(c.dep_ == "det" for c in noun.children)
    if noun.dep_ not in _REFERABLE_ROLES and not hung_loose:  # "Kotlin if you can, it's ...", not "any time"
        return False
    if noun.ent_type_ in _NOT_KINDS or (noun.ent_type_ == "PERSON" and _full_name(noun)):
        return False
    if any(t.lower_ in _COURTESIES for t in (noun, *noun.ancestors)):  # "thanks for X, they're great"
        return False
    # "hold the olives, they're vile": "the" with a plural names the kind to a plural pronoun
    if not _names_a_kind(noun) and not (plural and (_one_of_a_kind(noun) or _generic(noun))):
        return False
    for above in noun.ancestors:
        if above.lower_ in _FILLED_IN_WORDS:
            return True  # "anything except rap", "nothing with dice": what fills it in
        if above.pos_ in ("VERB", "AUX"):
            if above.i == clause.i:
                return True
            if above.tag_ == "VBD" and not any(c.dep_ in ("aux", "auxpass") for c in above.children):
                return False  # "I ordered new curtains and I love them": those curtains, one event's
            # "X is set to Y, it's ...": the parser hangs the clause before on the pronoun's own
            spliced = above.dep_ == "ccomp" and above.head.i in {clause.i, *(a.i for a in clause.ancestors)}
            embedded = above.dep_ in ("xcomp", "ccomp", "pcomp", "acl", "relcl") and not spliced
            if above.tag_ == "VBG" or embedded:  # what an act is done to ("love making cookies")
                return False
            subject = _subject(above)
            # what "it" or "that" was said to be describes that thing, it names no other
            return subject is None or subject.lower_ not in (*_REFERRING, *_DEMONSTRATIVES)
        if above.pos_ in ("NOUN", "PROPN", "PRON") and not _names_a_kind(above):
            return False
    return True


def _full_name(noun: Token) -> bool:
    """A person's name of more than one word ("Daniel Kahneman"); a lone word the tagger calls a
    person is often a product or a language ("Kotlin")."""
    words = (noun, *noun.children)
    return any(t.ent_iob_ == "I" or (t.i != noun.i and t.ent_type_ == "PERSON") for t in words)


def _one_of_a_kind(noun: Token) -> bool:
    """ "a western" said of one, then "I adore those": a singular with "a" stands for its kind."""
    dets = [c.lower_ for c in noun.children if c.dep_ in ("det", "poss")]
    return noun.tag_ == "NN" and dets in (["a"], ["an"])


def _names_a_kind(noun: Token) -> bool:
    """No article or owner that picks out one thing ("dice", "no emoji", "any mushrooms")."""
    return not any(
        (c.dep_ == "det" and c.lower_ not in _KIND_DETERMINERS) or c.dep_ == "poss" for c in noun.children
    )


def _named_before(pronoun: Token) -> Token | None:
    """What an object "them" or "it" stands for: the last thing of the same number named
    earlier in the sentence ("I used to love horror films, but now I can't stand them").
    Only for a verb of taste; not "it" with a clause that says what it is ("I love it when
    ..."), nor a thing named in the same clause, nor one a past event was about."""
    if pronoun.lower_ not in ("them", "it", "those", "these"):
        return None
    verb = pronoun.head
    if any(c.dep_ == "advcl" for c in verb.children):
        return None
    if _taste_of(verb, "") is None and verb.lemma_.lower() not in lexicon.NEGATED_ONLY:
        return None  # "I hate clutter; sort it into folders": an order, whatever "it" is
    plural = pronoun.lower_ != "it"
    named = [
        chunk.root
        for chunk in pronoun.sent.noun_chunks
        if chunk.root.i < pronoun.i
        and chunk.root.head.i != verb.i
        and chunk.root.pos_ in ("NOUN", "PROPN")
        and chunk.root.lower_ not in lexicon.EMPTY_TOPICS
        and (chunk.root.tag_ in ("NNS", "NNPS")) == plural
        and chunk.root.dep_ in ("dobj", "pobj", "attr")
        and chunk.root.ent_type_ not in ("DATE", "TIME")  # "used nothing else for a decade and love it"
        and chunk.root.head.tag_ != "VBD"  # "I bought new boots and love them": those boots
    ]
    return named[-1] if named else _referent(pronoun)


def _opens_with_cleft_word(clause: Token) -> bool:
    """A clause opened by "what", "how", "where", "when", hung on it or on its infinitive
    ("how I like to get around": "how" hangs on "get")."""
    inner = [clause, *(c for c in clause.children if c.dep_ == "xcomp")]
    return any(g.lower_ in _CLEFT_WORDS and g.i < clause.i for v in inner for g in v.children)


def _names_the_speakers_choice(head: Token) -> bool:
    """ "... is what I use", "... is my go-to": a predicate saying the speaker chose the subject."""
    if head.lemma_ != "be":
        return False
    for child in head.children:
        cleft = _opens_with_cleft_word(child)
        if child.dep_ in ("ccomp", "attr", "relcl") and cleft and _by_speaker(child):
            return True
        # "... is my go-to", "... is the language I use for everything"
        if child.dep_ == "attr" and (_owned_by_speaker(child) or _chosen_by_speaker(child) is not None):
            return True
    return False



def _clock_time(target: Token | _Joined) -> bool:
    """A time of day said in numbers ("8 am", "10:30"): when something happens, never a taste."""
    if isinstance(target, _Joined) or target.ent_type_ != "TIME":
        return False
    return any(token.like_num for token in target.subtree)


def _filled_in(pronoun: Token) -> list[Token]:
    """What an empty word's "with" phrase names: "anything with mushrooms" is about mushrooms."""
    preps = [p for p in pronoun.children if p.dep_ == "prep" and p.lower_ in ("with", "containing")]
    # "anything made with basil", "anything related to golf": through the participle
    made = [
        a
        for a in pronoun.children
        if a.dep_ in ("acl", "amod") and a.tag_ in ("VBN", "VBG") and a.i > pronoun.i
    ]
    preps += [p for a in made[:1] for p in a.children if p.dep_ == "prep"][:1]
    # "anything involving crowds": what the participle takes
    involved = [o for a in made[:1] if a.tag_ == "VBG" for o in a.children if o.dep_ == "dobj"]
    return [o for p in preps for o in _pobjs(p)] + involved


def _described(pronoun: Token) -> bool:
    """ "anything involving heights", "something that needs an oven": an empty word that a
    clause after it fills in; "the spicy ones", "fantasy-themed ones": "ones" with words
    before it that say which."""
    if pronoun.lower_ == "ones" and any(c.dep_ in ("amod", "compound") for c in pronoun.children):
        return True
    return pronoun.pos_ in ("PRON", "NOUN") and any(
        (c.dep_ in ("acl", "relcl") or (c.dep_ == "prep" and c.tag_ == "VBG"))  # "involving", misparsed
        and c.i > pronoun.i
        and any(c.children)
        for c in pronoun.children
    )


def _nouns_after(head: Token) -> list[Token]:
    """Where the parse attached no object, the first noun after the verb in its clause (the small
    parser sometimes tags a rare noun as an adverb: "I've never liked cilantro")."""
    if any(c.dep_ == "dobj" and c.pos_ == "PRON" for c in head.children):
        return []  # "I drink it all day": the object is a thing said before, not "day"
    for token in head.subtree:
        if token.i <= head.i or token.dep_ in ("conj", "cc") or token.head.dep_ == "conj":
            continue
        if token.dep_ == "npadvmod" or token.head.dep_ == "npadvmod":
            continue  # "every morning", "twice a week": when, not what
        if token.pos_ in ("NOUN", "PROPN") and token.lower_ not in lexicon.EMPTY_TOPICS:
            return [token]
        if token.pos_ in ("VERB", "AUX", "SCONJ"):
            break
    return []


def _xcomp(head: Token) -> bool:
    return any(c.dep_ == "xcomp" for c in head.children)


def _verb_as_topic(verb: Token) -> list[Token]:
    """A verb phrase as a topic: "hiking", "to read mysteries" (the act of consuming drops:
    "watching horror films" is about horror films)."""
    if verb.dep_ != "xcomp" and verb.tag_ != "VBG":
        inner = [c for c in verb.children if c.dep_ == "xcomp"]
        if not inner:
            return []
        verb = inner[0]
    found = _act_topic(verb)
    if verb.dep_ == "xcomp":
        for sibling in [c for c in verb.head.children if _continues_infinitive(c)]:
            found.extend(_act_topic(sibling))
    return found


def _act_topic(verb: Token) -> list[Token]:
    """One act as topics: what is consumed ("watching horror films": horror films), what one goes
    for ("go for walks": walks), else the act."""
    if verb.lemma_.lower() in lexicon.GOING_VERBS:
        went = [o for c in verb.children if c.dep_ == "prep" and c.lower_ in ("for", "on") for o in _pobjs(c)]
        if went:  # and what else is done ("go for walks and read")
            return went + [
                t for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" for t in _with_conjuncts(c)
            ]
    if verb.lemma_.lower() == "spend":  # "spending my weekends on long hikes": the hikes
        spent_on = [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "on" for o in _pobjs(c)]
        if spent_on and all(_generic(o) for o in spent_on):  # not "an afternoon on a dish": the effort
            return [t for o in spent_on for t in _with_conjuncts(o)]
    offering = verb.lemma_.lower() in lexicon.OFFERING_VERBS
    if offering:  # "suggesting recipes with pork": the parser hangs "with pork" on the verb
        dobjs = [c for c in verb.children if c.dep_ == "dobj"]
        withs = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "containing")]
        if len(dobjs) == 1 and withs:
            return [_Joined(dobjs[0], withs[0])]  # type: ignore[list-item]
    if verb.lemma_.lower() in lexicon.CONSUMING or offering:
        objects = [c for c in verb.children if c.dep_ in ("dobj", "pobj")]
        objects += [
            o for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "at") for o in _pobjs(c)
        ]
        if objects:
            return [t for o in objects for t in _with_conjuncts(o)] + _listed_after(verb)
    only_pronoun = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    if only_pronoun and all(c.lower_ in _THINGS_AT_HAND for c in only_pronoun):
        return []  # "I hate to say it", "I love doing that": the act on something at hand
    return _with_conjuncts(verb) + _listed_after(verb)


def _listed_after(verb: Token) -> list[Token]:
    """Gerunds listed after a gerund that the parser hung on it as clauses: "playing piano,
    volunteering at the shelter, and exploring the city"."""
    if verb.tag_ != "VBG":
        return []
    listed = [
        c
        for c in verb.children
        if c.dep_ == "advcl"
        and c.tag_ == "VBG"
        and c.i > verb.i
        and not any(g.dep_ in ("mark", "nsubj") for g in c.children)
    ]
    return [t for c in listed for t in _with_conjuncts(c)]


def _continues_infinitive(token: Token) -> bool:
    """A bare verb coordinated with a clause's verb after its infinitive: "I like to swim, cycle
    and run" (the parser hangs "cycle" on "like") names one more thing liked, not an order."""
    if token.dep_ != "conj" or token.tag_ != "VB":
        return False
    if any(c.dep_ in ("nsubj", "aux") for c in token.children):
        return False
    if _taste_of(token.head, "") is None:
        return False  # "I want to rest, skip the details": after a request, an order
    return any(c.dep_ == "xcomp" and c.tag_ == "VB" and c.i < token.i for c in token.head.children)


def _with_conjuncts(token: Token) -> list[Token]:
    """The token and everything coordinated with it ("hiking, camping and fishing")."""
    found = [token]
    if _compared_conjunct(token) is not None:
        return found  # "lists rather than paragraphs": the conjunct is the other side
    shared = _shared_clause(token)
    if shared is not None:
        return [shared]  # type: ignore[list-item]
    for child in token.children:
        if child.dep_ == "conj":
            found.extend(_with_conjuncts(child))
    return found


def _shared_clause(token: Token) -> _Joined | None:
    """Two nouns sharing one clause hung on the second: "any movie or show that includes gore"
    is about movies with gore as much as shows with it, so the pair is read as one topic."""
    conjuncts = [c for c in token.children if c.dep_ == "conj"]
    if len(conjuncts) != 1 or token.pos_ not in ("NOUN", "PROPN"):
        return None
    last = conjuncts[0]
    trailing = _trailing_clauses(token, last)  # hung on the first by the parser, said after both
    if any(
        c.i > token.i and c.dep_ not in ("cc", "conj", "punct") and c not in trailing for c in token.children
    ):
        return None  # the first has words of its own after it ("games with X or apps that Y")
    if not trailing and not any(c.dep_ in ("relcl", "acl") and c.i > last.i for c in last.children):
        return None
    return _Joined(token, last, joiner=next((c.lower_ for c in token.children if c.dep_ == "cc"), "and"))


def _trailing_clauses(first: Token, last: Token) -> list[Token]:
    """Clauses the parser hung on the first of two nouns that come after the second ("shows or
    movies that run over two hours": the clause is said of both, and read after the second)."""
    return [c for c in first.children if c.dep_ in ("relcl", "acl") and c.i > last.i]


def _compared_conjunct(token: Token) -> Token | None:
    """The conjunct a comparison sets against the token ("lists rather than paragraphs")."""
    if not any(c.dep_ == "cc" and c.lower_ == "than" for c in token.children):
        return None
    return next((c for c in token.children if c.dep_ == "conj"), None)


def _pobjs(prep: Token) -> list[Token]:
    return [t for c in prep.children if c.dep_ in ("pobj", "pcomp") for t in _with_conjuncts(c)]


def _speaker_in(prep: Token) -> bool:
    """ "to me", "for us"; "for my liking", "for my taste": the speaker's own measure."""
    return any(
        c.lower_ in _SPEAKER_OBJECTS or (c.lemma_.lower() in ("liking", "taste") and _owned_by_speaker(c))
        for c in prep.children
    )


#: Pronouns that ask for one thing of a kind ("I want something upbeat"), not for the kind.
_INDEFINITE_ONES = frozenset({"something", "anything", "one"})


def _points_at_one(token: Token) -> bool:
    """An object pointed at among things at hand: "this one", "the second draft", "that version"."""
    return (
        any(
            (c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES)
            or (c.dep_ == "amod" and c.ent_type_ == "ORDINAL")
            or (c.dep_ == "nummod" and c.i > token.i)  # "option 3", "plan number 2"
            for c in token.children
        )
        or token.lower_ in _DEMONSTRATIVES
        or _the_one_compared(token)
        or _the_others_offered(token)
    )


#: What is put before someone to choose from: "the other options", "the rest of the suggestions".
_OFFERED = frozenset({"option", "choice", "suggestion", "idea", "alternative", "recommendation", "pick"})


def _the_others_offered(token: Token) -> bool:
    """ "the other options", "other suggestions": the rest of what was just offered, said
    without what sets them apart (with it, that is the topic: `_what_sets_apart`)."""
    return (
        token.lemma_.lower() in _OFFERED
        and any(c.dep_ == "amod" and c.lower_ == "other" for c in token.children)
        and _what_sets_apart(token) is None
    )


def _what_sets_apart(token: Token) -> Token | None:
    """What the rest of the options on offer have in common, when said: "the other options
    with loud music" (loud music), "other suggestions involving water" (water)."""
    if token.lemma_.lower() not in _OFFERED:
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "involving", "featuring", "including"):
            objects = _pobjs(child)
            if objects:
                return objects[0]
        if child.dep_ == "acl" and child.lower_ in ("involving", "featuring", "including"):
            objects = [c for c in child.children if c.dep_ == "dobj"]
            if objects:
                return objects[0]
    return None


def _the_one_compared(token: Token) -> bool:
    """ "the shorter draft", "the cheapest flight": one picked out among things at hand."""
    dets = [c.lower_ for c in token.children if c.dep_ == "det"]
    singular = token.tag_ in ("NN", "NNP")  # "the cheapest flights" may be a habit
    return (
        singular
        and dets == ["the"]
        and any(c.dep_ == "amod" and c.tag_ in ("JJR", "JJS") for c in token.children)
    )


def _names_one_thing(token: Token) -> bool:
    """A request for one thing ("the short version", "a poem"), not for a kind of thing."""
    dets = [c.lower_ for c in token.children if c.dep_ in ("det", "poss")]
    return any(d in ("the", "this", "that", "a", "an", "one", "your") for d in dets)


def _generic(subject: Token) -> bool:
    """A kind of thing rather than one thing: no article or "the" with a plural ("jazz", "long answers",
    "any mushrooms")."""
    dets = [c.lower_ for c in subject.children if c.dep_ == "det" and c.lower_ not in _KIND_DETERMINERS]
    return not dets or (dets == ["the"] and subject.tag_ in ("NNS", "NNPS"))


def _contrast(head: Token) -> str | None:
    """The other side of a comparison: "prefer tea to coffee", "X over Y", "X rather than Y".

    Only in the clause's own words: "... and find them more tiring than fun" compares
    qualities in another clause."""
    if head.lemma_.lower() in lexicon.SWITCH_VERBS:
        left = [o for c in head.children if c.dep_ == "prep" and c.lower_ == "from" for o in _pobjs(c)]
        if left:
            return _topic(left[0])[0] or None
    other_clauses = {
        t.i
        for c in head.children
        if c.dep_ in ("conj", "parataxis") and c.pos_ in ("VERB", "AUX")
        for t in c.subtree
    }
    for token in head.subtree:
        if token.i in other_clauses:
            continue
        compared = _compared_conjunct(token)
        if compared is None and token.dep_ == "advcl" and token.head.i == head.i:
            # "I'd rather hike than sit on a beach": the act compared
            compared = token if any(c.dep_ == "mark" and c.lower_ == "than" for c in token.children) else None
        if compared is not None:
            return _compared_topic(compared)
        if token.dep_ != "prep" and not (token.dep_ == "cc" and token.lower_ == "than"):
            continue
        word = token.lower_
        if (
            word == "to"
            and token.head.lemma_ != "prefer"
            and not (token.head.dep_ in ("dobj", "xcomp") and token.head.head.lemma_ == "prefer")
        ):
            continue
        if (
            word in ("than", "over", "instead")
            or (word == "to")
            or (word == "of" and token.head.lower_ == "instead")
        ):
            # "than in a city": the compared thing may sit one preposition further down
            objects = _pobjs(token) or [o for c in token.children if c.dep_ == "prep" for o in _pobjs(c)]
            if objects:
                return _compared_topic(objects[0])
    return None


def _compared_topic(compared: Token | _Joined) -> str | None:
    """What a thing is preferred to, unless it is everything else ("trains over anything else")."""
    if not isinstance(compared, _Joined):
        empty = [compared] if compared.pos_ != "VERB" else [c for c in compared.children if c.dep_ == "dobj"]
        if empty and all(e.lower_ in lexicon.EMPTY_TOPICS and not _filled_in(e) for e in empty):
            return None  # "anything else", "do anything else"
    topic, _absent = _topic(compared)
    return topic or None


class _Joined:
    """Two phrases read as one topic: an adjective and the noun it qualifies ("keep answers
    short": short answers), or a thing and where it is done ("code in Rust")."""

    def __init__(self, first: Token, second: Token, joiner: str = "") -> None:
        self.first, self.second, self.joiner = first, second, joiner

    def __getattr__(self, name: str) -> Any:
        """Questions of grammar (its children, its tag) are answered by its first word."""
        return getattr(self.first, name)


class _Act(_Joined):
    """A verb read as the act it names: "I bike everywhere" is about biking, "I cycle to
    work" about cycling to work."""

    def __init__(self, verb: Token) -> None:
        super().__init__(verb, verb)


_LEADING_DETERMINER = re.compile(r"^(?:the|these|those|this|that|my|your|our|their|a|an) ")


def _topic(target: Token | _Joined) -> tuple[str, bool]:
    """A topic's words, and whether the phrase names its thing as absent ("meat-free meals")."""
    if isinstance(target, _Act):
        words, absent = _phrase(target.first)
        verb = target.first.lower_
        if words.startswith(verb):
            words = gerund(target.first.lemma_.lower()) + words[len(verb) :]
        return _clean(words), absent
    if isinstance(target, _Joined):
        trailing = _trailing_clauses(target.first, target.second)
        first, absent = _phrase(target.first, leave_out=trailing)
        second, _ = _phrase(target.second)
        if target.first.pos_ == "ADJ":  # "the recipes were vegetarian": vegetarian recipes
            second = _LEADING_DETERMINER.sub("", second)
        said_after = " ".join(t.lower_ for c in trailing for t in c.subtree)
        return _clean(f"{first} {target.joiner} {second} {said_after}".replace("  ", " ").strip()), absent
    if (apart := _what_sets_apart(target)) is not None:
        target = apart  # "the other options with loud music": loud music
    words, absent = _phrase(_kind_of(target))
    clause = _misplaced_relative(target)
    if clause is not None:  # "shows that prominently feature X", the clause hung on the verb
        subject = next(c.lower_ for c in clause.children if c.dep_ == "nsubj")
        words = f"{words} {subject} {_phrase(clause)[0]}"
    modifier = _misplaced_with(target)
    if modifier is not None:  # "products without parabens", "without" hung on the verb
        words = f"{words} {' '.join(t.lower_ for t in modifier.subtree)}"
    kind = _referent(target) if target.lower_ == "ones" else None
    if kind is not None and kind not in target.subtree:  # "board games are fun, but I avoid long ones"
        named = " ".join(t.lower_ for t in kind.children if t.dep_ == "compound" and t.i < kind.i)
        words = re.sub(r"\bones\b", f"{named} {kind.lower_}".strip(), words)
    return _clean(words), absent


def _misplaced_with(noun: Token) -> Token | None:
    """A "with" or "without" the parser hung on the verb instead of the object right before
    it ("I usually prefer products without parabens"): what the object has or lacks is
    which of them is meant, as in "I prefer products without parabens", parsed on the noun."""
    if noun.dep_ != "dobj" or _taste_of(noun.head, "") is None:
        return None
    end = max(t.i for t in noun.subtree)
    for child in noun.head.children:
        after = child.i == end + 1
        if after and child.dep_ == "prep" and child.lower_ in ("with", "without") and _pobjs(child):
            return child
    return None


def _misplaced_relative(noun: Token) -> Token | None:
    """A relative clause the parser hung on the verb instead of the noun before it ("I avoid
    watching shows that feature X", parsed as "watching ... feature X"): a clause of the
    noun's head whose subject is "that", "which" or "who" right after the noun's phrase."""
    if noun.dep_ != "dobj":
        return None
    end = max(t.i for t in noun.subtree)
    for clause in noun.head.children:
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if (
            clause.dep_ in ("ccomp", "advcl")
            and subject is not None
            and subject.lower_ in ("that", "which", "who")
            and subject.i == end + 1
        ):
            return clause
    return None


def _kind_of(token: Token) -> Token:
    """ "any kind of jazz", "all sorts of puzzles": the thing after "of". A kind noun with words
    of its own ("the French style of cooking") names a kind of its own and stays."""
    if token.lemma_.lower() not in lexicon.KIND_NOUNS:
        return token
    of = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"]
    own = [
        c
        for c in token.children
        if c not in of and c.dep_ not in ("det", "predet") and c.lower_ not in lexicon.QUANTIFIERS
    ]
    things = _pobjs(of[0]) if len(of) == 1 else []
    return things[0] if things and not own else token


_STOP_DEPS = frozenset({"advcl", "punct", "cc", "conj", "appos", "acl", "mark", "neg", "parataxis"})


def _phrase(token: Token, *, leave_out: Sequence[Token] = ()) -> tuple[str, bool]:
    kept: list[Token] = []
    skipped: set[int] = {t.i for part in leave_out for t in part.subtree}
    for child in token.children:
        # a participle after a noun says which of them ("games set in a city", "content based on X")
        described = (
            child.dep_ == "acl" and child.tag_ in ("VBN", "VBG") and child.i > token.i and any(child.children)
        )
        reason = child.dep_ == "prep" and child.lower_ in ("due", "because")  # "due to my dyslexia"
        if (
            reason
            or (child.dep_ in _STOP_DEPS and not described)
            or (
                child.dep_ == "prep"
                and (
                    _names_a_rule(child)
                    or _speaker_in(child)
                    or child.lower_ in _CONTRAST_PREPS - {"to"}
                    or (child.lower_ == "to" and token.head.lemma_ == "prefer")
                    or _points_at_now(child.subtree)
                )
            )
        ):
            skipped.update(t.i for t in child.subtree)
        said_how_often = " ".join(t.lower_ for t in child.subtree) in lexicon.DURABLE_PHRASES
        if (
            said_how_often
            or child.lower_ in lexicon.HABIT_ADVERBS
            or child.lower_ in ("fewer", "less", "more")
        ):
            skipped.update(t.i for t in child.subtree)  # "cats, every time", "the fewer meetings"
        objects = _pobjs(child) if child.dep_ == "prep" else []
        pointing = bool(objects) and all(o.pos_ == "PRON" for o in objects)
        if child.dep_ == "prep" and child.i > token.i and (_says_when(child) or child.lower_ == "since"):
            skipped.update(t.i for t in child.subtree)  # "vegetarian since 2010": since when, not what
        if token.pos_ in ("NOUN", "PROPN") and (child.dep_ == "advmod" or pointing) and child.i > token.i:
            skipped.update(t.i for t in child.subtree)  # "no fungi anywhere near it": where, not what
        if token.pos_ == "VERB" and child.dep_ == "dobj" and _recurring_time(child):
            skipped.update(t.i for t in child.subtree)  # "swimming most mornings": how often, not what
        if token.pos_ in ("VERB", "ADJ") and child.dep_ in ("npadvmod", "advmod", "nsubj", "aux", "advcl"):
            skipped.update(t.i for t in child.subtree)  # "go to the lake every year": the act, not when
        if token.pos_ == "VERB" and child.dep_ == "prep" and child.i < token.i:
            skipped.update(t.i for t in child.subtree)  # "given the choice, (I'd rather) walk": if when
        if child.dep_ == "amod" and child.i > token.i:
            skipped.update(t.i for t in child.subtree)  # a judgement hung on the noun ("music boring")
        if child.dep_ == "relcl" and child.tag_ == "MD":
            skipped.update(t.i for t in child.subtree)  # "Rust where you can": a proviso, not which
        if child.dep_ == "prep" and child.lower_ == "for" and child.i > token.i and token.pos_ == "VERB":
            skipped.update(t.i for t in child.subtree)  # "cook for my family": the act, not who for
    doc = token.doc
    for t in token.subtree:
        if t.dep_ == "advmod" and t.lower_ in _CONNECTIVES:
            skipped.add(t.i)  # "..., so paper maps work best": the link, not the maps
        hyphen = t.text == "-" and 0 < t.i < len(doc) - 1  # "sci-fi", "hand-holding"
        if t.i not in skipped and (not t.is_punct or hyphen):
            kept.append(t)
    words: list[str] = []
    for position, t in enumerate(kept):
        to_verb = t.dep_ == "xcomp" and any(c.lower_ == "to" and c.dep_ == "aux" for c in t.children)
        # a noun the tagger took for a bare verb ("I can't eat gluten") stays as it is
        infinitive = t is token and t.tag_ == "VB" and (to_verb or _continues_infinitive(t))
        word = gerund(t.lower_) if infinitive else t.lower_  # "to cook": "cooking"
        adjacent = position > 0 and kept[position - 1].i == t.i - 1 and not kept[position - 1].whitespace_
        words.append(word if not words or adjacent else " " + word)
    text = "".join(words).strip()
    # "less sugar", "fewer meetings": wanting less of a thing is against it
    absent = any(c.lower_ in ("fewer", "less") and c.dep_ in ("amod", "advmod") for c in token.children)
    for suffix in lexicon.ABSENCE_SUFFIXES:
        found = re.search(rf"([\w]+){re.escape(suffix)}\b", text)
        if found:  # "meat-free recipes" is against meat; "snacks that are not gluten-free" are for it
            return found.group(1), not _absence_denied(token)
    if text.startswith(("no ", "without ")):
        text, absent = text.split(" ", 1)[1], True
    return text, absent


def _absence_denied(token: Token) -> bool:
    """Whether what a phrase says it is free of is denied ("lotions that are not
    fragrance-free"): the "-free" or "-less" word, or the verb it completes, is negated."""
    for word in token.subtree:
        if word.lower_ in ("free", "less") or word.lower_.endswith(("-free", "less")):
            negated = [word] + ([word.head] if word.dep_ in ("acomp", "attr") else [])
            if any(child.dep_ == "neg" for one in negated for child in one.children):
                return True
    return False


_VOWELS = "aeiou"


def gerund(verb: str) -> str:
    """The -ing form of a base verb by English spelling rules ("cook" -> "cooking", "bake" ->
    "baking", "swim" -> "swimming"); verbs stressed on an earlier syllable may come out wrong."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        return verb[:-1] + "ing"
    short = 3 <= len(verb) <= 4 and sum(c in _VOWELS for c in verb) == 1
    consonant_vowel_consonant = verb[-1] not in _VOWELS + "wxy" and verb[-2:-1] in tuple(_VOWELS)
    if short and consonant_vowel_consonant and verb[-3] not in _VOWELS:
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _clean(text: str) -> str:
    words = text.replace(" - ", "-").split()
    while words and (words[0] in _DROPPED_LEADS or words[0] in _SPEAKER_OBJECTS):
        words = words[1:]
    while words and words[-1] in ("too", "either", "though", "please", "anymore", "lately"):
        words = words[:-1]
    if not words or (len(words) == 1 and words[0] in lexicon.EMPTY_TOPICS) or len(" ".join(words)) < 2:
        return ""
    if words[0] in lexicon.EMPTY_TOPICS and len(words) == 1:
        return ""
    return " ".join(words[:MAX_TOPIC_WORDS]).strip(" ,.;:!")


def _clause_text(head: Token, sentence: Span) -> str:
    """The clause's own words: the head's subtree without coordinated clauses, or the whole sentence."""
    conj = {
        t.i
        for c in head.children
        if c.dep_ in ("conj", "parataxis") and c.pos_ in ("VERB", "AUX")
        for t in c.subtree
    }
    words = [t for t in head.subtree if t.i not in conj]
    text = "".join(t.text_with_ws for t in words).strip()
    return text or sentence.text.strip()
