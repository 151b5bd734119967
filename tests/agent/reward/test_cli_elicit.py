"""`prefmem elicit` and `prefmem bench elicitation` end to end, with the hashing embedder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from prefmem.agent.cli.app import main_options
from prefmem.agent.cli.bench_reward import elicitation_command
from prefmem.agent.cli.elicit import elicit_command
from prefmem.agent.reward.coefficient_store import CoefficientStore
from prefmem.agent.reward.coefficients import DEFAULT_POPULATION
from prefmem.agent.reward.elicitation_bank import TOPICS, compose

Invoke = Callable[..., Result]

# The commands wired as the application wires them (global options first).
app = typer.Typer()
app.callback()(main_options)
app.command("elicit")(elicit_command)
_bench = typer.Typer()
_bench.command("elicitation")(elicitation_command)
app.add_typer(_bench, name="bench")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli(tmp_path: Path, data: Path) -> Invoke:
    config = tmp_path / "test-config.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--config", str(config), "--data-dir", str(data), *args], input=input)

    return invoke


def _answer(
    user: str, day: int, item: str, options: list[str], chosen: int, condition: str
) -> dict[str, Any]:
    return {
        "type": "answer",
        "user_id": user,
        "session_id": f"{user}-{day}",
        "timestamp": f"2024-06-0{day + 1}T12:00:00Z",
        "item_id": item,
        "question": "Which reply?",
        "options": options,
        "chosen": chosen,
        "condition": condition,
    }


def _warm_lover_log(user: str) -> list[dict[str, Any]]:
    """A user who picks the warm reply over the plain one for four topics, on two days, in both orders."""
    events = []
    for topic in TOPICS[:4]:
        plain, warm = compose(topic, []), compose(topic, ["warm"])
        events.append(_answer(user, 0, f"{topic.key}/warm", [plain, warm], 1, "order-ab"))
        events.append(_answer(user, 1, f"{topic.key}/warm", [warm, plain], 0, "order-ba"))
    return events


def _write(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")
    return path


def _axes(result: Result) -> dict[str, dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return {row["name"]: row for row in json.loads(result.stdout)["axes"]}


def test_answers_file_personalizes_the_consistent_axis_only(cli: Invoke, tmp_path: Path, data: Path) -> None:
    log = _write(tmp_path / "answers.jsonl", [*_warm_lover_log("ana"), *_warm_lover_log("bo")[:2]])
    result = cli("elicit", "--user", "ana", "--answers", str(log), "--json")
    axes = _axes(result)
    summary = json.loads(result.stdout)
    assert summary["new_answers"] == 8 and summary["ignored_events"] == 2
    assert summary["reasked_items"] == 4 and summary["flipped_items"] == 0
    assert axes["warmth"]["status"] == "personalized"
    assert axes["warmth"]["value"] > DEFAULT_POPULATION["warmth"] + 0.5
    assert axes["warmth"]["std"] < summary["prior_std"]
    # formality was never asked about: it stays exactly at the population value with the prior's spread
    assert axes["formality"]["status"] == "kept at population"
    assert axes["formality"]["value"] == DEFAULT_POPULATION["formality"]
    assert axes["formality"]["std"] == pytest.approx(summary["prior_std"])
    with CoefficientStore(data / CoefficientStore.FILE_NAME) as store:
        saved = store.load("ana")
        assert saved is not None and saved.as_mapping()["warmth"] == pytest.approx(axes["warmth"]["value"])
        assert store.load("bo") is None


def test_answers_that_flip_when_reasked_are_not_personalized(cli: Invoke, tmp_path: Path) -> None:
    events = _warm_lover_log("cy")
    for event in events[1::2]:  # the second asking, in swapped order, picks the other reply
        event["chosen"] = 1 - event["chosen"]
    axes = _axes(
        cli("elicit", "--user", "cy", "--answers", str(_write(tmp_path / "a.jsonl", events)), "--json")
    )
    assert all(row["status"] == "kept at population" for row in axes.values())
    assert axes["warmth"]["value"] == DEFAULT_POPULATION["warmth"]


def test_importing_the_same_answers_twice_stores_them_once(cli: Invoke, tmp_path: Path) -> None:
    log = _write(tmp_path / "answers.jsonl", _warm_lover_log("ana"))
    first = json.loads(cli("elicit", "--user", "ana", "--answers", str(log), "--json").stdout)
    second = json.loads(cli("elicit", "--user", "ana", "--answers", str(log), "--json").stdout)
    assert (first["new_answers"], second["new_answers"]) == (8, 0)
    assert first["comparisons"] == second["comparisons"] == 8


def test_interactive_session_stores_answers_and_reasks_in_swapped_order(cli: Invoke) -> None:
    result = cli("elicit", "--user", "dee", "--questions", "4", "--json", input="a\nmaybe\nB\nA\nb\n")
    assert result.exit_code == 0, result.output
    assert "please answer A or B" in result.output
    summary = json.loads(result.stdout)
    assert summary["new_answers"] == 4
    assert summary["reasked_items"] == 1  # 4 questions x 0.3 re-asked, rounded


def test_interactive_input_ending_early_keeps_the_answers_given(cli: Invoke) -> None:
    result = cli("elicit", "--user", "eve", "--json", input="a\nb\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new_answers"] == 2


def test_bad_inputs_are_clear_errors(cli: Invoke, tmp_path: Path) -> None:
    missing = cli("elicit", "--user", "ana", "--answers", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 2 and "no such file" in missing.output
    other = _write(tmp_path / "other.jsonl", _warm_lover_log("bo"))
    nobody = cli("elicit", "--user", "ana", "--answers", str(other))
    assert nobody.exit_code == 2 and "no answer or choice events for user 'ana'" in nobody.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"type": "answer"}\n', encoding="utf-8")
    invalid = cli("elicit", "--user", "ana", "--answers", str(broken))
    assert invalid.exit_code == 2 and "line 1" in invalid.output
    silent = cli("elicit", "--user", "ana", "--json", input="")
    assert silent.exit_code == 2 and "no answers were given" in silent.output
    assert "Traceback" not in silent.output


def test_bench_elicitation_prints_json_figures(cli: Invoke) -> None:
    result = cli("bench", "elicitation", "--users", "40", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["users"] == 40
    genuine = figures["figures"]["genuine"]
    for key in ("population", "elicited", "random_questions", "elicited_unfiltered"):
        assert 0.0 <= genuine[f"accuracy_{key}"]["mean"] <= 1.0


def test_queued_reasks_are_asked_first_in_the_other_order(cli: Invoke, tmp_path: Path, data: Path) -> None:
    from prefmem.agent.config import load_config
    from prefmem.agent.factory import Runtime

    topic = TOPICS[0]
    plain, warm = compose(topic, []), compose(topic, ["warm"])
    item = f"{topic.key}/warm"
    # two days of "warm" in one order: undecided, so consolidation queues the question
    log = _write(
        tmp_path / "a.jsonl", [_answer("fay", d, item, [plain, warm], 1, "order-ab") for d in (0, 1)]
    )
    assert cli("elicit", "--user", "fay", "--answers", str(log), "--json").exit_code == 0
    config = load_config(tmp_path / "test-config.yaml", data_dir=data)
    with Runtime(config) as runtime:
        runtime.consolidation_job().run()
        [queued] = runtime.semantic.reasks("fay")
    assert (queued.item_id, queued.condition, queued.options) == (item, "order-ba", (warm, plain))
    result = cli("elicit", "--user", "fay", "--questions", "2", "--json", input="a\nb\na\nb\n")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["queued_reasks_answered"] == 1
    assert summary["new_answers"] == 3  # the re-ask, then the two questions asked for
    assert result.output.index("Question 1 of 3") < result.output.index(
        warm[:40]
    )  # the warm reply shown as A
    with Runtime(config) as runtime:
        assert runtime.semantic.reasks("fay") == []  # asked: off the queue until consolidation weighs it
        answers = [f for f in runtime.store.feedback("fay") if f.item_id == item]
        assert [(f.condition, f.chosen) for f in answers][-1] == ("order-ba", 0)  # warm again, shown first
