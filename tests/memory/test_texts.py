"""The episodic text store and the opaque ids: what the vector index sees, and several processes at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prefmem.memory.episodic.opaque_ids import OpaqueIds
from prefmem.memory.episodic.texts import TextRow, TextStore

ROOT = Path(__file__).resolve().parents[2]


def row(user: str, number: int, *, feedback: bool = False) -> TextRow:
    record_id = f"{1_700_000_000_000 + number:015d}-{number:020x}"
    return TextRow(
        user, record_id, None if feedback else f"v-{user}-{number}", feedback, f'{{"n": {number}}}'
    )


def test_ids_reveal_nothing_and_are_stable_per_folder(tmp_path: Path) -> None:
    ids = OpaqueIds.in_folder(tmp_path / "a")
    again = OpaqueIds.in_folder(tmp_path / "a")
    other = OpaqueIds.in_folder(tmp_path / "b")
    # the user id's letters are not hex digits, so a digest cannot hold them by chance
    user, record = "zoe@example.org", "001740992400000-8da1d74d9d2c02163a94"
    name = ids.collection(user)
    assert name == again.collection(user) and ids.vector_id(user, record) == again.vector_id(user, record)
    assert name != other.collection(user)  # another folder's key: nothing to link across folders
    for opaque in (name, ids.vector_id(user, record)):
        assert "zoe" not in opaque and "example" not in opaque and "1740992400" not in opaque
    assert ids.collection("bo") != name
    assert ids.vector_id(user, record) != ids.vector_id("bo", record)
    key = (tmp_path / "a" / OpaqueIds.FILE_NAME).stat()
    assert key.st_size == 32 and key.st_mode & 0o777 == 0o600


def test_text_store_reads_by_user_and_deletes_for_good(tmp_path: Path) -> None:
    path = tmp_path / TextStore.FILE_NAME
    store = TextStore(path)
    try:
        assert store.insert([row("ada", n) for n in range(5)] + [row("ada", 9, feedback=True)]) == 6
        assert store.insert([row("ada", 0), row("bo", 0)]) == 1  # ids already held are skipped
        assert store.newest_ids("ada", 2) == [row("ada", 4).id, row("ada", 3).id]
        assert store.record_ids("ada", ["v-ada-1", "v-bo-0"]) == {"v-ada-1": row("ada", 1).id}
        assert store.bodies("bo", [row("ada", 1).id]) == {}  # another user's record is unknown
        assert store.counts() == {"ada": (5, 1), "bo": (1, 0)}
        assert store.held("ada", [row("ada", 9).id], interactions_only=True) == set()
        assert store.delete("ada", [row("ada", 4).id]) == 1
        store.forget_user("bo")
        assert store.counts() == {"ada": (4, 1)}
        assert not store.has_user("bo")
    finally:
        store.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # the log's old frames are gone too


_WRITER = """
import sys
from prefmem.memory.episodic.texts import TextRow, TextStore
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = TextStore(__import__("pathlib").Path(path))
for n in range(count):
    record = f"{n:015d}-{name}"
    mine = TextRow(name, record, f"v-{name}-{n}", False, "{}")
    store.insert([mine, TextRow("shared", record, None, True, "{}")])
    store.newest_ids("shared", 5)
    if n % 25 == 24:
        store.forget_user(name + "-scratch")
        store.insert([TextRow(name + "-scratch", "x", None, True, "{}")])
store.close()
"""


def test_several_processes_write_and_forget_in_one_text_store(tmp_path: Path) -> None:
    path = tmp_path / TextStore.FILE_NAME
    TextStore(path).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    count = 100
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), name, str(count)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("w1", "w2", "w3")
    ]
    for writer in writers:
        _, error = writer.communicate(timeout=300)
        assert writer.returncode == 0, error
    store = TextStore(path)
    try:
        counts = store.counts()
        assert {user: counts[user] for user in ("w1", "w2", "w3")} == {
            u: (count, 0) for u in ("w1", "w2", "w3")
        }
        assert counts["shared"] == (0, count * 3)
        assert {counts[f"{u}-scratch"] for u in ("w1", "w2", "w3")} == {(0, 1)}
    finally:
        store.close()
