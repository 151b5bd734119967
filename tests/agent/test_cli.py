"""The `prefmem` command line, end to end on the embedded Chroma store with the fast backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from prefmem.agent.cli.app import app
from prefmem.agent.user_data import chat_history_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]

Invoke = Callable[..., Result]


def _event(kind: str, user: str, second: int, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "user_id": user,
        "session_id": fields.pop("session_id", "s1"),
        "timestamp": f"2024-06-01T12:00:{second:02d}Z",
        **fields,
    }


EVENTS = [
    _event("message", "alice", 0, role="user", content="I love hiking in the mountains"),
    _event("message", "alice", 1, role="assistant", content="Mountains are lovely in summer"),
    _event("message", "alice", 2, role="user", content="I am cooking pasta with tomato sauce"),
    _event("message", "alice", 3, role="assistant", content="Pasta sounds delicious"),
    _event("choice", "alice", 4, prompt="Pick a drink", options=["tea", "coffee"], chosen=0),
    _event("rating", "bob", 5, session_id="b1", prompt="Suggest a film", response="Alien", value=1),
    _event(
        "answer",
        "bob",
        6,
        session_id="b1",
        item_id="q1",
        question="Favourite season?",
        options=["summer", "winter"],
        chosen=1,
    ),
    _event("message", "bob", 7, session_id="b1", role="user", content="I play the cello"),
]
# alice: 2 interactions, 1 feedback; bob: 1 interaction, 2 feedback


def _jsonl(events: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(e).encode() + b"\n" for e in events)


def _json_values(text: str) -> list[Any]:
    """Every JSON value printed one after the other (chat --json prints one per line of input)."""
    decoder = json.JSONDecoder()
    values, position = [], 0
    text = text.strip()
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        values.append(value)
        while position < len(text) and text[position].isspace():
            position += 1
    return values


def _flat(text: str) -> str:
    """Text with rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run prefmem in-process with the hashing embedder and the scripted model on a data folder in tmp."""
    monkeypatch.delenv("PREFMEM_DATA_DIR", raising=False)
    monkeypatch.delenv("PREFMEM_CONFIG", raising=False)
    config = tmp_path / "test-config.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None) -> Result:
        return runner.invoke(app, ["--config", str(config), "--data-dir", str(data), *args], input=input)

    return invoke


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_bytes(_jsonl(EVENTS))
    return path


def _users(cli: Invoke) -> dict[str, tuple[int, int]]:
    result = cli("users", "--json")
    assert result.exit_code == 0, result.output
    return {u["user_id"]: (u["interactions"], u["feedback"]) for u in json.loads(result.stdout)}


def _no_traceback(result: Result) -> None:
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# -- import and users -------------------------------------------------------------------


def test_import_then_users(cli: Invoke, events_file: Path) -> None:
    result = cli("import", str(events_file), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary == {
        "file": str(events_file),
        "events": 8,
        "interactions": 3,
        "feedback": 3,
        "users": 2,
        "stored": 6,
        "duplicates": 0,
        "skipped_lines": [],
    }
    assert _users(cli) == {"alice": (2, 1), "bob": (1, 2)}

    table = cli("users")
    assert table.exit_code == 0
    assert "alice" in table.stdout and "bob" in table.stdout


def test_importing_twice_reports_duplicates(cli: Invoke, events_file: Path) -> None:
    assert cli("import", str(events_file)).exit_code == 0
    again = cli("import", str(events_file))
    assert again.exit_code == 0, again.output
    assert "0 new, 6 already held" in _flat(again.stdout)
    as_json = json.loads(cli("import", str(events_file), "--json").stdout)
    assert (as_json["stored"], as_json["duplicates"]) == (0, 6)
    assert _users(cli) == {"alice": (2, 1), "bob": (1, 2)}


def _malformed(tmp_path: Path) -> Path:
    lines = [
        json.dumps(_event("message", "carol", 0, role="user", content="I like jazz")).encode(),  # 1 ok
        b'{"type": "message", "user_id": "carol",',  # 2 not JSON
        json.dumps(_event("rating", "carol", 2, prompt="p", response="r", value=1)).encode(),  # 3 ok
        json.dumps(_event("mesage", "carol", 3, role="user", content="typo")).encode(),  # 4 bad type
        json.dumps(_event("choice", "carol", 4, prompt="p", options=["a", "b"], chosen=5)).encode(),  # 5
        b"   ",  # 6 blank: ignored
        b'{"type": "message", "content": "caf\xe9"}',  # 7 not UTF-8
        json.dumps(_event("message", "carol", 8, role="user", content="x" * 4001)).encode(),  # 8 too long
        json.dumps(_event("message", "", 9, role="user", content="no user")).encode(),  # 9 empty user id
        json.dumps(_event("message", "carol", 10, role="user", content="good again")).encode(),  # 10 ok
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


BAD_LINES = (2, 4, 5, 7, 8, 9)


def test_a_malformed_log_is_rejected_whole_with_every_bad_line(
    cli: Invoke, tmp_path: Path, data: Path
) -> None:
    result = cli("import", str(_malformed(tmp_path)))
    assert result.exit_code == 2
    _no_traceback(result)
    errors = result.stderr
    assert "6 invalid line(s); nothing was imported" in errors
    for number in BAD_LINES:
        assert f"line {number}:" in errors
    for number in (1, 3, 6, 10):
        assert f"line {number}:" not in errors
    assert "not valid UTF-8" in errors
    assert "4001 characters; the limit is 4000" in errors
    assert "mesage" in errors
    assert not data.exists()  # not even the data folder was created


def test_a_malformed_log_leaves_existing_memory_untouched(
    cli: Invoke, tmp_path: Path, events_file: Path
) -> None:
    assert cli("import", str(events_file)).exit_code == 0
    assert cli("import", str(_malformed(tmp_path))).exit_code == 2
    assert _users(cli) == {"alice": (2, 1), "bob": (1, 2)}


def test_skip_invalid_imports_the_good_lines(cli: Invoke, tmp_path: Path) -> None:
    result = cli("import", str(_malformed(tmp_path)), "--skip-invalid", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["skipped_lines"] == list(BAD_LINES)
    counts = (summary["events"], summary["interactions"], summary["feedback"], summary["stored"])
    assert counts == (3, 2, 1, 3)
    assert _users(cli) == {"carol": (2, 1)}

    text = cli("import", str(_malformed(tmp_path)), "--skip-invalid")
    assert text.exit_code == 0
    for number in BAD_LINES:
        assert f"skipped line {number}:" in text.stderr


def test_import_from_standard_input(cli: Invoke) -> None:
    result = cli("import", "-", "--json", input=_jsonl(EVENTS[:4]))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["file"] == "-"
    assert _users(cli) == {"alice": (2, 0)}


def test_import_of_a_missing_file(cli: Invoke, tmp_path: Path, data: Path) -> None:
    result = cli("import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert not data.exists()


# -- episodes ---------------------------------------------------------------------------


EPISODE_KEYS = {
    "id",
    "score",
    "similarity",
    "recency",
    "timestamp",
    "session_id",
    "condition",
    "user_text",
    "assistant_text",
}


@pytest.fixture
def imported(cli: Invoke, events_file: Path) -> Invoke:
    result = cli("import", str(events_file))
    assert result.exit_code == 0, result.output
    return cli


def test_episodes_without_a_query_are_newest_first(imported: Invoke) -> None:
    result = imported("episodes", "--user", "alice", "--json")
    assert result.exit_code == 0, result.output
    episodes = json.loads(result.stdout)
    assert [e["user_text"] for e in episodes] == [
        "I am cooking pasta with tomato sauce",
        "I love hiking in the mountains",
    ]
    assert all(set(e) == EPISODE_KEYS for e in episodes)
    assert episodes[0]["assistant_text"] == "Pasta sounds delicious"
    assert episodes[0]["recency"] == 1.0
    assert all(e["similarity"] is None for e in episodes)


@pytest.mark.parametrize("mode", ["similarity", "recency", "hybrid"])
def test_episodes_with_a_query_in_each_mode(imported: Invoke, mode: str) -> None:
    query = "hiking in the mountains"
    result = imported("episodes", "--user", "alice", "--query", query, "--mode", mode, "--json")
    assert result.exit_code == 0, result.output
    episodes = json.loads(result.stdout)
    assert len(episodes) == 2
    assert all(set(e) == EPISODE_KEYS for e in episodes)
    assert all(e["session_id"] == "s1" for e in episodes)
    scores = [e["score"] for e in episodes]
    assert scores == sorted(scores, reverse=True)
    if mode == "recency":
        assert episodes[0]["user_text"] == "I am cooking pasta with tomato sauce"
        assert all(e["similarity"] is None for e in episodes)
    else:
        assert episodes[0]["user_text"] == "I love hiking in the mountains"
        assert episodes[0]["similarity"] > episodes[1]["similarity"]


def test_episodes_limit_and_table(imported: Invoke) -> None:
    limited = json.loads(imported("episodes", "-u", "alice", "-k", "1", "--json").stdout)
    assert len(limited) == 1
    table = imported("episodes", "-u", "alice", "-q", "pasta")
    assert table.exit_code == 0
    assert "pasta" in table.stdout


def test_episodes_with_an_unknown_mode(imported: Invoke) -> None:
    result = imported("episodes", "--user", "alice", "--query", "x", "--mode", "newest")
    assert result.exit_code == 2
    assert "newest" in result.stderr


def test_episodes_for_an_unknown_user(imported: Invoke) -> None:
    result = imported("episodes", "--user", "carol", "--json")
    assert result.exit_code == 2
    _no_traceback(result)
    assert "carol" in result.stderr
    assert result.stdout == ""


def test_read_commands_without_a_data_folder(cli: Invoke, data: Path) -> None:
    for args in (("episodes", "--user", "alice"), ("users",), ("forget", "--user", "alice", "--yes")):
        result = cli(*args)
        assert result.exit_code == 1, args
        _no_traceback(result)
        assert "no data folder" in result.stderr
        assert str(data.resolve()) in result.stderr
    assert not data.exists()  # reading never creates it


# -- chat -------------------------------------------------------------------------------


def test_scripted_chat_answers_each_line_and_reports_bad_ones(cli: Invoke) -> None:
    result = cli("chat", "--user", "alice", input=b"hello there\n\n  \nmy cat is called Miso\n")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == ["You said: hello there", "You said: my cat is called Miso"]
    assert "line 2: the message is empty" in result.stderr
    assert "line 3: the message is empty" in result.stderr
    assert "line 1" not in result.stderr and "line 4" not in result.stderr
    assert _users(cli) == {"alice": (2, 0)}


def test_scripted_chat_reports_invalid_utf8_and_long_lines(cli: Invoke) -> None:
    result = cli("chat", "-u", "alice", input=b"caf\xe9\n" + b"y" * 4001 + b"\nfine\n")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == ["You said: fine"]
    assert "line 1: the input is not valid UTF-8" in result.stderr
    assert "line 2: the message is 4001 characters long; the limit is 4000" in result.stderr
    assert _users(cli) == {"alice": (1, 0)}


def test_chat_remembers_across_runs(cli: Invoke) -> None:
    first = cli("chat", "--user", "alice", input="my cat is called Miso\n")
    assert first.exit_code == 0, first.output
    assert first.stdout == "You said: my cat is called Miso\n"

    second = cli("chat", "--user", "alice", "--json", input="what is my cat called?\n")
    assert second.exit_code == 0, second.output
    [reply] = _json_values(second.stdout)
    assert reply["line"] == 1
    assert reply["response"] == "You said: what is my cat called?"
    assert reply["trace"]["model"] == "scripted"
    recalled = reply["trace"]["recalled"]
    assert [e["interaction"]["user_text"] for e in recalled] == ["my cat is called Miso"]
    assert 'the user said "my cat is called Miso"' in reply["trace"]["prompt"][1]["content"]

    episodes = json.loads(cli("episodes", "--user", "alice", "--json").stdout)
    assert episodes[0]["id"] == reply["interaction_id"]
    assert episodes[0]["session_id"] != episodes[1]["session_id"]  # each run is a new session

    bob = cli("chat", "--user", "bob", "--json", input="what is my cat called?\n")
    [bob_reply] = _json_values(bob.stdout)
    assert bob_reply["trace"]["recalled"] == []
    assert "Miso" not in json.dumps(bob_reply)


def test_chat_json_prints_one_object_per_answered_line(cli: Invoke) -> None:
    result = cli("chat", "--user", "alice", "--session", "s9", "--json", input="one\n\ntwo\n")
    assert result.exit_code == 2
    replies = _json_values(result.stdout)
    assert [(r["line"], r["response"]) for r in replies] == [(1, "You said: one"), (3, "You said: two")]
    assert replies[1]["trace"]["history_turns"] == 1
    assert [m["content"] for m in replies[1]["trace"]["prompt"][1:]] == ["one", "You said: one", "two"]
    assert "line 2: the message is empty" in result.stderr
    sessions = {e["session_id"] for e in json.loads(cli("episodes", "-u", "alice", "--json").stdout)}
    assert sessions == {"s9"}


def test_chat_with_an_empty_user(cli: Invoke, data: Path) -> None:
    result = cli("chat", "--user", " ", input="hello\n")
    assert result.exit_code == 2
    assert "--user" in result.stderr
    assert not data.exists()


# -- forget -----------------------------------------------------------------------------


def test_forget_removes_only_that_user(imported: Invoke) -> None:
    result = imported("forget", "--user", "alice", "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "user_id": "alice",
        "interactions": 2,
        "feedback": 1,
        "preferences": 0,
        "coefficients": 0,
        "files": 0,
    }
    assert _users(imported) == {"bob": (1, 2)}
    gone = imported("episodes", "--user", "alice")
    assert gone.exit_code == 2
    assert "alice" in gone.stderr

    text = imported("forget", "--user", "bob", "--yes")
    assert text.exit_code == 0
    assert "forgot bob: 1 interactions, 2 feedback events" in _flat(text.stdout)
    assert _users(imported) == {}


def test_forget_needs_yes_without_a_terminal(imported: Invoke) -> None:
    result = imported("forget", "--user", "alice", input="y\n")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert _users(imported) == {"alice": (2, 1), "bob": (1, 2)}


def test_forget_an_unknown_user(imported: Invoke) -> None:
    result = imported("forget", "--user", "carol", "--yes")
    assert result.exit_code == 2
    assert "carol" in result.stderr
    assert _users(imported) == {"alice": (2, 1), "bob": (1, 2)}


def test_forget_deletes_the_chat_history_file(imported: Invoke, data: Path) -> None:
    alice_history = chat_history_file(data, "alice")
    bob_history = chat_history_file(data, "bob")
    for path in (alice_history, bob_history):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("my secret line\n", encoding="utf-8")
    result = imported("forget", "--user", "alice", "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"] == 1
    assert not alice_history.exists()
    assert bob_history.exists()


# -- broken or busy data folders, configuration errors -------------------------------------


def test_a_corrupted_store_is_a_clear_error(imported: Invoke, data: Path, events_file: Path) -> None:
    database = data / "episodic" / "chroma.sqlite3"
    assert database.is_file()
    database.write_bytes(b"this is not a database\x00" * 400)
    commands = [
        ("users",),
        ("episodes", "--user", "alice"),
        ("import", str(events_file)),
        ("forget", "--user", "alice", "--yes"),
    ]
    for args in commands:
        result = imported(*args)
        assert result.exit_code == 1, (args, result.output)
        _no_traceback(result)
        assert "corrupted" in result.stderr
        assert str(database.resolve()) in _flat(result.stderr)
    chat = imported("chat", "--user", "alice", input="hello\n")
    assert chat.exit_code == 1
    _no_traceback(chat)
    assert chat.stdout == ""


@pytest.fixture
def lock_holder(data: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the data folder's exclusive lock."""
    code = (
        "import sys, time\n"
        "from memory.datadir import DataFolder\n"
        "folder = DataFolder(sys.argv[1])\n"
        "folder.ensure()\n"
        "folder.acquire('exclusive')\n"
        "print('locked', flush=True)\n"
        "time.sleep(120)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(data)], stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT, env=env
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


def test_a_second_process_gets_a_clear_error(
    cli: Invoke, events_file: Path, lock_holder: subprocess.Popen[str]
) -> None:
    for args in (("import", str(events_file)), ("users",), ("chat", "-u", "alice")):
        result = cli(*args, input="hello\n")
        assert result.exit_code == 1, (args, result.output)
        _no_traceback(result)
        assert "is in use by" in result.stderr
        assert f"prefmem process {lock_holder.pid}" in result.stderr
    lock_holder.kill()
    lock_holder.wait(timeout=10)
    assert cli("import", str(events_file)).exit_code == 0  # the lock died with its holder


def test_a_bad_config_file_names_the_key(tmp_path: Path, data: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("episodic:\n  top_kk: 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "--data-dir", str(data), "users"])
    assert result.exit_code == 2
    _no_traceback(result)
    assert "episodic.top_kk: unknown key" in result.stderr


def test_data_dir_from_the_environment(
    tmp_path: Path, events_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    monkeypatch.setenv("PREFMEM_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("PREFMEM_CONFIG", str(config))
    result = CliRunner().invoke(app, ["import", str(events_file)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-data" / "episodic").is_dir()

    elsewhere = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "option-data"), "users"])
    assert elsewhere.exit_code == 1  # --data-dir wins over the variable: nothing there
    assert "option-data" in elsewhere.stderr


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from prefmem.agent.cli.app import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'import' in result.output and 'forget' in result.output\n"
        "heavy = ('torch', 'chromadb', 'transformers', 'sentence_transformers')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
