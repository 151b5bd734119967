"""`prefmem serve` and `prefmem bench serve` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prefmem.agent.cli.app import app


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"data_dir: {tmp_path / 'data'}\nembedder: {{backend: hashing}}\nllm: {{backend: scripted}}\n",
        encoding="utf-8",
    )
    return path


def test_serve_refuses_a_malformed_keys_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFMEM_API_KEYS", "just-a-key")
    result = CliRunner().invoke(app, ["serve", "--config", str(_config(tmp_path))])
    assert result.exit_code == 2
    assert "PREFMEM_API_KEYS" in result.output


def test_serve_help_lists_its_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--config"):
        assert option in result.output


def test_bench_serve_reports_every_level_without_errors_or_losses(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--config",
            str(_config(tmp_path)),
            "bench",
            "serve",
            "--clients",
            "1,3",
            "--requests",
            "12",
            "--stream-clients",
            "2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout[result.stdout.index("{") :])
    levels = figures["levels"]
    assert [(level["clients"], level["stream"]) for level in levels] == [(1, False), (3, False), (2, True)]
    for level in levels:
        assert level["requests"] >= 10 and level["errors"] == 0
        assert level["lost_interactions"] == 0 and level["duplicated_interactions"] == 0
        assert 0 < level["p50_ms"] <= level["p95_ms"]
    assert set(levels[0]["server_steps"]) == {"recall", "upstream", "rank", "store"}
    assert levels[2]["first_token_p50_ms"] > 0
