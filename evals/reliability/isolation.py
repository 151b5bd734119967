"""Isolation: randomized operations by many users through the Python API, the command line and the
HTTP server; any record, preference, episode or coefficient of one user that another user's read
returns counts as a leak.

Every text written for a user holds that user's marker word, so a read leaks exactly when its
output holds another user's marker (or, once a user is forgotten, that user's own). Coefficients
carry no text: a user who never gave feedback must get the population's coefficients, so
another user's fitted ones showing there are a leak too. Over HTTP each user calls with their
own API key; asking for another user's routes must be refused (403), else it is a leak.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefmem.evals.reliability.results import CheckResult
from prefmem.evals.reliability.workspace import CommandRun, marker, memory_settings, run_command, write_config
from prefmem.memory.errors import UnknownUserError

_SAID = (
    "I love {m} tea in the morning",
    "I always take {m} soup for lunch",
    "My favourite band is {m} and I play them daily",
    "I prefer {m} bikes to cars",
    "Tell me something about {m} gardens",
)
_START = datetime(2026, 1, 5, 9, tzinfo=UTC)


@dataclass
class _World:
    """The users, their markers and what the check has done to them."""

    rng: random.Random
    markers: dict[str, str]
    written: set[str] = field(default_factory=set)  # users with at least one stored record
    fed: set[str] = field(default_factory=set)  # users who gave feedback
    forgotten: set[str] = field(default_factory=set)
    result: CheckResult = field(default_factory=lambda: CheckResult("isolation", goals=("leaks",)))
    population: dict[str, float] | None = None

    def live(self) -> list[str]:
        return [u for u in self.markers if u not in self.forgotten]

    def text(self, user: str) -> str:
        return self.rng.choice(_SAID).format(m=self.markers[user])

    def moment(self) -> datetime:
        return _START + timedelta(days=self.rng.randrange(6), minutes=self.rng.randrange(600))

    def other(self, user: str) -> str:
        return self.rng.choice([u for u in self.markers if u != user])

    def read(self, reader: str, output: object, where: str) -> None:
        """One checked read: a leak for every other user's marker (or a forgotten reader's own)."""
        text = output if isinstance(output, str) else json.dumps(output, default=str)
        self.result.trials += 1
        for user, word in self.markers.items():
            if (user != reader or user in self.forgotten) and word in text:
                self.result.add("leaks", 1, f"{where}: {reader}'s read shows {user}'s data")


def _events(world: _World, user: str) -> list[dict[str, Any]]:
    """A user's message, the reply to it, and a choice, as import events."""
    word, when = world.markers[user], world.moment()
    common = {"user_id": user, "session_id": f"s{world.rng.randrange(3)}"}
    return [
        {
            **common,
            "type": "message",
            "role": "user",
            "content": world.text(user),
            "timestamp": when.isoformat(),
        },
        {
            **common,
            "type": "message",
            "role": "assistant",
            "content": f"Noted about {word}.",
            "timestamp": (when + timedelta(seconds=1)).isoformat(),
        },
        {
            **common,
            "type": "choice",
            "prompt": f"Which {word} reply?",
            "options": [f"short {word}", "long"],
            "chosen": 0,
            "timestamp": (when + timedelta(seconds=2)).isoformat(),
        },
    ]


