"""The disagreement evaluation: histories from the training part only, both models scored per user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from _dsp_fixture import write_dsp
from typer.testing import CliRunner

from prefmem.agent.cli.evals_disagreement import disagreement_command
from prefmem.agent.config import parse_config
from prefmem.evals.disagreement import STYLE_STATEMENTS, history_events, pair_outcome, run_disagreement
from prefmem.evals.dsp_data import USER_STYLES, load_dsp, split_queries


def test_histories_choose_the_users_own_style_on_training_queries_only(tmp_path: Path) -> None:
    train, test = split_queries(load_dsp(write_dsp(tmp_path, 12)).queries, seed=0)
    events = history_events(train, seed=0)
    choices = [e for e in events if e["type"] == "choice"]
    assert len(choices) == len(USER_STYLES) * len(train)
    by_query = {q.query: q for q in train}
    for event in choices:
        wanted = by_query[event["prompt"]].responses[event["user_id"]]
        assert event["options"][event["chosen"]] == wanted
        assert wanted in event["options"] and len(set(event["options"])) == 2
    assert not {q.query for q in test} & {e["prompt"] for e in choices}
    # the chosen answer is not always shown first
    assert {e["chosen"] for e in choices} == {0, 1}
    statements = [e for e in events if e["type"] == "message"]
    assert {e["content"] for e in statements} == {s for texts in STYLE_STATEMENTS.values() for s in texts}
    assert len({e["timestamp"][:10] for e in statements if e["user_id"] == "academy"}) == 3


def test_a_tie_counts_half() -> None:
    assert pair_outcome(1.0, 0.5) == 1.0
    assert pair_outcome(0.5, 1.0) == 0.0
    assert pair_outcome(0.3, 0.3) == 0.5


def test_report_has_every_user_and_the_worst_group(tmp_path: Path) -> None:
    data = tmp_path / "dsp"
    file = write_dsp(data, 12)
    config = parse_config({"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}})
    report = run_disagreement(data, config, seed=0, simulated_users=6)
    assert set(report["per_user"]) == set(USER_STYLES)
    for block in (report, report["simulated"]):
        rows = block["per_user"].values()
        for key in ("personal", "aggregate"):
            assert all(0.0 <= row[key] <= 1.0 for row in rows)
            assert block["worst_group"][key] == min(row[key] for row in rows)
    assert report["n_train"] + report["n_test"] == 12
    assert report["files_used"] == [str(file)]
    assert report["seed"] == 0
    assert sum(report["simulated"]["groups"].values()) == 6
    # the fixture's academy answers are the formal, technical ones: its user's own fit moves that way
    assert report["user_coefficients"]["academy"]["formality"] > report["aggregate_coefficients"]["formality"]
    assert not (tmp_path / "unused").exists()  # the evaluation never writes the configured data folder


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("disagreement")(disagreement_command)
    app.command("other")(lambda: None)  # two commands, so the name is part of the invocation
    return app


def test_command_writes_json_and_names_missing_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    monkeypatch.setenv("PREFMEM_CONFIG", str(config))
    write_dsp(tmp_path / "dsp", 8)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        _app(),
        ["disagreement", "--data", str(tmp_path / "dsp"), "--simulated-users", "4", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"per_user", "worst_group", "simulated", "files_used", "n_train", "n_test", "seed"} <= set(report)
    missing = CliRunner().invoke(_app(), ["disagreement", "--data", str(tmp_path / "absent")])
    assert missing.exit_code == 2
    assert "absent" in missing.output
