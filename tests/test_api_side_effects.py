"""Using `prefmem.Memory` leaves the host process as it found it: environment, logging, threads, malloc."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from prefmem import Memory
from prefmem.memory.episodic import scrub

LOGGERS = ("transformers", "sentence_transformers", "chromadb", "")
DAY0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _process_state() -> dict[str, Any]:
    import torch

    return {
        "environ": dict(os.environ),
        "levels": {name: logging.getLogger(name).level for name in LOGGERS},
        "torch_threads": torch.get_num_threads(),
        "scrub_enabled": scrub.enabled(),
    }


@pytest.fixture
def mallopt_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Record malloc changes instead of making them; start as a process where nobody enabled filling
    (other tests in this session may have: the command line does)."""
    calls: list[int] = []
    monkeypatch.setattr(scrub, "_enabled", False)
    monkeypatch.setattr(scrub, "_mallopt", calls.append)
    yield calls


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


def test_memory_changes_nothing_process_wide(tmp_path: Path, mallopt_calls: list[int]) -> None:
    def run() -> None:
        # torch_threads is the command line's to apply: the API must not
        settings = {"embedder": {"backend": "hashing"}, "runtime": {"torch_threads": 1}}
        with Memory(data_dir=tmp_path / "data", **settings) as memory:
            _use_everything(memory)

    _check_unchanged(run)
    assert mallopt_calls == []


def test_filling_freed_memory_is_an_explicit_opt_in(tmp_path: Path, mallopt_calls: list[int]) -> None:
    hashing = {"backend": "hashing"}
    with Memory(data_dir=tmp_path / "data", embedder=hashing, fill_freed_memory=True) as memory:
        assert scrub.enabled()
        assert mallopt_calls and mallopt_calls[0] != 0  # filling turned on as the store opened
        memory.add("ada", "Honestly I adore birdwatching at dawn")
        memory.recall("ada", "birdwatching")
    assert 0 in mallopt_calls  # paused around embedding, as the command line does


@pytest.mark.slow
def test_memory_with_the_real_embedder_changes_nothing_process_wide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mallopt_calls: list[int]
) -> None:
    # the library once set HF_HUB_OFFLINE itself (only when unset) and quieted transformers' logging
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)

    def run() -> None:
        with Memory(data_dir=tmp_path / "data") as memory:  # the packaged sentence-transformers model
            assert memory.config.embedder.backend == "sentence-transformers"
            _use_everything(memory)

    _check_unchanged(run)
    assert mallopt_calls == []
