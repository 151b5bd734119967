"""The stability evaluation scores consolidation against the simulator's truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prefmem.agent.cli.app import app
from prefmem.evals.simulator import Population, simulate
from prefmem.evals.stability import TRUE_KINDS, evaluate_stability, no_questions
from prefmem.memory.embeddings.fake import HashingEmbedder


def test_report_holds_the_promised_figures_and_a_full_confusion_matrix() -> None:
    population = simulate(6, seed=3)
    report = evaluate_stability(population, HashingEmbedder())
    assert 0.0 <= report["recall_genuine"] <= 1.0
    assert 0.0 <= report["false_promotion"] <= 1.0
    assert set(report["confusion"]) == set(TRUE_KINDS)
    assert sum(sum(row.values()) for row in report["confusion"].values()) == len(population.truth)
    # constructed answers are consistent within each framing and differ across: told apart
    assert report["confusion"]["constructed"]["constructed"] >= 1
    # momentary requests never turn into genuine preferences
    assert report["confusion"]["momentary"]["genuine"] == 0


def genuine(population: Population) -> int:
    return sum(slot.kind == "genuine" for slot in population.truth)


def test_genuine_recall_is_split_by_whether_an_occurrence_slipped() -> None:
    clean = simulate(8, seed=4, slips=0.0)
    report = evaluate_stability(clean, HashingEmbedder())
    split = report["recall_genuine_by_slips"]
    assert split["with_slips"]["slots"] == 0 and split["with_slips"]["recall"] is None
    assert split["clean"]["slots"] == genuine(clean)
    assert split["clean"]["recall"] == report["recall_genuine"]
    slipping = simulate(8, seed=4, slips=0.5)
    split = evaluate_stability(slipping, HashingEmbedder())["recall_genuine_by_slips"]
    assert split["with_slips"]["slots"] > 0
    assert split["clean"]["slots"] + split["with_slips"]["slots"] == genuine(slipping)


def test_eval_stability_command_writes_json(tmp_path: Path) -> None:
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    out = tmp_path / "stability.json"
    result = CliRunner().invoke(
        app, ["--config", str(config), "eval", "stability", "--users", "4", "--seed", "1", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"recall_genuine", "false_promotion", "confusion", "per_kind"} <= set(report)
    assert report["seed"] == 1 and report["slips"] == 0.05 and report["bank"] == "test"
    assert report["non_attitudes"] == "random" and report["questions_asked"] > 0  # the re-ask queue, posed
    assert 0.0 <= report["recall_genuine"] <= report["recall_genuine_unchecked"] <= 1.0
    assert "on the true side" in " ".join(result.output.split())
    assert report["rules"]["promote_posterior"] == 0.99


def test_eval_stability_takes_slips(tmp_path: Path) -> None:
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    out = tmp_path / "stability.json"
    args = ["--config", str(config), "eval", "stability", "--users", "4", "--slips", "0.5"]
    result = CliRunner().invoke(app, [*args, "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["slips"] == 0.5
    assert report["recall_genuine_by_slips"]["with_slips"]["slots"] > 0
    assert "where some slipped" in " ".join(result.output.split())


def test_eval_stability_judges_with_the_configured_thresholds(tmp_path: Path) -> None:
    config = tmp_path / "strict.yaml"
    config.write_text(
        "embedder: {backend: hashing}\nllm: {backend: scripted}\nconsolidation: {min_occasions: 50}\n",
        encoding="utf-8",
    )
    out = tmp_path / "stability.json"
    args = ["--config", str(config), "eval", "stability", "--users", "4", "--json", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["rules"]["min_occasions"] == 50
    assert report["recall_genuine"] == 0.0  # no simulated preference recurs on 50 occasions


def test_the_rules_ceiling_is_every_view_not_asked_for_without_slips_and_falls_with_them() -> None:
    population = simulate(8, seed=5, slips=0.0)
    clean = evaluate_stability(population, HashingEmbedder())
    # every genuine slot, read right and asked again while undecided, is genuine
    assert clean["recall_genuine_ceiling"] == 1.0
    unasked = evaluate_stability(population, HashingEmbedder(), ask_again=no_questions)
    genuine = [slot for slot in population.slots().values() if slot.kind == "genuine"]
    volunteered = sum(slot.source != "answer" for slot in genuine) / len(genuine)
    # without re-asks, answers to asked questions (3 to 5 of them) stay undecided
    assert unasked["recall_genuine_ceiling"] == pytest.approx(volunteered)
    slipping = evaluate_stability(simulate(8, seed=5, slips=0.5), HashingEmbedder())
    # slips leave splits such as "2 of 3" answers that random answering gives as often
    assert slipping["recall_genuine_ceiling"] < 1.0


def test_eval_stability_takes_the_part_of_the_bank(tmp_path: Path) -> None:
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    out = tmp_path / "stability.json"
    args = ["--config", str(config), "eval", "stability", "--users", "3", "--bank", "dev", "--json", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["bank"] == "dev"
    wrong = CliRunner().invoke(app, ["--config", str(config), "eval", "stability", "--bank", "holdout"])
    assert wrong.exit_code == 2 and "--bank" in wrong.output


def test_the_command_line_and_the_simulator_share_the_default_slips() -> None:
    from prefmem.agent.cli.context import DEFAULT_SLIPS as CLI_SLIPS
    from prefmem.evals.simulator import DEFAULT_SLIPS

    assert CLI_SLIPS == DEFAULT_SLIPS == 0.05
    mixed = simulate(30, seed=2, bank="all")
    assert mixed.bank == "all"
    topics = {s.topic for s in mixed.truth}
    assert topics & {"answer_length", "formality", "vegetarian_food", "spicy_food", "q-news", "news_format"}
    assert topics & {"section_headings", "tea", "dogs", "seat_choice", "film_genre", "crowds"}
