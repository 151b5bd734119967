"""The episodic store contract, run against the in-memory and the Chroma (on disk) backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from _helpers import close_store, interaction, rating

from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.base import RECALL_MODES, EpisodicStore
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.errors import ConfigError, InvalidInputError, UnknownUserError

StoreFactory = Callable[..., EpisodicStore]


@pytest.fixture(params=["in_memory", "chroma"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Builds stores of the parametrized backend (Chroma ones in tmp_path/chroma), closed at teardown."""
    opened: list[EpisodicStore] = []

    def build(**ranking: float) -> EpisodicStore:
        store: EpisodicStore
        if request.param == "in_memory":
            store = InMemoryEpisodicStore(HashingEmbedder(), **ranking)
        else:
            store = ChromaEpisodicStore.persistent(tmp_path / "chroma", HashingEmbedder(), **ranking)
        opened.append(store)
        return store

    yield build
    for store in opened:
        close_store(store)


@pytest.fixture
def store(make_store: StoreFactory) -> EpisodicStore:
    return make_store()


def texts(episodes: list) -> list[str]:  # type: ignore[type-arg]
    return [episode.interaction.user_text for episode in episodes]


# -- adding -----------------------------------------------------------------------------------


def test_add_counts_new_records_and_skips_duplicates(store: EpisodicStore) -> None:
    records = [
        interaction("alice", "I adore spicy food", minutes=0),
        interaction("alice", "Book me a window seat", minutes=1),
        rating("alice", "Suggest a film", "A horror movie", -1, minutes=2),
    ]
    assert store.add(records) == 3
    assert store.add(records) == 0
    # an equal copy built separately is the same record
    assert store.add([interaction("alice", "I adore spicy food", minutes=0)]) == 0
    # duplicates within one batch, and across batches, are stored once
    fresh = interaction("alice", "Remind me about yoga", minutes=3)
    twin = interaction("alice", "Remind me about yoga", minutes=3)
    assert store.add([fresh, fresh, twin], chunk_size=1) == 1
    assert len(store.interactions("alice")) == 3
    assert len(store.feedback("alice")) == 1


def test_add_reports_progress_per_chunk(store: EpisodicStore) -> None:
    seen: list[int] = []
    records = [interaction("alice", f"note number {n}", minutes=n) for n in range(5)]
    assert store.add(records, chunk_size=2, progress=seen.append) == 5
    assert seen == [2, 2, 1]


def test_interactions_are_listed_newest_first(store: EpisodicStore) -> None:
    store.add([interaction("alice", f"entry {n}", days=n) for n in (3, 0, 5, 1)])
    assert [i.user_text for i in store.interactions("alice")] == ["entry 5", "entry 3", "entry 1", "entry 0"]
    assert [i.user_text for i in store.interactions("alice", limit=2)] == ["entry 5", "entry 3"]
    stored = store.interactions("alice")[0]
    assert stored == interaction("alice", "entry 5", days=5)  # round trip keeps every field


# -- recall -----------------------------------------------------------------------------------

CORPUS = [
    ("I am allergic to peanuts and tree nuts", -3),
    ("Please book a table near the window", -2),
    ("My favourite music is jazz piano", -1),
    ("The weather in Lisbon is lovely today", 0),
]


def _fill(store: EpisodicStore, user: str = "alice") -> None:
    store.add([interaction(user, text, days=days) for text, days in CORPUS])


def test_similarity_recall_finds_the_record_sharing_words(store: EpisodicStore) -> None:
    _fill(store)
    episodes = store.recall("alice", "which nuts am I allergic to", mode="similarity", k=4)
    assert episodes[0].interaction.user_text == "I am allergic to peanuts and tree nuts"
    assert [e.score for e in episodes] == sorted((e.score for e in episodes), reverse=True)
    query = store.embedder.embed("which nuts am I allergic to")
    for episode in episodes:
        expected = float(np.dot(store.embedder.embed(episode.interaction.user_text), query))
        assert episode.similarity == pytest.approx(expected, abs=1e-4)
        assert episode.score == episode.similarity
    assert episodes[0].similarity > 0.3 > max(e.similarity or 0.0 for e in episodes[1:])

    top = store.recall("alice", "jazz piano music", mode="similarity", k=1)
    assert texts(top) == ["My favourite music is jazz piano"]


