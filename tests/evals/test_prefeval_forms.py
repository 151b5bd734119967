"""Reading a PrefEval-layout folder in its three forms, and the distractor turns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _prefeval_fixture import write_prefeval_folder

from prefmem.evals.prefeval_forms import FORMS, load_cases, load_distractor_turns, parse_forms
from prefmem.memory.errors import InvalidInputError


def test_every_item_comes_in_each_form_with_its_conversation(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", ["music_taste", "food_taste"])
    cases = load_cases(root, FORMS)
    assert len(cases) == 3 * len(FORMS)
    explicit = next(c for c in cases if c.form == "explicit" and c.item.topic == "food_taste")
    # the explicit form says the explicit file's wording, then the assistant acknowledges it
    assert explicit.turns[0] == ("user", "I really like spicy curry with chili.")
    assert [role for role, _ in explicit.turns] == ["user", "assistant"]
    choice = next(c for c in cases if c.form == "choice" and c.item.topic == "food_taste")
    assert choice.picked is not None
    assert choice.picked.options[choice.picked.chosen] == "A spicy chili curry with rice."
    persona = next(c for c in cases if c.form == "persona" and c.item.topic == "food_taste")
    assert [role for role, _ in persona.turns] == ["user", "assistant"] * 2
    assert "spicy curry" in persona.turns[2][1]


def test_limit_caps_items_per_topic(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", ["music_taste", "food_taste"])
    cases = load_cases(root, ["explicit"], limit=1)
    assert sorted(c.item.topic for c in cases) == ["food_taste", "music_taste"]


def test_an_item_whose_question_differs_between_files_is_refused_naming_the_file(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", ["music_taste"])
    path = root / "implicit_preference" / "persona-driven" / "music_taste.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records[1]["question"] = "Something else entirely?"
    path.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"persona-driven/music_taste\.json: item 1"):
        load_cases(root, ["persona"])
    assert len(load_cases(root, ["explicit", "choice"])) == 4  # the other forms still load


def test_a_missing_form_file_is_named(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", ["music_taste"])
    (root / "implicit_preference" / "choice-based" / "music_taste.json").unlink()
    with pytest.raises(InvalidInputError, match="no choice file for topic 'music_taste'"):
        load_cases(root, ["choice"])


def test_distractor_turns_pair_each_user_message_with_its_reply(tmp_path: Path) -> None:
    root = write_prefeval_folder(tmp_path / "pe", ["music_taste"])
    turns = load_distractor_turns(root)
    assert len(turns) == 5
    assert turns[0] == ("How do I reverse a list in Python?", "Use reversed() or slicing with [::-1].")
    assert turns[-1] == ("What is the capital of Peru?", "Lima.")


def test_parse_forms_keeps_the_canonical_order_and_refuses_unknown_forms() -> None:
    assert parse_forms("persona, explicit") == ["explicit", "persona"]
    with pytest.raises(InvalidInputError, match="--forms"):
        parse_forms("explicit,implicit")


def test_control_characters_in_real_chat_turns_are_dropped() -> None:
    from prefmem.evals.prefeval_forms import plain

    assert plain("tab\there\nnew line\x02 and\x1b[31m colour") == "tab\there\nnew line and[31m colour"
