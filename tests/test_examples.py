"""The examples run as a user would run them: in a fresh process, offline, from the repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prefmem import Memory

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_python_api_example_runs_and_does_what_it_says(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "examples" / "python_api.py"), str(data)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("recalled ") and "birdwatching" in line for line in lines)
    assert any(line.split()[:2] == ["genuine", "Likes"] and "birdwatching" in line for line in lines)
    reranked = [line for line in lines if line.startswith("rerank ")]
    assert len(reranked) == 2 and "birdwatching" in reranked[0]  # the user's genuine preference wins
    assert "forgot sam: 6 interactions" in done.stdout
    with Memory(data_dir=data, embedder={"backend": "hashing"}) as memory:
        assert memory.users() == []  # forgotten on disk too


def test_langchain_example_runs_the_chain_offline(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "examples" / "langchain_chain.py"), str(data)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
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
