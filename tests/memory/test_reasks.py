"""The re-ask queue: undecided asked questions are queued, under another framing, and leave once decided."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.consolidation.reask_loop import pose_reasks
from prefmem.memory.consolidation.reasks import (
    REVERSED,
    Shown,
    next_condition,
    pending_reasks,
    reask_answer,
    showing,
)
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.models import Feedback, Interaction
from prefmem.memory.semantic.store import SemanticStore

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
OPTIONS = ["Brief answers, please", "Thorough detailed answers"]


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (["order-ab"], "order-ba"),
        (["order-ab", "order-ba", "order-ab"], "order-ba"),
        (["order-ab", "order-ba"], "order-ab"),
        (["order-abc", "order-abc"], "order-cba"),
        ([None], REVERSED),
        ([None, REVERSED], None),
        (["framing-x", "framing-y", "framing-x"], "framing-y"),
        (["framing-x"], REVERSED),
    ],
)
def test_the_next_condition_is_the_least_asked_framing(asked: list[str | None], expected: str | None) -> None:
    assert next_condition(asked) == expected


def test_a_question_is_shown_as_last_shown_under_a_condition_or_its_other_order_reversed() -> None:
    ab = Shown(prompt="Which?", options=("x", "y"))
    assert showing("order-ba", {"order-ab": ab}, ab) == Shown(prompt="Which?", options=("y", "x"))
    ba = Shown(prompt="Which one?", options=("y", "x"))
    assert showing("order-ba", {"order-ab": ab, "order-ba": ba}, ab) == ba
    assert showing(REVERSED, {None: ab}, ab).options == ("y", "x")


class Setup:
    def __init__(self) -> None:
        self.episodic = InMemoryEpisodicStore(HashingEmbedder())
        self.semantic = SemanticStore.in_memory()
        self.job = ConsolidationJob(self.episodic, self.semantic, ParsedExtractor(), HashingEmbedder())

    def answer(self, chosen: Sequence[int], *, start: int = 0, condition: str = "order-ab") -> None:
        events = []
        for offset, pick in enumerate(chosen):
            options = OPTIONS if condition == "order-ab" else OPTIONS[::-1]
            events.append(
                Feedback(
                    user_id="ann",
                    session_id=f"d{start + offset}",
                    timestamp=T0 + timedelta(days=start + offset),
                    kind="answer",
                    prompt="How long should my answers be?",
                    options=options,
                    chosen=pick if condition == "order-ab" else 1 - pick,
                    item_id="q-length",
                    condition=condition,
                )
            )
        self.episodic.add(events)


def test_an_undecided_question_is_queued_under_the_other_order_with_its_own_words() -> None:
    setup = Setup()
    setup.episodic.add(
        [
            Interaction(
                user_id="ann",
                session_id="s",
                timestamp=T0 + timedelta(days=d),
                user_text="I prefer green tea with lunch",
                assistant_text="ok",
            )
            for d in range(3)
        ]
    )
    setup.answer([0, 0, 0])  # three agreeing answers to a two-option question: undecided
    setup.job.run()
    [reask] = pending_reasks(setup.semantic, "ann")
    assert (reask.item_id, reask.condition, reask.answers, reask.kind) == (
        "q-length",
        "order-ba",
        3,
        "tentative",
    )
    assert reask.prompt == "How long should my answers be?"
    assert reask.options == tuple(OPTIONS[::-1])  # the other option order, in the user's words
    assert reask.posterior < setup.job.rules.promote_posterior
    # statements are never queued: there is no question to ask again
    assert {p.kind for p in setup.semantic.preferences("ann") if p.item_id is None} == {"genuine"}


def test_answers_to_reasks_decide_the_question_and_empty_the_queue() -> None:
    setup = Setup()
    setup.answer([0, 0, 0])
    setup.job.run()
    asked = 0
    while queue := pending_reasks(setup.semantic, "ann"):
        [reask] = queue
        picked = reask.options.index(OPTIONS[0])  # a genuine holder picks the same reply in any order
        when = T0 + timedelta(days=10 + asked)
        setup.episodic.add([reask_answer(reask, picked, session_id=f"r{asked}", timestamp=when)])
        setup.job.run()
        asked += 1
        assert asked < 10
    [preference] = setup.semantic.preferences("ann")
    assert (preference.kind, preference.value) == ("genuine", OPTIONS[0].lower())
    assert asked == 6  # nine agreeing answers promote a two-option question
    feedback = setup.episodic.feedback("ann")
    assert {f.condition for f in feedback} == {"order-ab", "order-ba"}


def test_a_question_asked_often_enough_leaves_the_queue_undecided() -> None:
    setup = Setup()
    setup.answer([0, 1] * 12)
    setup.job.run()
    assert setup.job.rules.reask_max_answers == 24
    assert pending_reasks(setup.semantic, "ann") == []


def test_a_question_the_user_confirmed_is_not_asked_again_and_forgetting_empties_the_queue() -> None:
    setup = Setup()
    setup.answer([0, 0])
    setup.job.run()
    assert len(pending_reasks(setup.semantic, "ann")) == 1
    [preference] = setup.semantic.preferences("ann")
    setup.semantic.confirm(preference.id)
    setup.job.run(force=True)
    assert pending_reasks(setup.semantic, "ann") == []
    setup.answer([0], start=5)
    setup.job.run()
    setup.semantic.forget_user("ann")
    assert setup.semantic.reasks("ann") == []


def test_an_asked_reask_can_be_taken_off_the_queue() -> None:
    setup = Setup()
    setup.answer([1, 1, 0])
    setup.job.run()
    assert [r.item_id for r in pending_reasks(setup.semantic, "ann", limit=1)] == ["q-length"]
    setup.semantic.drop_reask("ann", "q-length")
    assert pending_reasks(setup.semantic, "ann") == []


def test_a_reask_answer_must_pick_one_of_the_options() -> None:
    setup = Setup()
    setup.answer([0])
    setup.job.run()
    [reask] = pending_reasks(setup.semantic, "ann")
    assert reask.condition == "order-ba"
    with pytest.raises(ValueError, match="index"):
        reask_answer(reask, 2, session_id="s")
    event = reask_answer(reask, 1, session_id="s")
    assert (event.kind, event.item_id, event.condition, event.metadata["reask"]) == (
        "answer",
        "q-length",
        "order-ba",
        True,
    )


def test_posing_the_queue_round_by_round_settles_genuine_and_random_answerers() -> None:
    steady, noisy = Setup(), Setup()
    steady.answer([0, 0, 0])
    noisy.answer([0, 1, 0])
    run = pose_reasks(steady.job, "ann", lambda reask: reask.options.index(OPTIONS[0]))
    assert (run.questions, run.rounds, run.per_item) == (6, 6, {"q-length": 6})
    [held] = steady.semantic.preferences("ann")
    assert (held.kind, held.support.occasions) == ("genuine", 9)  # each re-ask an occasion of its own
    rng = random.Random(3)
    run = pose_reasks(noisy.job, "ann", lambda reask: rng.randrange(len(reask.options)))
    [guessed] = noisy.semantic.preferences("ann")
    assert guessed.kind != "genuine"
    assert run.questions <= noisy.job.rules.reask_max_answers - 3


def test_a_question_about_a_long_topic_still_has_a_valid_id() -> None:
    from prefmem.memory.consolidation.reasks import topic_question_id
    from prefmem.memory.text_checks import id_problem

    long_topic = " ".join(["wordy"] * 60)
    item_id = topic_question_id(long_topic)
    assert id_problem(item_id) is None and item_id.startswith("about:wordy wordy")
    assert topic_question_id("jazz") == "about:jazz"


def test_a_remark_made_once_is_asked_about_and_settled_by_the_answers() -> None:
    def remark(setup: Setup) -> None:
        said = "I can't stand crowded beaches."
        setup.episodic.add([Interaction(user_id="ann", session_id="s", timestamp=T0, user_text=said)])

    steady, random_answerer = Setup(), Setup()
    remark(steady)
    steady.job.run()
    [held] = steady.semantic.preferences("ann")
    assert held.kind == "tentative"
    [reask] = pending_reasks(steady.semantic, "ann")
    assert reask.prompt == "Do you like crowded beaches, as a rule?" and reask.options == ("Yes", "No")
    run = pose_reasks(steady.job, "ann", lambda reask: reask.options.index("No"))
    [kept] = steady.semantic.preferences("ann")
    assert (kept.kind, kept.statement) == ("genuine", "Dislikes crowded beaches")
    # said once, the remark is weighed like an answer: several agreeing answers settle it
    assert 4 <= run.questions <= 8
    # a user who wants fewer questions turns it off: the remark waits to be said again
    quiet = Setup()
    quiet.job.rules = ConsolidationRules(reask_said_once=False)
    remark(quiet)
    quiet.job.run()
    assert pending_reasks(quiet.semantic, "ann") == []
    remark(random_answerer)
    rng = random.Random(5)
    pose_reasks(random_answerer.job, "ann", lambda reask: rng.randrange(2))
    [unsettled] = random_answerer.semantic.preferences("ann")
    assert unsettled.kind != "genuine"
