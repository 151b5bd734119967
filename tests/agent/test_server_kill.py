"""A `prefmem serve` killed while exchanges' vectors wait to be indexed loses none of them."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from prefmem import Memory
from prefmem.agent.config import Config
from prefmem.evals.bench_server import ServerProcess
from prefmem.memory.episodic.texts import TextStore


def test_a_killed_server_loses_no_acknowledged_exchange(tmp_path: Path) -> None:
    config = Config().model_copy(deep=True)
    config.embedder.backend = "hashing"
    config.consolidation.every_n_interactions = 0
    config.server.write_behind = False  # a reply means its exchange is stored
    config.server.index_delay_ms = 60_000  # vectors wait unless the server falls quiet
    server = ServerProcess(config, tmp_path)
    said = [f"message {n} about kayaks and {topic}" for n, topic in enumerate(["rivers", "lakes"] * 6)]
    try:
        server.wait_ready(timeout_s=120)
        with httpx.Client(base_url=server.url, timeout=60) as client:
            for text in said:
                body = {"model": "m", "user": "ana", "messages": [{"role": "user", "content": text}]}
                assert client.post("/v1/chat/completions", json=body).status_code == 200
            # killed at once after the last reply: its vector has not reached the index
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(30)
    finally:
        server.stop()
    data = tmp_path / "data"
    texts = TextStore(next(data.rglob(TextStore.FILE_NAME)))
    try:
        waiting = texts.unindexed_rows()
    finally:
        texts.close()
    assert 1 <= len(waiting) <= len(said)  # marked in the store, not yet in the index
    with Memory(server.config_file) as memory:  # opening indexes them again
        stored = [e.interaction.user_text for e in memory.recall("ana", None, mode="recency", k=50)]
        assert sorted(stored) == sorted(said)
        found = memory.recall("ana", "kayaks and lakes", mode="similarity", k=len(said))
        assert {e.interaction.user_text for e in found} == set(said)
    texts = TextStore(next(data.rglob(TextStore.FILE_NAME)))
    try:
        assert texts.unindexed_rows() == []
    finally:
        texts.close()
