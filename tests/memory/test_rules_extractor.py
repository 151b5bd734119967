"""The rule extractor's wider reading: more preference wordings, clause-aware topics, and no junk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prefmem.memory.extraction.rules import RuleExtractor, read_statement
from prefmem.memory.models import Interaction
from prefmem.memory.signals import AGAINST, FOR


def _said(text: str) -> Interaction:
    return Interaction(
        user_id="u", session_id="s", timestamp=datetime(2024, 6, 1, 9, tzinfo=UTC), user_text=text
    )


def _read(message: str) -> list[tuple[str, str, str]]:
    return [(s.topic, s.value, s.scope) for s in RuleExtractor().statements([_said(message)])]


# -- wordings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic", "stance"),
    [
        ("I refuse to eat anchovies.", "anchovies", AGAINST),
        ("I strongly dislike crowded beaches.", "crowded beaches", AGAINST),
        ("I have no interest in golf.", "golf", AGAINST),
        ("I have an aversion to cilantro.", "cilantro", AGAINST),
        ("I have a strong aversion to crime podcasts.", "crime podcasts", AGAINST),
        ("I'm allergic to peanuts.", "peanuts", AGAINST),
        ("I am not interested in celebrity gossip.", "celebrity gossip", AGAINST),
        ("I can't tolerate spicy curries.", "spicy curries", AGAINST),
        ("I'm not into opera.", "opera", AGAINST),
        ("I despise cold coffee.", "cold coffee", AGAINST),
        ("I prefer not to watch dubbed films.", "dubbed films", AGAINST),
        ("I'd rather not use spreadsheets.", "spreadsheets", AGAINST),
        ("I find podcasts distracting.", "podcasts", AGAINST),
        ("Due to a back injury, I avoid heavy lifting.", "heavy lifting", AGAINST),
        ("Pineapple on pizza is a dealbreaker for me.", "pineapple on pizza", AGAINST),
        ("I adhere to a low-sodium diet.", "low-sodium diet", FOR),
        ("I follow a strict gluten-free diet.", "gluten-free diet", FOR),
        ("I have a strong preference for paper notebooks.", "paper notebooks", FOR),
        ("Sunscreen is a must for me.", "sunscreen", FOR),
        ("I only drink loose-leaf tea.", "loose-leaf tea", FOR),
        ("I learn best through worked examples.", "worked examples", FOR),
        ("I'm passionate about birdwatching.", "birdwatching", FOR),
        ("As a rule, leave jazz out of my playlists.", "jazz", AGAINST),
        ("Please always leave the intro out.", "intro", AGAINST),
        ("I never get tired of jazz.", "jazz", FOR),
        ("As a rule, stick to UK English.", "uk english", FOR),
        ("In general, feel free to sprinkle emojis in.", "sprinkle emojis in", FOR),
        ("I like it when you use emojis.", "emojis", FOR),
        ("I love it when you're concise.", "concise", FOR),
        ("I don't like it when you try to be funny.", "funny", AGAINST),
        ("I hate it when you add disclaimers.", "disclaimers", AGAINST),
        ("Classical is what I listen to most.", "classical", FOR),
        ("Podcasts are what I usually go for.", "podcasts", FOR),
    ],
)
def test_explicit_preference_wordings_are_read(text: str, topic: str, stance: str) -> None:
    assert read_statement(text) == (topic, stance, "durable")
    assert _read(text) == [(topic, stance, "durable")]


@pytest.mark.parametrize(
    ("negative", "positive"),
    [
        ("I'm not into opera", "I'm really into opera"),
        ("I have no interest in golf", "I'm passionate about golf"),
        ("I strongly dislike crowded beaches", "I strongly prefer crowded beaches"),
        ("I prefer not to watch dubbed films", "I prefer to watch dubbed films"),
        ("I refuse to eat anchovies", "I love eating anchovies"),
        ("I am not a fan of board games", "I am a big fan of board games"),
    ],
)
def test_new_negations_give_the_opposite_stance_on_the_same_topic(negative: str, positive: str) -> None:
    against, for_ = read_statement(negative), read_statement(positive)
    assert against is not None and for_ is not None
    assert against[0] == for_[0]
    assert (against[1], for_[1]) == (AGAINST, FOR)


# -- where a topic ends ----------------------------------------------------------------------


def test_a_comma_inside_a_noun_phrase_does_not_cut_the_topic() -> None:
    assert _read("I always want maps drawn in a clean, minimalist style.") == [
        ("maps drawn in a clean, minimalist style", FOR, "durable")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I avoid sugary drinks, as they give me headaches.",
        "I avoid sugary drinks because they give me headaches.",
        "I avoid sugary drinks; they give me headaches.",
        "I avoid sugary drinks due to my migraines.",
    ],
)
def test_a_new_clause_or_a_reason_ends_the_topic(text: str) -> None:
    assert _read(text) == [("sugary drinks", AGAINST, "durable")]


def test_a_second_verb_after_and_is_a_statement_of_its_own() -> None:
    assert _read("I dislike group chats and much prefer one-on-one calls.") == [
        ("group chats", AGAINST, "durable"),
        ("one-on-one calls", FOR, "durable"),
    ]
    assert _read("I avoid fried food, preferring steamed dishes.") == [
        ("fried food", AGAINST, "durable"),
        ("steamed dishes", FOR, "durable"),
    ]


def test_and_i_without_a_comma_starts_a_statement_of_its_own() -> None:
    assert _read("I love hiking and I'm not a morning person.") == [
        ("hiking", FOR, "durable"),
        ("morning person", AGAINST, "durable"),
    ]
    assert _read("I like jazz and I'd rather not hear blues") == [
        ("jazz", FOR, "durable"),
        ("hear blues", AGAINST, "durable"),
    ]
    # "you and I" inside a phrase is no new statement
    assert _read("I prefer answers that you and I can both read") == [
        ("answers that you and i can both read", FOR, "durable")
    ]


def test_sentences_end_at_cjk_stops_and_topics_drop_trailing_emoji() -> None:
    assert _read("我喜欢短回答。I prefer short answers 🙂") == [("short answers", FOR, "durable")]
    assert _read("I love sushi 🍣🍣 👍🏽") == [("sushi", FOR, "durable")]
    assert _read("I prefer dark mode ❤️") == [("dark mode", FOR, "durable")]
    assert _read("I love C++") == [("c++", FOR, "durable")]  # signs that are part of a name stay


def test_what_is_asked_for_after_a_turned_down_thing_is_wanted_instead() -> None:
    assert _read("Gentle feel-good films aren't for me; give me horror.") == [
        ("gentle feel-good films", AGAINST, "durable"),
        ("horror", FOR, "durable"),
    ]
    assert _read("I don't like long answers; just give me the short version") == [
        ("long answers", AGAINST, "durable"),
        ("short version", FOR, "durable"),
    ]
    # after something liked, or with nothing named, there is no other side
    assert _read("I love jazz; give me more of it.") == [("jazz", FOR, "durable")]
    assert _read("I'm not a fan of long articles; give me something to listen to.") == [
        ("long articles", AGAINST, "durable")
    ]
    # a request in a sentence of its own is for the task at hand, not a taste
    assert _read("I don't like long answers. Give me a summary of this article.") == [
        ("long answers", AGAINST, "durable")
    ]


def test_and_inside_a_relative_clause_does_not_start_a_statement() -> None:
    assert _read("I like hotels that are quiet and do not allow parties.") == [
        ("hotels that are quiet and do not allow parties", FOR, "durable")
    ]


def test_a_length_in_units_stays_in_the_topic() -> None:
    found = read_statement("I dislike films that are over three hours long.")
    assert found == ("films that are over three hours long", AGAINST, "durable")
    assert read_statement("I dislike long films") == ("long films", AGAINST, "durable")


def test_a_phrase_that_names_something_as_left_out_keeps_its_words() -> None:
    found = read_statement("Plain text without any emojis isn't for me.")
    assert found == ("plain text without any emojis", AGAINST, "durable")
    assert read_statement("I don't like sugar-free desserts.") == ("sugar-free desserts", AGAINST, "durable")


def test_a_pronoun_is_not_a_topic() -> None:
    assert _read("I find crossword puzzles tedious and prefer to avoid them.") == [
        ("crossword puzzles", AGAINST, "durable")
    ]


# -- momentary scope -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Just today I have no interest in salads.",
        "I refuse to cook tonight.",
        "Just for this trip, I'm not into museums.",
        "For this email, I have a strong preference for bullet points.",
    ],
)
def test_new_wordings_keep_their_momentary_scope(text: str) -> None:
    found = _read(text)
    assert found and all(scope == "momentary" for _, _, scope in found)


def test_a_momentary_marker_covers_every_clause_of_its_sentence() -> None:
    assert _read("This time leave out the charts, I just need the totals.") == [
        ("charts", AGAINST, "momentary"),
        ("totals", FOR, "momentary"),
    ]


def test_wants_inside_a_question_are_about_that_task() -> None:
    found = _read("How do I sort a list in Go? I don't want to use a library.")
    assert found == [("library", AGAINST, "momentary")]
    # a taste stated beside a question stays durable
    assert _read("I love jazz. Can you suggest an album?") == [("jazz", FOR, "durable")]


def test_asking_for_one_thing_is_a_request() -> None:
    assert _read("I need a cover letter for a bakery job.") == [
        ("cover letter for a bakery job", FOR, "momentary")
    ]
    assert _read("In general I want a summary at the top.") == [("summary at the top", FOR, "durable")]


# -- no junk -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Do you think I'd like opera?",
        "how would I know if I like opera",
        "Write a short poem about autumn leaves.",
        "I want to add a column to this table.",
        "I need to finish the report by Friday.",
        "Translate this into French: I love Mondays.",
        "Fix the grammar: I doesn't like apples.",
        "Make this sound friendlier:\nI hate waiting for replies.",
        "My sister hates olives.",
        "Most people prefer short meetings.",
        "He said he can't stand jazz.",
        'My manager keeps saying "I prefer email over calls" in every meeting.',
        "There is one chapter I don't understand at all.",
        "i need it to return {a: 1} instead",
        "I don't know why the build fails.",
        "Leave the intro out.",  # an order with no standing marker: for this task
        "Stick to UK English.",
    ],
)
def test_questions_requests_pasted_and_third_person_text_give_no_preference(text: str) -> None:
    assert all(scope == "momentary" for _, _, scope in _read(text)), _read(text)
    assert not [found for found in _read(text) if found[2] == "durable"]


@pytest.mark.parametrize(
    "text",
    [
        "Write a short poem about autumn leaves.",
        "I want to add a column to this table.",
        "Translate this into French: I love Mondays.",
        "My sister hates olives.",
        'My manager keeps saying "I prefer email over calls" in every meeting.',
        "There is one chapter I don't understand at all.",
    ],
)
def test_text_that_is_not_the_user_speaking_gives_no_signal_at_all(text: str) -> None:
    assert _read(text) == []


def test_a_whole_message_in_quotes_is_still_the_users_own() -> None:
    assert _read('"I have a strict preference for fountain pens."') == [("fountain pens", FOR, "durable")]


# -- comparisons ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I prefer grounded stories to science fiction.",
            [("grounded stories", FOR, "durable"), ("science fiction", AGAINST, "durable")],
        ),
        (
            "In general I'd rather read prose than fragments.",
            [("prose", FOR, "durable"), ("fragments", AGAINST, "durable")],
        ),
        ("I like tea more than coffee.", [("tea", FOR, "durable"), ("coffee", AGAINST, "durable")]),
        (
            "As a rule, suggest museums over hikes.",
            [("museums", FOR, "durable"), ("hikes", AGAINST, "durable")],
        ),
        ("Tea over coffee for me.", [("tea", FOR, "durable"), ("coffee", AGAINST, "durable")]),
        # an exception named by a thing
        ("I like jazz but not smooth jazz.", [("jazz", FOR, "durable"), ("smooth jazz", AGAINST, "durable")]),
        (
            "I want short answers, but not bullet points.",
            [("short answers", FOR, "durable"), ("bullet points", AGAINST, "durable")],
        ),
        # "but not" followed by something other than a thing: no second signal
        ("I love jazz, and not just on weekends.", [("jazz", FOR, "durable")]),
        ("I like tea but not on weekdays.", [("tea", FOR, "durable")]),
        # nothing named on the other side, or a number: no second signal
        ("I'd rather read an article than listen to one.", [("article", FOR, "durable")]),
        ("I prefer to exercise in the evening.", [("exercise in the evening", FOR, "durable")]),
        (
            "I dislike films that are over three hours long.",
            [("films that are over three hours long", AGAINST, "durable")],
        ),
    ],
)
def test_a_comparison_is_read_as_for_one_side_and_against_the_other(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert _read(text) == expected
    assert read_statement(text) == expected[0]  # the main reading alone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I use metric units.", ("metric units", FOR, "durable")),
        ("I use British spelling.", ("british spelling", FOR, "durable")),
        ("In general, the hotter the better.", ("hotter", FOR, "durable")),
        ("The scarier the film, the better.", ("scarier", FOR, "durable")),
        ("Mornings work best for me.", ("mornings", FOR, "durable")),
        ("As a rule, a short snippet helps me more than a paragraph.", ("short snippet", FOR, "durable")),
    ],
)
def test_habits_and_the_more_the_better_are_preferences(text: str, expected: tuple[str, str, str]) -> None:
    assert read_statement(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I use it every day.",
        "I use them for work.",
        "I used to love jazz.",
        "That works best.",
        "It helps me most.",
        "This is what I need.",
        "I like it when you do that.",
    ],
)
def test_a_thing_named_only_by_a_pronoun_says_nothing(text: str) -> None:
    assert read_statement(text) is None


def test_the_other_side_of_a_momentary_comparison_is_momentary_too() -> None:
    assert _read("This time I'd rather have tea than coffee.") == [
        ("tea", FOR, "momentary"),
        ("coffee", AGAINST, "momentary"),
    ]
