"""Vectors written behind: records stored with `defer_index` are recalled before they reach Chroma,
reach it at `flush_index` or `close`, survive a crash, and go with forget and delete."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers import close_store, interaction

import prefmem
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.base import RECALL_MODES
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.episodic.texts import TextRow, TextStore
from prefmem.memory.models import Interaction


@pytest.fixture
def folders(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    yield tmp_path / "deferred", tmp_path / "direct"


def _open(folder: Path, **ranking: float) -> ChromaEpisodicStore:
    return ChromaEpisodicStore.persistent(folder, HashingEmbedder(), **ranking)


def _history() -> list[Interaction]:
    """Older records about cooking, a few recent ones about other things, for two users."""
    records = [
        interaction("alice", "cooking pasta recipe" + " and more" * n, days=-60 - n) for n in range(14)
    ]
    records += [
        interaction("alice", "some pasta tonight, or astronomy", days=0),
        interaction("alice", "telescope mirrors and dark skies", days=-1),
        interaction("alice", "cooking rice in a clay pot", days=-2),
        interaction("bob", "cooking pasta for a crowd", days=-3),
    ]
    return records


def _indexed(store: ChromaEpisodicStore, user_id: str, record_ids: list[str]) -> set[str]:
    """Which of these records' vectors Chroma itself holds (searched among them alone)."""
    held: set[str] = set()
    for record_id in record_ids:
        vector_id = store._ids.vector_id(user_id, record_id)
        vector = store.embedder.embed("anything")
        try:
            hits = store._index.query(store._ids.collection(user_id), vector, 1, [vector_id])
        except Exception:  # Chroma refuses to search among ids it does not hold
            hits = []
        held.update(record_id for found, _ in hits if found == vector_id)
    return held


def _marked(folder: Path) -> int:
    texts = TextStore(folder / TextStore.FILE_NAME)
    try:
        return len(texts.unindexed_rows())
    finally:
        texts.close()


@pytest.mark.parametrize("mode", RECALL_MODES)
@pytest.mark.parametrize("k", [1, 3, 20])
def test_recall_before_the_flush_matches_a_store_that_indexed_at_once(
    folders: tuple[Path, Path], mode: str, k: int
) -> None:
    ranking = {"similarity_weight": 0.1, "half_life_days": 7.0}  # recency matters: the pool is extended
    deferred, direct = _open(folders[0], **ranking), _open(folders[1], **ranking)
    try:
        records = _history()
        # a few already in the index, the rest written behind
        deferred.add(records[:5])
        deferred.add(records[5:], defer_index=True)
        direct.add(records)
        assert deferred.waiting_vectors() == len(records) - 5
        for user, query in [("alice", "cooking pasta recipe"), ("alice", "astronomy"), ("bob", "pasta")]:
            got = deferred.recall(user, query, mode=mode, k=k)  # type: ignore[arg-type]
            want = direct.recall(user, query, mode=mode, k=k)  # type: ignore[arg-type]
            assert [e.score for e in got] == pytest.approx([e.score for e in want], abs=1e-5)
            # among equally scored records, which ones an index returns first is its own affair
            every = [round(e.score, 5) for e in direct.recall(user, query, mode=mode, k=50)]  # type: ignore[arg-type]
            tied = {score for score in every if every.count(score) > 1}
            assert [e.id for e in got if round(e.score, 5) not in tied] == [
                e.id for e in want if round(e.score, 5) not in tied
            ]
        hybrid = deferred.recall("alice", "cooking pasta recipe", mode="hybrid", k=1)
        assert hybrid[0].interaction.user_text == "some pasta tonight, or astronomy"  # written behind
    finally:
        close_store(deferred)
        close_store(direct)


def test_flush_moves_the_vectors_into_chroma_and_clears_the_marks(folders: tuple[Path, Path]) -> None:
    store = _open(folders[0])
    try:
        records = _history()
        store.add(records, defer_index=True)
        alice = [r.record_id() for r in records if r.user_id == "alice"]
        assert _indexed(store, "alice", alice) == set()
        assert _marked(folders[0]) == len(records)
        before = store.recall("alice", "cooking pasta", mode="similarity", k=5)
        assert store.flush_index("alice") == len(alice)
        assert _indexed(store, "alice", alice) == set(alice)
        assert store.waiting_vectors("alice") == 0 and store.waiting_vectors("bob") == 1
        assert _marked(folders[0]) == 1  # bob's
        assert store.flush_index() == 1 and _marked(folders[0]) == 0
        after = store.recall("alice", "cooking pasta", mode="similarity", k=5)
        assert [e.id for e in after] == [e.id for e in before]
    finally:
        close_store(store)


def test_close_indexes_what_waits(folders: tuple[Path, Path]) -> None:
    store = _open(folders[0])
    records = _history()
    store.add(records, defer_index=True)
    store.close()
    assert _marked(folders[0]) == 0
    reopened = _open(folders[0])
    try:
        alice = [r.record_id() for r in records if r.user_id == "alice"]
        assert _indexed(reopened, "alice", alice) == set(alice)
        assert reopened.waiting_vectors() == 0
    finally:
        close_store(reopened)


