"""Forget: many users, each with a unique marker word in everything they said, chose and had
consolidated; half are forgotten through `prefmem.Memory.forget`; then every byte of every file
under the data folder is scanned for the forgotten markers (as UTF-8 and UTF-16), and the kept
users' memories are read back whole.

A trial is one forgotten user: `hits` counts occurrences of their marker left on disk (goal 0).
`damaged` counts kept users whose exchanges, feedback or preferences changed (goal 0);
`kept_users_found_on_disk` shows the scan finds text the stores hold in the clear (a store that
encrypts would make the scan blind, and this count 0). The long
mode embeds with the real model (MiniLM), the quick one with the hashing embedder.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefmem.evals.reliability.results import CheckResult
from prefmem.evals.reliability.workspace import byte_hits, marker, memory_settings


def _fill(memory: Any, user: str, word: str) -> None:
    start = datetime(2026, 5, 1, 9, tzinfo=UTC)
    for day in range(3):
        moment = start + timedelta(days=day)
        memory.add(
            user,
            f"I love {word} tea with honey",
            f"{word} tea it is",
            timestamp=moment,
            session_id=f"{word}-s{day}",
        )
        memory.add(user, f"My {word} garden needs water", "noted", timestamp=moment + timedelta(hours=2))
    memory.feedback(user, f"which {word} reply?", options=[f"short {word}", f"long {word}"], chosen=0)
    memory.feedback(user, f"rate {word}", response=f"a {word} answer", value=1)


def _snapshot(memory: Any, user: str) -> tuple[Any, ...]:
    episodes = memory.recall(user, None, mode="recency", k=1_000_000)
    summary = next(s for s in memory.users() if s.user_id == user)
    return (
        sorted((e.interaction.user_text, e.interaction.assistant_text) for e in episodes),
        summary.feedback,
        sorted((p.kind, p.statement) for p in memory.preferences(user)),
    )


def run_forget(folder: Path, *, users: int, real_model: bool, rng: random.Random) -> CheckResult:
    """`users` users (half forgotten): one trial per forgotten user."""
    from prefmem.api import Memory

    result = CheckResult("forget", goals=("hits", "damaged"))
    data = folder / "data"
    settings = memory_settings(data)
    if real_model:
        settings["embedder"] = {"backend": "sentence-transformers"}
    words = {f"person{number:03d}": marker(rng, "fg") for number in range(users)}
    doomed = set(rng.sample(sorted(words), users // 2))
    with Memory(**settings) as memory:
        for user, word in words.items():
            _fill(memory, user, word)
        memory.consolidate(force=True)
        before = {user: _snapshot(memory, user) for user in words if user not in doomed}
        for user in sorted(doomed):
            memory.forget(user)
        after = {user: _snapshot(memory, user) for user in before}
    hits = byte_hits(data, [words[user] for user in doomed])
    for user in sorted(doomed):
        result.trials += 1
        if hits[words[user]]:
            result.add("hits", hits[words[user]], f"{user}: {hits[words[user]]} hits of {words[user]!r}")
            result.add("users_with_hits")
    kept_hits = byte_hits(data, [words[user] for user in before])
    for user, held in before.items():
        if after[user] != held:
            result.add("damaged", 1, f"{user}: memory changed when others were forgotten")
        if kept_hits[words[user]]:  # the scan finds a kept user's text: it can find a forgotten one's
            result.add("kept_users_found_on_disk")
    result.counts["users"] = users
    result.counts["embedder_real"] = int(real_model)
    return result
