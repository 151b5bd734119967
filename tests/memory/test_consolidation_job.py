"""The consolidation job end to end: records in, preferences out; incremental, idempotent, crash-safe."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _helpers import close_store

from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.models import Feedback, Interaction, utc_now
from prefmem.memory.preferences import Preference
from prefmem.memory.semantic.store import SemanticStore
from prefmem.memory.signals import AGAINST, FOR

PROJECT_ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def said(user: str, text: str, day: float, *, minute: int = 0, session: str | None = None) -> Interaction:
    moment = T0 + timedelta(days=day, minutes=minute)
    return Interaction(
        user_id=user, session_id=session or f"d{day}", timestamp=moment, user_text=text, assistant_text="ok"
    )


def answered(
    user: str, item: str, options: Sequence[str], chosen: int, day: float, *, condition: str | None = None
) -> Feedback:
    return Feedback(
        user_id=user,
        session_id=f"d{day}",
        timestamp=T0 + timedelta(days=day, minutes=30),
        kind="answer",
        prompt=f"Question {item}?",
        options=list(options),
        chosen=chosen,
        item_id=item,
        condition=condition,
    )


def history(user: str) -> list[Interaction | Feedback]:
    """One user's records, built to give every kind of preference."""
    records: list[Interaction | Feedback] = [
        # genuine: the same stance, once said of the scale's other end, on two days
        said(user, "I prefer short answers", 0),
        said(user, "I don't like long answers", 2),
        # tentative: one occasion only
        said(user, "I love jazz", 0, minute=5),
        # momentary: never a preference
        said(user, "I want a formal tone just today", 1),
        # a question, no preference
        said(user, "Can you recommend a film?", 1, minute=5),
    ]
    # superseded, then genuine: a change of mind
    records += [said(user, "I like coffee", d, minute=10) for d in (0, 1, 2)]
    records += [said(user, "I don't like coffee", d, minute=10) for d in (3, 4, 5)]
    # non_attitude: answers flip between occasions
    records += [answered(user, "season", ["summer", "winter"], c, d) for d, c in enumerate([0, 1, 0, 1])]
    # constructed: consistent within each framing, different across
    for day, condition in enumerate(["a-first", "b-first", "a-first", "b-first"]):
        options = ["tea", "milk"] if condition == "a-first" else ["milk", "tea"]
        records.append(answered(user, "drink", options, 0, day + 0.01, condition=condition))
    return records


Key = tuple[str, str, str, float, tuple[str, ...]]


def keys(preferences: Sequence[Preference]) -> list[Key]:
    return sorted((p.id, p.kind, p.value, p.stability, tuple(p.evidence_ids)) for p in preferences)


def contents(semantic: SemanticStore, users: Sequence[str]) -> dict[str, object]:
    """Everything the store holds for the users, history included."""
    return {
        user: (semantic.fingerprint(user), [p.model_dump() for p in semantic.preferences(user)])
        for user in users
    }


class Setup:
    def __init__(self, path: Path) -> None:
        self.embedder = HashingEmbedder()
        self.episodic = InMemoryEpisodicStore(self.embedder)
        self.semantic = SemanticStore(path)
        self.job = ConsolidationJob(self.episodic, self.semantic, ParsedExtractor(), self.embedder)

    def by_topic(self, user: str) -> dict[tuple[str, str], Preference]:
        return {(p.topic, p.kind): p for p in self.semantic.preferences(user)}

    def current(self, user: str, topic: str) -> Preference:
        [found] = [p for p in self.semantic.preferences(user) if p.topic == topic and p.kind != "superseded"]
        return found


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    made = Setup(tmp_path / SemanticStore.FILE_NAME)
    yield made
    made.semantic.close()


def test_every_kind_from_a_hand_made_history(setup: Setup) -> None:
    setup.episodic.add(history("alice"))
    summary = setup.job.run()
    assert (summary.users_seen, summary.users_processed, summary.added) == (1, 1, 6)
    assert summary.kinds == {
        "genuine": 2,
        "tentative": 1,
        "superseded": 1,
        "non_attitude": 1,
        "constructed": 1,
    }

    found = {(p.topic, p.kind, p.value) for p in setup.semantic.preferences("alice")}
    assert found == {
        ("short answers", "genuine", FOR),
        ("jazz", "tentative", FOR),
        ("coffee", "superseded", FOR),
        ("coffee", "genuine", AGAINST),
        ("question season", "non_attitude", "winter"),
        ("question drink", "constructed", "tea"),
    }
    assert not any("formal" in p.topic or "film" in p.topic for p in setup.semantic.preferences("alice"))