def test_recency_recall_orders_newest_first_and_halves_per_half_life(make_store: StoreFactory) -> None:
    store = make_store(half_life_days=7.0)
    store.add(
        [
            interaction("alice", "two weeks ago", days=-14),
            interaction("alice", "today", days=0),
            interaction("alice", "one week ago", days=-7),
            interaction("alice", "yesterday", days=-1),
        ]
    )
    episodes = store.recall("alice", mode="recency", k=10)
    assert texts(episodes) == ["today", "yesterday", "one week ago", "two weeks ago"]
    recency = [e.recency for e in episodes]
    assert recency[0] == pytest.approx(1.0)
    assert recency[1] == pytest.approx(0.5 ** (1 / 7))
    assert recency[2] == pytest.approx(0.5)
    assert recency[3] == pytest.approx(0.25)
    assert [e.score for e in episodes] == pytest.approx(recency)
    assert all(e.similarity is None for e in episodes)
    # a query does not change recency ranking
    assert texts(store.recall("alice", "two weeks ago", mode="recency", k=10)) == texts(episodes)


def test_recency_is_relative_to_the_newest_record_not_the_clock(make_store: StoreFactory) -> None:
    store = make_store(half_life_days=2.0)
    store.add([interaction("alice", "old", days=-1000), interaction("alice", "older", days=-1002)])
    first, second = store.recall("alice", mode="recency", k=2)
    assert (first.recency, second.recency) == (pytest.approx(1.0), pytest.approx(0.5))


def test_hybrid_recall_weighs_similarity_by_recency(make_store: StoreFactory) -> None:
    store = make_store(half_life_days=7.0, similarity_weight=0.7)
    store.add(
        [
            interaction("alice", "I am allergic to peanuts and tree nuts", days=-7),
            interaction("alice", "I am allergic to peanuts and tree nuts, seriously", days=-21),
            interaction("alice", "The weather in Lisbon is lovely today", days=0),
            interaction("alice", "Please book a table near the window", days=-1),
        ]
    )
    query = "allergic to peanuts and tree nuts"
    episodes = store.recall("alice", query, mode="hybrid", k=4)
    assert len(episodes) == 4
    vector = store.embedder.embed(query)
    for episode in episodes:
        similarity = float(np.dot(store.embedder.embed(episode.interaction.user_text), vector))
        assert episode.similarity == pytest.approx(similarity, abs=1e-4)
        # score = similarity x (w + (1 - w) x recency)
        assert episode.score == pytest.approx(similarity * (0.7 + 0.3 * episode.recency), abs=1e-4)
    assert [e.score for e in episodes] == sorted((e.score for e in episodes), reverse=True)
    # the relevant week-old record beats both the newest unrelated one and its older near-duplicate
    assert texts(episodes)[:2] == [
        "I am allergic to peanuts and tree nuts",
        "I am allergic to peanuts and tree nuts, seriously",
    ]
    assert episodes[0].recency == pytest.approx(0.5)
    assert episodes[0].score == pytest.approx(episodes[0].similarity * 0.85, abs=1e-4)
    # relevance is required: the newest record shares no word with the query and scores nothing
    newest = next(e for e in episodes if e.interaction.user_text.startswith("The weather"))
    assert newest.recency == pytest.approx(1.0)
    assert newest.score == pytest.approx(0.0, abs=1e-4)


def test_hybrid_breaks_similarity_ties_by_recency(store: EpisodicStore) -> None:
    store.add(
        [
            interaction("alice", "I prefer trains to planes", days=-10),
            interaction("alice", "I prefer trains to planes", days=-2, session="s2"),
            interaction("alice", "Unrelated gardening chat", days=0),
        ]
    )
    episodes = store.recall("alice", "trains or planes", mode="hybrid", k=2)
    assert [e.interaction.session_id for e in episodes] == ["s2", "s1"]