def _in_process(world: _World, memory: Any, client: Any, keys: dict[str, str], user: str) -> None:
    """One random operation of `user` through the Python API or the HTTP server."""
    from prefmem.memory.errors import UnknownPreferenceError

    rng, other = world.rng, world.other(user)
    headers = {"Authorization": f"Bearer {keys[user]}"}
    choice = rng.choice(
        [
            "add",
            "add",
            "events",
            "feedback",
            "recall",
            "preferences",
            "rerank",
            "consolidate",
            "http_chat",
            "http_chat",
            "http_episodes",
            "http_preferences",
            "http_other",
            "http_feedback",
            "http_consolidate",
            "own_other",
        ]
    )
    if choice == "add":
        memory.add(user, world.text(user), f"Sure, {world.markers[user]}.", timestamp=world.moment())
        world.written.add(user)
    elif choice == "events":
        memory.add_events(_events(world, user))
        world.written.add(user)
        world.fed.add(user)
    elif choice == "feedback":
        memory.feedback(user, f"pick one for {world.markers[user]}", options=["brief", "detailed"], chosen=1)
        world.written.add(user)
        world.fed.add(user)
    elif choice == "recall":
        query = f"{world.markers[other]} {world.markers[user]} tea"
        try:
            found = memory.recall(user, query, mode=rng.choice(["similarity", "recency", "hybrid"]), k=50)
        except UnknownUserError:
            found = []
        world.read(user, [e.model_dump(mode="json") for e in found], "api recall")
    elif choice == "preferences":
        try:
            found = memory.preferences(user)
        except UnknownUserError:
            found = []
        world.read(user, [p.model_dump(mode="json") for p in found], "api preferences")
    elif choice == "rerank":
        ranking = memory.rerank(user, "what is for lunch?", ["soup, short", "a long list of soups"])
        world.read(user, ranking.preferences, "api rerank preferences")
        if user not in world.fed:
            world.result.trials += 1
            if world.population is not None and ranking.coefficients != world.population:
                world.result.add("leaks", 1, f"api rerank: {user} gave no feedback, has fitted coefficients")
    elif choice == "consolidate":
        memory.consolidate(user)
    elif choice == "http_chat":
        body: dict[str, Any] = {
            "model": "m",
            "messages": [{"role": "user", "content": world.text(user)}],
            "prefmem": {"trace": True},
        }
        world.read(user, client.post("/v1/chat/completions", json=body, headers=headers).text, "http chat")
        world.written.add(user)
    elif choice == "http_episodes":
        params = {"query": f"{world.markers[other]} tea", "k": 50}
        world.read(
            user,
            client.get(f"/v1/users/{user}/episodes", params=params, headers=headers).text,
            "http episodes",
        )
    elif choice == "http_preferences":
        listed = client.get(f"/v1/users/{user}/preferences", headers=headers)
        world.read(user, listed.text, "http preferences")
    elif choice == "http_other":  # the user's key on another user's routes: refused
        path = rng.choice([f"/v1/users/{other}/episodes", f"/v1/users/{other}/preferences"])
        response = client.get(path, headers=headers)
        world.read(user, response.text, f"http {path} with {user}'s key")
        world.result.trials += 1
        if response.status_code != 403:
            world.result.add("leaks", 1, f"http {path} with {user}'s key answered {response.status_code}")
    elif choice == "http_feedback":
        body = {"type": "rating", "prompt": f"about {world.markers[user]}", "response": "ok", "value": 1}
        client.post(f"/v1/users/{user}/feedback", json=body, headers=headers)
        world.written.add(user)
        world.fed.add(user)
    elif choice == "http_consolidate":
        client.post(f"/v1/users/{user}/consolidate", headers=headers)
    elif choice == "own_other":  # another user's preference id, named through this user: unknown
        try:
            theirs = memory.preferences(other) if other not in world.forgotten else []
        except UnknownUserError:
            theirs = []
        for preference in theirs[:1]:
            world.result.trials += 1
            try:
                explained = memory.explain(user, preference.id)
            except UnknownPreferenceError:
                continue
            world.result.add("leaks", 1, f"api explain: {user} reached {other}'s preference")
            world.read(user, explained.model_dump(mode="json"), "api explain")


def _on_command_line(world: _World, config: Path, folder: Path, user: str) -> None:
    """One random operation of `user` through the `prefmem` command."""
    other = world.other(user)
    base = ["--config", str(config)]
    done = _command_line_step(world, base, folder, user, other)
    if done.crashed or done.code not in (0, 2):
        world.result.add("failed_operations", 1, f"cli: {done.crashed or done.stderr.strip()[-200:]}")


