"""Signal extraction: statements read by the rule extractor, and the signals feedback carries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prefmem.memory.extraction.base import feedback_signals, is_neutral_option, occasion_of
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.extraction.reading import read_message
from prefmem.memory.models import Feedback, Interaction
from prefmem.memory.signals import AGAINST, FOR, Scope

DAY1 = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
DAY1_LATE = datetime(2024, 6, 1, 21, 0, tzinfo=UTC)
DAY2 = datetime(2024, 6, 2, 9, 0, tzinfo=UTC)


def read_statement(text: str) -> tuple[str, str, Scope] | None:
    """The first preference a message states, as (topic, stance, scope)."""
    found = read_message(text)
    return (found[0].topic, found[0].stance, found[0].scope) if found else None


def _said(
    text: str, *, at: datetime = DAY1, session: str = "s1", condition: str | None = None
) -> Interaction:
    return Interaction(user_id="u", session_id=session, timestamp=at, user_text=text, condition=condition)


def _answer(options: list[str], chosen: int | None, **fields: object) -> Feedback:
    fields.setdefault("kind", "answer")
    fields.setdefault("prompt", "Which do you prefer?")
    fields.setdefault("item_id", "q1")
    return Feedback(user_id="u", timestamp=DAY1, options=options, chosen=chosen, **fields)  # type: ignore[arg-type]


# -- statements ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("negative", "positive"),
    [
        ("I don't like jazz", "I like jazz"),
        ("I do not enjoy horror films", "I enjoy horror films"),
        ("I hate spreadsheets", "I love spreadsheets"),
        ("I'm not a fan of podcasts", "I'm a big fan of podcasts"),
        ("Horror films are not for me", "Horror films are my thing"),
    ],
)
def test_negation_gives_the_opposite_stance_on_the_same_topic(negative: str, positive: str) -> None:
    against = read_statement(negative)
    for_ = read_statement(positive)
    assert against is not None and for_ is not None
    assert against[0] == for_[0]
    assert (against[1], for_[1]) == (AGAINST, FOR)
    assert against[2] == for_[2] == "durable"


@pytest.mark.parametrize(
    "text",
    [
        "I want a short answer just today",
        "I want it formal this time",
        "Please use a formal tone for this email",
        "I want tea right now",
        "I don't want any spoilers tonight",
    ],
)
def test_one_off_requests_are_momentary(text: str) -> None:
    found = read_statement(text)
    assert found is not None
    assert found[2] == "momentary"


@pytest.mark.parametrize(
    "text",
    [
        "I always prefer short answers",
        "In general I prefer short answers",
        "I prefer short answers by default",
    ],
)
def test_durable_markers_are_durable_and_not_part_of_the_topic(text: str) -> None:
    assert read_statement(text) == ("short answers", FOR, "durable")


def test_the_momentary_marker_is_not_part_of_the_topic() -> None:
    durable = read_statement("I like jazz")
    momentary = read_statement("I like jazz just today")
    assert durable is not None and momentary is not None
    assert momentary[:2] == durable[:2]
    assert (durable[2], momentary[2]) == ("durable", "momentary")


@pytest.mark.parametrize(
    ("said", "topic", "stance"),
    [
        ("I don't like long answers", "long answers", AGAINST),
        ("I hate verbose explanations", "verbose explanations", AGAINST),
        ("I like long answers", "long answers", FOR),
    ],
)
def test_a_topic_keeps_the_users_own_scale_word(said: str, topic: str, stance: str) -> None:
    # "long answers" is not rewritten as "short answers" turned round: consolidation reads
    # the scale (memory.consolidation.scales), and the statement stays in the user's words
    assert read_statement(said) == (topic, stance, "durable")


@pytest.mark.parametrize(
    "text",
    [
        "Do you like jazz?",
        "what kind of music do I like",
        "Can you recommend a film I would like",
        "I like jazz?",
        "Would you prefer tea",
        "The weather is nice",
        "",
    ],
)
def test_questions_and_plain_remarks_give_no_statement(text: str) -> None:
    assert read_statement(text) is None
    assert ParsedExtractor().statements([_said(text)] if text else []) == []


def test_several_statements_in_one_message() -> None:
    message = "I love jazz. I hate horror films, but I like comedies. Can you suggest something?"
    signals = ParsedExtractor().statements([_said(message)])
    assert [(s.topic, s.value) for s in signals] == [
        ("jazz", FOR),
        ("horror films", AGAINST),
        ("comedies", FOR),
    ]
    record = _said(message).record_id()
    assert {s.evidence_id for s in signals} == {record}
    assert all(s.source == "statement" and s.user_id == "u" for s in signals)
    assert signals[0].text == "I love jazz."  # the clause in the user's own words


def test_a_topic_repeated_in_one_message_counts_once() -> None:
    signals = ParsedExtractor().statements([_said("I like jazz. Really, I like jazz!")])
    assert len(signals) == 1


def test_statement_signals_carry_condition_and_occasion() -> None:
    extractor = ParsedExtractor()
    records = [
        _said("I like jazz", at=DAY1, session="a", condition="framing-1"),
        _said("I like jazz a lot", at=DAY1_LATE, session="b"),
        _said("I like jazz", at=DAY2, session="b"),
    ]
    by_day = extractor.statements(records, unit="day")
    by_session = extractor.statements(records, unit="session")
    assert [s.occasion for s in by_day] == ["2024-06-01", "2024-06-01", "2024-06-02"]
    assert [s.occasion for s in by_session] == ["a", "b", "b"]
    assert [s.condition for s in by_day] == ["framing-1", None, None]


def test_occasion_of_day_is_utc() -> None:
    record = _said("x", at=datetime.fromisoformat("2024-06-01T23:30:00-05:00"), session="s9")
    assert occasion_of(record, "day") == "2024-06-02"
    assert occasion_of(record, "session") == "s9"


# -- feedback -----------------------------------------------------------------------------


def test_answer_value_is_the_normalised_chosen_option() -> None:
    [signal] = feedback_signals(_answer(["  Summer! ", "WINTER"], 1))
    assert signal.source == "answer"
    assert signal.value == "winter"
    assert signal.topic == "which do you prefer"
    assert signal.item_id == "q1"
    assert signal.options == ("summer", "winter")
    assert signal.scope == "durable"
    assert signal.text == "WINTER"


def test_swapping_the_option_order_gives_the_same_signal_value() -> None:
    first = feedback_signals(_answer(["Summer", "Winter"], 1))[0]
    swapped = feedback_signals(_answer(["Winter", "Summer"], 0, condition="swapped"))[0]
    assert (
        (first.value, first.options) == (swapped.value, swapped.options) == ("winter", ("summer", "winter"))
    )
    assert (first.topic, first.item_id) == (swapped.topic, swapped.item_id)
    assert swapped.condition == "swapped"


def test_choice_with_an_item_id_is_a_repeatable_question() -> None:
    [signal] = feedback_signals(
        _answer(["Tea", "Coffee"], 0, kind="choice", prompt="Pick a drink", item_id="d")
    )
    assert (signal.source, signal.topic, signal.value, signal.item_id) == (
        "choice",
        "pick a drink",
        "tea",
        "d",
    )
    assert signal.options == ("coffee", "tea")


def _one_off_choice(options: list[str], chosen: int) -> Feedback:
    return _answer(options, chosen, kind="choice", prompt="Pick a drink", item_id=None)


@pytest.mark.parametrize("options", [["Tea", "Coffee"], ["Tea", "Coffee", "No preference"]])
def test_a_one_off_choice_between_two_is_for_the_pick_and_against_the_other(options: list[str]) -> None:
    choice = _one_off_choice(options, 1)
    picked, rejected = feedback_signals(choice)
    assert (picked.source, picked.topic, picked.value, picked.item_id) == ("choice", "coffee", FOR, None)
    assert (rejected.source, rejected.topic, rejected.value, rejected.text) == (
        "choice",
        "tea",
        AGAINST,
        "Tea",
    )
    assert picked.evidence_id == rejected.evidence_id == choice.record_id()
    assert picked.options == rejected.options == ()
    # the pick remembers what it beat (never a neutral option); the rejected option nothing
    assert (picked.passed_over, rejected.passed_over) == (("Tea",), ())


def test_a_one_off_choice_among_several_only_favours_the_pick() -> None:
    # passing over three other drinks says little about any one of them
    [signal] = feedback_signals(_one_off_choice(["Tea", "Coffee", "Juice", "Water"], 2))
    assert (signal.topic, signal.value) == ("juice", FOR)
    # but what it was chosen over sets the pick apart: consolidation places it by that contrast
    assert signal.passed_over == ("Tea", "Coffee", "Water")


def test_picking_no_preference_in_a_one_off_choice_says_nothing() -> None:
    assert feedback_signals(_one_off_choice(["Tea", "Coffee", "No preference"], 2)) == []
    # a repeated question keeps every option as an answer: always picking "no preference" is a pattern
    [answer] = feedback_signals(_answer(["Tea", "Coffee", "No preference"], 2))
    assert answer.value == "no preference"


def test_blank_options_and_responses_name_nothing() -> None:
    assert feedback_signals(_one_off_choice(["", "Tea"], 0)) == []
    [picked] = feedback_signals(_one_off_choice(["  ", "Tea"], 1))  # nothing to be against
    assert (picked.topic, picked.value) == ("tea", FOR)
    # the same option twice, differently written: for it, not also against it
    [same] = feedback_signals(_one_off_choice(["Tea", "tea!"], 0))
    assert (same.topic, same.value, same.passed_over) == ("tea", FOR, ())
    blank = Feedback(user_id="u", timestamp=DAY1, kind="rating", prompt="?!", response="...", value=1)
    assert feedback_signals(blank) == []


@pytest.mark.parametrize(
    "option",
    [
        "no preference",
        "either is fine",
        "neither",
        "both are fine",
        "not sure",
        "i don't mind",
        "doesn't matter",
    ],
)
def test_options_that_decline_to_choose_are_neutral(option: str) -> None:
    assert is_neutral_option(option)


@pytest.mark.parametrize("option", ["tea", "no sugar", "both sides of the argument", "either tea or coffee"])
def test_options_that_name_something_are_not_neutral(option: str) -> None:
    assert not is_neutral_option(option)


@pytest.mark.parametrize(("value", "stance"), [(1, FOR), (-1, AGAINST)])
def test_rating_is_for_or_against_the_response(value: int, stance: str) -> None:
    rating = Feedback(
        user_id="u", timestamp=DAY1, kind="rating", prompt="Suggest a film", response="Alien.", value=value
    )
    [signal] = feedback_signals(rating)
    assert (signal.source, signal.topic, signal.value, signal.item_id) == ("rating", "alien", stance, None)
    assert signal.evidence_id == rating.record_id()


@pytest.mark.parametrize("chosen", [None, 2, -1])
def test_no_valid_pick_gives_no_signal(chosen: int | None) -> None:
    assert feedback_signals(_answer(["a", "b"], chosen)) == []
    assert feedback_signals(_answer(["a", "b"], chosen, kind="choice", item_id=None)) == []


def test_feedback_occasion_by_day_or_session() -> None:
    answer = Feedback(
        user_id="u",
        session_id="sess-7",
        timestamp=DAY2,
        kind="answer",
        prompt="q",
        options=["a", "b"],
        chosen=0,
        item_id="q",
    )
    assert feedback_signals(answer, unit="day")[0].occasion == "2024-06-02"
    assert feedback_signals(answer, unit="session")[0].occasion == "sess-7"


def test_extract_combines_statements_and_feedback() -> None:
    signals = ParsedExtractor().extract([_said("I like jazz")], [_answer(["a", "b"], 0)])
    assert sorted(s.source for s in signals) == ["answer", "statement"]