def test_statements_support_and_evidence(setup: Setup) -> None:
    records = history("alice")
    setup.episodic.add(records)
    setup.job.run()
    short = setup.current("alice", "short answers")
    assert short.statement == "Likes short answers; dislikes long answers"
    assert (short.support.signals, short.support.occasions, short.support.conditions) == (2, 2, 1)
    assert short.evidence_ids == sorted(r.record_id() for r in records[:2])
    assert (short.first_seen, short.last_seen) == (T0, T0 + timedelta(days=2))
    assert [h.kind for h in short.history] == ["genuine"]

    coffee = setup.current("alice", "coffee")
    assert coffee.statement == "Dislikes coffee"
    assert coffee.support.occasions == 3
    old = setup.by_topic("alice")[("coffee", "superseded")]
    assert old.value == FOR and old.id != coffee.id
    assert "replaced by '-'" in old.reason

    season = setup.current("alice", "question season")
    assert season.statement == 'No stable answer to "question season?"'
    assert season.item_id == "season"
    drink = setup.current("alice", "question drink")
    assert drink.statement == 'Answer to "question drink?" depends on how it is asked'
    assert drink.support.conditions == 2


def test_an_exception_said_in_one_message_is_one_stance_with_the_rule(setup: Setup) -> None:
    setup.episodic.add(
        [
            said("cy", "I like jazz but not smooth jazz.", 0),
            said("cy", "I love jazz.", 2),
            said("cy", "Smooth jazz isn't for me.", 4),
        ]
    )
    setup.job.run()
    [jazz] = setup.semantic.preferences("cy")
    # for jazz, against smooth jazz (the first message says both): opposite ends of one
    # slot, so four signals on three agreeing occasions
    assert (jazz.kind, jazz.support.signals, jazz.support.occasions) == ("genuine", 4, 3)
    assert jazz.statement == "Likes jazz; dislikes smooth jazz"


def test_a_second_run_processes_no_one_and_changes_nothing(setup: Setup) -> None:
    setup.episodic.add(history("alice") + history("bob"))
    first = setup.job.run()
    assert first.users_processed == 2
    before = contents(setup.semantic, ["alice", "bob"])
    again = setup.job.run()
    assert (again.users_seen, again.users_processed, again.added, again.changed, again.removed) == (
        2,
        0,
        0,
        0,
        0,
    )
    assert contents(setup.semantic, ["alice", "bob"]) == before


def test_a_new_version_of_the_extractor_reprocesses_every_user(setup: Setup) -> None:
    # the extractor's name goes into each user's fingerprint: a changed reading is reapplied
    class NextVersion(ParsedExtractor):
        name = ParsedExtractor.name + "-next"

    setup.episodic.add(history("alice") + history("bob"))
    setup.job.run()
    setup.job.extractor = NextVersion()
    assert setup.job.run().users_processed == 2
    assert setup.job.run().users_processed == 0


def test_a_new_version_of_the_consolidation_logic_reprocesses_every_user(setup: Setup) -> None:
    # changed grouping or labelling must reach preferences built before the upgrade
    setup.episodic.add(history("alice") + history("bob"))
    setup.job.run()
    assert setup.job.run().users_processed == 0
    setup.job.logic_version = ConsolidationJob.logic_version + "-next"
    assert setup.job.run().users_processed == 2
    assert setup.job.run().users_processed == 0


def test_forcing_a_rerun_changes_nothing_either(setup: Setup) -> None:
    setup.episodic.add(history("alice"))
    setup.job.run()
    before = contents(setup.semantic, ["alice"])
    summary = setup.job.run(force=True)
    assert (summary.users_processed, summary.added, summary.changed, summary.removed) == (1, 0, 0, 0)
    assert contents(setup.semantic, ["alice"]) == before


def test_new_records_for_one_user_reprocess_only_that_user(setup: Setup) -> None:
    setup.episodic.add(history("alice") + history("bob"))
    setup.job.run()
    alice_before = contents(setup.semantic, ["alice"])
    setup.episodic.add([said("bob", "I love jazz", 7)])
    summary = setup.job.run()
    assert (summary.users_seen, summary.users_processed) == (2, 1)
    assert contents(setup.semantic, ["alice"]) == alice_before
    assert setup.current("bob", "jazz").kind == "genuine"

    setup.episodic.add([answered("alice", "season", ["summer", "winter"], 0, 9)])  # feedback only
    assert setup.job.run().users_processed == 1


