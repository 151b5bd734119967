"""Verdicts said without subject or verb on a topic just raised: "Cruise ships? Not for me."

People often raise a topic as a bare question and give their verdict as a fragment:
"Sea shanties? Big fan.", "Karaoke? Way too loud for me.", "Escape rooms? Not my thing.". The
reader reads clauses, and a fragment has no clause to read. `with_subjects_supplied`
gives each such fragment the subject it leaves out: "they are" or "it is" (by the
topic's number), or "I am" with "of them" after the noun when the fragment names the
speaker by a devotee noun ("big fan", "huge admirer"). The pronoun is then read, like
any other, as standing for the kind of thing named just before it.

Only a topic question counts: a noun phrase alone, asked, that is not itself a request
("Any tips?", "Recommendations?").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefmem.memory.extraction import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Most words a topic question may have ("Supermarkets on a Saturday?").
MAX_TOPIC_WORDS = 6
#: Nouns that ask for something rather than raise a topic ("tips?", "any ideas?").
ASKING_NOUNS = frozenset(
    {"tip", "idea", "recommendation", "rec", "suggestion", "thought", "advice", "pointer", "option", "help"}
)
#: Determiners that make a bare question a request or a query ("any ideas?", "which one?").
_ASKING_DETERMINERS = frozenset({"any", "some", "what", "which", "another", "other"})
#: Tags of pronouns that would be the fragment's own subject ("I", "it"), not "my".
_SUBJECT_PRONOUNS = frozenset({"PRP"})
#: Dependencies of a verb heading a clause of its own (one that would need a subject).
_CLAUSE_HEADS = frozenset({"ROOT", "conj", "ccomp", "parataxis"})
#: Where a fragment's first clause ends.
_CLAUSE_BREAKS = frozenset({",", "-", "--", "—", "–", ";", ":"})


def with_subjects_supplied(doc: Doc) -> str | None:
    """The message with every verdict fragment that follows a topic question given its
    subject; None when the message has none."""
    sentences = _segments(doc)
    parts: list[str] = []
    changed = False
    for index, sentence in enumerate(sentences):
        topic = _topic_asked(sentences[index - 1]) if index else None
        if topic is not None and _verbless(sentence):
            parts.append(_supplied(sentence, topic))
            changed = True
        else:
            parts.append(sentence.text_with_ws)
    return "".join(parts) if changed else None


def _segments(doc: Doc) -> list[Span]:
    """The message's sentences, each also cut after a question mark inside it: the parser
    sometimes runs "Escape rooms? Overrated." together as one sentence."""
    segments: list[Span] = []
    for sentence in doc.sents:
        start = sentence.start
        for token in sentence[:-1]:
            if token.text == "?":
                segments.append(doc[start : token.i + 1])
                start = token.i + 1
        segments.append(doc[start : sentence.end])
    return segments


def _topic_asked(sentence: Span) -> Token | None:
    """The noun a bare topic question raises ("Cruise ships?": ships), or None."""
    words = [t for t in sentence if not t.is_punct]
    if sentence[-1].text != "?" or not words or len(words) > MAX_TOPIC_WORDS:
        return None
    # a verb here is only a noun's modifier the tagger took for one ("sailing holidays")
    if any(t.pos_ in ("VERB", "AUX", "PRON") and t.dep_ not in ("compound", "amod") for t in words):
        return None
    nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("pobj", "compound", "poss")]
    if len(nouns) != 1:
        return None
    noun = nouns[0]
    if noun.lemma_.lower() in ASKING_NOUNS or any(
        c.dep_ == "det" and c.lower_ in _ASKING_DETERMINERS for c in noun.children
    ):
        return None
    return noun


def _first_clause(sentence: Span) -> list[Token]:
    """The fragment's words up to its first clause break (a comma, a dash)."""
    words: list[Token] = []
    for token in sentence:
        if token.text in _CLAUSE_BREAKS or (token.is_sent_end and token.is_punct):
            break
        words.append(token)
    return words


def _verbless(sentence: Span) -> bool:
    """Whether the sentence opens with a verdict fragment: no verb, no subject of its own."""
    clause = _first_clause(sentence)
    if not clause or clause[0].pos_ in ("INTJ", "PROPN", "AUX") or clause[0].tag_ in _SUBJECT_PRONOUNS:
        return False
    # a participle alone is a verdict ("overrated"); any other verb makes a clause
    if any(_verb(t) or t.dep_ in ("nsubj", "nsubjpass", "expl") for t in clause):
        return False
    # a later verb with no subject of its own would take the supplied one ("Sure, sounds good")
    later = [t for t in sentence[len(clause) :] if t.pos_ == "VERB" and t.dep_ in _CLAUSE_HEADS]
    return all(any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children) for verb in later)


def _verb(token: Token) -> bool:
    """A verb or auxiliary other than a past participle."""
    return token.pos_ in ("VERB", "AUX") and token.tag_ != "VBN"


def _supplied(sentence: Span, topic: Token) -> str:
    """The fragment with its subject: "I am (a) ... of it/them" for a devotee noun, else "it is"
    or "they are" before it."""
    plural = topic.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in topic.children)
    clause = _first_clause(sentence)
    text = sentence.text_with_ws
    cut = len(clause[-1].text) + clause[-1].idx - sentence.start_char
    opening, rest = text[:cut], text[cut:]
    opening = opening[:1].lower() + opening[1:]
    devotee = next((t for t in clause if t.lemma_.lower() in lexicon.DEVOTEES), None)
    if devotee is None:
        return f"{'they are' if plural else 'it is'} {opening}{rest}"
    article = "" if clause[0].dep_ == "det" or clause[0].lower_ in ("not", "no") else "a "
    if not any(c.dep_ == "prep" and c.lower_ == "of" for c in devotee.children):
        after = devotee.idx + len(devotee.text) - sentence.start_char
        text = text[:after] + (" of them" if plural else " of it") + text[after:]
        cut += len(" of them" if plural else " of it")
        opening, rest = text[:1].lower() + text[1:cut], text[cut:]
    return f"I am {article}{opening}{rest}"
