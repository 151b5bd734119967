"""The packaged chat model converted once per test session, shared by the local-model tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from prefmem.agent.llm.transformers_local import LocalTransformersChatModel


@dataclass
class Converted:
    model: LocalTransformersChatModel
    cache: Path
    statuses: list[str]
    seconds: float


def converted_packaged_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Converted]:
    """The packaged model, converted into a fresh cache and loaded on two CPU threads."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(2)  # the library never sets it: the caller (here the test) does
    cache = tmp_path_factory.mktemp("llm-cache")
    statuses: list[str] = []
    model = LocalTransformersChatModel(cache_dir=cache, on_status=statuses.append)
    start = time.perf_counter()
    model.load()
    yield Converted(model, cache, statuses, time.perf_counter() - start)
    torch.set_num_threads(threads)
