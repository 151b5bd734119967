"""`prefmem train-reward` and `prefmem reward explain`: learn, cache, show, rerank with them."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from prefmem.agent.cli.app import app
from prefmem.agent.reward.base_functions import BASE_NAMES
from prefmem.agent.reward.coefficient_store import CoefficientStore
from prefmem.agent.reward.learned_functions import FILE_STEM
from prefmem.evals.eval_runtime import choice_event

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evals"))
from _dsp_fixture import write_dsp

Invoke = Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path) -> Invoke:
    config = tmp_path / "test-config.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])

    return invoke


def test_train_from_a_dsp_folder_then_explain_and_rerank_with_the_learned_functions(
    cli: Invoke, tmp_path: Path
) -> None:
    write_dsp(tmp_path / "dsp", 12)
    trained = cli("train-reward", "--data", str(tmp_path / "dsp"), "--json")
    assert trained.exit_code == 0, trained.output
    summary = json.loads(trained.stdout)
    assert summary["users"] == 4 and summary["comparisons"] == 4 * 4 * 12
    assert 1 <= len(summary["functions"]) <= 4
    assert (tmp_path / "data" / "models" / f"{FILE_STEM}.npz").exists()

    explained = cli("reward", "explain", "--json")
    assert explained.exit_code == 0, explained.output
    rows = json.loads(explained.stdout)["functions"]
    assert [row["name"] for row in rows[: len(BASE_NAMES)]] == list(BASE_NAMES)
    learned = [row for row in rows if row["kind"] == "learned"]
    assert [row["name"] for row in learned] == summary["functions"]
    for row in learned:
        assert len(row["highest"]) == 3 and len(row["lowest"]) == 3
        assert set(row["highest"]).isdisjoint(row["lowest"])

    candidates = tmp_path / "candidates.json"
    candidates.write_text(json.dumps(["A plain reply about bees.", "Oh wow, bees? Honestly so cool!"]))
    ranked = cli(
        "rerank",
        "--user",
        "nobody",
        "--prompt",
        "Tell me about bees",
        "--candidates",
        str(candidates),
        "--json",
    )
    assert ranked.exit_code == 0, ranked.output
    terms = json.loads(ranked.stdout)[0]["terms"]
    assert any(name.startswith("style:learned_") for name in terms)


def test_train_from_the_store_and_refuse_when_there_is_nothing_to_learn(cli: Invoke, tmp_path: Path) -> None:
    empty = cli("train-reward")
    assert empty.exit_code != 0
    assert "no pairwise feedback" in empty.output
    assert "no learned base functions yet" in cli("reward", "explain").output

    events = []
    for user, liked_word, other_word in (("ana", "garden", "engine"), ("ben", "engine", "garden")):
        for i in range(8):
            options = [
                f"A reply {i} about the {liked_word} and the {liked_word}s.",
                f"A reply {i} on the {other_word}.",
            ]
            events.append(choice_event(user, f"question {i}", options, 0, day=i % 3, minute=i))
    log = tmp_path / "events.jsonl"
    log.write_text("\n".join(json.dumps(event) for event in events) + "\n", encoding="utf-8")
    from_log = cli("train-reward", "--events", str(log), "--json")
    assert from_log.exit_code == 0, from_log.output
    assert json.loads(from_log.stdout)["source"]["event_log"]["users"] == 2
    assert cli("import", str(log)).exit_code == 0
    trained = cli("train-reward", "--json")
    assert trained.exit_code == 0, trained.output
    summary = json.loads(trained.stdout)
    assert summary["users"] == 2 and summary["comparisons"] == 16
    assert summary["source"]["store_users"] == 2
    assert summary["users_refitted"] == 2
    # the users' coefficients were refitted over the learned functions too (not left at the population)
    with CoefficientStore(tmp_path / "data" / CoefficientStore.FILE_NAME) as store:
        ana = store.load("ana")
    assert ana is not None and ana.names == BASE_NAMES + tuple(summary["functions"])
    assert ana.n_comparisons == 8
    explained = cli("reward", "explain")
    assert "learned_1" in explained.output and "highest" in explained.output
