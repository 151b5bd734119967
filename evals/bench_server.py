"""The HTTP API's own cost: `/v1/chat/completions` over loopback with a scripted upstream.

The upstream answers at once (the scripted echo model), so every millisecond measured is
prefmem's: HTTP and JSON, recall, the prompt, ranking the candidates under the user's
reward, storing the exchange, and consolidation when a user reaches
consolidation.every_n_interactions turns. The server is `prefmem serve` in a child process
on 127.0.0.1 (as deployed; the clients do not share its interpreter), with the configured
embedder and a fresh data folder per concurrency level. Each client is one user sending its
requests one after another; afterwards the data folder is opened and every request's
exchange must be in the episodic store exactly once ("lost" counts those that are not).
`server_steps` splits the server's time per step (from the Server-Timing header; waits for
the Memory's lock included), so queueing and work can be told apart.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import yaml

import prefmem
from prefmem import Memory
from prefmem.agent.config import Config
from prefmem.evals.local_server import free_port, wait_until_serving
from prefmem.memory.errors import BackendError, UnknownUserError

#: Topics the benchmark messages talk about, so recall has something to match.
_TOPICS = ("gardening", "jazz records", "trail running", "sourdough", "chess openings", "watercolours")


def _message(client: int, number: int) -> str:
    topic = _TOPICS[(client + number) % len(_TOPICS)]
    return f"Request {number} of client {client}: what should I know about {topic} this week?"


def _percentiles(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_ms": None, "p95_ms": None}
    data = np.asarray(values) * 1000.0
    return {
        "p50_ms": round(float(np.percentile(data, 50)), 2),
        "p95_ms": round(float(np.percentile(data, 95)), 2),
    }


def _server_timing(header: str) -> list[tuple[str, float]]:
    """The (step, milliseconds) pairs of a Server-Timing header."""
    pairs = []
    for item in header.split(","):
        name, _, rest = item.strip().partition(";dur=")
        if name and rest:
            pairs.append((name, float(rest)))
    return pairs


class ServerProcess:
    """`prefmem serve` in a child process over its own data folder and config file.

    The upstream is the scripted echo model unless `scripted` is False (the configured one).
    """

    def __init__(self, config: Config, folder: Path, *, scripted: bool = True) -> None:
        self.folder = folder
        settings = config.model_dump(mode="json")
        settings["data_dir"] = str(folder / "data")
        if scripted:
            settings["llm"]["backend"] = "scripted"
        settings["server"]["api_keys"] = {}
        self.config_file = folder / "config.yaml"
        self.config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        root = str(Path(prefmem.__file__).resolve().parent.parent)
        env = {key: value for key, value in os.environ.items() if key != "PREFMEM_API_KEYS"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        command = "from prefmem.agent.cli.app import main; main()"
        self.log = (folder / "server.log").open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                command,
                "serve",
                "--config",
                str(self.config_file),
                "--port",
                str(self.port),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout_s: float) -> None:
        outcome = wait_until_serving(self.url, self.process, timeout_s)
        if outcome == "up":
            return
        if outcome == "exited":
            raise BackendError(f"the server exited: {(self.folder / 'server.log').read_text()[-2000:]}")
        self.stop()
        raise BackendError(f"the server did not start within {timeout_s:.0f} s")

    def stop(self) -> None:
        """Stop it as Ctrl-C would, so the data folder is closed cleanly."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


