"""Forgetting holds by construction: after `forget`, no byte under the data folder carries the user.

Many users, each with a unique marker word in their messages, replies, feedback and
preferences, go through the real embedding model; half of them are forgotten, then every
file under the data folder is read byte by byte. Nothing of the forgotten users may be
found, and everything of the others must still be there. The arrangement (text only in
prefmem's SQLite files, rewritten on forget; the index in a process that never sees
text) makes the outcome deterministic, so one run decides.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prefmem import Memory
from prefmem.agent.user_data import chat_history_file
from prefmem.memory.embeddings.base import Embedder

USERS = 16
DAY0 = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)


def marker(number: int) -> str:
    """A made-up word that appears nowhere else: letters only, so tokenizers keep it whole."""
    digest = hashlib.sha256(f"marker {number}".encode()).hexdigest()
    return "zq" + "".join(chr(ord("a") + int(ch, 16) % 26) for ch in digest[:10])


def user_id(number: int) -> str:
    return f"person-{marker(number)}@example.org"


def hits(folder: Path, needles: list[str]) -> dict[str, list[str]]:
    """For each needle, the files under folder whose bytes contain it (UTF-8)."""
    contents = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    return {
        needle: sorted(
            str(path.relative_to(folder)) for path, data in contents.items() if needle.encode() in data
        )
        for needle in needles
    }


def _remember(memory: Memory, number: int) -> None:
    user, word = user_id(number), marker(number)
    for day in range(3):
        memory.add(
            user,
            f"I really love {word} tea in the morning",
            f"Noted: {word} tea it is.",
            timestamp=DAY0 + timedelta(days=day),
            session_id=f"{word}-{day}",
            metadata={"note": f"{word} metadata"},
        )
    memory.add(user, f"Tell me about the history of {word}", timestamp=DAY0 + timedelta(days=3))
    memory.feedback(user, f"Which {word} blend?", response=f"The smoky {word} blend", value=1)


@pytest.mark.slow
def test_forget_leaves_no_byte_of_the_user_under_the_data_folder(
    tmp_path: Path, real_embedder: Embedder
) -> None:
    data = tmp_path / "data"
    settings = {"consolidation": {"every_n_interactions": 0}}
    with Memory(data_dir=data, embedder=real_embedder, **settings) as memory:
        for number in range(USERS):
            _remember(memory, number)
        memory.consolidate()
        for number in range(USERS):
            history = chat_history_file(data, user_id(number))  # what the terminal chat keeps
            history.parent.mkdir(parents=True, exist_ok=True)
            history.write_text(f"what about {marker(number)}?\n", encoding="utf-8")

        everyone = [marker(n) for n in range(USERS)] + [user_id(n) for n in range(USERS)]
        before = hits(data, everyone)
        # the test can fail: every user's words and id are on disk, and in a preference
        assert all(before[needle] for needle in everyone), before
        for number in range(USERS):
            statements = " ".join(p.statement for p in memory.preferences(user_id(number)))
            assert marker(number) in statements

        gone = range(0, USERS, 2)
        for number in gone:
            summary = memory.forget(user_id(number))
            assert (summary.interactions, summary.feedback, summary.coefficients, summary.files) == (
                4,
                1,
                1,
                1,
            )
            assert summary.preferences >= 1

        forgotten = [marker(n) for n in gone] + [user_id(n) for n in gone]
        assert {needle: files for needle, files in hits(data, forgotten).items() if files} == {}

        kept = range(1, USERS, 2)
        assert sorted(u.user_id for u in memory.users()) == sorted(user_id(n) for n in kept)
        for number in kept:
            user, word = user_id(number), marker(number)
            found = memory.recall(user, f"{word} tea", mode="similarity", k=10)
            assert {e.interaction.user_text for e in found} == {
                f"I really love {word} tea in the morning",
                f"Tell me about the history of {word}",
            }
            notes = [e.interaction.metadata for e in memory.recall(user, mode="recency", k=10)]
            assert notes == [{}] + [{"note": f"{word} metadata"}] * 3
            assert word in " ".join(p.statement for p in memory.preferences(user))
            assert chat_history_file(data, user).exists()
        still = hits(data, [marker(n) for n in kept] + [user_id(n) for n in kept])
        assert all(still.values()), still

    # and nothing comes back when the folder is opened again
    with Memory(data_dir=data, embedder=real_embedder, **settings) as reopened:
        assert sorted(u.user_id for u in reopened.users()) == sorted(user_id(n) for n in kept)
        for number in kept:
            assert len(reopened.recall(user_id(number), mode="recency", k=10)) == 4
    assert {needle: files for needle, files in hits(data, forgotten).items() if files} == {}
