"""The web page's speed as a person sees it: page load, and send to first streamed token.

`prefmem serve` runs in a child process with the configured models (by default the
embedded SmolLM2 and MiniLM), over a fresh data folder; a headless Chromium (Debian's
`chromium`, driven by Playwright, a development dependency) opens the page at `/`.

- page load: `loads` times, each in a fresh browser context (nothing cached): the
  navigation's loadEventEnd, and `ready_ms`, when the page's script has fetched the
  server's settings and the page can be used.
- chat: one user sends `messages` messages through the page, one after another, after
  `warmup` messages that load the models (reported apart); per message the time from the
  page sending it to the first token drawn on the page, and to the reply's end, measured
  by the page itself (performance.now()).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from prefmem.agent.config import Config
from prefmem.evals.bench_server import ServerProcess
from prefmem.memory.errors import BackendError, UsageError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: What the benchmark user says: everyday requests, several topics so recall has a choice.
MESSAGES = (
    "Can you suggest a quick dinner with chickpeas?",
    "What is a good way to start running again after a break?",
    "Give me one tip for keeping basil alive indoors.",
    "How do I explain compound interest to a teenager?",
    "What should I pack for a rainy weekend hike?",
    "Recommend a calm piece of piano music for the evening.",
    "How long should I steep green tea?",
    "What is a simple stretch for a stiff neck?",
)


def find_chromium() -> str:
    """$PREFMEM_CHROMIUM, else the first Chromium on PATH (UsageError when there is none)."""
    named = os.environ.get("PREFMEM_CHROMIUM")
    found = named or next((hit for name in CHROMIUM_NAMES if (hit := shutil.which(name))), None)
    if not found or not Path(found).exists():
        raise UsageError("no Chromium found: install Debian's chromium package or set PREFMEM_CHROMIUM")
    return found


def _summary(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"median_ms": None, "min_ms": None, "max_ms": None}
    return {
        "median_ms": round(statistics.median(values), 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def _page_loads(browser: Any, url: str, loads: int) -> dict[str, Any]:
    loaded, ready = [], []
    for _ in range(loads):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60_000)
        page.wait_for_load_state("load")
        loaded.append(float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")))
        ready.append(float(page.evaluate("window.prefmemReadyMs")))
        context.close()
    return {"runs": loads, "load_event": _summary(loaded), "ready": _summary(ready)}


def _chat(browser: Any, url: str, messages: int, warmup: int, say: Callable[[str], None]) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60_000)
    page.fill("#identity", "bench-web")
    page.press("#identity", "Enter")
    page.wait_for_selector("#app:not([hidden])")
    for number in range(warmup + messages):
        say(f"message {number + 1} of {warmup + messages}{' (warm-up)' if number < warmup else ''}")
        page.fill("#message", MESSAGES[number % len(MESSAGES)])
        page.press("#message", "Enter")
        page.locator("#turns > li").nth(number).and_(page.locator("[data-done='true']")).wait_for(
            timeout=600_000
        )
        failed = page.locator("#chat-error").text_content()
        if failed:
            raise BackendError(f"the page showed an error: {failed}")
    timings = page.evaluate("window.prefmemTimings")
    context.close()
    first = [t["firstToken"] - t["sent"] for t in timings]
    whole = [t["done"] - t["sent"] for t in timings]
    return {
        "messages": messages,
        "warmup": {
            "first_token_ms": [round(v, 1) for v in first[:warmup]],
            "whole_reply_ms": [round(v, 1) for v in whole[:warmup]],
        },
        "first_token": _summary(first[warmup:]),
        "whole_reply": _summary(whole[warmup:]),
    }


def bench_web(
    config: Config,
    *,
    messages: int = 5,
    warmup: int = 1,
    loads: int = 5,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Page load and send-to-first-token figures of the page, with the configured models."""
    from playwright.sync_api import sync_playwright

    say = progress or (lambda message: None)
    chromium = find_chromium()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="prefmem-bench-web-") as scratch:
        server = ServerProcess(config, Path(scratch), scripted=False)
        try:
            started = time.perf_counter()
            server.wait_ready(timeout_s=600)
            say(f"server up in {time.perf_counter() - started:.1f} s")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                try:
                    say("page loads")
                    page_load = _page_loads(browser, server.url, loads)
                    chat = _chat(browser, server.url, messages, warmup, say)
                    version = browser.version
                finally:
                    browser.close()
        finally:
            server.stop()
    return {
        "llm": f"{config.llm.backend}:{config.llm.model}",
        "embedder": config.embedder.backend,
        "candidates": config.assistant.candidates,
        "stream_rerank": config.server.stream_rerank,
        "browser": f"Chromium {version} (headless)",
        "transport": "HTTP/1.1 over 127.0.0.1, server in a child process",
        "cpus": os.cpu_count(),
        # other work on the machine slows every figure: the 1-minute load average, before and after
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "page_load": page_load,
        "chat": chat,
    }
