"""Short replies read together with what they reply to.

"Rascal Flatts." says nothing on its own; after "What's your favourite band?" it says
"My favourite band is Rascal Flatts." In the same way "Yes, definitely" after "Do you
like jazz?" says "I like jazz", "Not really" says "I don't like jazz", and "Me too" after
"I love long walks" says "I love long walks". What a reply answers is the last sentence
the other side said before it, in the same session.

Each pair is rewritten as one first-person sentence, from the parse of the question:
"you" becomes "I", "your" becomes "my", the auxiliary "do" that only makes a question
is dropped, and the reply fills the place of the question word. The ordinary reading
then reads that sentence, so whether it states a preference, and which, is decided
exactly as for anything the user wrote. Only replies that state nothing of their own
are read this way, and only fragments: a reply with a subject and verb of its own is a
sentence, read as it stands.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from prefmem.memory.extraction.language import parser

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Words a reply may open with before it says anything ("Oh, jazz mostly").
_FILLERS = frozenset({"oh", "well", "um", "uh", "hmm", "ah", "haha", "honestly", "actually", "probably"})
#: How a reply says yes or no to a yes/no question (its first words).
_YES = re.compile(
    r"(yes|yeah|yep|yup|sure|absolutely|definitely|certainly|totally|indeed|of course|i do|i am|i'm|"
    r"i really do|very much|you bet|love it|i love it)\b"
)
_NO = re.compile(r"(no|nope|nah|not really|not at all|not much|not so much|never|i don't|i do not|i'm not)\b")
#: How a reply says the other side's statement is true of the speaker as well.
_SAME = re.compile(r"(me too|same here|same|so do i|so am i|me as well|i do too|i am too|likewise|ditto)\b")
_SAME_NOT = re.compile(r"(me neither|me either|neither do i|nor do i|neither am i)\b")
#: The longest reply read as a fragment, in words.
MAX_FRAGMENT_WORDS = 10
#: The longest reply read with what it replies to ("Yes, ..." may go on a little).
MAX_REPLY_WORDS = 20
#: Question words whose place a reply fills.
_WH_WORDS = frozenset({"what", "which", "who"})
#: Auxiliaries that only make a question ("Do you like ...?"): dropped in the statement.
_QUESTION_DO = frozenset({"do", "does"})
#: The auxiliaries of a yes/no question about how things stand. Offers and plans ("Would
#: you like some tea?", "Will you come?") and the past ("Did you like it?", "Have you
#: tried it?") are about one occasion, not a lasting taste.
_STANDING = frozenset({"do", "does", "are", "is", "am"})
#: Main verbs that say nothing of a taste ("What do you do?", "What is it?").
_EMPTY_VERBS = frozenset({"do", "be", "have", "get", "mean", "think", "say"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PERSON = {"you": "I", "your": "my", "yours": "mine", "yourself": "myself"}
_BE = {"are": "am", "were": "was"}


def last_sentence(text: str) -> str:
    """The last sentence of what the other side said (what a reply would answer)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    return sentences[-1] if sentences else ""


def _opening(reply: str) -> str:
    """The reply in lower case, without the fillers it opens with."""
    words = reply.replace("’", "'").lower().split()
    while words and words[0].strip(",.!") in _FILLERS:
        words.pop(0)
    return " ".join(words)


def reply_as_statement(said: str, reply: str) -> str | None:
    """The first-person sentence a short `reply` to `said` amounts to, or None.

    None when `said` is neither a question to the user nor a statement of the other side's
    own, or when the reply does not simply answer or echo it.
    """
    prompt = last_sentence(said)
    answer = _opening(reply)
    if not prompt or not answer or len(answer.split()) > MAX_REPLY_WORDS:
        return None
    if prompt.endswith("?"):
        question = parser()(prompt)
        if _is_yes_no(question):
            if not _about_how_things_stand(question):
                return None
            if _YES.match(answer):
                return _declarative(question, negated=False)
            if _NO.match(answer):
                return _declarative(question, negated=True)
            return None
        return _filled_in(question, reply)
    if _SAME_NOT.match(answer) or _SAME.match(answer):
        statement = parser()(prompt)
        return prompt if _first_person_statement(statement) else None
    return None


