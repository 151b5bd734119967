"""Evaluation runtimes: always a fresh embedded store, whatever the configuration points at."""

from __future__ import annotations

from pathlib import Path

from prefmem.agent.config import parse_config
from prefmem.evals.eval_runtime import fresh_runtime


def test_a_configured_chroma_server_is_never_used_by_an_evaluation(tmp_path: Path) -> None:
    config = parse_config(
        {
            "data_dir": str(tmp_path / "mine"),
            "embedder": {"backend": "hashing"},
            "episodic": {"server": {"host": "127.0.0.1", "port": 8000}},
        }
    )
    with fresh_runtime(config) as runtime:
        assert runtime.config.episodic.server is None
        assert runtime.data_path != config.data_path
        assert runtime.store.users() == []
    assert not (tmp_path / "mine").exists()
