"""Consolidation on PrefEval preferences shown in three forms on different days, or once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from _prefeval_fixture import write_prefeval_folder
from typer.testing import CliRunner

from prefmem.agent.cli.app import app
from prefmem.agent.reward.preference_terms.base import Scores
from prefmem.agent.reward.preference_terms.offline import OfflinePreferenceScorer
from prefmem.evals.prefeval_data import MCQItem, load_mcq
from prefmem.evals.prefeval_forms import FORMS, load_cases, load_distractor_turns
from prefmem.evals.stability_prefeval import picks_aligned, run_prefeval_stability
from prefmem.evals.stability_prefeval_users import plan_users, preference_turn, user_events
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.errors import InvalidInputError

TOPICS = ["music_taste", "food_taste", "travel_taste"]


def _tuning_named(root: Path) -> Path:
    """Rename the fixture's music topic to a topic the offline scorer was tuned on."""
    for path in list(root.rglob("music_taste.json")):
        path.rename(path.with_name("lifestyle_fit.json"))
    return root


def test_users_show_each_form_on_a_day_of_its_own_and_only_carriers_hold_the_truth(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    items = load_mcq(root)
    cases = {(c.item.topic, c.item.index, c.form): c for c in load_cases(root, FORMS)}
    [user] = plan_users(items[:1], seed=0, once_share=0.0)
    assert sorted(user.forms) == sorted(FORMS) and not user.once
    forms = {form: cases[(user.item.topic, user.item.index, form)] for form in FORMS}
    events = user_events(user, forms, load_distractor_turns(root), seed=0)
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)
    carried = [e for e in events if "metadata" in e]
    days = {e["metadata"]["sim_form"]: e["timestamp"][:10] for e in carried}
    assert set(days) == set(FORMS) and len(set(days.values())) == 3
    persona = [e["content"] for e in carried if e["metadata"]["sim_form"] == "persona"]
    assert persona == [f"Outside work, {user.item.preference}"]  # the turn that says it, not the nurse one
    assert any(e["type"] == "choice" for e in carried)
    assert "I work night shifts as a nurse." in [e.get("content") for e in events]  # the others, untagged
    distractor_texts = {said for said, _ in load_distractor_turns(root)}
    assert any(e.get("content") in distractor_texts for e in events)
    assert all(e["metadata"]["sim_slot"] == user.slot_id for e in carried)


def test_a_share_of_users_show_their_preference_once() -> None:
    items = [
        MCQItem("topic", index, "I like tea.", "What to drink?", ("tea", "coffee")) for index in range(400)
    ]
    users = plan_users(items, seed=1)
    once = [u for u in users if u.once]
    assert 0.18 < len(once) / len(users) < 0.32  # ONCE_SHARE, 0.25
    assert {u.forms[0] for u in once} == set(FORMS)
    assert all(sorted(u.forms) == sorted(FORMS) for u in users if not u.once)
    assert plan_users(items, seed=1) == users and plan_users(items, seed=2) != users
    assert all(u.once for u in plan_users(items[:4], seed=0, once_share=1.0))
    assert not any(u.once for u in plan_users(items[:4], seed=0, once_share=0.0))


def test_the_persona_turn_is_the_one_sharing_most_words(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", ["food_taste"])
    [case] = load_cases(root, ["persona"])
    assert case.turns[preference_turn(case)][1] == "Outside work, I love spicy curry with chili."


class _Fixed:
    """A scorer that returns given scores, whatever it is asked."""

    name = "fixed"

    def __init__(self, scores: Sequence[float]) -> None:
        self.scores = scores

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> Scores:
        return np.asarray(self.scores, dtype=np.float64)


def test_the_stance_check_needs_the_aligned_option_strictly_first(tmp_path: Path) -> None:
    item = load_mcq(write_prefeval_folder(tmp_path / "pe", ["food_taste"]))[0]
    scorer = OfflinePreferenceScorer(HashingEmbedder())
    assert picks_aligned(scorer, item.preference, item, seed=0)
    assert not picks_aligned(
        _Fixed([0.0, 0.0, 0.0, 0.0]), item.preference, item, seed=0
    )  # a tie picks nothing


def test_run_reports_recall_tentative_and_reading_per_form(tmp_path: Path) -> None:
    root = _tuning_named(write_prefeval_folder(tmp_path / "pe", TOPICS))
    embedder = HashingEmbedder()
    scorer = OfflinePreferenceScorer(embedder)
    repeated = run_prefeval_stability(root, embedder=embedder, scorer=scorer, once_share=0.0)
    assert repeated["topics"] == ["food_taste", "travel_taste"]
    assert repeated["left_out_tuning_topics"] == ["lifestyle_fit"]
    assert repeated["users"] == repeated["users_repeated"] == 2 and repeated["false_promotion"] is None
    assert 0.0 <= repeated["recall_genuine"] <= repeated["recall_genuine_unchecked"] <= 1.0
    assert {f: r["shown"] for f, r in repeated["reading_rate"].items()} == dict.fromkeys(FORMS, 2)
    assert repeated["stance_check_reference"] == 1.0  # the fixture's preferences share words with the option
    once = run_prefeval_stability(root, embedder=embedder, scorer=scorer, once_share=1.0, all_topics=True)
    assert once["users"] == once["users_once"] == 4 and once["left_out_tuning_topics"] == []
    assert once["recall_genuine"] is None
    assert (
        once["false_promotion"] == once["kinds"]["once"]["genuine"] / 4 == 0.0
    )  # one showing is never genuine
    assert once["tentative_accuracy"] == once["kinds"]["once"]["tentative"] / 4


def test_eval_stability_prefeval_command_writes_json(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", TOPICS)
    config = tmp_path / "fast.yaml"
    config.write_text("embedder: {backend: hashing}\nllm: {backend: scripted}\n", encoding="utf-8")
    out = tmp_path / "pe.json"
    args = ["--config", str(config), "eval", "stability", "--prefeval", str(root), "--json", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"recall_genuine", "false_promotion", "tentative_accuracy", "reading_rate"} <= set(report)
    assert report["users"] == 4 and "forms read" in result.output


def test_a_folder_of_tuning_topics_only_is_refused(tmp_path: Path) -> None:
    root = _tuning_named(write_prefeval_folder(tmp_path / "pe", ["music_taste"]))
    embedder = HashingEmbedder()
    with pytest.raises(InvalidInputError, match="tune"):
        run_prefeval_stability(root, embedder=embedder, scorer=OfflinePreferenceScorer(embedder))
