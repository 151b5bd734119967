"""The episodic store on a real Chroma server (`chroma run`) on 127.0.0.1.

Clients of one server share one data folder (`Server.data`), where the text store lives:
the server holds only opaque ids and vectors.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from _helpers import close_store, interaction, rating

from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.base import RECALL_MODES
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.errors import BackendError, ConfigError, UnknownUserError

CHROMA = Path(sys.executable).parent / "chroma"
HOST = "127.0.0.1"

pytestmark = pytest.mark.skipif(not CHROMA.exists(), reason=f"no chroma executable at {CHROMA}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    port: int
    path: Path
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def data(self) -> Path:
        """The data folder the server's clients share (text store and id key)."""
        return self.path.parent / "data"

    def connect(self, embedder: HashingEmbedder | None = None, **ranking: float) -> ChromaEpisodicStore:
        return ChromaEpisodicStore.server(
            HOST, self.port, embedder or HashingEmbedder(), folder=self.data, **ranking
        )


def start_server(path: Path, log: Path, port: int | None = None) -> Server:
    port = port or free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(path), "--host", HOST, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    server = Server(port, path, log, process)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            output = log.read_text(errors="replace")
            raise RuntimeError(f"chroma run exited with {process.returncode}:\n{output}")
        try:
            close_store(server.connect())
            return server
        except BackendError as error:
            if time.monotonic() > deadline:
                stop_server(server)
                output = log.read_text(errors="replace")
                raise RuntimeError(f"chroma run did not answer in 30 s:\n{output}") from error
            time.sleep(0.2)


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("chroma-server")
    running = start_server(folder / "db", folder / "server.log")
    yield running
    stop_server(running)


@pytest.fixture
def connect(server: Server) -> Iterator[Callable[..., ChromaEpisodicStore]]:
    """Opens clients on the shared server; users are unique per test, and forgotten at teardown."""
    opened: list[ChromaEpisodicStore] = []

    def open_store(embedder: HashingEmbedder | None = None, **ranking: float) -> ChromaEpisodicStore:
        store = server.connect(embedder, **ranking)
        opened.append(store)
        return store

    yield open_store
    cleaner = server.connect()
    for summary in cleaner.users():
        cleaner.forget(summary.user_id)
    close_store(cleaner)
    for store in opened:
        close_store(store)


def test_add_recall_and_isolation_through_the_server(connect: Callable[..., ChromaEpisodicStore]) -> None:
    store = connect(half_life_days=7.0)
    shared = "I am allergic to peanuts and tree nuts"
    added = store.add(
        [
            interaction("alice", shared, days=-7, reply="alice reply"),
            interaction("alice", "Please book a table near the window", days=0),
            interaction("bob", shared, days=-1, reply="bob reply"),
            interaction("bob", "bob secret: sailing on tuesdays", days=-2),
            rating("alice", "Suggest a film", "A horror movie", -1),
            rating("bob", "Suggest a film", "A comedy", 1),
        ]
    )
    assert added == 6
    assert store.add([interaction("alice", shared, days=-7, reply="alice reply")]) == 0

    top = store.recall("alice", "which nuts am I allergic to", mode="similarity", k=1)
    assert [e.interaction.assistant_text for e in top] == ["alice reply"]
    recent = store.recall("alice", mode="recency", k=5)
    assert [e.interaction.user_text for e in recent] == ["Please book a table near the window", shared]
    assert [e.recency for e in recent] == pytest.approx([1.0, 0.5])

    for user in ("alice", "bob"):
        for mode in RECALL_MODES:
            episodes = store.recall(user, f"{shared} sailing secret window", mode=mode, k=10)
            assert len(episodes) == 2
            assert {e.interaction.user_id for e in episodes} == {user}
        assert [f.response for f in store.feedback(user)] == (
            ["A horror movie"] if user == "alice" else ["A comedy"]
        )
    assert [(u.user_id, u.interactions, u.feedback) for u in store.users()] == [
        ("alice", 2, 1),
        ("bob", 2, 1),
    ]


