"""bench web: page loads and send-to-first-token through the page, with a real server process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from prefmem.agent.config import parse_config
from prefmem.memory.errors import UsageError


def test_the_page_is_timed_through_a_real_server_and_browser(tmp_path: Path) -> None:
    pytest.importorskip("playwright.sync_api", reason="bench web skipped: Playwright is not installed")
    from prefmem.evals.bench_web import bench_web, find_chromium

    try:
        find_chromium()
    except UsageError as missing:
        pytest.skip(f"bench web skipped: {missing}")
    data = tmp_path / "data"
    config = parse_config(
        {"data_dir": str(data), "llm": {"backend": "scripted"}, "embedder": {"backend": "hashing"}}
    )
    figures = bench_web(config, messages=2, warmup=1, loads=2)
    assert not data.exists()  # the server ran over a temporary folder
    assert figures["llm"].startswith("scripted:") and figures["browser"].startswith("Chromium ")
    load = figures["page_load"]
    assert load["runs"] == 2
    assert 0 < load["load_event"]["min_ms"] <= load["load_event"]["median_ms"] <= load["load_event"]["max_ms"]
    assert load["ready"]["median_ms"] > 0
    chat = figures["chat"]
    assert chat["messages"] == 2 and len(chat["warmup"]["first_token_ms"]) == 1
    assert 0 < chat["first_token"]["median_ms"] <= chat["whole_reply"]["median_ms"]


def test_without_a_chromium_the_bench_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from prefmem.evals.bench_web import find_chromium

    monkeypatch.setenv("PREFMEM_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(UsageError, match="no Chromium found"):
        find_chromium()
    monkeypatch.delenv("PREFMEM_CHROMIUM")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(UsageError, match="no Chromium found"):
        find_chromium()
