"""PrefEval through the memory path: histories, memory conditions, training, the command."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import typer
from _prefeval_fixture import write_prefeval_folder
from typer.testing import CliRunner

from prefmem.agent.cli.evals_prefeval import prefeval_command
from prefmem.agent.config import Config, parse_config
from prefmem.evals.prefeval import PrefEvalUser, parse_counts, run_prefeval, user_events
from prefmem.evals.prefeval_forms import load_cases, load_distractor_turns
from prefmem.memory.errors import InvalidInputError, UsageError

TOPICS = ["music_taste", "food_taste"]


def _config(tmp_path: Path, **reward: str) -> Config:
    raw: dict[str, object] = {"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}}
    if reward:
        raw["reward"] = reward
    return parse_config(raw)


def _accuracy(report: dict[str, object], memory: str, distractors: int, form: str) -> float:
    rows = report["rows"]
    assert isinstance(rows, list)
    (row,) = [r for r in rows if (r["memory"], r["distractors"], r["form"]) == (memory, distractors, form)]
    return float(row["accuracy"])


def test_user_events_state_the_preference_first_then_the_distractors_in_time_order(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    (case,) = [c for c in load_cases(root, ["choice"]) if c.item.topic == "food_taste"]
    turns = load_distractor_turns(root)
    events = user_events(PrefEvalUser(case, 3), turns, max_chars=20)
    kinds = [e["type"] for e in events]
    assert kinds == ["message"] * 4 + ["choice"] + ["message"] * 6
    assert events[4]["options"][events[4]["chosen"]] == "A spicy chili curry with rice."
    assert events[-1]["content"] == turns[2][1][:20]  # distractors come last, cut to the message limit
    moments = [datetime.fromisoformat(e["timestamp"]) for e in events]
    assert moments == sorted(moments) and len(set(moments)) == len(moments)
    assert {e["user_id"] for e in events} == {"choice-food_taste-000-d3"}


def test_memory_follows_the_preference_and_recency_loses_it_behind_distractors(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    report = run_prefeval(_config(tmp_path), root, forms=["explicit"], distractors=[0, 5], seed=0)
    rows = report["rows"]
    assert len(rows) == (2 + 5) * 2 * 1  # two baselines beside the five memory conditions
    for row in rows:
        assert row["n"] == 3
        assert row["ci_low"] <= row["accuracy"] <= row["ci_high"]
        if row["memory"] == "none":
            assert row["lift_over_none"] == 0.0
        compared = [
            _accuracy(report, name, row["distractors"], "explicit")
            for name in ("baseline-longest", "baseline-shared-base", "none")
        ]
        assert row["lift_over_best_baseline"] == pytest.approx(row["accuracy"] - max(compared), abs=1e-4)
        assert _accuracy(report, row["best_baseline"], row["distractors"], "explicit") == max(compared)
    for count in (0, 5):
        assert _accuracy(report, "semantic", count, "explicit") > _accuracy(report, "none", count, "explicit")
        assert _accuracy(report, "episodic-similarity", count, "explicit") > _accuracy(
            report, "none", count, "explicit"
        )
    # five newer turns push the stated preference out of the four most recent messages
    assert _accuracy(report, "episodic-recency", 5, "explicit") < _accuracy(
        report, "episodic-recency", 0, "explicit"
    )
    assert report["users"] == 3 * 2
    assert any(path.endswith("filtered_inter_turns.json") for path in report["files_used"])


def test_training_topics_that_overlap_the_reported_ones_are_refused(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    train = write_prefeval_folder(tmp_path / "train", ["travel_taste", "food_taste"])
    with pytest.raises(InvalidInputError, match="share topics \\(food_taste\\)"):
        run_prefeval(_config(tmp_path), root, train_data=train, distractors=[0])


def test_training_on_a_disjoint_folder_reports_with_the_trained_scorer(tmp_path: Path) -> None:
    from prefmem.agent.reward.preference_terms.trained import TrainedPreferenceScorer

    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    train = write_prefeval_folder(tmp_path / "train", ["travel_taste"])
    report = run_prefeval(
        _config(tmp_path), root, train_data=train, forms=["explicit"], distractors=[0], memory=["none"]
    )
    assert report["preference_scorer"] == TrainedPreferenceScorer.name
    assert report["training"]["examples"] == 1
    assert report["train_topics"] == ["travel_taste"]
    assert [Path(f).name for f in report["train_files"]] == ["travel_taste.json"]


def test_a_configured_trained_scorer_needs_training_data(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    with pytest.raises(UsageError, match="--train-data"):
        run_prefeval(_config(tmp_path, preference_scorer="trained"), root, distractors=[0])


def test_more_distractors_than_the_file_holds_are_refused(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    with pytest.raises(InvalidInputError, match="only 5 distractor turns, 6 asked for"):
        run_prefeval(_config(tmp_path), root, distractors=[6])
    with pytest.raises(InvalidInputError, match="--distractors"):
        parse_counts("0,ten")


def test_prefeval_command_writes_the_rows_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    monkeypatch.setenv("PREFMEM_CONFIG", str(config))
    app = typer.Typer()
    app.command("prefeval")(prefeval_command)
    app.command("unused")(lambda: None)  # two commands: typer keeps the command name
    out = tmp_path / "prefeval.json"
    args = ["prefeval", "--data", str(root), "--distractors", "0,2", "--forms", "explicit,persona"]
    result = CliRunner().invoke(app, [*args, "--memory", "none,semantic", "--limit", "1", "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["seed"] == 0
    assert len(report["rows"]) == (2 + 2) * 2 * 2  # the two baselines always come beside none and semantic
    assert {row["memory"] for row in report["rows"]} == {
        "baseline-longest",
        "baseline-shared-base",
        "none",
        "semantic",
    }
    for row in report["rows"]:
        assert {"memory", "distractors", "form", "n", "accuracy", "lift_over_best_baseline"} <= set(row)
        assert row["n"] == 2  # one item per topic
    assert "explicit: accuracy" in result.output


def test_prefeval_command_names_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\n", encoding="utf-8")
    monkeypatch.setenv("PREFMEM_CONFIG", str(config))
    app = typer.Typer()
    app.command("prefeval")(prefeval_command)
    app.command("unused")(lambda: None)
    result = CliRunner().invoke(app, ["prefeval", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "mcq_options does not exist" in result.output


def test_topics_the_offline_scorer_was_tuned_on_are_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prefmem.evals.prefeval

    root = write_prefeval_folder(tmp_path / "pe", ["music_taste", "food_taste"])
    monkeypatch.setattr(prefmem.evals.prefeval, "TUNING_TOPICS", ("food_taste",))
    report = run_prefeval(_config(tmp_path), root, forms=["explicit"], distractors=[0], memory=["none"])
    assert report["topics"] == ["music_taste"] and report["left_out_tuning_topics"] == ["food_taste"]
    assert not any("food_taste" in name for name in report["files_used"])
    monkeypatch.setattr(prefmem.evals.prefeval, "TUNING_TOPICS", ("food_taste", "music_taste"))
    with pytest.raises(InvalidInputError, match="tune the offline scorer"):
        run_prefeval(_config(tmp_path), root, forms=["explicit"], distractors=[0], memory=["none"])