def test_hybrid_without_query_falls_back_to_recency(store: EpisodicStore) -> None:
    _fill(store)
    for query in (None, "", "   "):
        episodes = store.recall("alice", query, mode="hybrid", k=2)
        assert texts(episodes) == [
            "The weather in Lisbon is lovely today",
            "My favourite music is jazz piano",
        ]
        assert all(e.similarity is None for e in episodes)


def test_hybrid_includes_recent_records_outside_the_similarity_pool(make_store: StoreFactory) -> None:
    store = make_store(similarity_weight=0.1, half_life_days=7.0)  # recency dominates among relevant ones
    old = [interaction("alice", f"cooking pasta recipe number {n}", days=-60 - n) for n in range(12)]
    recent = "some pasta tonight, or astronomy"
    store.add([*old, interaction("alice", recent, days=0)])
    query = "cooking pasta recipe"
    # k=1 searches a similarity pool of 4: the recent record is not in it...
    assert recent not in texts(store.recall("alice", query, mode="similarity", k=4))
    # ...but it is a recency candidate, and being relevant and new, it wins
    (best,) = store.recall("alice", query, mode="hybrid", k=1)
    assert best.interaction.user_text == recent
    assert best.similarity is not None and best.similarity > 0
    assert best.score == pytest.approx(best.similarity)


@pytest.mark.parametrize("mode", RECALL_MODES)
def test_k_limits_the_number_of_episodes(store: EpisodicStore, mode: str) -> None:
    store.add([interaction("alice", f"note about topic {n}", days=-n) for n in range(8)])
    assert len(store.recall("alice", "note about topic", mode=mode, k=3)) == 3  # type: ignore[arg-type]
    assert len(store.recall("alice", "note about topic", mode=mode, k=1)) == 1  # type: ignore[arg-type]
    assert len(store.recall("alice", "note about topic", mode=mode, k=50)) == 8  # type: ignore[arg-type]
    assert store.recall("alice", "note about topic", mode=mode, k=0) == []  # type: ignore[arg-type]


