"""Short replies read with what they reply to: the rewriting, the extractor, and consolidation."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers import interaction

from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.extraction.reading import read_message
from prefmem.memory.extraction.replies import last_sentence, reply_as_statement
from prefmem.memory.semantic.store import SemanticStore
from prefmem.memory.signals import AGAINST, FOR


@pytest.mark.parametrize(
    ("said", "reply", "statement"),
    [
        ("Nice choice. What's your favourite board game?", "Settlers of Catan.",
         "My favourite board game is Settlers of Catan."),
        ("What is your favorite kind of bread?", "Sourdough, probably.",
         "My favorite kind of bread is Sourdough, probably."),
        ("Which instrument do you prefer?", "The cello.", "I prefer The cello."),
        ("What sort of podcasts do you listen to at night?", "True crime.",
         "I listen to True crime at night."),
        ("What do you like to do on rainy days?", "Baking bread.", "I like Baking bread on rainy days."),
        ("Which do you enjoy more, chess or go?", "Go.", "I enjoy Go more."),
        ("Do you like olives?", "Yes, a lot!", "I like olives."),
        ("Do you enjoy karaoke nights?", "Honestly, not really.", "I don't enjoy karaoke nights."),
        ("Are you a fan of sci-fi novels?", "Oh yeah, definitely.", "I am a fan of sci-fi novels."),
        ("Are you into rock climbing?", "Nope.", "I am not into rock climbing."),
        ("I adore thunderstorms at night.", "Me too!", "I adore thunderstorms at night."),
        ("I can't stand loud restaurants.", "Me neither.", "I can't stand loud restaurants."),
    ],
)  # fmt: skip
def test_a_short_reply_becomes_the_sentence_it_amounts_to(said: str, reply: str, statement: str) -> None:
    assert reply_as_statement(said, reply) == statement


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("Would you like a cup of cocoa?", "Yes please."),  # an offer: this once
        ("Did you enjoy the ferry ride?", "Yes!"),  # one past occasion
        ("Have you ever tried paragliding?", "Yes, once."),
        ("What do you do for work?", "Plumber."),  # says nothing of a taste
        ("How was your weekend?", "Quiet."),
        ("What's your favourite board game?", "I couldn't say, we rarely play."),  # a sentence of its own
        ("Do you like olives?", "Depends on the dish."),  # neither yes nor no
        ("I moved here in May.", "Me too."),  # agrees, but not about a taste: read as said
        ("The museum opens at ten.", "Great."),  # not a question, not the other's own view
        ("", "Settlers of Catan."),
    ],
)
def test_replies_that_do_not_answer_a_question_about_a_taste_say_nothing(said: str, reply: str) -> None:
    statement = reply_as_statement(said, reply)
    assert statement is None or read_message(statement) == []


def test_what_a_reply_answers_is_the_last_sentence_said_before_it() -> None:
    assert last_sentence("Glad you liked it! Do you play often?") == "Do you play often?"
    assert last_sentence("  ") == ""


def _session(*turns: tuple[str, str], days: float = 0, session: str = "s1") -> list:  # type: ignore[type-arg]
    """Interactions of one session: (what the user said, what the other side answered)."""
    return [
        interaction("u", said, reply=answer, days=days, minutes=k, session=session)
        for k, (said, answer) in enumerate(turns)
    ]


def test_the_extractor_reads_a_reply_with_the_question_asked_before_it_in_the_same_session() -> None:
    asked = _session(
        ("I finally have a free evening.", "Lovely! Do you like jigsaw puzzles?"), ("Yes, very much.", "Fun.")
    )
    signals = ParsedExtractor().statements(asked)
    [signal] = [s for s in signals if "jigsaw" in s.topic]
    assert (signal.value, signal.scope) == (FOR, "durable")
    assert signal.evidence_id == asked[1].record_id() and "I like jigsaw puzzles" in signal.text

    # The same reply in another session answers nothing.
    elsewhere = asked[:1] + _session(("Yes, very much.", "Fun."), session="s2")
    assert not [s for s in ParsedExtractor().statements(elsewhere) if "jigsaw" in s.topic]

    # A reply that states something of its own is read as it stands.
    own = _session(("Hi.", "Do you like jigsaw puzzles?"), ("No, I hate jigsaw puzzles.", "Oh."))
    [against] = [s for s in ParsedExtractor().statements(own) if "jigsaw" in s.topic]
    assert against.value == AGAINST and against.text.lower() == "no, i hate jigsaw puzzles."


def test_a_taste_given_as_short_replies_on_two_days_is_genuine(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    episodic = InMemoryEpisodicStore(embedder)
    semantic = SemanticStore(tmp_path / SemanticStore.FILE_NAME)
    try:
        episodic.add(
            _session(("Any idea for tonight?", "What kind of films do you like?"), ("Westerns.", "Noted."))
            + _session(("Hi again.", "Which films do you enjoy most?"), ("Westerns, mostly.", "Ok."), days=3)
        )
        ConsolidationJob(episodic, semantic, ParsedExtractor(), embedder).run()
        kinds = {p.topic: p.kind for p in semantic.preferences("u")}
        assert kinds.get("westerns") == "genuine", kinds
    finally:
        semantic.close()
