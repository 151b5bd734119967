"""Whole users in their own words, through reading and consolidation with the real embedder.

Each user speaks on separate days in sentences written for this test (none from the
simulator's bank): one preference said three ways, a view that alternates, a change of
mind in varied words, and a declaration made once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.extraction.polarity import AnchorPolarity
from prefmem.memory.models import Interaction
from prefmem.memory.preferences import Preference
from prefmem.memory.semantic.store import SemanticStore

if TYPE_CHECKING:
    from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder

pytestmark = pytest.mark.slow

USERS = {
    "meatless": ["I'm a vegetarian.", "I don't eat meat.", "Please suggest meat-free dinners from now on."],
    "alternating": [
        "I like reggae.",
        "Reggae isn't really my thing.",
        "Reggae is great.",
        "I don't care for reggae.",
    ],
    "changed": [
        "I love winter.",
        "Winter is my favourite season.",
        "Nothing beats a snowy winter day.",
        "I've come to dislike winter.",
        "I no longer enjoy winter.",
        "Winter is a hard no for me now.",
    ],
    "brief": ["Short replies suit me best.", "I like concise answers.", "Please always keep answers brief."],
    "once": ["I'm an early riser."],
    # the genre, then a kind of it, then a pronoun standing for it: one view on three days
    "westerns": [
        "Westerns are the best films ever made.",
        "A spaghetti western tonight, please. I adore those.",
        "Old westerns never bore me.",
    ],
}


@pytest.fixture(scope="module")
def held(real_embedder: SentenceTransformerEmbedder) -> dict[str, list[Preference]]:
    start = datetime(2026, 3, 2, 10, tzinfo=UTC)
    records = [
        Interaction(
            user_id=user,
            session_id=f"{user}-{day}",
            timestamp=start + timedelta(days=2 * day),
            user_text=text,
        )
        for user, lines in USERS.items()
        for day, text in enumerate(lines)
    ]
    episodic = InMemoryEpisodicStore(HashingEmbedder(64))
    episodic.add(records)
    semantic = SemanticStore.in_memory()
    extractor = ParsedExtractor(polarity=AnchorPolarity(real_embedder))
    ConsolidationJob(episodic, semantic, extractor, real_embedder).run()
    return {user: semantic.preferences(user) for user in USERS}


def _kinds(preferences: list[Preference]) -> list[tuple[str, str]]:
    return sorted((p.kind, p.statement) for p in preferences)


def test_one_preference_said_three_ways_is_genuine(held: dict[str, list[Preference]]) -> None:
    (meatless,) = held["meatless"]
    assert meatless.kind == "genuine" and "meat" in meatless.statement.lower()
    (brief,) = held["brief"]
    assert brief.kind == "genuine" and brief.support.occasions == 3


def test_alternation_is_no_view_whatever_the_words(held: dict[str, list[Preference]]) -> None:
    assert [p.kind for p in held["alternating"]] == ["non_attitude"]


def test_a_change_of_mind_in_varied_words_keeps_the_new_view(held: dict[str, list[Preference]]) -> None:
    kinds = {p.kind: p for p in held["changed"]}
    assert set(kinds) == {"genuine", "superseded"}, _kinds(held["changed"])
    assert kinds["genuine"].statement.startswith("Dislikes winter")
    assert kinds["superseded"].statement.startswith("Likes winter")


def test_a_declaration_made_once_stays_tentative(held: dict[str, list[Preference]]) -> None:
    assert [p.kind for p in held["once"]] == ["tentative"]


def test_a_kind_of_a_thing_and_a_pronoun_for_it_join_its_view(held: dict[str, list[Preference]]) -> None:
    genuine = [p for p in held["westerns"] if p.kind == "genuine"]
    assert genuine and "western" in genuine[0].statement.lower(), _kinds(held["westerns"])