def _command_line_step(world: _World, base: list[str], folder: Path, user: str, other: str) -> CommandRun:
    rng = world.rng
    choice = rng.choice(["import", "import", "episodes", "preferences", "consolidate", "chat"])
    if choice == "import":
        log = folder / "events.jsonl"
        pair = [user, other] if other not in world.forgotten and rng.random() < 0.5 else [user]
        lines = [json.dumps(event) for who in pair for event in _events(world, who)]
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")
        world.written.update(pair)
        world.fed.update(pair)
        return run_command([*base, "import", str(log), "--json"])
    if choice == "episodes":
        done = run_command(
            [*base, "episodes", "-u", user, "-q", f"{world.markers[other]} tea", "-k", "50", "--json"]
        )
        world.read(user, done.stdout + done.stderr, "cli episodes")
        return done
    if choice == "preferences":
        done = run_command([*base, "preferences", "--user", user, "--json"])
        world.read(user, done.stdout + done.stderr, "cli preferences")
        return done
    if choice == "consolidate":
        return run_command([*base, "consolidate", "-u", user, "--json"])
    done = run_command([*base, "chat", "-u", user, "--json"], stdin=(world.text(user) + "\n").encode())
    world.read(user, done.stdout + done.stderr, "cli chat")
    world.written.add(user)
    return done


def _forget(world: _World, memory: Any, client: Any, keys: dict[str, str], user: str) -> None:
    """Forget the user, through the API or over HTTP with the user's own key (a user who never
    stored anything has nothing to forget, and is refused as unknown)."""
    if user in world.written:
        if world.rng.random() < 0.5:
            memory.forget(user)
        else:
            client.delete(f"/v1/users/{user}", headers={"Authorization": f"Bearer {keys[user]}"})
    world.forgotten.add(user)


def run_isolation(folder: Path, *, users: int, operations: int, rng: random.Random) -> CheckResult:
    """`operations` random operations by `users` users, in runs through one surface at a time (the
    command line needs the data folder that an open Memory holds)."""
    from fastapi.testclient import TestClient

    from prefmem.agent.config import ServerConfig
    from prefmem.agent.llm.scripted import ScriptedChatModel
    from prefmem.agent.server import create_app
    from prefmem.api import Memory

    names = [f"user{number:02d}" for number in range(users)]
    world = _World(rng, {name: marker(rng) for name in names})
    keys = {name: f"key-{name}-{rng.randrange(10**9)}" for name in names}
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    config = write_config(folder / "config.yaml", data)
    settings = ServerConfig(write_behind=False)
    with Memory(**memory_settings(data)) as memory:  # a user nothing is known about
        world.population = memory.rerank("nobody-at-all", "hello", ["hi", "hello there"]).coefficients
    done = 0
    while done < operations:
        steps = min(operations - done, rng.randint(3, 10))
        if rng.random() < 0.3:
            for _ in range(steps):
                _on_command_line(world, config, folder, rng.choice(world.live()))
            done += steps
            continue
        with Memory(**memory_settings(data)) as memory:
            by_key = {key: name for name, key in keys.items()}
            app = create_app(memory, ScriptedChatModel(), settings=settings, api_keys=by_key)
            with TestClient(app) as client:
                for _ in range(steps):
                    user = rng.choice(world.live())
                    if rng.random() < 0.03 and len(world.live()) > 2:
                        _forget(world, memory, client, keys, user)
                    else:
                        try:
                            _in_process(world, memory, client, keys, user)
                        except UnknownUserError:  # a read or consolidation of a user with nothing yet
                            world.result.add("refused_operations")
        done += steps
    world.result.counts["operations"] = operations
    _final_sweep(world, data)
    return world.result


def _final_sweep(world: _World, data: Path) -> None:
    """Every user's whole memory, read once at the end: each must hold only their own data."""
    from prefmem.api import Memory

    with Memory(**memory_settings(data)) as memory:
        for user in world.markers:
            try:
                episodes = memory.recall(user, None, mode="recency", k=100_000)
                preferences = memory.preferences(user)
            except UnknownUserError:
                episodes, preferences = [], []
            world.read(user, [e.model_dump(mode="json") for e in episodes], "final episodes")
            world.read(user, [p.model_dump(mode="json") for p in preferences], "final preferences")
            if user not in world.fed and user not in world.forgotten:
                world.result.trials += 1
                coefficients = memory.rerank(user, "hello", ["hi", "hello there"]).coefficients
                if coefficients != world.population:
                    world.result.add("leaks", 1, f"final: {user} gave no feedback, has fitted coefficients")