async def _run_clients(
    url: str, clients: int, per_client: int, max_seconds: float, *, stream: bool, label: str
) -> dict[str, Any]:
    """`clients` users each sending up to `per_client` requests in turn, within `max_seconds`."""
    latencies: list[float] = []
    steps: dict[str, list[float]] = {}
    first_tokens: list[float] = []
    sent: dict[str, list[str]] = {}
    errors: list[str] = []
    deadline = time.monotonic() + max_seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def one_client(http: httpx.AsyncClient, client: int) -> None:
        user = f"{label}-{client}"
        ok = sent.setdefault(user, [])
        for number in range(per_client):
            if time.monotonic() > deadline:
                return
            text = _message(client, number)
            body: dict[str, Any] = {
                "model": "prefmem",
                "user": user,
                "messages": [{"role": "user", "content": text}],
            }
            start = time.perf_counter()
            try:
                if stream:
                    body["stream"] = True
                    first: float | None = None
                    done = False
                    async with http.stream("POST", f"{url}/v1/chat/completions", json=body) as response:
                        async for line in response.aiter_lines():
                            content = line.startswith("data: ") and '"content": "' in line
                            if first is None and content and '"content": ""' not in line:
                                first = time.perf_counter() - start
                            done = done or line == "data: [DONE]"
                        status = response.status_code
                    if status == 200 and done and first is not None:
                        first_tokens.append(first)
                    else:
                        errors.append(f"{status}: stream incomplete")
                        continue
                else:
                    response = await http.post(f"{url}/v1/chat/completions", json=body)
                    reply = response.json() if response.status_code == 200 else None
                    if reply is None or not reply["choices"][0]["message"]["content"]:
                        errors.append(f"{response.status_code}: {response.text[:200]}")
                        continue
                    for name, ms in _server_timing(response.headers.get("server-timing", "")):
                        steps.setdefault(name, []).append(ms / 1000.0)
            except httpx.HTTPError as error:
                errors.append(f"{type(error).__name__}: {error}")
                continue
            latencies.append(time.perf_counter() - start)
            ok.append(text)

    began = time.perf_counter()
    async with httpx.AsyncClient(timeout=120.0, limits=limits) as http:
        await asyncio.gather(*(one_client(http, client) for client in range(clients)))
    elapsed = time.perf_counter() - began
    figures: dict[str, Any] = {
        "clients": clients,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        **_percentiles(latencies),
        "throughput_per_s": round(len(latencies) / elapsed, 1) if elapsed > 0 else None,
        "seconds": round(elapsed, 2),
        "sent": sent,
    }
    if steps:
        figures["server_steps"] = {name: _percentiles(values) for name, values in steps.items()}
    if stream:
        first = _percentiles(first_tokens)
        figures["first_token_p50_ms"] = first["p50_ms"]
        figures["first_token_p95_ms"] = first["p95_ms"]
    if errors:
        figures["first_errors"] = errors[:3]
    return figures


def _lost(memory: Memory, sent: dict[str, list[str]]) -> tuple[int, int]:
    """Requests whose exchange is not in the store, and exchanges stored more than once."""
    lost = duplicated = 0
    for user, texts in sent.items():
        try:
            stored = [
                e.interaction.user_text for e in memory.recall(user, None, mode="recency", k=len(texts) + 10)
            ]
        except UnknownUserError:
            stored = []
        lost += sum(1 for text in texts if text not in stored)
        duplicated += len(stored) - len(set(stored))
    return lost, duplicated


def bench_server(
    config: Config,
    *,
    clients: Sequence[int] = (1, 8, 32),
    requests: int = 320,
    max_seconds: float = 120.0,
    warmup: int = 25,
    stream_clients: int = 8,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Latency (p50, p95), throughput, errors and lost exchanges at each number of clients.

    `requests` per level are split over its clients (at least 5 each); a level stops early
    after `max_seconds`. `warmup` requests of another user come first (loading the embedder
    and, past consolidation.every_n_interactions, the statement reader). With
    `stream_clients` > 0, one more level streams its replies and reports time to first token.
    """
    say = progress or (lambda message: None)
    levels: list[tuple[int, bool]] = [(count, False) for count in clients]
    if stream_clients > 0:
        levels.append((stream_clients, True))
    results = []
    load_before = os.getloadavg()[0]
    for count, stream in levels:
        per_client = max(5, requests // count)
        with tempfile.TemporaryDirectory(prefix="prefmem-bench-serve-") as scratch:
            server = ServerProcess(config, Path(scratch))
            try:
                server.wait_ready(timeout_s=300)
                say(f"{count} client(s){' streaming' if stream else ''}: warming up")
                asyncio.run(_run_clients(server.url, 1, warmup, max_seconds, stream=stream, label="warmup"))
                say(f"{count} client(s){' streaming' if stream else ''}: {per_client} requests each")
                figures = asyncio.run(
                    _run_clients(server.url, count, per_client, max_seconds, stream=stream, label="bench")
                )
            finally:
                server.stop()
            sent = figures.pop("sent")
            with Memory(server.config_file) as memory:
                lost, duplicated = _lost(memory, sent)
        figures.update(stream=stream, lost_interactions=lost, duplicated_interactions=duplicated)
        results.append(figures)
    return {
        "upstream": "scripted (replies at once: the figures are prefmem's own cost)",
        "embedder": config.embedder.backend,
        "candidates": config.assistant.candidates,
        "consolidate_every": config.consolidation.every_n_interactions,
        "transport": "HTTP/1.1 over 127.0.0.1, server in a child process",
        "cpus": os.cpu_count(),
        # other work on the machine slows every figure: the 1-minute load average, before and after
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "write_behind": config.server.write_behind,
        "levels": results,
    }
