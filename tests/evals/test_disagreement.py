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
from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.evals.disagreement import history_events, run_disagreement
from prefmem.evals.disagreement_scoring import pair_outcome
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
    # nothing written about the styles: the history is the users' choices and nothing else
    assert all(e["type"] == "choice" for e in events)


def test_a_tie_counts_half() -> None:
    assert pair_outcome(1.0, 0.5) == 1.0
    assert pair_outcome(0.5, 1.0) == 0.0
    assert pair_outcome(0.3, 0.3) == 0.5


def test_report_has_every_user_and_the_worst_group(tmp_path: Path) -> None:
    data = tmp_path / "dsp"
    file = write_dsp(data, 12)
    config = parse_config({"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}})
    report = run_disagreement(data, config, seed=0, simulated_users=6, resamples=50)
    assert set(report["per_user"]) == set(USER_STYLES)
    for row in report["per_user"].values():
        for key in ("personal", "aggregate"):
            low, high = row[f"{key}_ci"]
            assert low <= row[key] <= high
    worst = report["worst_group"]
    assert worst["personal_ci"][0] <= worst["personal"] <= worst["personal_ci"][1]
    assert worst["gap"] == pytest.approx(worst["personal"] - worst["aggregate"])
    # learned base functions come from the training choices and both models use them
    assert report["learned_functions"]["users"] == 4
    assert report["base_functions"][: len(BASE_NAMES)] == list(BASE_NAMES)
    assert len(report["base_functions"]) > len(BASE_NAMES)
    assert set(report["aggregate_coefficients"]) == set(report["base_functions"])
    curve = report["cold_start"]
    assert curve["counts"] == [0, 5, 10, 20, 50]
    assert set(curve["variants"]) == {"shared", "leave_one_out"}
    for block in curve["variants"].values():
        assert set(block["per_user"]) == set(USER_STYLES)
        for count in ("0", "10", "50"):
            worst_at = block["worst_user"][count]["accuracy"]
            assert worst_at == min(block["per_user"][u][count]["accuracy"] for u in USER_STYLES)
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
        [
            "disagreement",
            "--data",
            str(tmp_path / "dsp"),
            "--simulated-users",
            "4",
            "--resamples",
            "20",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"per_user", "worst_group", "simulated", "files_used", "n_train", "n_test", "seed"} <= set(report)
    assert "cold_start" in report and "worst-off" in result.output
    missing = CliRunner().invoke(_app(), ["disagreement", "--data", str(tmp_path / "absent")])
    assert missing.exit_code == 2
    assert "absent" in missing.output
