"""Reading which end of a common scale a phrase names, and whether two phrases name the same end."""

from __future__ import annotations

import pytest

from prefmem.memory.consolidation.scales import absent_words, link_keys, relation, scale_ends


def test_scale_words_place_a_phrase_at_one_end() -> None:
    assert scale_ends("short answers") == {"length": 1}
    assert scale_ends("walls of text") == {"length": -1}
    assert scale_ends("simple, high-level explanations") == {"depth": 1, "effort": 1}
    assert scale_ends("early-morning runs") == {"time_of_day": 1}  # a hyphenated word counts by its parts
    assert scale_ends("jazz music") == {}
    # a scale word named as left out counts for the other end
    assert scale_ends("things non-technical") == {"depth": 1}
    assert scale_ends("answers without details") == {"depth": 1}
    # both ends of one scale in one phrase: that scale says nothing
    assert scale_ends("short or long answers") == {}


def test_us_names_the_country_only_before_words_about_language_or_units() -> None:
    assert scale_ends("us spellings") == {"spelling": -1}
    assert scale_ends("us english") == {"spelling": -1}
    assert scale_ends("recommendations for us") == {}
    assert scale_ends("give us the short version") == {"length": 1}


def test_a_few_more_is_more_not_the_few_end() -> None:
    assert "length" not in scale_ends("spend a few more hours on a train")
    assert "length" not in scale_ends("a few extra steps")
    assert scale_ends("a few bullet points")["length"] == 1
    assert relation("long train rides", "spend a few more hours on a train") == 0


def test_absence_markers_name_what_is_left_out() -> None:
    assert absent_words("technical explanations without any code") == {"code"}
    assert absent_words("hikes without too many switchbacks") == {"switchback"}
    assert relation("hikes without too many switchbacks", "hikes with endless switchbacks") == -1
    assert absent_words("sugar-free desserts") == {"sugar"}
    assert absent_words("meatless dishes") == {"meat"}
    assert absent_words("vegetarian recipes") == {"meat", "fish"}
    assert absent_words("a sober weekend") == {"alcohol"} and absent_words("coeliac baking") == {"gluten"}
    assert relation("sober", "alcohol") == -1
    assert absent_words("answers with code") == set()
    assert absent_words("non-technical answers") == {"technical"}
    # a list after the marker is left out as a whole, up to where the list ends
    assert absent_words("dishes without meat or fish") == {"meat", "fish"}
    assert absent_words("no sugar, salt and butter in my baking") == {"sugar", "salt", "butter"}
    # an article after the marker, and "leave ... out"
    assert absent_words("skip the code") == {"code"}
    assert absent_words("replies free of all emojis") == {"emoji"}
    assert absent_words("leave the code out") == {"code"}
    assert absent_words("leave out nothing") == set()
    assert relation("skip the code, explain the idea", "big blocks of code") == -1


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("short answers", "walls of text", -1),
        ("short answers", "concise replies", 1),
        ("quick recipes", "elaborate recipes", -1),
        ("run in the morning", "evening workouts", -1),
        ("formal tone", "slang", -1),
        ("answers that include code examples", "technical explanations without any code", -1),
        ("vegetarian recipes", "meat in my dinner", -1),
        ("vegetarian recipes", "dishes without meat or fish", 1),  # both leave meat and fish out
        ("things non-technical", "the technical nitty-gritty", -1),
        ("replies free of emojis", "plain text without any emojis", 1),
        ("cheap hostels", "luxury hotels", -1),
        ("affordable travel suggestions", "budget airlines", 1),
        ("a bit of humour in your replies", "a serious tone", -1),
        ("a dry, humourless tone", "jokes in your answers", -1),
        ("british spelling", "us spellings", -1),
        ("uk english", "american english", -1),
        ("metric units", "feet and miles", -1),
        ("listening", "reading", -1),
        ("outdoor activities", "spending weekends indoors", -1),
        ("quiet hotels", "noisy bars", -1),
        ("low-impact exercises", "workouts that involve jumping or high-impact moves", -1),
        ("a high-protein breakfast", "high-protein snacks", 1),
        ("low-sugar desserts", "low-carb meals", 0),  # levels of two different things
        ("board games", "game night", 0),  # nothing in the words says
        ("westerns", "spaghetti westerns", 1),  # one names a kind of the other
        ("live opera", "opera", 1),
        ("no opera", "live opera", -1),  # left out beats the shared word
        ("jazz", "short answers", 0),
    ],
)
def test_relation_says_same_end_opposite_end_or_unknown(first: str, second: str, expected: int) -> None:
    assert relation(first, second) == expected
    assert relation(second, first) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("mild food", "the hotter the better"),
        ("replies free of emojis", "plain text without any emojis"),
        ("code", "explanations without any code"),
        ("cheap hostels", "luxury hotels"),
    ],
)
def test_phrases_relation_links_share_a_link_key(first: str, second: str) -> None:
    # the paraphrase joiner reads relation only for pairs that share a key: none may be missed
    assert relation(first, second) != 0
    assert link_keys(first) & link_keys(second)


def test_link_keys_of_unrelated_phrases_are_apart_and_a_shared_thing_is_no_link() -> None:
    assert not link_keys("jazz") & link_keys("short answers")
    assert link_keys("classical music") & link_keys("pop music")  # both name music...
    assert relation("classical music", "pop music") == 0  # ...which says nothing of their ends


def test_plain_phrases_set_apart_by_the_same_word_name_the_same_end() -> None:
    assert relation("acoustic ballads", "acoustic guitar covers") == 1  # both acoustic
    assert link_keys("acoustic ballads") & link_keys("acoustic guitar covers")
    # a phrase described after its head opens with the head, which says nothing of its end
    assert relation("films with subtitles", "films that run long") == 0


def test_what_a_thing_is_said_not_to_include_or_to_hold_little_of_is_its_other_end() -> None:
    assert relation("puzzles that don't involve timers", "puzzles with countdown timers") == -1
    assert relation("a walking route with minimal climbing", "routes with steep climbing") == -1
    assert relation("recipes with fewer onions", "onions") == -1
    assert absent_words("tours that never include shopping stops") >= {"shopping"}
    assert relation("puzzles that don't involve timers", "tours without timers") == 1
