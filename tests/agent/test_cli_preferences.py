"""`prefmem consolidate` and `prefmem preferences ...` end to end on the embedded store with fast backends."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from prefmem.agent.cli.app import app
from prefmem.memory.semantic.store import SemanticStore

Invoke = Callable[..., Result]

PREFERENCE_KEYS = {"id", "statement", "kind", "stability", "support", "item_id", "first_seen", "last_seen"}


def _message(user: str, day: int, minute: int, content: str) -> dict[str, Any]:
    return {
        "type": "message",
        "user_id": user,
        "session_id": f"{user}-{day}",
        "timestamp": f"2024-06-0{day + 1}T12:{minute:02d}:00Z",
        "role": "user",
        "content": content,
    }


def _answer(user: str, day: int, chosen: int) -> dict[str, Any]:
    return {
        "type": "answer",
        "user_id": user,
        "session_id": f"{user}-{day}",
        "timestamp": f"2024-06-0{day + 1}T13:00:00Z",
        "item_id": "season",
        "question": "Which season do you like best?",
        "options": ["summer", "winter"],
        "chosen": chosen,
    }


EVENTS = [
    _message("alice", 0, 0, "I prefer short answers"),
    _message("alice", 1, 0, "I don't like long answers"),
    _message("alice", 0, 5, "I love jazz"),
    _message("alice", 1, 5, "I want a formal tone just today"),
    *[_answer("alice", day, chosen) for day, chosen in enumerate([0, 1, 0, 1])],
    _message("bob", 0, 0, "I hate horror films"),
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(tmp_path: Path, data: Path) -> Invoke:
    config = tmp_path / "test-config.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--config", str(config), "--data-dir", str(data), *args])

    return invoke


@pytest.fixture
def imported(cli: Invoke, tmp_path: Path) -> Invoke:
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    return cli


@pytest.fixture
def consolidated(imported: Invoke) -> Invoke:
    result = imported("consolidate")
    assert result.exit_code == 0, result.output
    return imported


def _preferences(cli: Invoke, user: str, *extra: str) -> list[dict[str, Any]]:
    result = cli("preferences", "--user", user, "--json", *extra)
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def _by_topic(cli: Invoke, user: str) -> dict[str, dict[str, Any]]:
    return {p["topic"]: p for p in _preferences(cli, user)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_consolidate_summary_and_second_run(imported: Invoke) -> None:
    result = imported("consolidate", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary == {
        "users_seen": 2,
        "users_processed": 2,
        "added": 4,
        "changed": 0,
        "removed": 0,
        "kinds": {"genuine": 1, "tentative": 2, "non_attitude": 1},
    }
    again = json.loads(imported("consolidate", "--json").stdout)
    assert (again["users_seen"], again["users_processed"], again["added"]) == (2, 0, 0)

    text = imported("consolidate")
    assert text.exit_code == 0
    assert "consolidated 0 of 2 user(s) (2 unchanged)" in _flat(text.stdout)


def test_consolidate_only_some_users_and_force(imported: Invoke) -> None:
    first = json.loads(imported("consolidate", "--user", "bob", "--json").stdout)
    assert (first["users_seen"], first["users_processed"]) == (1, 1)
    assert _preferences(imported, "alice") == []
    forced = json.loads(imported("consolidate", "--user", "bob", "--force", "--json").stdout)
    assert (forced["users_processed"], forced["added"], forced["changed"]) == (1, 0, 0)
    unknown = imported("consolidate", "--user", "nobody")
    assert unknown.exit_code == 2
    assert "nobody" in unknown.stderr


def test_preferences_json(consolidated: Invoke) -> None:
    found = _preferences(consolidated, "alice")
    assert all(set(p) >= PREFERENCE_KEYS for p in found)
    assert [p["stability"] for p in found] == sorted((p["stability"] for p in found), reverse=True)
    by_topic = {p["topic"]: p for p in found}
    assert set(by_topic) == {"short answers", "jazz", "which season do you like best"}
    short = by_topic["short answers"]
    assert (short["kind"], short["item_id"]) == ("genuine", None)
    assert short["statement"] == "Likes short answers; dislikes long answers"
    assert short["support"] == {"signals": 2, "occasions": 2, "conditions": 1}
    assert short["first_seen"].startswith("2024-06-01") and short["last_seen"].startswith("2024-06-02")
    season = by_topic["which season do you like best"]
    assert (season["kind"], season["item_id"]) == ("non_attitude", "season")
    assert [p["topic"] for p in _preferences(consolidated, "bob")] == ["horror films"]


def test_preferences_filtered_by_kind(consolidated: Invoke) -> None:
    assert [p["topic"] for p in _preferences(consolidated, "alice", "--kind", "genuine")] == ["short answers"]
    assert [p["topic"] for p in _preferences(consolidated, "alice", "--kind", "tentative")] == ["jazz"]
    assert _preferences(consolidated, "alice", "--kind", "constructed") == []


def test_preferences_table(consolidated: Invoke) -> None:
    result = consolidated("preferences", "--user", "alice")
    assert result.exit_code == 0, result.output
    text = _flat(result.stdout)  # the table may wrap long cells in a narrow terminal
    assert "alice: preferences" in text
    assert "genuine" in text and "tentative" in text and "Likes" in text


def test_preferences_before_consolidating(imported: Invoke) -> None:
    result = imported("preferences", "--user", "alice")
    assert result.exit_code == 0, result.output
    assert "no preferences for alice yet" in _flat(result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("preferences", "--user", "alice", "--kind", "favourite"), "unknown kind"),
        (("preferences", "--user", "nobody"), "nobody"),
        (("preferences",), "--user"),
        (("preferences", "explain", "p-nope"), "p-nope"),
        (("preferences", "confirm", "p-nope"), "p-nope"),
        (("preferences", "edit", "p-nope", "text"), "p-nope"),
        (("preferences", "delete", "p-nope"), "p-nope"),
    ],
)
def test_usage_errors_exit_2(consolidated: Invoke, args: tuple[str, ...], message: str) -> None:
    result = consolidated(*args)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_explain_shows_the_evidence(consolidated: Invoke) -> None:
    short = _by_topic(consolidated, "alice")["short answers"]
    result = consolidated("preferences", "explain", short["id"])
    assert result.exit_code == 0, result.output
    text = _flat(result.stdout)
    assert "Likes short answers; dislikes long answers (genuine" in text
    assert "I prefer short answers" in text and "I don't like long answers" in text
    assert "support: 2 signals, 2 occasions, 1 framing " in text  # singular for one

    explained = json.loads(consolidated("preferences", "explain", short["id"], "--json").stdout)
    assert explained["preference"]["id"] == short["id"]
    evidence = explained["evidence"]
    assert [e["text"] for e in evidence] == ["I prefer short answers", "I don't like long answers"]
    assert {e["type"] for e in evidence} == {"message"}
    assert [e["id"] for e in evidence] == short["evidence_ids"]


def test_explain_shows_answers(consolidated: Invoke) -> None:
    season = _by_topic(consolidated, "alice")["which season do you like best"]
    explained = json.loads(consolidated("preferences", "explain", season["id"], "--json").stdout)
    assert [e["text"] for e in explained["evidence"]] == [
        f"Which season do you like best? -> {option}" for option in ("summer", "winter", "summer", "winter")
    ]
    assert {e["type"] for e in explained["evidence"]} == {"answer"}


def test_explain_shows_what_ratings_and_one_off_choices_said(cli: Invoke, tmp_path: Path) -> None:
    reply = "Seven to nine hours, according to the sleep medicine consensus."
    plain = "Most adults need seven to nine hours."
    events = [
        {"type": "choice", "prompt": "How long should I sleep?", "options": [plain, reply], "chosen": 1},
        {"type": "choice", "prompt": "How long should I sleep?", "options": [reply, plain], "chosen": 0},
        {"type": "rating", "prompt": "How long should I sleep?", "response": plain, "value": -1},
    ]
    for day, event in enumerate(events):
        event.update(user_id="carol", session_id=f"c{day}", timestamp=f"2024-06-0{day + 1}T09:00:00Z")
    path = tmp_path / "carol.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    assert cli("import", str(path)).exit_code == 0
    assert cli("consolidate").exit_code == 0
    [preference] = _preferences(cli, "carol")
    # for the reply picked and against the one passed over, in every record: one stance, but
    # three picks between two replies are what picking at random gives one time in four
    assert preference["kind"] == "tentative", preference
    assert preference["value"] == "+"
    explained = json.loads(cli("preferences", "explain", preference["id"], "--json").stdout)
    assert [e["text"] for e in explained["evidence"]] == [
        f"How long should I sleep? -> {reply} (over: {plain})",
        f"How long should I sleep? -> {reply} (over: {plain})",
        f"How long should I sleep? -> disliked: {plain}",
    ]


def test_confirm_edit_delete(consolidated: Invoke) -> None:
    prefs = _by_topic(consolidated, "alice")
    jazz, short = prefs["jazz"]["id"], prefs["short answers"]["id"]

    confirmed = consolidated("preferences", "confirm", jazz)
    assert confirmed.exit_code == 0, confirmed.output
    assert "confirmed: Likes jazz" in _flat(confirmed.stdout)
    assert _by_topic(consolidated, "alice")["jazz"]["user_status"] == "confirmed"

    edited = consolidated("preferences", "edit", short, "Wants answers of three sentences at most")
    assert edited.exit_code == 0, edited.output
    assert _by_topic(consolidated, "alice")["short answers"]["statement"] == (
        "Wants answers of three sentences at most"
    )
    empty = consolidated("preferences", "edit", short, "  ")
    assert empty.exit_code == 2

    deleted = consolidated("preferences", "delete", jazz)
    assert deleted.exit_code == 0, deleted.output
    assert "jazz" not in _by_topic(consolidated, "alice")

    # the user's decisions survive a forced reconsolidation
    assert consolidated("consolidate", "--force").exit_code == 0
    after = _by_topic(consolidated, "alice")
    assert "jazz" not in after
    assert after["short answers"]["statement"] == "Wants answers of three sentences at most"
    assert after["short answers"]["user_status"] == "edited"


def test_forget_removes_the_users_preferences(consolidated: Invoke, data: Path) -> None:
    result = consolidated("forget", "--user", "alice", "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["preferences"] == 3
    store = SemanticStore(data / SemanticStore.FILE_NAME)
    try:
        assert store.preferences("alice") == []
        assert store.fingerprint("alice") is None
        assert store.users() == ["bob"]
        assert len(store.preferences("bob")) == 1
    finally:
        store.close()
    assert b"short answers" not in (data / SemanticStore.FILE_NAME).read_bytes()
    assert consolidated("preferences", "--user", "alice").exit_code == 2
    again = json.loads(consolidated("consolidate", "--json").stdout)
    assert (again["users_seen"], again["users_processed"]) == (1, 0)


def test_consolidate_on_a_schedule_runs_again_and_stops_after_runs(imported: Invoke) -> None:
    result = imported("consolidate", "--every", "1", "--runs", "2", "--json")
    assert result.exit_code == 0, result.output
    decoder, text, summaries, position = json.JSONDecoder(), result.stdout, [], 0
    while position < len(text.strip()):
        summary, position = decoder.raw_decode(text, position)
        summaries.append(summary)
        while position < len(text) and text[position].isspace():
            position += 1
    assert len(summaries) == 2
    assert summaries[0]["users_processed"] >= 1
    assert summaries[1]["users_processed"] == 0  # nothing new between the runs
