"""Fixtures for the agent's tests: the packaged chat model converted once per session, and for the
HTTP API tests a Memory on the hashing embedder in tmp_path and apps over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from local_model_cache import Converted, converted_packaged_model

from prefmem import Memory
from prefmem.agent.config import ServerConfig
from prefmem.agent.llm.base import ChatModel
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.server import create_app

AppFactory = Callable[..., FastAPI]


@pytest.fixture(scope="session")
def converted_smollm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Converted]:
    """The packaged chat model, converted into a fresh cache once per test session."""
    yield from converted_packaged_model(tmp_path_factory)


@pytest.fixture
def server_memory(tmp_path: Path) -> Iterator[Memory]:
    """A Memory in its own data folder: hashing embedder, scripted chat model, no auto-consolidation."""
    with Memory(
        data_dir=tmp_path / "data",
        embedder={"backend": "hashing"},
        llm={"backend": "scripted"},
        consolidation={"every_n_interactions": 0},
    ) as memory:
        yield memory


@pytest.fixture
def make_app(server_memory: Memory) -> AppFactory:
    """An app over `server_memory`: `make_app(llm=..., keys=..., **server_settings)`.

    Replies wait for their exchange to be stored (write_behind off) unless a test asks for
    write-behind, so a test may read the store as soon as a reply arrives.
    """

    def build(llm: ChatModel | None = None, keys: dict[str, str] | None = None, **settings: Any) -> FastAPI:
        chosen = ServerConfig(**{"write_behind": False, **settings})
        return create_app(server_memory, llm or ScriptedChatModel(), settings=chosen, api_keys=keys)

    return build


@pytest.fixture
def client(make_app: AppFactory) -> TestClient:
    """A test client of the default app: no keys, the scripted echo model."""
    return TestClient(make_app())
