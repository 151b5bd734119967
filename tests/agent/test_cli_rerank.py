"""`prefmem rerank` and chat feedback end to end: candidates from a file, the user's preferences, JSON out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from prefmem.agent.cli.app import app

Invoke = Callable[..., Result]
PROMPT = "What should I cook for dinner tonight?"
MEAT = "Roast chicken with potatoes and a side of bacon."
VEGGIE = "A chickpea and spinach curry with rice, no meat at all."


@pytest.fixture
def cli(tmp_path: Path) -> Invoke:
    config = tmp_path / "test-config.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        base = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
        return runner.invoke(app, [*base, *args], input=input)

    return invoke


def _events(user: str, days: int) -> str:
    lines = []
    for day in range(1, days + 1):
        stamp = f"2026-03-0{day}T09:00:00Z"
        base = {"user_id": user, "session_id": f"s{day}", "timestamp": stamp}
        lines.append({**base, "type": "message", "role": "user", "content": "I don't eat meat."})
        lines.append({**base, "type": "message", "role": "assistant", "content": "Noted."})
    return "\n".join(json.dumps(line) for line in lines) + "\n"


def _rerank(cli: Invoke, tmp_path: Path, user: str, candidates: object) -> Result:
    path = tmp_path / "candidates.json"
    path.write_text(json.dumps(candidates), encoding="utf-8")
    return cli("rerank", "--user", user, "--prompt", PROMPT, "--candidates", str(path), "--json")


def test_rerank_json_lists_every_candidate_best_first_with_terms(cli: Invoke, tmp_path: Path) -> None:
    result = _rerank(cli, tmp_path, "nobody", [MEAT, VEGGIE, "x"])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)
    assert sorted(c["index"] for c in ranked) == [0, 1, 2]
    assert [c["score"] for c in ranked] == sorted((c["score"] for c in ranked), reverse=True)
    for candidate in ranked:
        assert {"index", "text", "score", "terms"} <= set(candidate)
        assert sum(candidate["terms"].values()) == pytest.approx(candidate["score"], abs=1e-4)
        assert not any(name.startswith("preference:") for name in candidate["terms"])
    assert "population reward" in result.stderr


def test_a_consolidated_preference_changes_the_ranking(cli: Invoke, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text(_events("ana", 3), encoding="utf-8")
    assert cli("import", str(log)).exit_code == 0
    assert cli("consolidate", "--json").exit_code == 0
    ranked = json.loads(_rerank(cli, tmp_path, "ana", [MEAT, VEGGIE]).stdout)
    assert ranked[0]["text"] == VEGGIE
    preference_terms = {k: v for k, v in ranked[0]["terms"].items() if k.startswith("preference:")}
    assert preference_terms and all(v > 0 for v in preference_terms.values())


def test_candidates_one_per_line_and_from_stdin(cli: Invoke) -> None:
    result = cli("rerank", "-u", "bo", "-p", PROMPT, "-c", "-", "--json", input=f"{MEAT}\n\n{VEGGIE}\n")
    assert result.exit_code == 0, result.output
    assert {c["text"] for c in json.loads(result.stdout)} == {MEAT, VEGGIE}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "no candidates"),
        ('["ok", 3]', "list of strings"),
        ('["ok", "  "]', "candidate 2 is empty"),
        ("[not json", "not a valid JSON list"),
    ],
)
def test_bad_candidate_files_are_refused_clearly(
    cli: Invoke, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = cli("rerank", "-u", "bo", "-p", PROMPT, "-c", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_missing_candidates_file(cli: Invoke, tmp_path: Path) -> None:
    result = cli("rerank", "-u", "bo", "-p", PROMPT, "-c", str(tmp_path / "nope.json"))
    assert result.exit_code == 2 and "not found" in result.stderr


def test_feedback_lines_in_scripted_chat_are_stored_as_events(cli: Invoke) -> None:
    result = cli("chat", "--user", "ana", "--json", input="hello there\n/good\n/edit Hi!\n/choose 7\n")
    assert result.exit_code == 2  # /choose 7 is refused, the rest recorded
    assert "line 4" in result.stderr
    users = json.loads(cli("users", "--json").stdout)
    assert users == [{"user_id": "ana", "interactions": 1, "feedback": 2}]