def test_records_written_behind_survive_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    root = Path(prefmem.__file__).resolve().parent.parent
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(root)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from _helpers import interaction
        from prefmem.memory.embeddings.fake import HashingEmbedder
        from prefmem.memory.episodic.chroma import ChromaEpisodicStore
        store = ChromaEpisodicStore.persistent(Path({str(folder)!r}), HashingEmbedder())
        store.add([interaction("alice", "the first note, indexed", days=-2)])
        store.add([interaction("alice", "a second note about kayaks", days=-1),
                   interaction("bob", "bob's note about kayaks")], defer_index=True)
        os._exit(0)  # killed before the flush: no close, no index write
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _marked(folder) == 2
    store = _open(folder)
    try:
        assert _marked(folder) == 0  # indexed on open
        assert store.waiting_vectors() == 0
        found = store.recall("alice", "kayaks", mode="similarity", k=1)
        assert [e.interaction.user_text for e in found] == ["a second note about kayaks"]
        assert _indexed(store, "alice", [found[0].id]) == {found[0].id}
        assert [e.interaction.user_text for e in store.recall("bob", "kayaks", mode="similarity")] == [
            "bob's note about kayaks"
        ]
    finally:
        close_store(store)


def test_forget_drops_the_waiting_vectors_and_marks(folders: tuple[Path, Path]) -> None:
    store = _open(folders[0])
    try:
        records = _history()
        store.add(records, defer_index=True)
        store.forget("alice")
        assert store.waiting_vectors("alice") == 0 and store.waiting_vectors("bob") == 1
        assert _marked(folders[0]) == 1
        assert store.flush_index() == 1
        assert store._index.embedder_of(store._ids.collection("alice")) is None  # never written
        assert not store.has_user("alice")
        assert [e.interaction.user_text for e in store.recall("bob", "pasta", mode="similarity")] == [
            "cooking pasta for a crowd"
        ]
    finally:
        close_store(store)


def test_delete_drops_the_waiting_vectors_and_marks(folders: tuple[Path, Path]) -> None:
    store = _open(folders[0])
    try:
        records = [interaction("alice", f"a note about kayaks number {n}", days=-n) for n in range(4)]
        store.add(records[:2])
        store.add(records[2:], defer_index=True)
        doomed = [records[1].record_id(), records[3].record_id()]  # one indexed, one waiting
        assert store.delete_interactions("alice", doomed) == 2
        assert store.waiting_vectors("alice") == 1 and _marked(folders[0]) == 1
        left = {e.id for e in store.recall("alice", "kayaks", mode="similarity", k=10)}
        assert left == {records[0].record_id(), records[2].record_id()}
        assert store.flush_index() == 1
        ids = [r.record_id() for r in records]
        assert _indexed(store, "alice", ids) == {records[0].record_id(), records[2].record_id()}
    finally:
        close_store(store)


def test_a_flush_skips_records_another_process_deleted(folders: tuple[Path, Path]) -> None:
    """With a Chroma server, another process may forget a user whose vectors wait here."""
    store = _open(folders[0])
    try:
        store.add([interaction("alice", "a note about kayaks")], defer_index=True)
        other = TextStore(folders[0] / TextStore.FILE_NAME)  # what another process would change
        other.forget_user("alice")
        other.close()
        assert store.recall("alice", "kayaks", mode="similarity") == []
        assert store.flush_index() == 0
        assert store._index.embedder_of(store._ids.collection("alice")) is None
    finally:
        close_store(store)


def test_recall_skips_records_another_process_has_not_indexed_yet(folders: tuple[Path, Path]) -> None:
    """With a Chroma server, another process's records written behind are in the shared text store
    before their vectors are in Chroma: recall leaves them out until then, and does not fail."""
    store = _open(folders[0], similarity_weight=0.1)
    try:
        store.add(
            [interaction("alice", f"a note about kayaks {'and more ' * n}", days=-30 - n) for n in range(12)]
        )
        theirs = interaction("alice", "kayaks at dawn, or astronomy", days=0)
        other = TextStore(folders[0] / TextStore.FILE_NAME)  # what another process would write
        vector_id = store._ids.vector_id("alice", theirs.record_id())
        other.insert(
            [TextRow("alice", theirs.record_id(), vector_id, False, theirs.model_dump_json())],
            unindexed=[vector_id],
        )
        other.close()
        for mode in RECALL_MODES:
            found = store.recall("alice", "kayaks", mode=mode, k=1)  # hybrid searches among the newest
            assert len(found) == 1
        assert store.recall("alice", "kayaks", mode="recency", k=1)[0].id == theirs.record_id()
        assert theirs.record_id() not in {e.id for e in store.recall("alice", "kayaks", mode="hybrid", k=13)}
    finally:
        close_store(store)


def test_marks_hold_nothing_readable(folders: tuple[Path, Path]) -> None:
    store = _open(folders[0])
    try:
        record = interaction("alice-walker", "a note about kayaks")
        store.add([record], defer_index=True)
        texts = TextStore(folders[0] / TextStore.FILE_NAME)
        try:
            with texts._lock:
                marks = [row[0] for row in texts._db.execute("SELECT * FROM unindexed")]
        finally:
            texts.close()
        assert marks == [store._ids.vector_id("alice-walker", record.record_id())]  # a keyed digest
    finally:
        close_store(store)