def test_two_clients_share_one_server(connect: Callable[..., ChromaEpisodicStore]) -> None:
    writer, reader = connect(), connect()
    writer.add([interaction("carol", "carol likes green tea")])
    assert [e.interaction.user_text for e in reader.recall("carol", "green tea", mode="similarity")] == [
        "carol likes green tea"
    ]
    assert reader.add([interaction("carol", "carol likes green tea")]) == 0


def test_another_client_finds_vectors_written_behind_once_indexed(
    connect: Callable[..., ChromaEpisodicStore],
) -> None:
    writer, reader = connect(similarity_weight=0.1), connect(similarity_weight=0.1)
    writer.add(
        [interaction("dora", f"dora's note on green tea {'and more ' * n}", days=-30 - n) for n in range(12)]
    )
    behind = interaction("dora", "green tea at dawn, or astronomy", days=0)
    writer.add([behind], defer_index=True)
    assert writer.recall("dora", "green tea at dawn", mode="similarity", k=1)[0].id == behind.record_id()
    # the reader lists it (the text store is shared) but searches only what Chroma holds, without failing
    assert reader.recall("dora", mode="recency", k=1)[0].id == behind.record_id()
    for mode in RECALL_MODES:
        found = reader.recall("dora", "green tea at dawn", mode=mode, k=13)
        assert behind.record_id() not in {e.id for e in found} or mode == "recency"
    assert writer.flush_index() == 1
    assert reader.recall("dora", "green tea at dawn", mode="similarity", k=1)[0].id == behind.record_id()
    assert reader.recall("dora", "green tea at dawn", mode="hybrid", k=1)[0].id == behind.record_id()


def test_forget_through_the_server(connect: Callable[..., ChromaEpisodicStore]) -> None:
    store = connect()
    store.add(
        [
            interaction("alice", "alice one"),
            interaction("alice", "alice two", minutes=1),
            rating("alice", "p", "r"),
            interaction("bob", "bob one"),
        ]
    )
    report = store.forget("alice")
    assert (report.interactions, report.feedback) == (2, 1)
    assert [u.user_id for u in store.users()] == ["bob"]
    assert store.recall("alice", mode="recency") == []
    assert [e.interaction.user_text for e in store.recall("bob", "bob one", mode="hybrid")] == ["bob one"]
    with pytest.raises(UnknownUserError):
        store.forget("alice")
    # another client does not see the forgotten user either
    assert [u.user_id for u in connect().users()] == ["bob"]


def test_a_client_keeps_working_after_another_forgets(connect: Callable[..., ChromaEpisodicStore]) -> None:
    one, other = connect(), connect()
    one.add([interaction("fay", "fay plays the oboe")])
    assert len(one.recall("fay", "oboe", mode="similarity")) == 1  # `one` now knows fay's collection
    other.forget("fay")
    assert one.recall("fay", "oboe", mode="similarity") == []
    assert one.add([interaction("fay", "fay plays the flute", minutes=1)]) == 1
    assert [e.interaction.user_text for e in other.recall("fay", "flute", mode="similarity")] == [
        "fay plays the flute"
    ]


def test_embedder_mismatch_on_the_server(connect: Callable[..., ChromaEpisodicStore]) -> None:
    connect(HashingEmbedder(256)).add([interaction("dave", "dave's note")])
    with pytest.raises(ConfigError, match="hashing-256"):
        connect(HashingEmbedder(128)).recall("dave", "note", mode="similarity")


def test_data_survives_a_server_restart(tmp_path: Path) -> None:
    first = start_server(tmp_path / "db", tmp_path / "server.log")
    try:
        store = first.connect()
        store.add([interaction("erin", "erin plays the cello"), rating("erin", "p", "r")])
        close_store(store)
    finally:
        stop_server(first)
    assert first.process.returncode is not None

    second = start_server(tmp_path / "db", tmp_path / "server.log")
    try:
        store = second.connect()
        assert [(u.user_id, u.interactions, u.feedback) for u in store.users()] == [("erin", 1, 1)]
        assert [e.interaction.user_text for e in store.recall("erin", "cello", mode="similarity")] == [
            "erin plays the cello"
        ]
        close_store(store)
    finally:
        stop_server(second)


