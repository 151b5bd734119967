"""The data folder: its lock across processes, and spotting a corrupted database."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from prefmem.memory.datadir import DataFolder
from prefmem.memory.errors import DataFolderError, StoreBusyError

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Runs in a child process: take the lock in the given mode and report, then (if asked) hold it
# until stdin closes.
_CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    from prefmem.memory.datadir import DataFolder
    from prefmem.memory.errors import StoreBusyError

    folder = DataFolder(sys.argv[2])
    try:
        folder.acquire(sys.argv[3])
    except StoreBusyError as error:
        print("BUSY", error, flush=True)
        sys.exit(0)
    print("ACQUIRED", flush=True)
    if sys.argv[4] == "hold":
        sys.stdin.read()
    folder.release()
    print("RELEASED", flush=True)
    """
)


def try_in_child(path: Path, mode: str) -> str:
    """Try to take the lock from another process; returns its report ("ACQUIRED ..." or "BUSY ...")."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(PROJECT_ROOT), str(path), mode, "release"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def hold_in_child(tmp_path: Path) -> Iterator[object]:
    """Start children that take the lock and hold it until the test ends."""
    children: list[subprocess.Popen[str]] = []

    def start(path: Path, mode: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(PROJECT_ROOT), str(path), mode, "hold"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ACQUIRED"
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.communicate(timeout=30)  # closes stdin: the child releases and exits


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[DataFolder]:
    data = DataFolder(tmp_path / "data")
    data.ensure()
    yield data
    data.release()


def test_exclusive_lock_blocks_other_processes_and_names_the_holder(folder: DataFolder) -> None:
    folder.acquire("exclusive")
    for mode in ("exclusive", "shared"):
        report = try_in_child(folder.path, mode)
        assert report.startswith("BUSY"), report
        assert f"prefmem process {os.getpid()}" in report
        assert str(folder.path) in report
    folder.release()
    assert try_in_child(folder.path, "exclusive").startswith("ACQUIRED")
    assert try_in_child(folder.path, "shared").startswith("ACQUIRED")


def test_lock_held_by_another_process_blocks_this_one(folder: DataFolder, hold_in_child) -> None:  # type: ignore[no-untyped-def]
    child = hold_in_child(folder.path, "exclusive")
    other = DataFolder(folder.path)
    for mode in ("exclusive", "shared"):
        with pytest.raises(StoreBusyError) as caught:
            other.acquire(mode)  # type: ignore[arg-type]
        assert f"prefmem process {child.pid}" in str(caught.value)
    child.communicate(timeout=30)
    assert child.returncode == 0
    other.acquire("exclusive")
    other.release()


def test_shared_locks_coexist_but_keep_writers_out(folder: DataFolder, hold_in_child) -> None:  # type: ignore[no-untyped-def]
    folder.acquire("shared")
    assert try_in_child(folder.path, "shared").startswith("ACQUIRED")
    hold_in_child(folder.path, "shared")
    report = try_in_child(folder.path, "exclusive")
    assert report.startswith("BUSY"), report
    with pytest.raises(StoreBusyError):
        DataFolder(folder.path).acquire("exclusive")
    folder.release()


def test_busy_message_does_not_name_a_writer_that_has_gone(folder: DataFolder, hold_in_child) -> None:  # type: ignore[no-untyped-def]
    # a writer came and went (leaving its note behind), now a reader holds the folder
    assert try_in_child(folder.path, "exclusive").startswith("ACQUIRED")
    reader = hold_in_child(folder.path, "shared")
    with pytest.raises(StoreBusyError) as caught:
        DataFolder(folder.path).acquire("exclusive")
    message = str(caught.value)
    assert "prefmem process" not in message, message  # readers write no note; a stale one must go
    assert "another process" in message
    assert reader.poll() is None


def test_lock_is_released_on_context_exit(folder: DataFolder) -> None:
    with DataFolder(folder.path) as data:
        data.acquire("exclusive")
        assert try_in_child(folder.path, "shared").startswith("BUSY")
    assert try_in_child(folder.path, "exclusive").startswith("ACQUIRED")


def test_acquire_twice_in_one_object_is_a_no_op(folder: DataFolder) -> None:
    folder.acquire("exclusive")
    folder.acquire("exclusive")
    folder.release()
    folder.release()
    assert try_in_child(folder.path, "exclusive").startswith("ACQUIRED")


def test_check_database_spots_garbage(folder: DataFolder) -> None:
    database = folder.path / "chroma.sqlite3"
    folder.check_database("chroma.sqlite3")  # a missing database is fine (nothing stored yet)
    database.write_bytes(b"SQLite format 3\x00" + bytes(100))
    folder.check_database("chroma.sqlite3")
    database.write_bytes(b"\x00\xffthis is not a database at all" * 50)
    with pytest.raises(DataFolderError, match="corrupted"):
        folder.check_database("chroma.sqlite3")


def test_check_database_accepts_a_real_chroma_database(tmp_path: Path) -> None:
    from _helpers import close_store, interaction

    from prefmem.memory.embeddings.fake import HashingEmbedder
    from prefmem.memory.episodic.chroma import ChromaEpisodicStore

    data = DataFolder(tmp_path / "data")
    store = ChromaEpisodicStore.persistent(data.ensure() / "episodic", HashingEmbedder())
    store.add([interaction("alice", "hello")])
    close_store(store)
    data.check_database("episodic/chroma.sqlite3")
    path = data.path / "episodic" / "chroma.sqlite3"
    path.write_bytes(b"garbage!" * 1000)
    with pytest.raises(DataFolderError, match="not a SQLite database"):
        data.check_database("episodic/chroma.sqlite3")


def test_require_existing_on_a_missing_folder(tmp_path: Path) -> None:
    missing = DataFolder(tmp_path / "nowhere")
    with pytest.raises(DataFolderError, match="no data folder"):
        missing.require_existing()
    assert not (tmp_path / "nowhere").exists()  # checking never creates it
    missing.ensure()
    assert missing.require_existing() == (tmp_path / "nowhere").resolve()


def test_ensure_refuses_a_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(DataFolderError, match="not a folder"):
        DataFolder(tmp_path / "file").ensure()
    with pytest.raises(DataFolderError):
        DataFolder(tmp_path / "file").require_existing()


def test_path_expands_the_home_folder(tmp_path: Path) -> None:
    assert DataFolder("~/prefmem-data").path == (Path.home() / "prefmem-data").resolve()
    assert Path.home().is_relative_to(tmp_path)  # the autouse fixture moved HOME into tmp_path
