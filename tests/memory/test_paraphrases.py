"""Joining statement slots whose topics differ but whose sentences say the same thing."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
import pytest
from _helpers import dated_signal
from numpy.typing import NDArray

from prefmem.memory.consolidation import paraphrases
from prefmem.memory.consolidation.job import build_preferences, describe
from prefmem.memory.consolidation.labeling import judge_slot
from prefmem.memory.consolidation.paraphrases import Joined, Phrasing, _sides_between_ends, join_paraphrases
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.consolidation.slots import Slot, group_signals
from prefmem.memory.signals import AGAINST, FOR, Signal

if TYPE_CHECKING:
    from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

# A tiny meaning space: axis 0 is "how long answers are" (short at +, long at -),
# axis 1 is board games, axis 2 is a shared "answers" component, axis 3 is workouts
# (vectors given with three numbers are padded with 0).
SPACE: dict[str, list[float]] = {
    # topics
    "short answers": [1.0, 0.0, 1.0],
    "the short version": [0.9, 0.0, 0.8],
    "walls of text": [-1.0, 0.0, 1.0],
    "detailed answers": [-0.9, 0.0, 1.0],
    "board games": [0.0, 1.0, 0.0],
    # what the sentences are about (after the stance frame is taken off)
    "short answers in chat": [0.3, 0.0, 1.0],
    "the short version of things": [0.3, 0.05, 1.0],
    "walls of text in replies": [0.25, 0.0, 1.0],
    "detailed answers in replies": [0.25, 0.0, 1.0],
    "board games with friends": [0.0, 1.0, 0.0],
    "strategy games": [0.0, 0.9, 0.1],
    "strategy games with friends": [0.0, 1.0, 0.05],
    "morning workouts": [0.0, 0.0, 0.0, 1.0],
    "evening workouts": [0.0, 0.0, 0.0, 0.9],
}


def vectors(texts: Sequence[str]) -> NDArray[np.float32]:
    return np.asarray([(SPACE[text] + [0.0] * 4)[:4] for text in texts], dtype=np.float32)


def vectors_in(space: dict[str, list[float]]) -> paraphrases.Vectors:
    """Embeddings looked up in a hand-made space (topics and the sentences' content)."""
    return lambda texts: np.asarray([space[text] for text in texts], dtype=np.float32)


def signal(topic: str, value: str, day: int, sentence: str) -> Signal:
    return dated_signal(T0, days=day, topic=topic, value=value, evidence_id=f"e{day}", text=sentence)


def phrasing(topic: str, value: str, day: int, sentence: str) -> Phrasing:
    return Phrasing(f"topic:{topic}", topic, [signal(topic, value, day, sentence)])


def the_group(*phrasings: Phrasing) -> Joined:
    """Join the phrasings (at 0.5) and expect a single group."""
    [group] = join_paraphrases(list(phrasings), vectors, threshold=0.5)
    return group


def one_group(*phrasings: Phrasing) -> list[Signal]:
    """Join the phrasings (at 0.5) and expect a single group: its signals."""
    return the_group(*phrasings).signals


def test_the_stance_frame_is_taken_off_before_comparing_sentences() -> None:
    content = paraphrases.statement_content
    assert content("I can't stand answers that are too brief.") == "answers that are too brief"
    assert content("Just so you know, I'm not a fan of walls of text") == "walls of text"
    assert content("Screens aren't for me when friends are over") == "screens when friends are over"
    assert content("I love it") == "it"
    assert content("I") == "I"  # nothing left: the sentence as it was


def test_phrasings_of_one_scale_join_and_read_as_one_stance() -> None:
    joined = join_paraphrases(
        [
            phrasing("short answers", FOR, 0, "I prefer short answers in chat"),
            phrasing("walls of text", AGAINST, 1, "I can't stand walls of text in replies"),
            phrasing("the short version", FOR, 2, "Give me the short version of things"),
            phrasing("board games", FOR, 3, "I love board games with friends"),
        ],
        vectors,
        threshold=0.5,
    )
    assert [(j.first.topic, [s.topic for s in j.signals]) for j in joined] == [
        ("short answers", ["short answers", "walls of text", "the short version"]),
        ("board games", ["board games"]),
    ]
    signals = joined[0].signals
    assert joined[0].ends == {"short answers": 1, "walls of text": -1, "the short version": 1}
    # "against walls of text" names the other end of the scale: read as for short answers
    assert [s.value for s in signals] == [FOR, FOR, FOR]
    assert judge_slot(signals, ConsolidationRules())[-1].kind == "genuine"


def test_a_contradiction_on_the_same_end_of_the_scale_stays_one() -> None:
    signals = one_group(
        phrasing("short answers", FOR, 0, "I prefer short answers in chat"),
        phrasing("walls of text", AGAINST, 1, "I can't stand walls of text in replies"),
        phrasing("detailed answers", FOR, 2, "I like detailed answers in replies"),
    )
    # for short answers, for short answers (walls of text turned), for the long end
    assert [s.value for s in signals] == [FOR, FOR, AGAINST]
    assert judge_slot(signals, ConsolidationRules())[-1].kind != "genuine"


def test_words_catch_a_contradiction_even_when_both_lean_one_way() -> None:
    signals = one_group(
        phrasing("short answers", FOR, 0, "I prefer short answers in chat"),
        phrasing("walls of text", FOR, 1, "I like walls of text in replies"),
    )
    assert [s.value for s in signals] == [FOR, AGAINST]


def test_phrasings_that_all_lean_one_way_and_that_words_cannot_place_are_not_turned() -> None:
    signals = one_group(
        phrasing("board games", FOR, 0, "I love board games with friends"),
        phrasing("strategy games", FOR, 1, "I enjoy strategy games with friends"),
    )
    assert [s.value for s in signals] == [FOR, FOR]


def test_topics_of_one_phrasing_take_its_end_unless_words_say_otherwise() -> None:
    morning = [
        signal("morning workouts", FOR, 0, "I like morning workouts"),
        signal("evening workouts", FOR, 1, "x"),
    ]
    group = the_group(Phrasing("topic:morning workouts", "morning workouts", morning))
    assert [s.value for s in group.signals] == [FOR, AGAINST]  # morning and evening: opposite ends
    assert group.ends == {"morning workouts": 1, "evening workouts": -1}


def test_ends_taken_from_the_topic_axis_are_marked_as_guesses() -> None:
    # no scale word links board games and strategy games; they lean both ways, so the
    # axis places them, on opposite sides as always with two phrasings
    guessed = the_group(
        phrasing("board games", FOR, 0, "I love board games with friends"),
        phrasing("strategy games", AGAINST, 1, "I can't stand strategy games with friends"),
    )
    assert guessed.ends == {"board games": 1, "strategy games": -1}
    assert guessed.ends_guessed == {"strategy games"}
    read = the_group(
        phrasing("short answers", FOR, 0, "I prefer short answers in chat"),
        phrasing("walls of text", AGAINST, 1, "I can't stand walls of text in replies"),
    )
    assert read.ends == {"short answers": 1, "walls of text": -1}
    assert read.ends_guessed == frozenset()


def test_at_the_same_moment_the_phrasing_that_says_what_is_wanted_names_the_group() -> None:
    # "I'd rather have the short version than walls of text": two readings of one message
    walls = signal("walls of text", AGAINST, 0, "I can't stand walls of text in replies")
    short = signal("the short version", FOR, 0, "Give me the short version of things")
    joined = join_paraphrases(
        [
            Phrasing("topic:walls of text", "walls of text", [walls]),
            Phrasing("topic:the short version", "the short version", [short]),
        ],
        vectors,
        threshold=0.5,
    )
    assert [(j.first.topic, [s.value for s in j.signals]) for j in joined] == [
        ("the short version", [FOR, FOR])
    ]


def test_sentences_below_the_threshold_stay_apart_and_above_one_nothing_joins() -> None:
    items = [
        phrasing("short answers", FOR, 0, "I prefer short answers in chat"),
        phrasing("the short version", FOR, 1, "Give me the short version of things"),
    ]
    first, second = (np.asarray(SPACE[t]) for t in ("short answers in chat", "the short version of things"))
    similarity = float(first @ second / np.linalg.norm(first) / np.linalg.norm(second))
    assert len(join_paraphrases(items, vectors, threshold=similarity + 0.01)) == 2
    assert len(join_paraphrases(items, vectors, threshold=similarity - 0.01)) == 1
    assert len(join_paraphrases(items, vectors, threshold=1.01)) == 2
    assert join_paraphrases([], vectors, threshold=0.5) == []


def test_the_greedy_pass_for_many_slots_groups_like_pairwise_merging(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [
        phrasing("short answers", FOR, 0, "I prefer short answers in chat"),
        phrasing("board games", FOR, 1, "I love board games with friends"),
        phrasing("walls of text", AGAINST, 2, "I can't stand walls of text in replies"),
    ]

    def shape(joined: list[Joined]) -> list[tuple[str, list[str]]]:
        return [(j.first.key, [f"{s.topic}{s.value}" for s in j.signals]) for j in joined]

    pairwise = shape(join_paraphrases(items, vectors, threshold=0.5))
    monkeypatch.setattr(paraphrases, "MAX_PAIRWISE", 1)
    greedy = shape(join_paraphrases(items, vectors, threshold=0.5))
    assert (
        greedy
        == pairwise
        == [
            ("topic:short answers", ["short answers+", "walls of text+"]),
            ("topic:board games", ["board games+"]),
        ]
    )


def test_group_signals_joins_statement_slots_but_leaves_items_alone() -> None:
    signals = [
        signal("short answers", FOR, 0, "I prefer short answers in chat"),
        signal("walls of text", AGAINST, 1, "I can't stand walls of text in replies"),
        dataclasses.replace(
            signal("which is best?", "a", 2, ""), source="answer", item_id="q1", options=("a", "b")
        ),
    ]
    apart = group_signals(signals, vectors, threshold=0.99)
    joined = group_signals(signals, vectors, threshold=0.99, paraphrase_threshold=0.5)
    assert sorted(slot.key for slot in apart) == ["item:q1", "topic:short answers", "topic:walls of text"]
    assert sorted(slot.key for slot in joined) == ["item:q1", "topic:short answers"]
    by_key = {slot.key: slot for slot in joined}
    assert [s.value for s in by_key["topic:short answers"].signals] == [FOR, FOR]
    assert [s.value for s in by_key["item:q1"].signals] == ["a"]


def test_ends_words_placed_anchor_the_guess_for_the_rest() -> None:
    # x: short (+) to long (-); y: some other way the phrasings differ, which dominates the
    # main axis; the third number is what they share. Words place "short answers" and
    # "walls of text"; "crisp" and "meandering" replies, both said against (unlike the
    # first phrasing, so nothing is presumed of them), take the nearer of those two ends,
    # where the main axis would have put both at the far end.
    space = {
        "short answers": [1.0, 0.0, 2.0],
        "walls of text": [-1.0, 0.0, 2.0],
        "crisp replies": [0.2, 2.0, 2.0],
        "meandering replies": [-0.5, 3.0, 2.0],
    }
    near = vectors_in(space)

    members = [
        phrasing("short answers", FOR, 0, "I prefer short answers"),
        phrasing("walls of text", AGAINST, 1, "I can't stand walls of text"),
        phrasing("crisp replies", AGAINST, 2, "I can't stand crisp replies"),
        phrasing("meandering replies", AGAINST, 3, "I can't stand meandering replies"),
    ]
    [group] = join_paraphrases(members, near, threshold=0.3)
    assert group.ends == {
        "short answers": 1,
        "walls of text": -1,
        "crisp replies": 1,
        "meandering replies": -1,
    }
    assert group.ends_guessed == {"crisp replies", "meandering replies"}
    assert paraphrases._main_axis_sides(members, near)[2:] == [-1, -1]


def test_a_phrasing_leaning_like_a_steady_first_one_names_its_end() -> None:
    # Words place nothing here. The main axis runs from board games to the rest, so it
    # would put strategy games, said for like board games, at the other end; a phrasing
    # that leans the same way as a first phrasing that never wavered names the same end.
    # Only the phrasing that leans the other way is left to the axis, and marked a guess.
    space = {
        "board games": [1.0, 0.0, 2.0],
        "strategy games": [-1.0, 0.2, 2.0],
        "game night": [-0.9, 0.1, 2.0],
    }
    near = vectors_in(space)

    later = [
        phrasing("strategy games", FOR, 2, "I love strategy games"),
        phrasing("game night", AGAINST, 3, "I can't stand game night"),
    ]
    love = [signal("board games", FOR, day, "I love board games") for day in (0, 1)]
    steady = Phrasing("topic:board games", "board games", love)
    [group] = join_paraphrases([steady, *later], near, threshold=0.3)
    assert group.ends == {"board games": 1, "strategy games": 1, "game night": -1}
    assert group.ends_guessed == {"game night"}
    assert group.ends_presumed == {"strategy games"}  # an assumption, not words: checked later
    assert paraphrases._main_axis_sides([steady, *later], near) == [1, -1, -1]

    hate = signal("board games", AGAINST, 1, "I hate board games")
    wavering = dataclasses.replace(steady, signals=[love[0], hate])
    [group] = join_paraphrases([wavering, *later], near, threshold=0.3)
    # nothing to presume from a first phrasing that wavered, and no axis to trust: every
    # other phrasing is taken at its word (still a guess, not words)
    assert group.ends == {"board games": 1, "strategy games": 1, "game night": 1}
    assert group.ends_guessed == {"strategy games", "game night"}
    assert group.ends_presumed == set()


def test_with_both_ends_placed_a_phrasing_leaning_like_a_steady_first_one_still_names_its_end() -> None:
    # "Pop music isn't for me; I'd rather hear an orchestra" places both ends in one
    # message. "Classical music", said for like the orchestra, lies nearer "pop music" in
    # topic embeddings (they share a word), so measuring between the ends would turn it
    # round and make a steady liking of orchestras read as a flip; the presumption holds
    # it at the orchestra's end, and marks it as presumed.
    space = {
        "hear an orchestra": [1.0, 0.0, 2.0],
        "pop music": [-1.0, 0.0, 2.0],
        "classical music": [-0.4, 1.0, 2.0],
        "drum solos": [0.3, 1.0, 2.0],
    }
    both = "Pop music isn't for me; I'd rather hear an orchestra"
    texts = [both, "I love classical music on a Sunday", "I can't stand drum solos at concerts"]
    for text in texts:
        space[paraphrases.statement_content(text)] = [0.0, 0.1, 2.0]
    near = vectors_in(space)

    members = [
        phrasing("hear an orchestra", FOR, 0, both),
        phrasing("pop music", AGAINST, 0, both),  # the same message (evidence e0)
        phrasing("classical music", FOR, 1, texts[1]),
        phrasing("drum solos", AGAINST, 2, texts[2]),
    ]
    [group] = join_paraphrases(members, near, threshold=0.3)
    assert group.ends == {"hear an orchestra": 1, "pop music": -1, "classical music": 1, "drum solos": 1}
    assert _sides_between_ends({"hear an orchestra": 1, "pop music": -1}, ["classical music"], near) == {
        "classical music": -1  # what the embeddings alone would say
    }
    assert group.ends_presumed == {"classical music"}
    assert group.ends_guessed == {"drum solos"}  # leans the other way: measured between the ends
    assert [s.value for s in group.signals] == [FOR, FOR, FOR, AGAINST]

    # when the first phrasing wavered, there is nothing to presume: the embeddings decide
    hate = "I can't stand hearing an orchestra live"
    space[paraphrases.statement_content(hate)] = [0.0, 0.1, 2.0]
    later = signal("hear an orchestra", AGAINST, 3, hate)
    wavering = Phrasing("topic:hear an orchestra", "hear an orchestra", [members[0].signals[0], later])
    [group] = join_paraphrases([wavering, *members[1:]], vectors_in(space), threshold=0.3)
    assert group.ends["classical music"] == -1
    assert group.ends_presumed == set()


def test_a_presumed_end_carries_to_what_the_same_message_said_the_other_way_and_is_checked() -> None:
    # "I'm not a fan of vegetarian meals; I like meat in my dinner" presumes vegetarian
    # meals at the end of the steady "tofu dishes" (both against), and the message took
    # meat in my dinner over them: the other end, by the same presumption. With both ends
    # placed, the steak is measured between them; the main axis, pulled by the steak's
    # own direction, would have put meat in my dinner with the tofu.
    space = {
        "tofu dishes": [1.0, 0.0, 2.0],
        "vegetarian meals": [0.9, 0.1, 2.0],
        "meat in my dinner": [-1.0, 0.0, 2.0],
        "good steak": [-0.6, 3.0, 2.0],
    }
    both = "I'm not a fan of vegetarian meals; I like meat in my dinner"
    texts = {"tofu dishes": "I can't stand tofu dishes", "good steak": "I love a good steak"}
    for text in [both, *texts.values()]:
        space[paraphrases.statement_content(text)] = [0.0, 0.1, 2.0]
    near = vectors_in(space)

    tofu = [signal("tofu dishes", AGAINST, day, texts["tofu dishes"]) for day in (0, 1)]
    members = [
        Phrasing("topic:tofu dishes", "tofu dishes", tofu),
        phrasing("vegetarian meals", AGAINST, 2, both),
        phrasing("meat in my dinner", FOR, 2, both),  # the same message (evidence e2)
        phrasing("good steak", FOR, 3, texts["good steak"]),
    ]
    [group] = join_paraphrases(members, near, threshold=0.3)
    assert group.ends == {"tofu dishes": 1, "vegetarian meals": 1, "meat in my dinner": -1, "good steak": -1}
    assert group.ends_guessed == {"good steak"}
    assert paraphrases._main_axis_sides(members, near)[2] == 1  # what the axis alone would say
    assert {s.value for s in group.signals} == {AGAINST}  # one stance: against meatless food
    # measured between the two presumed ends, the tofu lies on its own side: the presumption
    # is borne out, and no longer marked as one
    assert group.ends_presumed == set()

    # where the tofu lies nearer the meat, the embeddings do not bear the presumption out: marked
    space["tofu dishes"] = [-0.8, 0.0, 2.0]
    [group] = join_paraphrases(members, vectors_in(space), threshold=0.3)
    assert group.ends["meat in my dinner"] == -1
    assert group.ends_presumed == {"vegetarian meals", "meat in my dinner"}


def test_a_slot_whose_ends_were_guessed_needs_more_evidence_to_be_kept() -> None:
    signals = [
        signal("board games", FOR, 0, "I love board games with friends"),
        signal("strategy games", AGAINST, 1, "I can't stand strategy games with friends"),
    ]
    [slot] = group_signals(signals, vectors, threshold=0.99, paraphrase_threshold=0.5)
    assert slot.ends_guessed == {"strategy games"}
    # said unprompted on four days: genuine when every side was read from words; when the
    # last two days' side was guessed, the other way round reads as a change of mind: held
    said = [signal("board games", FOR, d, "x") for d in (0, 1)]
    said += [signal("strategy games", FOR, d, "x") for d in (2, 3)]
    read = Slot("topic:board games", "board games", None, said, {"board games": 1, "strategy games": -1})
    guessed = dataclasses.replace(read, ends_guessed=frozenset({"strategy games"}))
    rules = ConsolidationRules()
    assert [p.kind for p in build_preferences("u1", [read], rules)] == ["genuine"]
    [held] = build_preferences("u1", [guessed], rules)
    assert held.kind == "tentative" and "words did not place" in held.reason


@pytest.mark.slow
def test_paraphrases_without_shared_words_join_with_the_real_embedder(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    said = [
        ("short answers", FOR, "I prefer short answers."),
        ("long, rambling explanations", AGAINST, "Long, rambling explanations aren't for me."),
        ("short version", FOR, "As a rule, give me the short version."),
        ("board games", FOR, "I love board games."),
        ("bring a board game to parties", FOR, "I always bring a board game to parties."),
        ("strategy games like catan", FOR, "I'm a big fan of strategy games like Catan."),
        # about 0.3 from the others with all-MiniLM-L6-v2: a paraphrase this loose stays apart
        ("game night", FOR, "Game night is my favourite evening of the week."),
    ]
    signals = [signal(topic, value, day, text) for day, (topic, value, text) in enumerate(said)]
    slots = group_signals(signals, real_embedder.embed_batch, threshold=0.7, paraphrase_threshold=0.35)
    by_topic = {slot.topic: slot for slot in slots}
    assert sorted(by_topic) == ["board games", "game night", "short answers"]
    assert [s.value for s in by_topic["short answers"].signals] == [FOR, FOR, FOR]
    assert len(by_topic["board games"].signals) == 3
    assert judge_slot(by_topic["short answers"].signals, ConsolidationRules())[-1].kind == "genuine"


def test_a_joined_slot_names_its_other_phrasings_each_in_its_own_stance() -> None:
    signals = [
        signal("short answers", FOR, 0, "I prefer short answers in chat"),
        signal("walls of text", AGAINST, 1, "I can't stand walls of text in replies"),
        signal("the short version", FOR, 2, "Give me the short version of things"),
        signal("walls of text", AGAINST, 3, "I can't stand walls of text in replies"),
    ]
    [slot] = group_signals(signals, vectors, threshold=0.99, paraphrase_threshold=0.5)
    verdict = judge_slot(slot.signals, ConsolidationRules())[-1]
    assert verdict.kind == "genuine"
    assert describe(slot, verdict) == "Likes short answers; dislikes walls of text; likes the short version"


def test_phrasings_that_words_link_join_on_a_lower_similarity() -> None:
    # Sentence embeddings put "mild food" and "the hotter the better" far apart; the heat
    # scale links them. With the bonus they join (one stance: against mild, for hot), an
    # unrelated phrasing at the same similarity stays apart, and without it nothing joins.
    space = {
        "mild food": [1.0, 0.0, 0.0],
        "the hotter the better": [0.0, 1.0, 0.0],
        "jazz": [0.0, 0.0, 1.0],
    }
    for text in ("I can't stand mild food", "In general, the hotter the better", "I love jazz"):
        content = paraphrases.statement_content(text)
        space[content] = {"mild food": [1.0, 0.3, 0.3], "the hotter the better": [0.3, 1.0, 0.3]}.get(
            content, [0.3, 0.3, 1.0]
        )
    near = vectors_in(space)
    members = [
        phrasing("mild food", AGAINST, 0, "I can't stand mild food"),
        phrasing("the hotter the better", FOR, 1, "In general, the hotter the better"),
        phrasing("jazz", FOR, 2, "I love jazz"),
    ]
    apart = join_paraphrases(members, near, threshold=0.6)
    assert [g.first.topic for g in apart] == ["mild food", "the hotter the better", "jazz"]
    linked = join_paraphrases(members, near, threshold=0.6, word_link_bonus=0.15)
    assert [sorted(g.ends) for g in linked] == [["mild food", "the hotter the better"], ["jazz"]]
    assert linked[0].ends == {"mild food": 1, "the hotter the better": -1}
    assert [s.value for s in linked[0].signals] == [AGAINST, AGAINST]


def test_when_the_first_phrasing_wavered_the_rest_are_taken_at_their_word() -> None:
    # "Jazz isn't for me" three times, then "I love jazz" and "I'm drawn to anything with a
    # saxophone". The main axis runs between jazz and the saxophone and would turn the
    # saxophone round (against jazz), hiding the change of mind; taken at its word it is for.
    space = {"jazz": [1.0, 0.0, 1.0], "anything with a saxophone": [-1.0, 0.0, 1.0]}
    texts = {"jazz": "I can't stand jazz", "love": "I love jazz"}
    texts["sax"] = "I'm drawn to anything with a saxophone"
    for text in texts.values():
        space[paraphrases.statement_content(text)] = [0.0, 0.2, 1.0]
    near = vectors_in(space)
    jazz = [signal("jazz", AGAINST, day, texts["jazz"]) for day in (0, 1, 2)]
    jazz.append(signal("jazz", FOR, 4, texts["love"]))
    sax = phrasing("anything with a saxophone", FOR, 3, texts["sax"])
    members = [Phrasing("topic:jazz", "jazz", jazz), sax]
    assert paraphrases._main_axis_sides(members, near) == [1, -1]  # what the axis would say
    [group] = join_paraphrases(members, near, threshold=0.3)
    assert group.ends == {"jazz": 1, "anything with a saxophone": 1}
    assert group.ends_guessed == {"anything with a saxophone"}  # still not placed by words
    assert [s.value for s in group.signals] == [AGAINST, AGAINST, AGAINST, FOR, FOR]
    [verdict_old, verdict_new] = judge_slot(group.signals, ConsolidationRules(), guessed=group.ends_guessed)
    assert (verdict_old.kind, verdict_old.value) == ("superseded", AGAINST)
    # the new view, said on two days so far, is current, and promoted as two agreeing days are
    assert (verdict_new.kind, verdict_new.value) == ("genuine", FOR)
    assert "changed from '-'" in verdict_new.reason


def test_only_guesses_between_near_topics_are_in_doubt() -> None:
    from prefmem.memory.consolidation.paraphrases import NEAR_TOPIC, _in_doubt

    axes = {"crime novels": [1.0, 0.0, 0.0], "detective fiction": [0.8, 0.6, 0.0], "a salad": [0.0, 0.0, 1.0]}

    def vectors(texts: Sequence[str]) -> np.ndarray:
        return np.asarray([axes[text] for text in texts], dtype=np.float32)

    assert NEAR_TOPIC <= 0.8  # "detective fiction" lies near "crime novels", "a salad" far from it
    poles = {"crime novels": 1, "detective fiction": -1, "a salad": -1}
    guessed, presumed = _in_doubt(frozenset({"detective fiction", "a salad"}), frozenset(), poles, vectors)
    assert (guessed, presumed) == (frozenset({"detective fiction"}), frozenset())
    # nothing placed by words to measure against: every guess stays in doubt
    alone = _in_doubt(frozenset({"a salad"}), frozenset(), {"a salad": 1}, vectors)
    assert alone == (frozenset({"a salad"}), frozenset())


def test_a_pick_joined_only_on_a_guessed_end_stands_apart() -> None:
    # "I avoid karaoke nights" on two days, then a pick of "a jazz lounge" among options.
    # Nothing in words says which end of the group the pick names; on a guess it would vote
    # for or against karaoke, so it stands as a slot of its own.
    space = {"karaoke nights": [1.0, 0.0, 1.0], "a jazz lounge": [-1.0, 0.0, 1.0]}
    texts = ["I avoid karaoke nights", "Karaoke nights are something I avoid", "A jazz lounge"]
    for text in texts:
        space[paraphrases.statement_content(text)] = [0.0, 0.2, 1.0]
    near = vectors_in(space)
    bars = Phrasing(
        "topic:karaoke nights",
        "karaoke nights",
        [signal("karaoke nights", AGAINST, d, texts[d]) for d in (0, 1)],
    )
    pick = dated_signal(T0, days=2, topic="a jazz lounge", value=FOR, evidence_id="e2", text=texts[2])
    picked = Phrasing("topic:a jazz lounge", "a jazz lounge", [dataclasses.replace(pick, source="choice")])
    groups = join_paraphrases([bars, picked], near, threshold=0.3)
    assert sorted(g.first.topic for g in groups) == ["a jazz lounge", "karaoke nights"]
    [stated] = [g for g in groups if g.first.topic == "karaoke nights"]
    assert [s.source for s in stated.signals] == ["statement", "statement"] and not stated.ends_guessed
    # said in words instead, the same phrasing joins and is turned to speak of karaoke
    said = Phrasing("topic:a jazz lounge", "a jazz lounge", [pick])
    [group] = join_paraphrases([bars, said], near, threshold=0.3)
    assert group.ends_guessed == {"a jazz lounge"}


def test_a_thing_avoided_near_who_the_speaker_is_is_not_in_doubt() -> None:
    # "I'm a teetotaler", then "I never drink cocktails": the thing lies near the identity in
    # topic embeddings, but an identity has no synonym among things, so the guess that the
    # avoided thing is its other end is weighed in full
    space = {"a teetotaler": [1.0, 0.0, 1.0], "cocktails": [0.2, 0.0, 1.0]}
    texts = ["I'm a teetotaler", "I never drink cocktails"]
    for text in texts:
        space[paraphrases.statement_content(text)] = [0.0, 0.2, 1.0]
    near = vectors_in(space)
    who = dataclasses.replace(signal("a teetotaler", FOR, 0, texts[0]), identity=True)
    avoided = signal("cocktails", AGAINST, 1, texts[1])
    members = [
        Phrasing("topic:a teetotaler", "a teetotaler", [who]),
        Phrasing("topic:cocktails", "cocktails", [avoided]),
    ]
    [group] = join_paraphrases(members, near, threshold=0.3)
    assert group.ends == {"a teetotaler": 1, "cocktails": -1}
    assert group.ends_guessed == frozenset()
    # the same pair as two tastes ("I like being sober") stays in doubt
    liked = signal("a teetotaler", FOR, 0, texts[0])
    members[0] = Phrasing("topic:a teetotaler", "a teetotaler", [liked])
    [group] = join_paraphrases(members, near, threshold=0.3)
    assert group.ends_guessed == {"cocktails"}


# "I avoid karaoke nights" on two days, and one day a pick of a jazz lounge over a karaoke
# bar and a sing-along pub. Axis 0 is how much a thing is karaoke.
PICK_TEXT = "A jazz lounge with a quiet trio"
PICK_SPACE: dict[str, list[float]] = {
    "karaoke nights": [1.0, 0.0, 1.0],
    "avoid karaoke nights": [1.0, 0.0, 1.0],
    "karaoke nights are something avoid": [1.0, 0.0, 1.0],
    PICK_TEXT: [-0.2, 0.0, 1.0],
    PICK_TEXT.lower(): [0.0, 0.2, 1.0],  # what the sentence is about: near enough to join
    "A karaoke bar": [0.9, 0.0, 1.0],
    "A sing-along pub": [0.6, 0.0, 1.0],
}


def _karaoke(first_day: int) -> Phrasing:
    texts = ["I avoid karaoke nights", "Karaoke nights are something I avoid"]
    said = [signal("karaoke nights", AGAINST, first_day + d, texts[d]) for d in (0, 1)]
    return Phrasing("topic:karaoke nights", "karaoke nights", said)


def _pick(day: int, passed_over: tuple[str, ...]) -> Phrasing:
    topic = PICK_TEXT.lower()
    pick = dated_signal(
        T0, days=day, topic=topic, value=FOR, evidence_id=f"e{day}", text=PICK_TEXT, source="choice"
    )
    return Phrasing(f"topic:{topic}", topic, [dataclasses.replace(pick, passed_over=passed_over)])


def test_a_pick_is_placed_by_what_it_was_chosen_over() -> None:
    # the jazz lounge is further from karaoke than the options it beat: it names the other
    # end, and picking it speaks against karaoke like the statements
    beaten = ("A karaoke bar", "A sing-along pub")
    [group] = join_paraphrases([_karaoke(0), _pick(2, beaten)], vectors_in(PICK_SPACE), threshold=0.3)
    assert group.ends == {"karaoke nights": 1, PICK_TEXT.lower(): -1}
    assert group.ends_guessed == group.ends_presumed == frozenset()
    assert [(s.source, s.value) for s in group.signals] == [
        ("statement", AGAINST),
        ("statement", AGAINST),
        ("choice", AGAINST),
    ]
    assert judge_slot(group.signals, ConsolidationRules())[-1].kind == "genuine"


def test_a_pick_that_came_first_names_the_group_and_its_end() -> None:
    beaten = ("A karaoke bar", "A sing-along pub")
    [group] = join_paraphrases([_pick(0, beaten), _karaoke(1)], vectors_in(PICK_SPACE), threshold=0.3)
    assert group.first.topic == PICK_TEXT.lower()
    assert group.ends == {PICK_TEXT.lower(): 1, "karaoke nights": -1}
    assert [s.value for s in group.signals] == [FOR, FOR, FOR]


def test_a_pick_is_placed_by_a_sentence_that_names_both_ends() -> None:
    # "I prefer jazz lounges over karaoke nights" stands at both ends: each of its things
    # speaks for its own end, or the two ends would be one sentence and place nothing
    both = "I prefer jazz lounges over karaoke nights"
    space = PICK_SPACE | {
        "jazz lounges": [-1.0, 0.0, 1.0],
        paraphrases.statement_content(both): [0.0, 0.0, 1.0],
    }
    said = [
        Phrasing("topic:jazz lounges", "jazz lounges", [signal("jazz lounges", FOR, 0, both)]),
        Phrasing("topic:karaoke nights", "karaoke nights", [signal("karaoke nights", AGAINST, 0, both)]),
    ]
    members = [*said, _pick(2, ("A karaoke bar", "A sing-along pub"))]
    [group] = join_paraphrases(members, vectors_in(space), threshold=0.3)
    assert group.ends[PICK_TEXT.lower()] == group.ends["jazz lounges"] == -group.ends["karaoke nights"]
    assert PICK_TEXT.lower() not in group.ends_guessed | group.ends_presumed


def test_a_pick_no_closer_to_either_end_than_what_it_beat_stands_apart() -> None:
    # beating options as far from karaoke as the pick itself says nothing about karaoke
    space = PICK_SPACE | {"A wine bar": [-0.2, 0.0, 1.0]}
    groups = join_paraphrases([_karaoke(0), _pick(2, ("A wine bar",))], vectors_in(space), threshold=0.3)
    assert sorted(g.first.topic for g in groups) == ["a jazz lounge with a quiet trio", "karaoke nights"]


def test_a_lone_pick_joins_the_statements_its_choice_sets_it_apart_on() -> None:
    # the pick's sentence shares no meaning with the statements (it would stay apart), but
    # the options it beat lie along karaoke and the pick lies away from them
    space = PICK_SPACE | {PICK_TEXT.lower(): [0.0, 1.0, 0.0]}
    beaten = ("A karaoke bar", "A sing-along pub")
    [group] = join_paraphrases([_karaoke(0), _pick(2, beaten)], vectors_in(space), threshold=0.3)
    assert group.ends == {"karaoke nights": 1, PICK_TEXT.lower(): -1}
    assert [s.value for s in group.signals] == [AGAINST, AGAINST, AGAINST]
    # options that differ in other ways than karaoke make a choice about something else
    unrelated = space | {"A wine bar": [-0.2, 0.0, 1.0]}
    apart = join_paraphrases([_karaoke(0), _pick(2, ("A wine bar",))], vectors_in(unrelated), threshold=0.3)
    assert len(apart) == 2


def test_picks_made_on_several_days_stay_a_slot_of_their_own() -> None:
    space = PICK_SPACE | {PICK_TEXT.lower(): [0.0, 1.0, 0.0]}
    beaten = ("A karaoke bar", "A sing-along pub")
    first, again = _pick(2, beaten), _pick(3, beaten)
    picks = Phrasing(first.key, first.topic, first.signals + again.signals)
    groups = join_paraphrases([_karaoke(0), picks], vectors_in(space), threshold=0.3)
    assert sorted(len(g.signals) for g in groups) == [2, 2]


@pytest.mark.slow
def test_answers_to_questions_about_two_topics_do_not_join_them(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    # "Do you like museums, as a rule?" and "Do you like night trains, as a rule?" read alike
    # as sentences; an answer speaks of its topic, so two remarks asked about stay apart
    said = [
        ("museums", FOR, "I always visit museums when I travel."),
        ("night trains", FOR, "Book night trains for me, as a rule."),
    ]
    signals = [signal(topic, value, day, text) for day, (topic, value, text) in enumerate(said)]
    for day in range(2, 6):
        for topic, value, _ in said:
            asked = dated_signal(
                T0,
                days=day,
                topic=topic,
                value=value,
                evidence_id=f"a{day}{topic}",
                text=f"Do you like {topic}, as a rule?",
                source="answer",
            )
            signals.append(asked)
    slots = group_signals(signals, real_embedder.embed_batch, threshold=0.7, paraphrase_threshold=0.35)
    assert sorted((slot.topic, len(slot.signals)) for slot in slots) == [("museums", 5), ("night trains", 5)]


def test_things_one_sentence_lists_stay_apart_however_close_their_meaning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listed = "I love board games and strategy games"
    space = {
        "board games and strategy games": [1.0, 1.0],  # the whole sentence, frame taken off
        "board games and games": [1.0, 0.2],  # each topic's own part of it
        "games and strategy games": [0.8, 0.4],
        "strategy games on weekends": [0.8, 0.4],
    }
    near = vectors_in(space)
    items = [
        Phrasing("topic:board games", "board games", [signal("board games", FOR, 0, listed)]),
        Phrasing("topic:strategy games", "strategy games", [signal("strategy games", FOR, 0, listed)]),
    ]
    assert len(join_paraphrases(items, near, threshold=0.5)) == 2
    monkeypatch.setattr(paraphrases, "MAX_PAIRWISE", 1)
    assert len(join_paraphrases(items, near, threshold=0.5)) == 2
    monkeypatch.undo()
    # said in a sentence of its own, the same pair joins
    items[1] = phrasing("strategy games", FOR, 1, "Strategy games on weekends")
    assert len(join_paraphrases(items, near, threshold=0.5)) == 1


@pytest.mark.slow
def test_a_list_keeps_its_things_apart_but_each_joins_its_own_paraphrase(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    said = [
        ("the cello", FOR, 0, "I play the cello, the banjo and the trumpet."),
        ("the banjo", FOR, 0, "I play the cello, the banjo and the trumpet."),
        ("the trumpet", FOR, 0, "I play the cello, the banjo and the trumpet."),
        ("bluegrass picking", FOR, 3, "Bluegrass picking on a five-string banjo is my happy place."),
    ]
    signals = [signal(topic, value, day, text) for topic, value, day, text in said]
    slots = group_signals(signals, real_embedder.embed_batch, threshold=0.7, paraphrase_threshold=0.35)
    groups = sorted(sorted({s.topic for s in slot.signals}) for slot in slots)
    assert ["the cello"] in groups and ["the trumpet"] in groups
    assert ["bluegrass picking", "the banjo"] in groups
