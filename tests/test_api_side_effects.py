"""Using `prefmem.Memory` leaves the host process as it found it: environment, logging, threads,
and no child process once closed."""

from __future__ import annotations

import logging
import os
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


def _children() -> set[int]:
    """This process's child processes (Linux), or an empty set where /proc cannot tell."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found.update(int(pid) for pid in children.read_text().split())
    return found


def test_memory_changes_nothing_process_wide(tmp_path: Path) -> None:
    def run() -> None:
        # torch_threads is the command line's to apply: the API must not
        settings = {"embedder": {"backend": "hashing"}, "runtime": {"torch_threads": 1}}
        with Memory(data_dir=tmp_path / "data", **settings) as memory:
            _use_everything(memory)

    _check_unchanged(run)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to list child processes")
def test_the_embedded_index_process_ends_with_the_memory(tmp_path: Path) -> None:
    before = _children()
    with Memory(data_dir=tmp_path / "data", embedder={"backend": "hashing"}) as memory:
        memory.add("ada", "Honestly I adore birdwatching at dawn")
        assert len(_children() - before) == 1  # the vector index runs apart from the text
    assert _children() - before == set()


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