def test_unknown_mode_raises(store: EpisodicStore) -> None:
    _fill(store)
    with pytest.raises(InvalidInputError, match="unknown recall mode"):
        store.recall("alice", "nuts", mode="fuzzy", k=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("query", [None, "", "  \n "])
def test_similarity_without_query_raises(store: EpisodicStore, query: str | None) -> None:
    _fill(store)
    with pytest.raises(InvalidInputError, match="needs a query"):
        store.recall("alice", query, mode="similarity", k=3)


@pytest.mark.parametrize("mode", RECALL_MODES)
def test_recall_for_a_user_without_memory_is_empty(store: EpisodicStore, mode: str) -> None:
    _fill(store, "alice")
    assert store.recall("nobody", "allergic to nuts", mode=mode, k=5) == []  # type: ignore[arg-type]


def test_feedback_records_are_not_recalled_as_interactions(store: EpisodicStore) -> None:
    store.add([rating("alice", "allergic to nuts?", "yes very allergic to nuts")])
    assert store.recall("alice", "allergic to nuts", mode="hybrid", k=5) == []
    assert store.interactions("alice") == []


# -- isolation --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", RECALL_MODES)
def test_users_never_see_each_others_records(store: EpisodicStore, mode: str) -> None:
    shared_text = "I am allergic to peanuts and tree nuts"
    store.add(
        [
            interaction("alice", shared_text, days=0, reply="alice reply"),
            interaction("alice", "alice secret: my pin is 4321", days=-1),
            interaction("bob", shared_text, days=-2, reply="bob reply"),
            interaction("bob", "bob likes sailing", days=-3),
            rating("alice", "alice prompt", "alice response"),
            rating("bob", "bob prompt", "bob response"),
        ]
    )
    for user, other in (("alice", "bob"), ("bob", "alice")):
        for query in (shared_text, f"{other} secret pin sailing"):
            episodes = store.recall(user, query, mode=mode, k=10)  # type: ignore[arg-type]
            assert len(episodes) == 2
            assert {e.interaction.user_id for e in episodes} == {user}
            assert all(other not in e.interaction.user_text for e in episodes)
        assert {
            e.interaction.assistant_text
            for e in store.recall(user, shared_text, mode=mode, k=10)
            if e.interaction.user_text == shared_text
        } == {f"{user} reply"}  # type: ignore[arg-type]
        assert {i.user_id for i in store.interactions(user)} == {user}
        assert [f.user_id for f in store.feedback(user)] == [user]


def test_user_ids_that_look_alike_are_kept_apart(store: EpisodicStore) -> None:
    users = ["alice", "Alice", "alice ", "al", "ali\u00e7e"]
    store.add([interaction(user, f"note of {user!r}") for user in users])
    for user in users:
        assert texts(store.recall(user, mode="recency", k=10)) == [f"note of {user!r}"]


# -- feedback and users -----------------------------------------------------------------------


def test_feedback_is_stored_and_returned_oldest_first(store: EpisodicStore) -> None:
    records = [
        rating("alice", "p2", "r2", 1, days=-2),
        rating("alice", "p0", "r0", -1, days=0),
        rating("alice", "p3", "r3", 1, days=-3),
        rating("alice", "p1", "r1", -1, days=-1),
    ]
    store.add(records)
    held = store.feedback("alice")
    assert [f.prompt for f in held] == ["p3", "p2", "p1", "p0"]
    assert held[-1] == records[1]  # every field survives the round trip
    assert store.feedback("nobody") == []


def test_users_counts_interactions_and_feedback(store: EpisodicStore) -> None:
    assert store.users() == []
    store.add(
        [
            interaction("bob", "b1"),
            interaction("bob", "b2", minutes=1),
            interaction("alice", "a1"),
            rating("alice", "p", "r"),
            rating("alice", "p", "r2"),
            rating("alice", "p", "r3"),
            rating("carol", "p", "r"),
        ]
    )
    summary = [(u.user_id, u.interactions, u.feedback) for u in store.users()]
    assert summary == [("alice", 1, 3), ("bob", 2, 0), ("carol", 0, 1)]
    assert store.has_user("carol") and not store.has_user("dave")


def test_forget_removes_only_that_user(store: EpisodicStore) -> None:
    store.add(
        [
            interaction("alice", "alice one"),
            interaction("alice", "alice two", minutes=1),
            rating("alice", "p", "r"),
            interaction("bob", "bob one"),
            rating("bob", "p", "r"),
        ]
    )
    report = store.forget("alice")
    assert (report.user_id, report.interactions, report.feedback) == ("alice", 2, 1)
    assert [u.user_id for u in store.users()] == ["bob"]
    assert not store.has_user("alice")
    assert store.recall("alice", mode="recency", k=10) == []
    assert store.recall("alice", "alice one", mode="similarity", k=10) == []
    assert store.feedback("alice") == []
    assert texts(store.recall("bob", "bob one", mode="hybrid", k=10)) == ["bob one"]
    assert len(store.feedback("bob")) == 1
    with pytest.raises(UnknownUserError) as caught:
        store.forget("alice")
    assert caught.value.user_id == "alice"
    # the forgotten user can start afresh
    assert store.add([interaction("alice", "alice one")]) == 1
    assert texts(store.recall("alice", mode="recency", k=10)) == ["alice one"]


def test_forget_unknown_user_raises(store: EpisodicStore) -> None:
    with pytest.raises(UnknownUserError, match="ghost"):
        store.forget("ghost")
    store.add([interaction("alice", "hi")])
    with pytest.raises(UnknownUserError):
        store.forget("ghost")
    assert [u.user_id for u in store.users()] == ["alice"]


def test_forget_user_with_only_feedback(store: EpisodicStore) -> None:
    store.add([rating("carol", "p", "r")])
    report = store.forget("carol")
    assert (report.interactions, report.feedback) == (0, 1)
    assert store.users() == []


# -- Chroma on disk ---------------------------------------------------------------------------


def test_chroma_store_persists_across_reopening(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    first = ChromaEpisodicStore.persistent(folder, HashingEmbedder())
    _fill(first)
    first.add([rating("alice", "Suggest a film", "A horror movie", -1)])
    close_store(first)

    second = ChromaEpisodicStore.persistent(folder, HashingEmbedder())
    try:
        assert [(u.user_id, u.interactions, u.feedback) for u in second.users()] == [("alice", 4, 1)]
        top = second.recall("alice", "which nuts am I allergic to", mode="similarity", k=1)
        assert texts(top) == ["I am allergic to peanuts and tree nuts"]
        assert [f.response for f in second.feedback("alice")] == ["A horror movie"]
        assert second.add([interaction("alice", text, days=days) for text, days in CORPUS]) == 0
    finally:
        close_store(second)


def test_chroma_store_refuses_a_different_embedder(tmp_path: Path) -> None:
    folder = tmp_path / "chroma"
    first = ChromaEpisodicStore.persistent(folder, HashingEmbedder(256))
    _fill(first)
    close_store(first)
    assert HashingEmbedder(256).name != HashingEmbedder(128).name

    other = ChromaEpisodicStore.persistent(folder, HashingEmbedder(128))
    try:
        with pytest.raises(ConfigError, match="hashing-256"):
            other.recall("alice", "allergic to nuts", mode="similarity", k=2)
        with pytest.raises(ConfigError, match="hashing-128"):
            other.recall("alice", mode="recency", k=2)
        with pytest.raises(ConfigError):
            other.add([interaction("alice", "a new note", days=1)])
        # another user's fresh memory is embedded with the configured embedder
        assert other.add([interaction("bob", "bob's note")]) == 1
        assert texts(other.recall("bob", "bob's note", mode="similarity", k=1)) == ["bob's note"]
    finally:
        close_store(other)

    same = ChromaEpisodicStore.persistent(folder, HashingEmbedder(256))
    try:
        assert len(same.recall("alice", "allergic", mode="similarity", k=10)) == 4
    finally:
        close_store(same)


def test_add_with_vectors_stores_precomputed_vectors(store: EpisodicStore) -> None:
    records = [
        interaction("alice", "I am allergic to peanuts"),
        interaction("alice", "jazz piano", minutes=1),
    ]
    vectors = store.embedder.embed_batch([r.embedding_text() for r in records])
    assert store.add_with_vectors(records, vectors) == 2
    assert store.add_with_vectors(records, vectors) == 0
    top = store.recall("alice", "allergic to peanuts", mode="similarity", k=1)
    assert texts(top) == ["I am allergic to peanuts"]
    with pytest.raises(ValueError, match="shape"):
        store.add_with_vectors(records, vectors[:1])
    with pytest.raises(ValueError, match="shape"):
        store.add_with_vectors(records[:1], np.zeros((1, 3), dtype=np.float32))


def test_delete_interactions_removes_only_those_of_that_user(store: EpisodicStore) -> None:
    records = [
        interaction("alice", "alice one"),
        interaction("alice", "alice two", minutes=1),
        interaction("alice", "alice three", minutes=2),
        rating("alice", "p", "r"),
        interaction("bob", "bob one"),
    ]
    store.add(records)
    newest = records[2].record_id()
    bob_id = records[4].record_id()
    # bob's id is not alice's to delete; an unknown id is ignored; a repeated id counts once
    removed = store.delete_interactions("alice", [records[0].record_id(), newest, newest, bob_id, "0-none"])
    assert removed == 2
    assert texts(store.recall("alice", mode="recency", k=10)) == ["alice two"]
    assert texts(store.recall("alice", "alice three", mode="hybrid", k=10)) == ["alice two"]
    assert texts(store.recall("bob", mode="recency", k=10)) == ["bob one"]
    assert len(store.feedback("alice")) == 1
    assert store.delete_interactions("alice", []) == 0
    assert store.delete_interactions("carol", [newest]) == 0
    # the newest record went: recency is now relative to the one left
    assert store.recall("alice", mode="recency", k=1)[0].recency == 1.0
