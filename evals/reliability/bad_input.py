"""Bad input: every case of `bad_input_corpus` must get a clear error (exit code 2 and one
`error:` line from the command line, HTTP 4xx from the server), never a traceback, and must leave
the data folder byte for byte as it was (a digest of every file before and after)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefmem.evals.reliability.bad_input_corpus import COMMAND_CASES, REQUEST_CASES, CommandCase, RequestCase
from prefmem.evals.reliability.results import CheckResult
from prefmem.evals.reliability.workspace import folder_digest, memory_settings, run_command, write_config

#: How a usage error starts: `error: ...` (every command), `line N: ...` (scripted chat, one per
#: bad line), or click's own `Error: ...` / `Usage: ...` for options it refuses itself.
_ERROR_LINE = re.compile(r"^(error: |line \d+: |Usage: |Error: |╭─)")


def _seed(data: Path) -> str:
    """Two users with exchanges, feedback and a preference each, so every store exists (opening
    one for the first time is no change made by bad input); returns one of ana's preference ids."""
    from prefmem.api import Memory

    start = datetime(2026, 3, 1, tzinfo=UTC)
    with Memory(**memory_settings(data)) as memory:
        for user, said in (("ana", "I love green tea"), ("bo", "I love long walks")):
            for day in range(3):
                memory.add(user, said, "noted", timestamp=start + timedelta(days=day))
            memory.feedback(user, "which reply?", options=["short", "long"], chosen=0)
            memory.consolidate(user)
        return memory.preferences("ana")[0].id


def _fill(text: str, places: dict[str, str]) -> str:
    for name, value in places.items():
        text = text.replace("{" + name + "}", value)
    return text


def _verdict(case: CommandCase, code: int, stderr: str, crashed: str | None) -> str | None:
    """Why the command's answer is not a clear usage error, or None when it is."""
    if crashed is not None:
        return f"raised {crashed[:200]}"
    if "Traceback" in stderr:
        return "printed a traceback"
    if code != 2:
        return f"exit code {code}: {stderr.strip()[:200]!r}"
    first = stderr.strip().splitlines()[0] if stderr.strip() else ""
    if not _ERROR_LINE.match(first):
        return f"no error line: {stderr.strip()[:200]!r}"
    return None


def _command_cases(result: CheckResult, folder: Path, data: Path, config: Path) -> None:
    (folder / "plain-file").write_text("not a folder\n", encoding="utf-8")
    places = {
        "config": str(config),
        "folder": str(folder / "cases"),
        "file": str(folder / "plain-file"),
        "log": str(folder / "cases" / "case.jsonl"),
        "bad_config": str(folder / "cases" / "bad.yaml"),
    }
    (folder / "cases").mkdir(exist_ok=True)
    for case in COMMAND_CASES:
        Path(places["log"]).write_bytes(case.log)
        Path(places["bad_config"]).write_bytes(
            _fill(case.config_text.decode("latin-1"), places).encode("latin-1")
        )
        before = folder_digest(data)
        run = run_command([_fill(argument, places) for argument in case.arguments], stdin=case.stdin)
        result.trials += 1
        problem = _verdict(case, run.code, run.stderr, run.crashed)
        if problem is not None:
            result.add("crashes", 1, f"cli {case.name}: {problem}")
        if folder_digest(data) != before:
            result.add("changes", 1, f"cli {case.name}: the data folder changed")


def _request_cases(result: CheckResult, data: Path, preference: str) -> None:
    from fastapi.testclient import TestClient

    from prefmem.agent.config import ServerConfig
    from prefmem.agent.llm.scripted import ScriptedChatModel
    from prefmem.agent.server import create_app
    from prefmem.api import Memory

    with Memory(**memory_settings(data)) as memory:
        app = create_app(memory, ScriptedChatModel(), settings=ServerConfig(write_behind=False))
        with TestClient(app, raise_server_exceptions=False) as client:
            for case in REQUEST_CASES:
                before = folder_digest(data)
                response = _send(client, case, preference)
                result.trials += 1
                if not 400 <= response.status_code < 500:
                    result.add(
                        "crashes",
                        1,
                        f"http {case.name}: status {response.status_code} {response.text[:200]!r}",
                    )
                if folder_digest(data) != before:
                    result.add("changes", 1, f"http {case.name}: the data folder changed")


def _send(client: Any, case: RequestCase, preference: str) -> Any:
    path = case.path.replace("{preference}", preference)
    if isinstance(case.body, bytes):
        return client.request(
            case.method,
            path,
            content=case.body,
            params=case.params,
            headers={"Content-Type": "application/json"},
        )
    if case.body is None:
        return client.request(case.method, path, params=case.params)
    return client.request(case.method, path, json=case.body, params=case.params)


def run_bad_input(folder: Path) -> CheckResult:
    """Every case of the corpus, on a data folder with two users."""
    result = CheckResult("bad input", goals=("crashes", "changes"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    preference = _seed(data)
    config = write_config(folder / "config.yaml", data)
    _command_cases(result, folder, data, config)
    _request_cases(result, data, preference)
    return result
