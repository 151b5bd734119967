"""Load: concurrent clients against a real `prefmem serve` (uvicorn, in a child process) with the
scripted upstream model; every chat turn the server answered must be in memory afterwards.

The server stores exchanges write-behind (server.write_behind, the default): a reply does not
wait for its exchange to be stored, and shutdown stores what is queued. So the server is stopped
the way an operator stops it (SIGINT) and the data folder is read after it exits. `errors`
counts requests that failed (no answer, or a status other than 200); `lost` counts answered
turns whose exchange is not in memory.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path

from prefmem.evals.local_server import free_port, wait_until_serving
from prefmem.evals.reliability.results import CheckResult
from prefmem.evals.reliability.workspace import (
    child_environment,
    memory_settings,
    prefmem_argv,
    write_config,
)


async def _client(
    url: str, user: str, turns: int, answered: list[tuple[str, str]], result: CheckResult
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=120.0) as client:
        for turn in range(turns):
            text = f"load turn {turn} from {user}"
            body = {"model": "m", "user": user, "messages": [{"role": "user", "content": text}]}
            result.trials += 1
            try:
                response = await client.post("/v1/chat/completions", json=body)
            except httpx.HTTPError as error:
                result.add("errors", 1, f"{user} turn {turn}: {type(error).__name__}: {error}")
                continue
            if response.status_code != 200:
                result.add("errors", 1, f"{user} turn {turn}: status {response.status_code}")
                continue
            answered.append((user, text))


async def _load(url: str, clients: int, turns: int, result: CheckResult) -> list[tuple[str, str]]:
    answered: list[tuple[str, str]] = []
    await asyncio.gather(*(_client(url, f"load{n:02d}", turns, answered, result) for n in range(clients)))
    return answered


def run_load(folder: Path, *, clients: int, turns: int) -> CheckResult:
    """`clients` concurrent clients, `turns` chat turns each, against `prefmem serve`."""
    result = CheckResult("load", goals=("errors", "lost"))
    data = folder / "data"
    config = write_config(folder / "config.yaml", data, server={"write_behind": True})
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        prefmem_argv(["--config", str(config), "serve", "--port", str(port)]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=child_environment(),
    )
    try:
        outcome = wait_until_serving(url, process, 120.0, poll_s=0.2)
        if outcome != "up":
            ended = f"exited with code {process.returncode}" if outcome == "exited" else "did not start"
            raise RuntimeError(f"prefmem serve {ended}")
        answered = asyncio.run(_load(url, clients, turns, result))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
            result.add("errors", 1, "prefmem serve did not stop within 120 s of SIGINT")
    if process.returncode not in (0, -signal.SIGINT):
        result.add("errors", 1, f"prefmem serve ended with {process.returncode}: {stderr.decode()[-300:]}")
    count_lost(result, data, answered)
    result.counts["clients"] = clients
    return result


def count_lost(result: CheckResult, data: Path, answered: list[tuple[str, str]]) -> None:
    """Count the answered (user, message) turns whose exchange is not in the data folder."""
    from prefmem.api import Memory
    from prefmem.memory.errors import UnknownUserError

    with Memory(**memory_settings(data)) as memory:
        for user in sorted({user for user, _ in answered}):
            try:
                held = {
                    e.interaction.user_text for e in memory.recall(user, None, mode="recency", k=1_000_000)
                }
            except UnknownUserError:
                held = set()
            for who, text in answered:
                if who == user and text not in held:
                    result.add("lost", 1, f"{user}: answered turn {text!r} is not in memory")