def test_only_the_chosen_users_run(setup: Setup) -> None:
    setup.episodic.add(history("alice") + history("bob"))
    summary = setup.job.run(["bob"])
    assert (summary.users_seen, summary.users_processed) == (1, 1)
    assert setup.semantic.preferences("alice") == []
    from prefmem.memory.errors import UnknownUserError

    with pytest.raises(UnknownUserError):
        setup.job.run(["nobody"])


def test_a_kind_change_adds_a_history_entry(setup: Setup) -> None:
    setup.episodic.add([said("alice", "I love jazz", 0)])
    setup.job.run()
    first = setup.current("alice", "jazz")
    assert first.kind == "tentative"
    setup.episodic.add([said("alice", "I really love jazz", 1)])
    summary = setup.job.run()
    assert (summary.added, summary.changed) == (0, 1)
    second = setup.current("alice", "jazz")
    assert second.id == first.id
    assert [h.kind for h in second.history] == ["tentative", "genuine"]
    assert second.history[0] == first.history[0]


def test_a_confirmed_preference_keeps_its_status(setup: Setup) -> None:
    setup.episodic.add(history("alice"))
    setup.job.run()
    jazz = setup.current("alice", "jazz")
    setup.semantic.confirm(jazz.id)

    setup.job.run(force=True)
    assert setup.semantic.get(jazz.id).user_status == "confirmed"

    setup.episodic.add([said("alice", "I love jazz", 3)])  # the evidence changes
    setup.job.run()
    now = setup.semantic.get(jazz.id)
    assert (now.user_status, now.kind, now.support.occasions) == ("confirmed", "genuine", 2)
    assert [h.note for h in now.history][1] == "confirmed by the user"


def test_a_confirmed_statement_is_not_overridden_by_later_evidence(setup: Setup) -> None:
    setup.episodic.add([said("alice", "I like tea", d) for d in (0, 1)])
    setup.job.run()
    tea = setup.current("alice", "tea")
    assert (tea.kind, tea.statement) == ("genuine", "Likes tea")
    setup.semantic.confirm(tea.id)

    setup.episodic.add([said("alice", "I don't like tea", d) for d in (2, 3, 4)])
    setup.job.run()
    now = setup.semantic.get(tea.id)
    assert (now.user_status, now.statement) == ("confirmed", "Likes tea")
    assert now.history[-1].value == AGAINST  # the evidence's change is still on record


def test_an_edited_statement_survives(setup: Setup) -> None:
    setup.episodic.add(history("alice"))
    setup.job.run()
    jazz = setup.current("alice", "jazz")
    setup.semantic.edit(jazz.id, "Loves cool jazz, not bebop")
    setup.job.run(force=True)
    assert setup.semantic.get(jazz.id).statement == "Loves cool jazz, not bebop"
    setup.episodic.add([said("alice", "I love jazz", 3)])
    setup.job.run()
    now = setup.semantic.get(jazz.id)
    assert (now.statement, now.user_status, now.kind) == ("Loves cool jazz, not bebop", "edited", "genuine")


def test_a_users_word_outlives_its_evidence(setup: Setup) -> None:
    setup.episodic.add(history("alice"))
    setup.job.run()
    jazz = setup.current("alice", "jazz")
    setup.semantic.confirm(jazz.id)
    setup.job.rules = type(setup.job.rules)(slot_similarity=0.0)  # every topic in one slot: ids change
    setup.job.run()
    assert setup.semantic.get(jazz.id).user_status == "confirmed"


def test_a_deleted_preference_stays_away_until_newer_evidence(setup: Setup) -> None:
    setup.episodic.add(history("alice"))
    setup.job.run()
    short = setup.current("alice", "short answers")
    setup.semantic.delete(short.id)

    setup.job.run(force=True)
    assert all(p.topic != "short answers" for p in setup.semantic.preferences("alice"))

    setup.episodic.add([said("alice", "I prefer short answers", 4)])  # older than the deletion
    setup.job.run()
    assert all(p.topic != "short answers" for p in setup.semantic.preferences("alice"))

    later = Interaction(
        user_id="alice", timestamp=utc_now() + timedelta(days=1), user_text="I always want short answers"
    )
    setup.episodic.add([later])
    summary = setup.job.run()
    assert summary.added == 1
    back = setup.current("alice", "short answers")
    assert back.id == short.id and back.kind == "genuine"
    assert later.record_id() in back.evidence_ids


def test_preference_ids_are_stable_across_stores(tmp_path: Path) -> None:
    runs = []
    for name in ("one", "two"):
        made = Setup(tmp_path / f"{name}.sqlite3")
        made.episodic.add(history("alice"))
        made.job.run()
        runs.append(keys(made.semantic.preferences("alice")))
        made.semantic.close()
    assert runs[0] == runs[1]


