"""The examples run as a user would run them: in a fresh process, offline, from the repository."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from prefmem import Memory

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _run_example(
    name: str, argument: str, cwd: Path, *, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run examples/NAME with one argument in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "examples" / name), argument],
        cwd=cwd,
        env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_python_api_example_runs_and_does_what_it_says(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = _run_example("python_api.py", str(data), tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("recalled ") and "birdwatching" in line for line in lines)
    assert any(line.split()[:2] == ["genuine", "Likes"] and "birdwatching" in line for line in lines)
    reranked = [line for line in lines if line.startswith("rerank ")]
    assert len(reranked) == 2 and "birdwatching" in reranked[0]  # the user's genuine preference wins
    assert "forgot sam: 6 interactions" in done.stdout
    with Memory(data_dir=data, embedder={"backend": "hashing"}) as memory:
        assert memory.users() == []  # forgotten on disk too


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_openai_client_example_against_prefmem_serve(tmp_path: Path) -> None:
    """`prefmem serve` with the scripted upstream, in its own process; the example as a user runs it."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"data_dir: {tmp_path / 'data'}\nembedder: {{backend: hashing}}\nllm: {{backend: scripted}}\n",
        encoding="utf-8",
    )
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    command = "from prefmem.agent.cli.app import main; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--config", str(config), "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            try:
                if httpx.get(f"{base_url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "prefmem serve did not start"
            time.sleep(0.2)
        done = _run_example("openai_client.py", base_url, tmp_path, timeout=120)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "reply: You said: I am learning the violin and I practise every morning." in lines
    assert "streamed: You said: What should I practise on the violin this week?" in lines
    recalled = next(line for line in lines if line.startswith("recalled: "))
    assert "practise every morning" in recalled
    assert "candidates scored: 4" in lines and "episodes stored: 3" in lines
    assert server.returncode == 0
    with Memory(data_dir=tmp_path / "data", embedder={"backend": "hashing"}) as memory:
        assert [u.interactions for u in memory.users()] == [3]  # stored, and released at shutdown


def test_langchain_example_runs_the_chain_offline(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = _run_example("langchain_chain.py", str(data), tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "preference genuine: Likes paddling my kayak on quiet lakes" in lines
    context = lines[lines.index("context:") + 1 :]
    assert context[0] == "- I love paddling my kayak on quiet lakes"  # the retriever's recalled exchange
    candidates = [line for line in lines if line.startswith("candidate ")]
    scores = [float(line.split()[1].rstrip(":")) for line in candidates]
    assert len(candidates) == 3 and scores == sorted(scores, reverse=True)
    assert "kayak" in candidates[0]  # the user's genuine preference wins the ranking
    reply = next(line for line in lines if line.startswith("reply: "))
    assert reply == "reply: " + candidates[0].split(": ", 1)[1]
    with Memory(data_dir=data, embedder={"backend": "hashing"}) as memory:
        stored = memory.conversation("maya", "weekend")
        assert [(t.user_text.startswith("What could I do"), t.assistant_text) for t in stored] == [
            (True, reply.removeprefix("reply: "))
        ]