def test_unreachable_server_is_a_backend_error() -> None:
    port = free_port()  # nothing listens there
    started = time.monotonic()
    with pytest.raises(BackendError, match=f"{HOST}:{port}"):
        ChromaEpisodicStore.server(HOST, port, HashingEmbedder(), folder=Path("unused"))
    assert time.monotonic() - started < 20


def test_the_python_api_on_the_server(server: Server, tmp_path: Path) -> None:
    from prefmem import Memory

    server_settings = {"server": {"host": HOST, "port": server.port}}
    settings = {"embedder": {"backend": "hashing"}, "episodic": server_settings}
    # two Memory objects open one data folder at once (the data folder lock is shared with a server)
    one = Memory(data_dir=tmp_path / "data", **settings)
    two = Memory(data_dir=tmp_path / "data", **settings)
    with one, two:
        for day in range(3):
            moment = interaction("api-user", "", days=day).timestamp
            one.add("api-user", "Honestly I adore birdwatching at dawn", timestamp=moment)
        assert [(u.user_id, u.interactions) for u in two.users()] == [("api-user", 3)]
        assert len(two.recall("api-user", "birdwatching", mode="similarity")) == 3
        one.consolidate("api-user")
        assert [p.kind for p in one.preferences("api-user")] == ["genuine"]
        assert [p.kind for p in two.preferences("api-user")] == ["genuine"]
        assert one.forget("api-user").interactions == 3
        assert two.users() == []
        with pytest.raises(UnknownUserError):
            two.preferences("api-user")


_API_WRITER = """
import json, sys
from datetime import UTC, datetime, timedelta
from prefmem import Memory
config, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = datetime(2025, 1, 1, tzinfo=UTC)
with Memory(config) as memory:
    for n in range(count):
        moment = start + timedelta(days=n % 4, minutes=n)
        memory.add(f"{name}-user", f"Honestly I adore birdwatching at dawn ({n})", timestamp=moment)
        memory.add("shared-user", f"{name} note {n}", timestamp=moment + timedelta(seconds=1))
        memory.recall("shared-user", "note", k=3)
        if n % 10 == 9:
            memory.consolidate(f"{name}-user")
    print(json.dumps([u.user_id for u in memory.users()]))
"""


def test_processes_share_one_config_with_a_server(server: Server, tmp_path: Path) -> None:
    """Two API processes write and consolidate while the command line consolidates and lists:
    no "in use" refusal, nothing lost (the data folder's SQLite files take turns)."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"data_dir: {tmp_path / 'data'}\nembedder: {{backend: hashing}}\n"
        f"episodic: {{server: {{host: {HOST}, port: {server.port}}}}}\n"
        "consolidation: {every_n_interactions: 0}\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    count = 30
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _API_WRITER, str(config), name, str(count)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    command = [
        sys.executable,
        "-c",
        "from prefmem.agent.cli.app import main; main()",
        "--config",
        str(config),
    ]
    while any(writer.poll() is None for writer in writers):
        for args in (["consolidate"], ["users", "--json"]):
            done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            assert "in use" not in done.stderr
    for writer, name in zip(writers, ("one", "two"), strict=True):
        out, error = writer.communicate(timeout=300)
        assert writer.returncode == 0, error
        assert f"{name}-user" in json.loads(out)
    users = subprocess.run(
        [*command, "users", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    held = {u["user_id"]: u["interactions"] for u in json.loads(users.stdout)}
    assert held == {"one-user": count, "two-user": count, "shared-user": 2 * count}
    from prefmem import Memory

    with Memory(config) as memory:
        assert [p.kind for p in memory.preferences("one-user")] == ["genuine"]
        memory.forget("one-user")
        memory.forget("two-user")
        memory.forget("shared-user")