def test_consolidating_signals_on_an_empty_history_writes_nothing(setup: Setup) -> None:
    setup.episodic.add([said("alice", "Can you help me?", 0)])
    summary = setup.job.run()
    assert (summary.users_processed, summary.added) == (1, 0)
    assert setup.semantic.preferences("alice") == []
    assert setup.semantic.fingerprint("alice") is not None
    assert setup.job.run().users_processed == 0


# -- crash safety ---------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    sys.path.insert(0, sys.argv[1])
    from prefmem.memory.consolidation.job import ConsolidationJob
    from prefmem.memory.embeddings.fake import HashingEmbedder
    from prefmem.memory.episodic.chroma import ChromaEpisodicStore
    from prefmem.memory.extraction.parsed import ParsedExtractor
    from prefmem.memory.semantic.store import SemanticStore

    embedder = HashingEmbedder()
    episodic = ChromaEpisodicStore.persistent(Path(sys.argv[2]), embedder)
    semantic = SemanticStore(sys.argv[3])
    job = ConsolidationJob(episodic, semantic, ParsedExtractor(), embedder)
    print("ready", flush=True)
    job.run(progress=lambda user: print("did", user, flush=True))
    print("done", flush=True)
    """
)

CRASH_USERS = 24


def _crash_history(user: str, rng: random.Random) -> list[Interaction | Feedback]:
    topics = ["jazz", "short answers", "coffee", "horror films", "metric units", "spicy food"]
    records: list[Interaction | Feedback] = []
    for day in range(rng.randint(1, 5)):
        for minute, topic in enumerate(rng.sample(topics, 3)):
            verb = rng.choice(["I like", "I love", "I don't like", "I hate"])
            records.append(said(user, f"{verb} {topic}", day, minute=minute))
        records.append(answered(user, "season", ["summer", "winter"], rng.randint(0, 1), day))
    return records


def _open_chroma(path: Path) -> EpisodicStore:
    from prefmem.memory.episodic.chroma import ChromaEpisodicStore

    return ChromaEpisodicStore.persistent(path, HashingEmbedder())


def _complete(chroma: Path, semantic_path: Path) -> dict[str, list[Key]]:
    episodic = _open_chroma(chroma)
    semantic = SemanticStore(semantic_path)
    try:
        ConsolidationJob(episodic, semantic, ParsedExtractor(), HashingEmbedder()).run()
        assert (
            ConsolidationJob(episodic, semantic, ParsedExtractor(), HashingEmbedder()).run().users_processed
            == 0
        )
        return {u.user_id: keys(semantic.preferences(u.user_id)) for u in episodic.users()}
    finally:
        semantic.close()
        close_store(episodic)


def test_killing_the_job_midway_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20240301)
    master = tmp_path / "master"
    episodic = _open_chroma(master)
    episodic.add([r for n in range(CRASH_USERS) for r in _crash_history(f"user-{n:02d}", rng)])
    close_store(episodic)

    expected = _complete(master, tmp_path / "uninterrupted.sqlite3")
    assert len(expected) == CRASH_USERS
    assert sum(len(prefs) for prefs in expected.values()) > CRASH_USERS

    partial_runs = 0
    trials = int(os.environ.get("PREFMEM_CRASH_TRIALS", "5"))  # the closing figure uses 20
    for trial in range(trials):
        chroma = tmp_path / f"copy-{trial}"
        shutil.copytree(master, chroma)
        semantic_path = tmp_path / f"semantic-{trial}.sqlite3"
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(PROJECT_ROOT), str(chroma), str(semantic_path)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            for _ in range(rng.randint(0, CRASH_USERS - 4)):  # let it finish some users
                child.stdout.readline()
            time.sleep(rng.uniform(0, 0.005))  # then kill it somewhere inside the next ones
            child.send_signal(signal.SIGKILL)
            rest = child.stdout.read()
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
        assert child.returncode == -signal.SIGKILL
        killed_midway = "done" not in rest

        # whatever was written is complete per user: each saved user matches the uninterrupted run
        semantic = SemanticStore(semantic_path)
        try:
            saved = semantic.users()
            for user in saved:
                assert keys(semantic.preferences(user)) == expected[user]
        finally:
            semantic.close()
        partial_runs += killed_midway and 0 < len(saved) < CRASH_USERS

        assert _complete(chroma, semantic_path) == expected
    assert partial_runs >= 3