def _you(question: Doc | Span) -> Token | None:
    """The "you" the question is about (its subject)."""
    for token in question:
        if token.lower_ == "you" and token.dep_ in ("nsubj", "nsubjpass", "expl"):
            return token
    return None


def _is_yes_no(question: Doc) -> bool:
    """ "Do you like jazz?", "Are you a fan of opera?": an auxiliary first, "you" its subject."""
    first = question[0]
    return first.pos_ in ("AUX", "VERB") and first.lower_ not in _WH_WORDS and _you(question) is not None


def _about_how_things_stand(question: Doc) -> bool:
    """A yes/no question in the present ("Do you like ...?", "Are you into ...?")."""
    return question[0].lower_ in _STANDING


def _first_person_statement(sentence: Doc) -> bool:
    """ "I love long walks": a statement whose main clause has "I" for subject."""
    roots = [token for token in sentence if token.dep_ == "ROOT"]
    return bool(roots) and any(
        child.lower_ == "i" and child.dep_ in ("nsubj", "nsubjpass") for child in roots[0].children
    )


def _in_first_person(tokens: list[Token]) -> list[str]:
    """The words of a question's remainder, said by the user ("your" -> "my", "are" -> "am")."""
    words = []
    for token in tokens:
        word = _PERSON.get(token.lower_, token.text)
        words.append(word + token.whitespace_)
    return words


def _declarative(question: Doc, *, negated: bool) -> str | None:
    """ "Do you like jazz?" as "I like jazz." (or "I don't like jazz." when negated)."""
    you = _you(question)
    if you is None:
        return None
    auxiliary = question[0]
    rest = [token for token in question[you.i + 1 :] if not token.is_punct or token.text in ",-"]
    if not rest:
        return None
    body = "".join(_in_first_person(rest)).strip()
    if auxiliary.lower_ in _QUESTION_DO:
        verb = "don't " if negated else ""
    else:
        word = _BE.get(auxiliary.lower_, auxiliary.lower_)
        verb = f"{word} not " if negated else f"{word} "
    return f"I {verb}{body}."


def _fragment(reply: str) -> bool:
    """A reply with no subject and verb of its own ("Rascal Flatts.", "Mostly jazz")."""
    doc = parser()(reply)
    words = [token for token in doc if not token.is_punct]
    if not words or len(words) > MAX_FRAGMENT_WORDS or reply.rstrip().endswith("?"):
        return False
    return not any(token.dep_ in ("nsubj", "nsubjpass", "expl") for token in doc)


def _filled_in(question: Doc, reply: str) -> str | None:
    """ "What's your favourite band?" + "Rascal Flatts." as "My favourite band is Rascal Flatts."

    and "What kind of music do you like?" + "Jazz, mostly." as "I like jazz, mostly."
    """
    if question[0].lower_ not in _WH_WORDS or not _fragment(reply):
        return None
    answer = reply.strip().rstrip(".!")
    you = _you(question)
    if you is None:  # "What's your favourite band?": the reply names it
        owned = [t for t in question if t.lower_ == "your" and t.head.pos_ in ("NOUN", "PROPN")]
        if not owned:
            return None
        thing = owned[0].head
        span = question[owned[0].i : thing.right_edge.i + 1]
        return f"{''.join(_in_first_person(list(span))).strip().capitalize()} is {answer}."
    # "What (kind of music) do you (like)?": the reply takes the question word's place.
    head = you.head
    if head.i <= you.i or head.lemma_ in _EMPTY_VERBS:
        return None
    chain = list(question[you.i + 1 : head.i + 1])
    for token in question[head.i + 1 :]:
        # "What do you listen to?": the preposition's object went to the front; the reply follows it
        dangling = token.dep_ == "prep" and all(child.i < token.i for child in token.children)
        if token.dep_ in ("prt", "aux", "xcomp") or dangling:
            chain.append(token)
        else:
            break
    rest = []
    for token in question[chain[-1].i + 1 :]:
        if token.is_punct:  # "Which do you like better, tea or coffee?": the reply picked
            break
        rest.append(token)
    if len(chain) >= 3 and chain[-2].lower_ == "to" and chain[-1].lemma_ == "do":
        chain = chain[:-2]  # "like to do": the reply names what
    words = " ".join(t.text for t in chain)
    after = "".join(_in_first_person(rest)).strip()
    return f"I {words} {answer}{' ' + after if after else ''}."
