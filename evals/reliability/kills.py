"""Kills: SIGKILL at random points of an import, a scripted chat and a consolidation, each run as a
child process; then the stores must open cleanly, every step the process acknowledged must be
there, nothing may be half-written, and a rerun must finish the work exactly.

Acknowledged means the process said so after committing: the driver's `ACK` line
(`driver.py`), or the JSON reply `prefmem chat --json` prints once the turn is stored. The
kill lands after a random number of acknowledgements plus a random delay, so it falls
anywhere in startup, a write, or between writes.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefmem.evals.reliability.results import CheckResult
from prefmem.evals.reliability.workspace import (
    child_environment,
    marker,
    memory_settings,
    prefmem_argv,
    sqlite_problems,
    write_config,
)

_DRIVER = [sys.executable, "-m", "prefmem.evals.reliability.driver"]
_CHAT_ACK = re.compile(r'^  "line": (\d+),$')
_START = datetime(2026, 2, 2, 8, tzinfo=UTC)


@dataclass
class _Killed:
    """What a killed run acknowledged, and whether it had already finished when the kill came."""

    acks: list[str]
    finished: bool


def _run_and_kill(
    argv: Sequence[str], ack: Callable[[str], str | None], *, stdin: bytes, after: int, delay: float
) -> _Killed:
    """Start `argv`, wait for `after` acknowledgements and `delay` seconds more, then SIGKILL it."""
    process = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=child_environment(),
    )
    acks: list[str] = []
    seen = threading.Condition()

    def read() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            step = ack(raw.decode("utf-8", "replace").rstrip("\n"))
            if step is not None:
                with seen:
                    acks.append(step)
                    seen.notify_all()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    with seen:
        seen.wait_for(lambda: len(acks) >= after or process.poll() is not None, timeout=300)
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    reader.join(timeout=60)
    return _Killed(list(acks), finished)


def _run_to_end(argv: Sequence[str], *, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(argv), input=stdin, capture_output=True, env=child_environment(), timeout=600)


def _open_problem(data: Path) -> str | None:
    """Why the stores do not open cleanly (a failing SQLite check or Memory refusing), or None."""
    from prefmem.api import Memory

    problems = sqlite_problems(data)
    if problems:
        return "; ".join(problems)
    try:
        with Memory(**memory_settings(data)) as memory:
            memory.users()
    except Exception as error:  # any refusal to open is what this check counts
        return f"{type(error).__name__}: {error}"
    return None


def _said(data: Path, users: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """Every stored exchange of these users, as (user text, reply)."""
    from prefmem.api import Memory
    from prefmem.memory.errors import UnknownUserError

    held: dict[str, list[tuple[str, str]]] = {}
    with Memory(**memory_settings(data)) as memory:
        for user in users:
            try:
                episodes = memory.recall(user, None, mode="recency", k=1_000_000)
            except UnknownUserError:
                episodes = []
            held[user] = [(e.interaction.user_text, e.interaction.assistant_text) for e in episodes]
    return held


def _feedback_counts(data: Path) -> dict[str, int]:
    from prefmem.api import Memory

    with Memory(**memory_settings(data)) as memory:
        return {summary.user_id: summary.feedback for summary in memory.users()}


# -- import ----------------------------------------------------------------------------------------
def _import_batches(rng: random.Random, users: Sequence[str], count: int) -> list[list[dict[str, Any]]]:
    batches = []
    for number in range(count):
        batch: list[dict[str, Any]] = []
        for user in users:
            when = _START + timedelta(hours=number, minutes=rng.randrange(50))
            common = {"user_id": user, "session_id": f"b{number}"}
            batch += [
                {
                    **common,
                    "type": "message",
                    "role": "user",
                    "timestamp": when.isoformat(),
                    "content": f"batch {number} note {marker(rng, 'w')} from {user}",
                },
                {
                    **common,
                    "type": "message",
                    "role": "assistant",
                    "timestamp": (when + timedelta(seconds=1)).isoformat(),
                    "content": f"reply {number} to {user}",
                },
                {
                    **common,
                    "type": "rating",
                    "prompt": f"rate {number}",
                    "response": "fine",
                    "value": 1,
                    "timestamp": (when + timedelta(seconds=2)).isoformat(),
                },
            ]
        batches.append(batch)
    return batches


def _expected(batches: Sequence[Sequence[dict[str, Any]]]) -> dict[str, list[tuple[str, str]]]:
    """The exchanges each batch should store, per user."""
    pairs: dict[str, list[tuple[str, str]]] = {}
    for batch in batches:
        messages = [e for e in batch if e["type"] == "message"]
        for opener, reply in zip(messages[::2], messages[1::2], strict=True):
            pairs.setdefault(opener["user_id"], []).append((opener["content"], reply["content"]))
    return pairs


def _import_trial(
    result: CheckResult, folder: Path, rng: random.Random, *, batches: int, longest_delay: float
) -> None:
    users = ["ana", "bo", "cy"]
    data = folder / "data"
    config = write_config(folder / "config.yaml", data)
    plan = _import_batches(rng, users, batches)
    (folder / "batches.json").write_text(json.dumps(plan), encoding="utf-8")
    argv = [*_DRIVER, "import", str(config), str(folder / "batches.json")]
    killed = _run_and_kill(
        argv, _driver_ack, stdin=b"", after=rng.randrange(batches - 1), delay=rng.uniform(0.0, longest_delay)
    )
    acked = [plan[int(step)] for step in killed.acks]
    _tally_kill(result, killed, "import")
    if not _opens(result, data, "import after kill"):
        return
    held = _said(data, users)
    _compare(result, held, _expected(acked), _expected(plan), "import after kill", exact=False)
    done = _run_to_end(argv)
    if done.returncode != 0:
        result.add("corrupt", 1, f"import rerun failed: {done.stderr.decode(errors='replace')[-300:]}")
        return
    if not _opens(result, data, "import after rerun"):
        return
    _compare(result, _said(data, users), _expected(plan), _expected(plan), "import after rerun", exact=True)
    feedback = _feedback_counts(data)
    for user in users:
        if feedback.get(user, 0) != batches:
            result.add(
                "corrupt", 1, f"import after rerun: {user} has {feedback.get(user, 0)} ratings, not {batches}"
            )


def _driver_ack(line: str) -> str | None:
    return line[4:] if line.startswith("ACK ") else None


# -- chat ------------------------------------------------------------------------------------------
def _chat_trial(
    result: CheckResult, folder: Path, rng: random.Random, *, turns: int, longest_delay: float
) -> None:
    data = folder / "data"
    # consolidation every 3 turns, so kills also land inside a chat's consolidation
    config = write_config(folder / "config.yaml", data, consolidation={"every_n_interactions": 3})
    user, word = "dee", marker(rng, "c")
    lines = [f"I like {word} number {number} very much" for number in range(turns)]
    base = prefmem_argv(["--config", str(config), "chat", "-u", user, "-s", "trial", "--json"])
    stdin = "".join(line + "\n" for line in lines).encode()

    def ack(line: str) -> str | None:
        found = _CHAT_ACK.match(line)
        return found.group(1) if found else None

    killed = _run_and_kill(
        base, ack, stdin=stdin, after=rng.randrange(turns - 1), delay=rng.uniform(0.0, longest_delay)
    )
    _tally_kill(result, killed, "chat")
    acked = [lines[int(step) - 1] for step in killed.acks]
    if not _opens(result, data, "chat after kill"):
        return
    said = [text for text, _ in _said(data, [user])[user]]
    _count_turns(result, said, acked, "chat after kill")
    rest = [line for line in lines if line not in acked]
    done = _run_to_end(base, stdin="".join(line + "\n" for line in rest).encode())
    if done.returncode != 0:
        result.add("corrupt", 1, f"chat rerun failed: {done.stderr.decode(errors='replace')[-300:]}")
        return
    if not _opens(result, data, "chat after rerun"):
        return
    said = [text for text, _ in _said(data, [user])[user]]
    _count_turns(result, said, acked, "chat after rerun")
    missing = [line for line in lines if line not in said]
    if missing:
        result.add("lost", len(missing), f"chat after rerun: {len(missing)} turns missing")


def _count_turns(result: CheckResult, said: list[str], acked: list[str], where: str) -> None:
    for line in acked:
        times = said.count(line)
        if times == 0:
            result.add("lost", 1, f"{where}: acknowledged turn {line!r} is missing")
        elif times > 1:
            result.add("corrupt", 1, f"{where}: acknowledged turn {line!r} is stored {times} times")


# -- consolidation ---------------------------------------------------------------------------------
def consolidation_template(folder: Path, rng: random.Random, users: int) -> tuple[Path, dict[str, list[str]]]:
    """A data folder of users with statements over several days, and what consolidating it gives
    (per user, the sorted `kind: statement` of every preference)."""
    from prefmem.api import Memory

    template = folder / "template"
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"con{number}" for number in range(users)]
    with Memory(**memory_settings(template)) as memory:
        for name in names:
            word = marker(rng, "t")
            for day in range(3):
                moment = _START + timedelta(days=day)
                memory.add(name, f"I love {word} tea", "ok", timestamp=moment)
                memory.add(
                    name, f"I prefer short answers about {word}", "ok", timestamp=moment + timedelta(hours=1)
                )
            memory.add(name, f"I am learning the {word} flute", "ok", timestamp=_START + timedelta(days=4))
    reference = folder / "reference"
    shutil.copytree(template, reference)
    with Memory(**memory_settings(reference)) as memory:
        memory.consolidate(names, force=True)
        expected = {name: _kinds(memory, name) for name in names}
    shutil.rmtree(reference)
    return template, expected


def _kinds(memory: Any, user: str) -> list[str]:
    return sorted(f"{p.kind}: {p.statement}" for p in memory.preferences(user))


def _consolidation_trial(
    result: CheckResult,
    folder: Path,
    rng: random.Random,
    template: Path,
    expected: dict[str, list[str]],
    *,
    longest_delay: float,
) -> None:
    from prefmem.api import Memory

    data = folder / "data"
    shutil.copytree(template, data)
    config = write_config(folder / "config.yaml", data)
    users = list(expected)
    rng.shuffle(users)
    argv = [*_DRIVER, "consolidate", str(config), *users]
    killed = _run_and_kill(
        argv,
        _driver_ack,
        stdin=b"",
        after=rng.randrange(len(users) - 1),
        delay=rng.uniform(0.0, longest_delay),
    )
    _tally_kill(result, killed, "consolidation")
    if not _opens(result, data, "consolidation after kill"):
        return
    with Memory(**memory_settings(data)) as memory:
        for user in users:
            held = _kinds(memory, user)
            if user in killed.acks and held != expected[user]:
                result.add("lost", 1, f"consolidation after kill: acknowledged {user} holds {held}")
            elif held not in (expected[user], []):
                result.add("corrupt", 1, f"consolidation after kill: {user} half-written: {held}")
    rest = [user for user in users if user not in killed.acks]
    done = _run_to_end([*_DRIVER, "consolidate", str(config), *rest])
    if done.returncode != 0:
        result.add("corrupt", 1, f"consolidation rerun failed: {done.stderr.decode(errors='replace')[-300:]}")
        return
    with Memory(**memory_settings(data)) as memory:
        for user in users:
            if _kinds(memory, user) != expected[user]:
                result.add("corrupt", 1, f"consolidation after rerun: {user} differs from a clean run")


# -- shared ----------------------------------------------------------------------------------------
def _tally_kill(result: CheckResult, killed: _Killed, kind: str) -> None:
    """A trial is a process killed; one that ended first is counted apart (and tried again)."""
    if killed.finished:
        result.add("ended_before_kill")
        return
    result.trials += 1
    result.add(f"{kind}_kills")
    result.add("acknowledged_steps", len(killed.acks))


def _opens(result: CheckResult, data: Path, where: str) -> bool:
    problem = _open_problem(data)
    if problem is not None:
        result.add("corrupt", 1, f"{where}: the stores do not open cleanly: {problem}")
        return False
    return True


def _compare(
    result: CheckResult,
    held: dict[str, list[tuple[str, str]]],
    must: dict[str, list[tuple[str, str]]],
    allowed: dict[str, list[tuple[str, str]]],
    where: str,
    *,
    exact: bool,
) -> None:
    """Every exchange in `must` held exactly once; every held one among `allowed` (and, if `exact`,
    nothing beyond `must`)."""
    for user, pairs in must.items():
        for pair in pairs:
            times = held.get(user, []).count(pair)
            if times == 0:
                result.add("lost", 1, f"{where}: {user}'s acknowledged {pair[0]!r} is missing")
            elif times > 1:
                result.add("corrupt", 1, f"{where}: {user}'s {pair[0]!r} is stored {times} times")
    for user, pairs in held.items():
        known = set(allowed.get(user, []))
        strays = [pair for pair in pairs if pair not in known]
        if strays:
            result.add("corrupt", len(strays), f"{where}: {user} holds {len(strays)} records never sent")
        if exact and len(pairs) != len(must.get(user, [])):
            result.add(
                "corrupt", 1, f"{where}: {user} holds {len(pairs)} exchanges, not {len(must.get(user, []))}"
            )


def run_kills(folder: Path, *, trials: int, rng: random.Random) -> CheckResult:
    """`trials` kills of each kind (import, chat, consolidation); a run that ends before its kill
    is checked too, then tried again, at most `3 x trials` runs of a kind in all.

    The kill comes a random delay after a random acknowledgement. On a fast machine a kind may
    finish within the longest delay drawn, so each run that ends first halves that kind's
    longest delay: the kills keep landing inside the work, wherever its pace."""
    result = CheckResult("kills", goals=("lost", "corrupt"))
    template, expected = consolidation_template(folder, rng, users=4)
    longest = {"import": 0.4, "chat": 0.4, "consolidation": 0.8}
    kinds: dict[str, Callable[[Path], None]] = {
        "import": lambda trial: _import_trial(result, trial, rng, batches=6, longest_delay=longest["import"]),
        "chat": lambda trial: _chat_trial(result, trial, rng, turns=6, longest_delay=longest["chat"]),
        "consolidation": lambda trial: _consolidation_trial(
            result, trial, rng, template, expected, longest_delay=longest["consolidation"]
        ),
    }
    _kill_rounds(result, kinds, folder, trials=trials, longest=longest)
    return result


def _kill_rounds(
    result: CheckResult,
    kinds: dict[str, Callable[[Path], None]],
    folder: Path,
    *,
    trials: int,
    longest: dict[str, float],
) -> None:
    """Run each kind's trial until it has `trials` kills (at most `3 x trials` runs of a kind),
    halving a kind's longest delay (`longest`, shared with its trials) after each run that ended
    before its kill."""
    runs = dict.fromkeys(kinds, 0)
    for _ in range(trials * 3):
        due = [kind for kind in kinds if result.counts.get(f"{kind}_kills", 0) < trials]
        if not due:
            break
        for kind in due:
            ended_first = result.counts.get("ended_before_kill", 0)
            kinds[kind](folder / f"{kind}{runs[kind]}")
            runs[kind] += 1
            if result.counts.get("ended_before_kill", 0) > ended_first:
                longest[kind] = max(longest[kind] / 2, 0.001)
