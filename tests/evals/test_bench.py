"""The benchmarks produce the figures they promise, on the fast backends."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from prefmem.evals.bench import bench_episodic
from prefmem.evals.synthetic_text import messages
from prefmem.memory.embeddings.fake import HashingEmbedder


def test_synthetic_messages_are_unique_and_deterministic() -> None:
    first = messages(300, seed=4)
    assert len(set(first)) == 300
    assert first == messages(300, seed=4)
    assert first != messages(300, seed=5)


def test_episodic_bench_reports_ratio_and_percentiles_per_mode_and_size() -> None:
    figures = bench_episodic(HashingEmbedder(), sizes=(200, 400), users=10, queries=10, ingest_count=200)
    assert figures["ingest"]["count"] == 200
    assert figures["ingest"]["ratio"] > 0
    for mode in ("similarity", "recency", "hybrid"):
        for size in ("200", "400"):
            timing = figures["recall"][mode][size]
            assert 0 < timing["p50_ms"] <= timing["p95_ms"]
            assert timing["per_user"] == int(size) // 10


def _fast_config(tmp_path: Path) -> Path:
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    return config


def test_bench_command_prints_json(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from prefmem.agent.cli.app import app

    result = CliRunner().invoke(
        app,
        [
            "--config",
            str(_fast_config(tmp_path)),
            "bench",
            "episodic",
            "--sizes",
            "100,300",
            "--users",
            "10",
            "--queries",
            "5",
            "--ingest-count",
            "100",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures["recall"]) == {"similarity", "recency", "hybrid"}
    assert set(figures["recall"]["hybrid"]) == {"100", "300"}
    assert "ratio" in figures["ingest"]


def test_bench_rejects_bad_sizes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from prefmem.agent.cli.app import app

    result = CliRunner().invoke(
        app, ["--config", str(_fast_config(tmp_path)), "bench", "episodic", "--sizes", "10,abc"]
    )
    assert result.exit_code == 2
    assert "--sizes" in result.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal timing is Linux-only here")
def test_cold_start_reaches_the_interactive_prompt_in_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefmem.evals.cold_start import bench_cold_start

    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    figures = bench_cold_start(config_file=_fast_config(tmp_path), timeout=60)
    assert 0 < figures["first_run_s"] < 60
    assert 0 < figures["cached_run_s"] < 60
    assert figures["help_s"] > 0


def test_consolidation_bench_reports_time_and_kinds() -> None:
    from prefmem.evals.bench_consolidation import bench_consolidation, synthetic_signals

    population = synthetic_signals(5, 40, seed=1)
    assert len(population) == 5 and all(len(s) == 40 for s in population.values())
    figures = bench_consolidation(HashingEmbedder(), signals=400, users=10)
    assert figures["signals"] == 400
    assert figures["seconds"] > 0
    assert sum(figures["preferences"].values()) > 0
    assert set(figures["preferences"]) <= {
        "genuine",
        "tentative",
        "constructed",
        "non_attitude",
        "superseded",
    }
