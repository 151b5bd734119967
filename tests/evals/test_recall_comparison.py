"""The recall comparison on simulated users: probes scored against the simulator's truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from prefmem.agent.cli.evals_recall import recall_command
from prefmem.agent.config import parse_config
from prefmem.evals.recall_comparison import MEASURES, probe_for, run_recall_comparison
from prefmem.evals.simulator import TruthSlot, simulate
from prefmem.evals.simulator_phrasing import ITEMS_BY_ID, TOPICS_BY_NAME
from prefmem.memory.errors import UsageError


def _first(truth: list[TruthSlot], kind: str, source: str | None = None) -> TruthSlot:
    return next(s for s in truth if s.kind == kind and (source is None or s.source == source))


def test_probes_target_the_reply_of_the_stance_in_a_seeded_order() -> None:
    truth = simulate(6, seed=2).truth
    genuine = _first(truth, "genuine", "statement")
    probe = probe_for(genuine, seed=0)
    assert probe is not None and probe.target is not None
    question, pro_reply, con_reply = TOPICS_BY_NAME[genuine.topic].choice
    assert probe.question == question
    assert probe.replies[probe.target] == (pro_reply if genuine.stance == 1 else con_reply)
    assert probe == probe_for(genuine, seed=0)
    answer = _first(truth, "genuine", "answer")
    answered = probe_for(answer, seed=0)
    assert answered is not None and answered.target is not None
    held = ITEMS_BY_ID[str(answer.item_id)].options[int(answer.stance or 0)]
    assert answered.replies[answered.target] == held
    momentary = probe_for(_first(truth, "momentary"), seed=0)
    assert momentary is not None and momentary.measures == ("momentary-leak", "momentary-flip")
    unstable = probe_for(_first(truth, "non_attitude"), seed=0)
    assert unstable is not None and unstable.target is None and unstable.measures == ("unstable-flip",)
    assert probe_for(_first(truth, "tentative"), seed=0) is None


def test_report_scores_every_condition_against_the_no_memory_pick(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}})
    report = run_recall_comparison(config, 4, seed=1)
    population = simulate(4, seed=1)
    genuine_topics = [s for s in population.truth if s.kind == "genuine" and s.source != "answer"]
    rows = {(r["memory"], r["measure"]): r for r in report["rows"]}
    assert set(rows) == {(m, measure) for m in report["memory"] for measure in MEASURES}
    assert rows[("none", "following")]["n"] == len(genuine_topics)
    assert rows[("none", "unstable-flip")]["rate"] == 0.0  # the baseline never differs from itself
    assert rows[("none", "momentary-flip")]["rate"] == 0.0
    for memory in report["memory"]:
        leak, flip = rows[(memory, "momentary-leak")], rows[(memory, "momentary-flip")]
        assert flip["rate"] <= leak["rate"]


def test_memory_subsets_still_run_the_baseline(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}})
    report = run_recall_comparison(config, 2, seed=0, memory=["semantic"])
    assert report["memory"] == ["none", "semantic"]


def test_a_configured_trained_scorer_is_refused(tmp_path: Path) -> None:
    config = parse_config(
        {
            "data_dir": str(tmp_path / "unused"),
            "embedder": {"backend": "hashing"},
            "reward": {"preference_scorer": "trained"},
        }
    )
    with pytest.raises(UsageError, match="offline or auto"):
        run_recall_comparison(config, 1)


def test_recall_command_writes_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\n", encoding="utf-8")
    monkeypatch.setenv("PREFMEM_CONFIG", str(config))
    app = typer.Typer()
    app.command("recall")(recall_command)
    app.command("unused")(lambda: None)  # two commands: typer keeps the command name
    out = tmp_path / "recall.json"
    args = ["recall", "--users", "2", "--seed", "3", "--slips", "0.1", "--json", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["seed"] == 3 and report["users"] == 2 and report["slips"] == 0.1
    assert {"memory", "measure", "n", "rate", "ci_low", "ci_high"} <= set(report["rows"][0])
    assert "momentary-leak" in result.output
