"""Using `prefmem.Memory` leaves the host process as it found it: environment, logging, threads,
and no index process of its store once closed."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from prefmem import Memory

LOGGERS = ("transformers", "sentence_transformers", "chromadb", "")
DAY0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _process_state() -> dict[str, Any]:
    import torch

    return {
        "environ": dict(os.environ),
        "levels": {name: logging.getLogger(name).level for name in LOGGERS},
        "torch_threads": torch.get_num_threads(),
    }


def _use_everything(memory: Memory) -> None:
    for number in range(3):
        moment = DAY0 + timedelta(days=number)
        memory.add("ada", "Honestly I adore birdwatching at dawn", "Lovely", timestamp=moment)
    memory.add("bo", "Is there a quiet beach near here?")
    memory.feedback("ada", "Pick one", options=["a short reply", "a much longer reply than that"], chosen=0)
    assert memory.recall("ada", "birdwatching at dawn")
    memory.consolidate()
    liked = memory.preferences("ada")[0]
    memory.explain("ada", liked.id)
    memory.rerank("ada", "Any plans for the morning?", ["Birdwatching at dawn.", "Sleeping in."])
    memory.forget("ada")
    memory.forget("bo")


def _check_unchanged(run: Callable[[], None]) -> None:
    import chromadb  # noqa: F401  the libraries' own import-time settings are theirs, not ours
    import sentence_transformers  # noqa: F401
    import transformers  # noqa: F401

    before = _process_state()
    run()
    after = _process_state()
    changed = {key: after["environ"].get(key) for key in set(before["environ"]) ^ set(after["environ"])}
    changed |= {k: v for k, v in after["environ"].items() if before["environ"].get(k, v) != v}
    assert changed == {}
    assert after == before


def test_memory_changes_nothing_process_wide(tmp_path: Path) -> None:
    def run() -> None:
        # torch_threads is the command line's to apply: the API must not
        settings = {"embedder": {"backend": "hashing"}, "runtime": {"torch_threads": 1}}
        with Memory(data_dir=tmp_path / "data", **settings) as memory:
            _use_everything(memory)

    _check_unchanged(run)


def _running(pid: int) -> bool:
    """Whether the process lives (an exited one awaiting its parent's reaping does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _ends_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_embedded_index_process_ends_with_the_memory(tmp_path: Path) -> None:
    from prefmem.memory.episodic.chroma import ChromaEpisodicStore

    with Memory(data_dir=tmp_path / "data", embedder={"backend": "hashing"}) as memory:
        memory.add("ada", "Honestly I adore birdwatching at dawn")
        store = memory._parts.store
        assert isinstance(store, ChromaEpisodicStore)
        index_pid = store._index.pid  # type: ignore[attr-defined]  # the vector index runs apart
        assert index_pid != os.getpid() and _running(index_pid)
    assert _ends_within(index_pid, 10.0)  # its parent (a fork starter) may reap it a moment later


@pytest.mark.slow
def test_memory_with_the_real_embedder_changes_nothing_process_wide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the library once set HF_HUB_OFFLINE itself (only when unset) and quieted transformers' logging
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)

    def run() -> None:
        with Memory(data_dir=tmp_path / "data") as memory:  # the packaged sentence-transformers model
            assert memory.config.embedder.backend == "sentence-transformers"
            _use_everything(memory)

    _check_unchanged(run)
