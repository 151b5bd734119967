"""Forgetting a user on the on-disk Chroma store leaves no trace of them in any file.

The stores here are opened with `fill_freed_memory=True`, as the command line opens them
(the library leaves malloc alone unless asked).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from _helpers import close_store, interaction, rating

from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.chroma import ChromaEpisodicStore

GONE_USER = "gone-user-qx7"
KEPT_USER = "kept-user-wv3"
GONE_MARKER = "zorblaxquux"
KEPT_MARKER = "flimwuzzet"
# enough records that Chroma writes a vector index folder for the collection (it flushes every 1000)
MANY = 1100
_UUID_FOLDER = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def files_containing(folder: Path, needle: str) -> list[Path]:
    data = needle.encode("utf-8")
    return sorted(path for path in folder.rglob("*") if path.is_file() and data in path.read_bytes())


def index_folders(folder: Path) -> set[str]:
    return {child.name for child in folder.iterdir() if child.is_dir() and _UUID_FOLDER.match(child.name)}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data" / "chroma"


def test_forget_leaves_no_trace_of_the_user_in_any_file(folder: Path) -> None:
    store = ChromaEpisodicStore.persistent(folder, HashingEmbedder(), fill_freed_memory=True)
    gone = [
        interaction(GONE_USER, f"my secret {GONE_MARKER} number {n}", minutes=n, reply=f"ok {GONE_MARKER}")
        for n in range(MANY)
    ]
    gone.append(rating(GONE_USER, f"rate {GONE_MARKER}", f"{GONE_MARKER} answer"))
    kept = [interaction(KEPT_USER, f"my hobby {KEPT_MARKER} number {n}", minutes=n) for n in range(MANY)]
    kept.append(interaction(KEPT_USER, "I play the harpsichord on sunday mornings", minutes=MANY))
    kept.append(rating(KEPT_USER, f"rate {KEPT_MARKER}", f"{KEPT_MARKER} answer"))
    try:
        assert store.add(gone + kept) == len(gone) + len(kept)
        gone_ids = [record.record_id() for record in gone[:3]]
        digest = hashlib.sha256(GONE_USER.encode("utf-8")).hexdigest()[:40]

        # the test can fail: the user's data is on disk before forgetting
        assert files_containing(folder, GONE_MARKER)
        assert files_containing(folder, GONE_USER)
        indexes_before = index_folders(folder)
        assert len(indexes_before) >= 2

        report = store.forget(GONE_USER)
        assert (report.interactions, report.feedback) == (MANY, 1)

        for needle in (GONE_MARKER, GONE_USER, digest, *gone_ids):
            assert files_containing(folder, needle) == [], needle
        assert files_containing(folder, KEPT_MARKER)
        assert len(index_folders(folder)) < len(indexes_before)

        # the other user is untouched and still recalled
        assert [(u.user_id, u.interactions, u.feedback) for u in store.users()] == [(KEPT_USER, MANY + 1, 1)]
        # (similarity recall is approximate in Chroma: among 1100 near-duplicates, only check who and what)
        episodes = store.recall(KEPT_USER, f"my hobby {KEPT_MARKER}", mode="similarity", k=3)
        assert len(episodes) == 3
        assert all(KEPT_MARKER in e.interaction.user_text for e in episodes)
        newest = store.recall(KEPT_USER, mode="recency", k=1)
        assert [e.interaction.user_text for e in newest] == ["I play the harpsichord on sunday mornings"]
        assert store.recall(GONE_USER, f"secret {GONE_MARKER}", mode="hybrid", k=3) == []
    finally:
        close_store(store)

    # nothing comes back when the folder is reopened, and still no trace on disk
    reopened = ChromaEpisodicStore.persistent(folder, HashingEmbedder(), fill_freed_memory=True)
    try:
        assert [u.user_id for u in reopened.users()] == [KEPT_USER]
        newest = reopened.recall(KEPT_USER, mode="recency", k=2)
        assert newest[0].interaction.user_text == "I play the harpsichord on sunday mornings"
        assert KEPT_MARKER in newest[1].interaction.user_text
        assert len(reopened.interactions(KEPT_USER)) == MANY + 1
        assert len(reopened.feedback(KEPT_USER)) == 1
    finally:
        close_store(reopened)
    assert files_containing(folder, GONE_MARKER) == []
    assert files_containing(folder, KEPT_MARKER)


@pytest.mark.parametrize("round_", range(6))
def test_forget_of_a_small_user_leaves_no_trace(tmp_path: Path, round_: int) -> None:
    # Small indexes are where stale process memory used to reach the *other* user's index file
    # (hnswlib persists its unused, uninitialised slots); repeat to make that likely to show.
    folder = tmp_path / f"chroma-{round_}"
    store = ChromaEpisodicStore.persistent(folder, HashingEmbedder(), fill_freed_memory=True)
    try:
        store.add(
            [
                interaction(GONE_USER, f"only once: {GONE_MARKER} {round_}", reply=f"{GONE_MARKER} reply"),
                interaction(KEPT_USER, f"only once: {KEPT_MARKER}"),
            ]
        )
        assert files_containing(folder, GONE_MARKER)
        store.forget(GONE_USER)
        assert files_containing(folder, GONE_MARKER) == []
        assert files_containing(folder, GONE_USER) == []
        assert files_containing(folder, KEPT_MARKER)
        assert [e.interaction.user_text for e in store.recall(KEPT_USER, mode="recency", k=5)] == [
            f"only once: {KEPT_MARKER}"
        ]
    finally:
        close_store(store)
    assert files_containing(folder, GONE_MARKER) == []
