"""PrefEval-layout loading, the lift benchmark, the trained scorer, synthetic data and the commands."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import typer
from _prefeval_folder import write_folder
from typer.testing import CliRunner

from prefmem.agent.cli.scorer import preference_scorer_bench_command, train_scorer_command
from prefmem.agent.reward.preference_terms.base import ScorerExample, Scores
from prefmem.agent.reward.preference_terms.trained import TrainedPreferenceScorer, trained_scorer_dir
from prefmem.evals.bench_preference_scorer import (
    bench_preference_scorer,
    check_disjoint,
    other_preferences,
    pick,
)
from prefmem.evals.prefeval_data import examples, list_topics, load_explicit, load_mcq, shuffled
from prefmem.evals.scorer_training_data import TOPIC_PREFIX, synthetic_examples
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.errors import InvalidInputError, ModelUnavailableError


def test_loader_lists_topics_and_keeps_the_aligned_option_first(tmp_path: Path) -> None:
    root = write_folder(tmp_path / "pe")
    assert list_topics(root) == ["food", "games"]
    items = load_mcq(root, ["games"])
    assert [item.index for item in items] == [0, 1] and items[0].options[0].startswith("Catan")
    assert len(load_explicit(root)) == 4 and load_explicit(tmp_path) == []


def test_shuffle_is_seeded_and_tracks_the_aligned_option(tmp_path: Path) -> None:
    items = load_mcq(write_folder(tmp_path / "pe"))
    for item in items:
        example = shuffled(item, seed=3)
        assert example.responses[example.best] == item.options[0]
        assert shuffled(item, seed=3) == example
    positions = {shuffled(item, seed=seed).best for item in items for seed in range(10)}
    assert len(positions) > 1  # the aligned option does not stay first


def test_loader_names_the_file_it_cannot_read(tmp_path: Path) -> None:
    root = write_folder(tmp_path / "pe")
    broken = root / "mcq_options" / "games.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"games\.json"):
        load_mcq(root)
    with pytest.raises(InvalidInputError, match="mcq_options"):
        list_topics(tmp_path / "nowhere")
    with pytest.raises(InvalidInputError, match="music"):
        load_mcq(root, ["music"])


class _Silent:
    name = "silent"

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> Scores:
        return np.zeros(len(responses))


class _Oracle:
    """Knows the aligned option of each preference: full marks with it, nothing without."""

    name = "oracle"

    def __init__(self, truth: dict[str, str]) -> None:
        self.truth = truth

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> Scores:
        wanted = self.truth.get(preference)
        return np.array([1.0 if response == wanted else 0.0 for response in responses])


def test_ties_are_not_broken_by_position() -> None:
    assert pick([0.0, 0.0, 0.0], tie_break=[0.1, 0.9, 0.5]) == 1
    assert pick([0.0, 0.2, 0.0], tie_break=[0.9, 0.1, 0.5]) == 1


def test_bench_reports_chance_for_a_silent_scorer_and_full_lift_for_an_oracle(tmp_path: Path) -> None:
    items = examples(write_folder(tmp_path / "pe"), seed=0) * 25  # 100 items
    silent = bench_preference_scorer(_Silent(), items, seed=0)["overall"]
    assert silent["accuracy_true"]["value"] == silent["accuracy_none"]["value"]
    assert 0.1 < silent["accuracy_none"]["value"] < 0.45 and silent["lift"]["value"] == 0.0
    truth = {item.preference: item.responses[item.best] for item in items}
    oracle = bench_preference_scorer(_Oracle(truth), items, seed=0)
    overall = oracle["overall"]
    assert overall["accuracy_true"]["value"] == 1.0
    assert overall["lift"]["value"] > 0.5 and overall["lift"]["ci95"][0] > 0.4
    assert set(oracle["per_topic"]) == {"food", "games"}


def test_other_preference_comes_from_another_item_of_the_same_topic(tmp_path: Path) -> None:
    items = examples(write_folder(tmp_path / "pe"), seed=0)
    for item, other in zip(items, other_preferences(items, seed=1), strict=True):
        assert other != item.preference
        assert other in {candidate.preference for candidate in items if candidate.topic == item.topic}


def test_overlapping_topics_are_refused() -> None:
    check_disjoint(["a", "b"], ["c"])
    with pytest.raises(InvalidInputError, match="b"):
        check_disjoint(["a", "b"], ["b", "c"])


def test_synthetic_examples_are_the_projects_own_and_deterministic() -> None:
    first = synthetic_examples(seed=0)
    assert first == synthetic_examples(seed=0) and first != synthetic_examples(seed=1)
    assert len(first) > 300 and all(example.topic.startswith(TOPIC_PREFIX) for example in first)
    assert {example.best for example in first} == set(range(4))


def _toy_examples() -> list[ScorerExample]:
    """Preference words reappear in the avoided option: a scorer must learn to penalise them."""
    rows = []
    for number, thing in enumerate(["peanuts", "cards", "horror", "spice", "jazz", "rain", "cats", "golf"]):
        responses = (f"a plan with {thing} in it", "a quiet walk in the park", "a cup of tea at home")
        order = [(number + shift) % 3 for shift in range(3)]
        reordered = tuple(responses[i] for i in order)
        rows.append(ScorerExample(f"I avoid {thing}.", "What now?", reordered, reordered.index(responses[1])))
    return rows


def test_trained_scorer_learns_saves_and_loads(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    scorer = TrainedPreferenceScorer.train(_toy_examples(), embedder, epochs=150, seed=0)
    assert scorer.report is not None and scorer.report.train_accuracy >= 0.75
    scores = scorer.score(
        "I avoid peanuts.", "Lunch?", ["a plan with peanuts in it", "a quiet walk in the park"]
    )
    assert scores[1] > scores[0] and np.all(np.abs(scores) <= 1.0)
    assert scorer.score("", "Lunch?", ["a", "b"]).tolist() == [0.0, 0.0]
    folder = trained_scorer_dir(tmp_path / "data")
    assert not TrainedPreferenceScorer.exists(folder)
    scorer.save(folder)
    assert TrainedPreferenceScorer.exists(folder)
    loaded = TrainedPreferenceScorer.load(folder, embedder)
    assert np.allclose(
        loaded.score("I avoid cards.", "x", ["cards game", "tea"]),
        scorer.score("I avoid cards.", "x", ["cards game", "tea"]),
    )


def test_loading_a_missing_or_damaged_scorer_says_so(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="train-scorer"):
        TrainedPreferenceScorer.load(tmp_path, HashingEmbedder())
    scorer = TrainedPreferenceScorer.train(_toy_examples(), HashingEmbedder(), epochs=5)
    scorer.save(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"features": ["other"]}), encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="other features"):
        TrainedPreferenceScorer.load(tmp_path, HashingEmbedder())


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("train-scorer")(train_scorer_command)
    app.command("bench-preference-scorer")(preference_scorer_bench_command)
    return app


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"data_dir: {tmp_path / 'data'}\nembedder:\n  backend: hashing\n", encoding="utf-8")
    return config


def test_commands_train_then_bench_on_other_topics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_folder(tmp_path / "pe")
    monkeypatch.setenv("PREFMEM_CONFIG", str(_config(tmp_path)))
    runner = CliRunner()
    trained = runner.invoke(
        _cli(), ["train-scorer", "--data", str(root), "--topics", "food", "--epochs", "20", "--json"]
    )
    assert trained.exit_code == 0, trained.output
    report = json.loads(trained.stdout)
    assert report["topics"] == ["food"] and Path(report["saved_to"]).joinpath("weights.npz").is_file()
    refused = runner.invoke(
        _cli(), ["bench-preference-scorer", "--data", str(root), "--scorer", "trained", "--json"]
    )
    assert refused.exit_code == 2 and "overlap" in refused.output
    bench = runner.invoke(
        _cli(),
        [
            "bench-preference-scorer",
            "--data",
            str(root),
            "--topics",
            "games",
            "--scorer",
            "trained",
            "--json",
        ],
    )
    assert bench.exit_code == 0, bench.output
    figures = json.loads(bench.stdout)
    assert figures["train_topics"] == ["food"] and figures["overall"]["items"] == 2
    offline = runner.invoke(_cli(), ["bench-preference-scorer", "--data", str(root), "--json"])
    assert offline.exit_code == 0 and json.loads(offline.stdout)["scorer"] == "offline-polarity-v1"


@pytest.mark.parametrize(
    ("sources", "expected"), [(["prefeval-layout:mine"], "trained"), (["synthetic"], "offline")]
)
def test_auto_takes_trained_weights_only_when_they_saw_the_users_data(
    tmp_path: Path, sources: list[str], expected: str
) -> None:
    from prefmem.agent.config import parse_config
    from prefmem.agent.factory import build_preference_scorer

    config = parse_config({"data_dir": str(tmp_path / "data"), "embedder": {"backend": "hashing"}})
    embedder = HashingEmbedder()
    assert build_preference_scorer(config, embedder).name.startswith("offline")
    scorer = TrainedPreferenceScorer.train(_toy_examples(), embedder, epochs=5, sources=sources)
    scorer.save(trained_scorer_dir(config.data_path))
    chosen = build_preference_scorer(config, embedder)
    assert chosen.name.startswith(expected)
    reward = config.reward.model_copy(update={"preference_scorer": "trained"})
    forced = config.model_copy(update={"reward": reward})
    assert isinstance(build_preference_scorer(forced, embedder), TrainedPreferenceScorer)
