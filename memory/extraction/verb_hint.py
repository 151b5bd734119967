"""A verb the small parser took for something else: "cold weather suits me", "dairy's out for me".

After a noun, a word such as "suits", "appeals" or "beats" may be a plural noun or a
verb, and the small English pipeline often makes it the plural noun ("weather suits"
read like "weather reports"), which leaves the clause with no verb. A word so read that
is followed by the speaker as its object ("suits me", "appeals to me", "grates on us")
can only be a verb. An adverb set before it ("cold weather really suits me") is enough
for the parser to read it as one, and says nothing the reading takes a side from, so the
message is parsed again with it.

Likewise "'s" after a noun may be "is" or a possessive; the parser may take it for a
possessive where what follows cannot be owned ("dairy's out for me", "coffee's not my
thing"); it is spelled out ("dairy is out for me").

And a habit the speaker gives as who they are, in a question ("As someone who avoids
dairy, what can I bake?"), is spelled out as said of themselves ("I avoids dairy. What
can I bake?"): a question is not read for tastes, a statement is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: The speaker or their group as an object, or what is theirs ("rots my brain").
_SPEAKER = frozenset({"me", "us", "my", "our"})
#: Prepositions that join a verb of being affected to the speaker ("appeals to me", "grates on me").
_TOWARDS = frozenset({"to", "on", "with", "for"})
#: Tags of words that cannot follow a possessive "'s" ("out", "not", "a", "my", "in").
_NOT_OWNED = frozenset({"RB", "RP", "IN", "DT", "PRP$"})
#: The adverb set before the verb; it has no side of its own.
HINT = "really"


#: Who the speaker says they are, with what they do in a clause: "as someone who X".
_DESCRIBED = frozenset({"someone", "somebody", "person", "one"})


def with_verb_hinted(doc: Doc) -> str | None:
    """The message with the speaker's habit said as "someone who" spelled out as theirs, or
    else the first verb the parser missed made plain; None when there is neither."""
    described = _speaker_described(doc)
    if described is not None:
        return described
    for token in doc:
        if _noun_taken_for_verb(token):
            before = doc.text[: token.idx]
            return f"{before}{HINT} {doc.text[token.idx :]}"
        if _is_taken_for_possessive(token):
            return f"{doc.text[: token.idx]} is{doc.text[token.idx + len(token.text) :]}"
    return None


def _is_taken_for_possessive(token: Token) -> bool:
    """A possessive "'s" followed by a word that cannot be owned: it is "is"."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        (token.tag_ == "POS" or token.dep_ == "case")  # tagged a verb yet parsed as a possessive
        and token.lower_ in ("'s", "\u2019s")
        and following is not None
        and following.tag_ in _NOT_OWNED
    )


def _noun_taken_for_verb(token: Token) -> bool:
    """A word ending in -s right after a noun, followed by the speaker as object, read as a noun
    or as a verb with no subject."""
    if not token.lower_.endswith("s") or token.i == 0:
        return False
    doc = token.doc
    before = doc[token.i - 1]
    if before.pos_ not in ("NOUN", "PROPN"):
        return False
    # tagged a noun, or a verb whose subject the parser made a compound of it ("TV rots my brain")
    if token.tag_ not in ("NNS", "NN") and not (before.dep_ == "compound" and before.head is token):
        return False
    after = [t.lower_ for t in doc[token.i + 1 : token.i + 3]]
    return bool(after) and (after[0] in _SPEAKER or (after[0] in _TOWARDS and after[1:] == ["me"]))


def _speaker_described(doc: Doc) -> str | None:
    """ "As someone who avoids dairy, what can I bake?": the speaker's habit, said of
    "someone", spelled out as their own ("I avoids dairy. What can I bake?"; the verb's
    ending does not change how it is read)."""
    for token in doc:
        if token.lower_ != "as" or token.dep_ != "prep":
            continue
        for noun in (c for c in token.children if c.dep_ == "pobj" and c.lower_ in _DESCRIBED):
            clause = next((c for c in noun.children if c.dep_ == "relcl"), None)
            who = [c for c in clause.children if c.dep_ == "nsubj"] if clause is not None else []
            if clause is None or [w.lower_ for w in who] not in (["who"], ["that"]):
                continue
            words = [t for t in clause.subtree if t.i != who[0].i]
            said = doc[words[0].i : words[-1].i + 1].text
            last = doc[max(t.i for t in noun.subtree)]
            rest = doc.text[last.idx + len(last.text) :].lstrip(" ,;:")
            return f"{doc.text[: token.idx]}I {said}. {rest[:1].upper()}{rest[1:]}".strip()
    return None
