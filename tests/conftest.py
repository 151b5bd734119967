"""Shared fixtures: an isolated, offline environment for every test, and the real embedder once."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# The project is not installed into the venv, and tests/memory and tests/agent would otherwise shadow the
# real `memory` and `agent` packages (as namespace packages): put the project root first on the path.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

if TYPE_CHECKING:
    from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No network, no telemetry, no user config or data folder leaking in; run inside tmp_path."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.delenv("PREFMEM_DATA_DIR", raising=False)
    monkeypatch.delenv("PREFMEM_CONFIG", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture(scope="session")
def real_embedder() -> Iterator[SentenceTransformerEmbedder]:
    """The packaged sentence-transformers embedder, loaded once per session on one CPU thread."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        import torch

        from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder

        torch.set_num_threads(1)
        embedder = SentenceTransformerEmbedder()
        embedder.embed("warm up")  # load the model now, not inside the first test
        yield embedder
