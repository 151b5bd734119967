"""Statement reading by grammar and sentiment lexicon, on sentences written for these tests.

None of these sentences is in the simulator's phrase bank: they check that reading holds
on wording the project was not built around.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder

from reading_corpus import DURABLE, NOT_A_PREFERENCE, ONE_OFF
from reading_corpus_casual import LASTING as CASUAL_LASTING
from reading_corpus_casual import NEUTRAL as CASUAL_NEUTRAL
from reading_corpus_casual import ONE_OFF as CASUAL_ONE_OFF

from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.extraction.polarity import AnchorPolarity
from prefmem.memory.extraction.reading import Reading, gerund, read_message, read_messages
from prefmem.memory.models import Interaction
from prefmem.memory.signals import AGAINST, FOR


def _durable(text: str) -> list[Reading]:
    return [r for r in read_message(text) if r.scope == "durable"]


def test_durable_statements_in_many_forms_are_read_with_their_side() -> None:
    readings = read_messages([sentence for sentence, _, _ in DURABLE])
    read = [
        any(word in r.topic and r.stance == stance and r.scope == "durable" for r in found)
        for (_, stance, word), found in zip(DURABLE, readings, strict=True)
    ]
    missed = [sentence for (sentence, _, _), ok in zip(DURABLE, read, strict=True) if not ok]
    assert sum(read) / len(read) >= 0.9, missed


def test_one_off_requests_never_become_lasting_preferences() -> None:
    leaked = [
        text
        for text, found in zip(ONE_OFF, read_messages(ONE_OFF), strict=True)
        if any(r.scope == "durable" for r in found)
    ]
    assert len(leaked) <= 1, leaked


def test_messages_that_state_no_taste_of_the_user_give_nothing() -> None:
    read = [
        text for text, found in zip(NOT_A_PREFERENCE, read_messages(NOT_A_PREFERENCE), strict=True) if found
    ]
    assert len(read) <= 1, read


@pytest.mark.parametrize(
    ("positive", "negative", "topic"),
    [
        ("I enjoy opera.", "I don't enjoy opera.", "opera"),
        ("Podcasts are my thing.", "Podcasts aren't my thing.", "podcasts"),
        ("I'm a fan of westerns.", "I'm not a fan of westerns.", "westerns"),
        ("I care for modern art.", "I don't care for modern art.", "modern art"),
        ("I like board games.", "I never like board games.", "board games"),
    ],
)
def test_negation_turns_the_side_on_the_same_topic(positive: str, negative: str, topic: str) -> None:
    (for_,) = _durable(positive)
    (against,) = _durable(negative)
    assert (for_.topic, against.topic) == (topic, topic)
    assert (for_.stance, against.stance) == (FOR, AGAINST)


def test_verbs_that_state_a_taste_only_when_negated() -> None:
    assert [(r.topic, r.stance) for r in _durable("I can't stand karaoke.")] == [("karaoke", AGAINST)]
    assert _durable("I stand near the door.") == []


def test_absence_in_the_topic_is_against_the_thing_named() -> None:
    (reading,) = _durable("Please always suggest gluten-free dishes.")
    assert (reading.topic, reading.stance) == ("gluten", AGAINST)


def test_a_comparison_names_the_other_side() -> None:
    (reading,) = _durable("I prefer cats to dogs.")
    assert (reading.topic, reading.stance, reading.contrast) == ("cats", FOR, "dogs")
    signals = ParsedExtractor().statements([Interaction(user_id="u", user_text="I prefer cats to dogs.")])
    assert {(s.topic, s.value) for s in signals} == {("cats", FOR), ("dogs", AGAINST)}


def test_who_the_speaker_is_is_an_identity() -> None:
    (reading,) = _durable("I'm a pescatarian.")
    assert (reading.topic, reading.stance, reading.frame) == ("a pescatarian", FOR, "identity")
    assert read_message("I'm exhausted.") == []  # a state, not who the speaker is


@pytest.mark.parametrize(
    "text",
    [
        "Keep the reply under fifty words.",  # an instruction without a rule marker
        "I want the quick version, my bus is here.",
        "I'm boarding soon, so give me the summary.",
        "For this email, sound friendly.",
    ],
)
def test_requests_for_now_are_momentary(text: str) -> None:
    readings = read_message(text)
    assert all(r.scope == "momentary" for r in readings)
    if text.startswith(("Keep", "I want")):
        assert readings  # read, and kept to the moment


def test_an_instruction_with_a_rule_marker_lasts() -> None:
    (reading,) = read_message("Going forward, use bullet lists.")
    assert (reading.topic, reading.stance, reading.scope) == ("bullet lists", FOR, "durable")


def test_questions_marked_or_not_state_nothing() -> None:
    assert read_message("Do you enjoy jazz?") == []
    assert read_message("which films do I like best") == []


def test_verb_topics_read_as_activities() -> None:
    (reading,) = _durable("I love to paint landscapes.")
    assert reading.topic == "painting landscapes"
    assert [gerund(v) for v in ("hike", "swim", "fix", "visit")] == [
        "hiking",
        "swimming",
        "fixing",
        "visiting",
    ]


def test_the_extractor_caches_each_message_once() -> None:
    extractor = ParsedExtractor()
    said = Interaction(user_id="u", user_text="I adore kites.")
    first = extractor.statements([said])
    assert extractor.statements([said]) == first
    assert len(extractor._cache) == 1


@pytest.mark.parametrize(
    ("text", "topic", "stance"),
    [
        ("Nothing beats fresh bread.", "fresh bread", FOR),
        ("There's nothing like an open fire.", "open fire", FOR),
        ("I could live without parades.", "parades", AGAINST),
        ("I can't live without my headphones.", "headphones", FOR),
        ("Soap operas aren't worth my time.", "soap operas", AGAINST),
    ],
)
def test_comparisons_with_nothing_and_doing_without(text: str, topic: str, stance: str) -> None:
    assert [(r.topic, r.stance) for r in _durable(text)] == [(topic, stance)]


def test_a_side_no_lexicon_word_gives_is_left_to_the_polarity_model() -> None:
    text = "Traffic jams wear me down."

    def against(predicates: Sequence[str]) -> list[int]:
        assert predicates == ["it wear me down"] or predicates == ["it wears me down"]
        return [-1]

    assert read_message(text) == []  # no polarity model: no guess
    (reading,) = read_message(text, polarity=against)
    assert (reading.topic, reading.stance) == ("traffic jams", AGAINST)
    assert read_message(text, polarity=lambda predicates: [0] * len(predicates)) == []  # it abstains


@pytest.mark.slow
def test_the_anchor_polarity_reads_plain_predicates(real_embedder: SentenceTransformerEmbedder) -> None:
    polarity = AnchorPolarity(real_embedder)
    assert polarity(["it cheers me up", "it upsets my stomach"]) == [1, -1]
    assert polarity([]) == []


def test_a_progressive_clause_says_what_is_going_on_not_a_taste() -> None:
    readings = read_message("We're enjoying a picnic, suggest a dessert.")
    assert [r for r in readings if r.scope == "durable"] == []


@pytest.mark.parametrize(
    ("text", "topic", "stance"),
    [
        ("Tea over coffee, every time.", "tea", FOR),
        ("No olives for me, ever.", "olives", AGAINST),
        ("The fewer notifications, the better.", "notifications", AGAINST),
        ("Long layovers are a hard no.", "long layovers", AGAINST),
        ("Museums are a must.", "museums", FOR),
        ("Hiking is how I unwind.", "hiking", FOR),
    ],
)
def test_verbless_answers_verdicts_and_clefts(text: str, topic: str, stance: str) -> None:
    assert [(r.topic, r.stance) for r in _durable(text)] == [(topic, stance)]


def test_a_verbless_request_without_a_rule_marker_is_not_lasting() -> None:
    assert _durable("Tea with lemon, thanks.") == []


@pytest.mark.parametrize(
    ("text", "topic", "stance"),
    [
        ("I have a deep aversion to karaoke bars.", "karaoke bars", AGAINST),
        ("I have no patience for long podcasts.", "long podcasts", AGAINST),
        ("I have a soft spot for old cartoons.", "old cartoons", FOR),
        ("I remember things best through diagrams.", "diagrams", FOR),
        ("I can't handle loud concerts.", "loud concerts", AGAINST),
    ],
)
def test_attitudes_held_towards_things(text: str, topic: str, stance: str) -> None:
    assert [(r.topic, r.stance) for r in _durable(text)] == [(topic, stance)]


@pytest.mark.parametrize(
    ("text", "topic", "stance"),
    [
        ("Kayaking is the sport I reach for on weekends.", "kayaking", FOR),
        ("Karaoke is something I avoid at parties.", "karaoke", AGAINST),
        ("Board games are a hobby I never do.", "board games", AGAINST),
    ],
)
def test_a_thing_named_by_what_the_speaker_does_with_it(text: str, topic: str, stance: str) -> None:
    assert [(r.topic, r.stance) for r in _durable(text)] == [(topic, stance)]


def test_trying_or_tending_not_to_is_against_the_act() -> None:
    (reading,) = _durable("I try not to take the bus.")
    assert reading.stance == AGAINST and "bus" in reading.topic
    (reading,) = _durable("I tend not to drink soda.")
    assert (reading.topic, reading.stance) == ("soda", AGAINST)
    (reading,) = _durable("I tend to drink soda.")
    assert (reading.topic, reading.stance) == ("soda", FOR)


def test_telling_the_assistant_to_stop_is_against_what_it_does() -> None:
    readings = read_message("Stop adding emojis to your replies.")
    assert any("emojis" in r.topic for r in readings)
    assert {r.stance for r in readings} == {AGAINST}


def test_a_compared_place_one_preposition_down_is_the_other_side() -> None:
    (reading,) = read_message("I'd rather study in a library than at a cafe.")
    assert reading.stance == FOR and reading.contrast == "cafe"


def test_what_something_does_or_is_to_me_is_left_to_the_polarity_model() -> None:
    def sides(predicates: Sequence[str]) -> list[int]:
        return [-1 if "nothing" in p or "wallpaper" in p else 1 for p in predicates]

    for text in ("Techno does nothing for me.", "Techno is just wallpaper to me."):
        assert read_message(text) == []  # no polarity model: no guess
        (reading,) = read_message(text, polarity=sides)
        assert (reading.topic, reading.stance) == ("techno", AGAINST)


@pytest.mark.parametrize(
    ("text", "topic", "other"),
    [
        ("I like podcasts rather than audiobooks.", "podcasts", "audiobooks"),
        ("I cook pasta rather than rice.", "pasta", "rice"),
    ],
)
def test_rather_than_sets_the_other_thing_against_not_beside(text: str, topic: str, other: str) -> None:
    (reading,) = _durable(text)
    assert (reading.topic, reading.stance, reading.contrast) == (topic, FOR, other)


def test_zero_interest_is_against() -> None:
    (reading,) = _durable("I have zero interest in motor racing.")
    assert (reading.topic, reading.stance) == ("motor racing", AGAINST)


@pytest.mark.parametrize(
    "text",
    [
        "I want something cheerful for the office party.",
        "I only need the ingredients list.",
        "I prefer the third option.",
        "I like this version better.",
    ],
)
def test_asking_for_or_choosing_one_thing_at_hand_is_momentary(text: str) -> None:
    assert _durable(text) == []


def test_only_still_marks_a_habit_in_a_taste() -> None:
    (reading,) = _durable("I only drink decaf.")
    assert (reading.topic, reading.stance) == ("decaf", FOR)


def test_a_pronoun_object_leaves_no_topic_behind() -> None:
    assert _durable("I eat it every single morning.") == []
    assert _durable("I watch them most weekends.") == []


def test_a_coordinated_verb_with_a_modal_keeps_the_speaker() -> None:
    readings = _durable("I have a bad back and must avoid heavy lifting.")
    assert [(r.topic, r.stance) for r in readings] == [("heavy lifting", AGAINST)]


def test_material_after_a_colon_is_not_the_user_speaking() -> None:
    readings = read_message("Make this sound more formal: I love the new office and I hate Mondays.")
    assert not any(word in r.topic for r in readings for word in ("office", "mondays"))
    assert all(r.scope == "momentary" for r in readings)
    pasted = " ".join(["We always ship on Fridays and the team loves long meetings."] * 5)
    assert _durable(f"Turn the notes into a summary for my manager: {pasted}") == []


def test_a_long_task_message_is_read_in_its_opening_line_only() -> None:
    code = "\n".join(f"    always_update_counter({n})  # keep the full log every time" for n in range(12))
    message = f"I prefer Python for scripting. Why does this loop fail?\n{code}"
    assert [(r.topic, r.stance) for r in _durable(message)] == [("python", FOR)]


@pytest.mark.parametrize(
    ("text", "topic", "stance"),
    [
        ("I prefer not to fly on small propeller planes.", "flying on small propeller planes", AGAINST),
        ("I'd like to avoid heavy cream sauces.", "heavy cream sauces", AGAINST),
        ("I prefer to keep away from crowded ski slopes.", "crowded ski slopes", AGAINST),
        ("I like to steer clear of horror podcasts.", "horror podcasts", AGAINST),
        ("I prefer not watching dubbed films.", "dubbed films", AGAINST),
    ],
)
def test_a_taste_verb_over_another_takes_the_inner_side(text: str, topic: str, stance: str) -> None:
    assert [(r.topic, r.stance) for r in _durable(text)] == [(topic, stance)]


def test_a_participle_after_a_noun_stays_in_the_topic() -> None:
    (reading,) = _durable("I dislike novels set on spaceships.")
    assert (reading.topic, reading.stance) == ("novels set on spaceships", AGAINST)
    (reading,) = _durable("I avoid cereals sweetened with syrup.")
    assert (reading.topic, reading.stance) == ("cereals sweetened with syrup", AGAINST)


def test_two_nouns_sharing_one_clause_are_read_as_one_topic() -> None:
    (reading,) = _durable("I avoid any podcast or radio show that runs over an hour.")
    assert reading.stance == AGAINST
    assert reading.topic.startswith("podcast or radio show that runs")


def test_a_find_judgement_with_no_lexicon_word_is_judged_alone(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    polarity = AnchorPolarity(real_embedder)
    (readings,) = read_messages(["I find escape rooms confusing."], polarity=polarity)
    assert [(r.topic, r.stance) for r in readings] == [("escape rooms", AGAINST)]


def test_verbs_after_an_infinitive_continue_what_is_liked() -> None:
    readings = _durable("I like to swim laps, cycle to work, and hike.")
    assert len(readings) == 3 and all(r.stance == FOR for r in readings)
    assert readings[0].topic == "swimming laps" and "work" in readings[1].topic


def test_after_a_request_a_bare_verb_is_still_an_order() -> None:
    readings = read_message("I want to rest, skip the details.")
    assert ("details", AGAINST, "momentary") in [(r.topic, r.stance, r.scope) for r in readings]


@pytest.mark.parametrize(
    "text",
    ["I'll go with option 3.", "I'll take the blue tent, thanks.", "I think I'll pick the cheaper hotel."],
)
def test_deciding_what_to_take_from_things_at_hand_is_momentary(text: str) -> None:
    assert _durable(text) == []


def test_a_negated_or_habitual_future_still_lasts() -> None:
    (reading,) = _durable("I'll never order decaf.")
    assert (reading.topic, reading.stance) == ("decaf", AGAINST)
    (reading,) = _durable("I'll always choose aisle seats.")
    assert (reading.topic, reading.stance) == ("aisle seats", FOR)


def test_a_conjunct_set_apart_by_never_takes_the_other_side() -> None:
    readings = _durable("I wear sneakers but never high heels.")
    assert [(r.topic, r.stance) for r in readings] == [("sneakers", FOR), ("high heels", AGAINST)]


def test_the_one_picked_by_a_comparison_is_at_hand() -> None:
    assert _durable("I'd go for the longer itinerary.") == []
    assert [r.topic for r in _durable("I prefer longer itineraries.")] == ["longer itineraries"]


def test_who_a_thing_at_hand_is_for_is_not_a_taste() -> None:
    assert _durable("Make it playful, the reader is my niece.") == []


def test_a_comparison_in_another_clause_is_not_the_other_side() -> None:
    (reading,) = _durable("I dislike escape rooms and find them more stressful than fun.")
    assert (reading.topic, reading.stance, reading.contrast) == ("escape rooms", AGAINST, None)


def test_going_for_something_is_about_the_thing() -> None:
    (reading,) = _durable("I love to go on long bike rides.")
    assert (reading.topic, reading.stance) == ("long bike rides", FOR)
    (reading,) = _durable("I compete in chess tournaments.")
    assert (reading.topic, reading.stance) == ("chess tournaments", FOR)


def test_a_list_of_gerunds_is_read_whole() -> None:
    readings = _durable("I enjoy playing the cello, volunteering at the library, and exploring old castles.")
    assert [r.stance for r in readings] == [FOR, FOR, FOR]
    assert "castles" in readings[-1].topic


def test_owned_favourite_activities_are_read_though_they_look_progressive() -> None:
    readings = _durable("My favorite hobbies are painting landscapes and watching birds.")
    assert [(r.topic, r.stance) for r in readings] == [("painting landscapes", FOR), ("watching birds", FOR)]


def test_an_instruction_for_whenever_the_assistant_does_something_lasts() -> None:
    (reading,) = _durable("Add type hints whenever you write Python.")
    assert (reading.topic, reading.stance) == ("type hints", FOR)
    assert _durable("Send me the invoice when you finish it.") == []


def test_a_sentence_opening_with_a_camel_case_name_keeps_its_capitals() -> None:
    (reading,) = _durable("PyTorch is my framework of choice.")
    assert (reading.topic, reading.stance) == ("pytorch", FOR)


def test_a_noun_tagged_as_a_bare_verb_is_not_made_a_gerund() -> None:
    (reading,) = _durable("I can't eat gluten.")
    assert (reading.topic, reading.stance) == ("gluten", AGAINST)
    (reading,) = _durable("I love to garden.")
    assert (reading.topic, reading.stance) == ("gardening", FOR)


def test_an_empty_word_filled_in_by_a_clause_is_a_topic() -> None:
    (reading,) = _durable("I avoid anything involving deep water.")
    assert reading.stance == AGAINST and reading.topic.endswith("involving deep water")


def test_more_attitude_nouns_and_routine_verbs() -> None:
    (reading,) = _durable("I have a moral objection to fur coats.")
    assert (reading.topic, reading.stance) == ("fur coats", AGAINST)
    (reading,) = _durable("I never consume energy drinks.")
    assert (reading.topic, reading.stance) == ("energy drinks", AGAINST)
    (reading,) = _durable("I learn best with flowcharts.")
    assert (reading.topic, reading.stance) == ("flowcharts", FOR)


def test_switching_from_one_thing_to_another_is_for_the_new_one() -> None:
    (reading,) = _durable("I switched from paper planners to a calendar app.")
    assert (reading.topic, reading.stance, reading.contrast) == ("calendar app", FOR, "paper planners")
    assert _durable("I moved to Lisbon.") == []


def test_where_most_of_the_speakers_things_are_is_what_they_use() -> None:
    (reading,) = _durable("Most of my side projects are in Haskell.")
    assert (reading.topic, reading.stance) == ("haskell", FOR)
    (reading,) = _durable("Most of what I bake is sourdough.")
    assert (reading.topic, reading.stance) == ("sourdough", FOR)
    (reading,) = _durable("Our dinners are mostly vegan.")
    assert (reading.topic, reading.stance) == ("vegan", FOR)
    assert _durable("My bike is in the garage.") == []  # no share said: nothing lasting
    assert _durable("Most of my cousins are in Toronto.") == []  # where, not what is used
    assert _durable("Most of my photos are on my laptop.") == []  # a thing owned, not chosen


def test_an_object_after_to_is_read_when_nothing_is_compared() -> None:
    (reading,) = _durable("I mostly listen to baroque.")
    assert (reading.topic, reading.stance) == ("baroque", FOR)


def test_a_degree_before_what_the_speaker_is() -> None:
    (reading,) = _durable("I'm not much of a beach person.")
    assert (reading.topic, reading.stance, reading.frame) == ("a beach person", AGAINST, "identity")


def test_a_split_hyphenated_favourite_word_and_what_works_best() -> None:
    (reading,) = _durable("My go-to snack is almonds.")
    assert (reading.topic, reading.stance) == ("almonds", FOR)
    (reading,) = _durable("Small classes work best.")
    assert (reading.topic, reading.stance) == ("small classes", FOR)


def test_nothing_liked_more_than_a_thing_is_the_favourite() -> None:
    (reading,) = _durable("There's nothing I enjoy more than a long bike ride.")
    assert (reading.topic, reading.stance) == ("long bike ride", FOR)


def test_a_standing_effort_and_sworn_off_things() -> None:
    (reading,) = _durable("I'm trying to cut back on caffeine.")
    assert (reading.topic, reading.stance) == ("caffeine", AGAINST)
    (reading,) = _durable("I've sworn off fast food.")
    assert (reading.topic, reading.stance) == ("fast food", AGAINST)
    assert _durable("I'm trying to finish this report tonight.") == []


def test_everywhere_makes_a_request_standing() -> None:
    (reading,) = _durable("Metric units everywhere, please.")
    assert (reading.topic, reading.stance) == ("metric units", FOR)


def test_attachments_stated_with_their_own_preposition() -> None:
    (reading,) = _durable("I'm hooked on crossword puzzles.")
    assert (reading.topic, reading.stance) == ("crossword puzzles", FOR)
    (reading,) = _durable("I'm obsessed with vintage synths.")
    assert (reading.topic, reading.stance) == ("vintage synths", FOR)
    (reading,) = _durable("I'm wary of crypto schemes.")
    assert (reading.topic, reading.stance) == ("crypto schemes", AGAINST)
    (reading,) = _durable("I'm a stickler for punctuality.")
    assert (reading.topic, reading.stance) == ("punctuality", FOR)
    (reading,) = _durable("I'm all about comfort.")
    assert (reading.topic, reading.stance) == ("comfort", FOR)


def test_more_ways_to_say_what_is_favoured() -> None:
    (reading,) = _durable("I'm more of a tea person.")
    assert (reading.topic, reading.stance, reading.frame) == ("a tea person", FOR, "identity")
    (reading,) = _durable("I'm calmest in the mountains.")
    assert (reading.topic, reading.stance) == ("mountains", FOR)
    (reading,) = _durable("Card games are a big part of my evenings.")
    assert (reading.topic, reading.stance) == ("card games", FOR)
    (reading,) = _durable("Anything with olives is a hard no.")
    assert (reading.topic, reading.stance) == ("olives", AGAINST)


def test_an_act_on_one_thing_at_hand_or_due_soon_is_a_task() -> None:
    assert _durable("I need to mail it within an hour.") == []
    assert _durable("I need to proofread my cover letter.") == []
    (reading,) = _durable("I'd like to get gluten-free options.")
    assert reading.stance == AGAINST and reading.topic == "gluten"


def test_asking_to_stop_offering_something_is_standing() -> None:
    (reading,) = _durable("Please stop recommending podcasts with ads.")
    assert (reading.topic, reading.stance) == ("podcasts with ads", AGAINST)
    (reading,) = _durable("Quit suggesting cruises.")
    assert (reading.topic, reading.stance) == ("cruises", AGAINST)


def test_no_fan_done_with_and_seldom_are_against() -> None:
    (reading,) = _durable("I'm no fan of open-plan offices.")
    assert (reading.topic, reading.stance) == ("open-plan offices", AGAINST)
    (reading,) = _durable("I'm done with streaming services.")
    assert (reading.topic, reading.stance) == ("streaming services", AGAINST)
    (reading,) = _durable("I hardly ever eat red meat.")
    assert (reading.topic, reading.stance) == ("red meat", AGAINST)
    (reading,) = _durable("I seldom fly.")
    assert (reading.topic, reading.stance) == ("flying", AGAINST)


def test_it_after_a_named_thing_stands_for_that_thing() -> None:
    (reading,) = _durable("Could you write the snippet in Kotlin? It's what I use every day.")
    assert (reading.topic, reading.stance) == ("kotlin", FOR)
    (reading,) = _durable("Plot the chart with Matplotlib. It's my go-to library.")
    assert (reading.topic, reading.stance) == ("matplotlib", FOR)
    assert _durable("I fixed the old printer. It's what I'm working on.") == []
    # "the N I use": a noun the speaker's own present-tense clause says they use or choose
    (reading,) = _durable("Can you draft it in Postgres? It is the database I use for nearly everything.")
    assert (reading.topic, reading.stance) == ("postgres", FOR)
    (reading,) = _durable("Could you add oat milk to the latte? That's the milk we buy every week.")
    assert (reading.topic, reading.stance) == ("oat milk", FOR)
    assert _durable("Could you tell me about Porto? It is the town I visited last spring.") == []
    assert _durable("Can you write it in Perl? It is the language I used at my first job.") == []


def test_a_topic_said_to_last_in_a_later_clause_lasts() -> None:
    (reading,) = _durable("Please answer in Portuguese. Portuguese is my first language.")
    assert (reading.topic, reading.stance) == ("portuguese", FOR)


def test_keeping_a_thing_out_is_against_it_and_clock_times_are_no_topic() -> None:
    (reading,) = _durable("Please keep the cilantro out of my recipes from now on.")
    assert (reading.topic, reading.stance) == ("cilantro", AGAINST)
    assert _durable("I do my best writing after 9 pm.") == []


def test_what_a_thing_does_to_the_speaker_by_a_phrasal_verb() -> None:
    (reading,) = _durable("Red-eye flights wear me out.")
    assert (reading.topic, reading.stance) == ("red-eye flights", AGAINST)
    (reading,) = _durable("Sunny afternoons perk me up.")
    assert (reading.topic, reading.stance) == ("sunny afternoons", FOR)


def test_no_before_a_disliked_thing_says_no_once() -> None:
    (reading,) = _durable("I startle easily, so no haunted houses.")
    assert (reading.topic, reading.stance) == ("haunted houses", AGAINST)
    (reading,) = _durable("I dislike sugar-free sodas.")
    assert (reading.topic, reading.stance) == ("sugar", FOR)


def test_a_denied_free_of_says_the_thing_is_there() -> None:
    # avoiding what is not X-free avoids X; liking what is not X-free likes X
    (reading,) = _durable("I refuse to buy lotions that are not fragrance-free.")
    assert (reading.topic, reading.stance) == ("fragrance", AGAINST)
    (reading,) = _durable("I avoid snacks that are not gluten-free.")
    assert (reading.topic, reading.stance) == ("gluten", AGAINST)
    (reading,) = _durable("I like shampoos that are not fragrance-free.")
    assert (reading.topic, reading.stance) == ("fragrance", FOR)


def test_a_verb_joined_by_and_keeps_the_speaker_though_tagged_as_a_base_form() -> None:
    (reading,) = _durable("I have a nut allergy and avoid any desserts with almonds.")
    assert (reading.topic, reading.stance, reading.frame) == ("desserts with almonds", AGAINST, "taste")
    readings = _durable("I find it hard to focus in silence and prefer cafes with background chatter.")
    assert ("cafes with background chatter", FOR) in [(r.topic, r.stance) for r in readings]
    assert _durable("We're short on time, skip the details.") == []


def test_misparsed_attitude_and_participle_objects_are_read() -> None:
    readings = _durable("I have a deep aversion to crowded or noisy shopping malls.")
    assert [(r.topic, r.stance) for r in readings] == [("crowded or noisy shopping malls", AGAINST)]
    (reading,) = _durable("I really hate anything involving heights or ladders.")
    assert reading.stance == AGAINST and "heights" in reading.topic


def test_a_kind_of_thing_is_read_as_the_thing() -> None:
    (reading,) = _durable("I adore all kinds of folk music.")
    assert (reading.topic, reading.stance) == ("folk music", FOR)
    (reading,) = _durable("I avoid any type of energy drink.")
    assert (reading.topic, reading.stance) == ("energy drink", AGAINST)
    # a kind with words of its own is a kind of its own
    (reading,) = _durable("I love the Neapolitan style of pizza.")
    assert reading.topic == "neapolitan style of pizza"


def test_having_had_enough_and_saying_no_name_a_side() -> None:
    (reading,) = _durable("I've had enough of group chats.")
    assert (reading.topic, reading.stance) == ("group chats", AGAINST)
    (reading,) = _durable("I never get enough of rainy afternoons.")
    assert (reading.topic, reading.stance) == ("rainy afternoons", FOR)
    (reading,) = _durable("I would never say no to fresh croissants.")
    assert (reading.topic, reading.stance) == ("fresh croissants", FOR)
    (reading,) = _durable("I always say no to anything with raisins.")
    assert (reading.topic, reading.stance) == ("raisins", AGAINST)
    assert _durable("I get enough of meetings at the office.") == []


def test_little_of_an_attitude_is_against_and_have_got_is_have() -> None:
    (reading,) = _durable("I have very little patience for small talk.")
    assert (reading.topic, reading.stance) == ("small talk", AGAINST)
    (reading,) = _durable("I've got a real fondness for old maps.")
    assert (reading.topic, reading.stance) == ("old maps", FOR)


def test_idioms_of_liking_and_of_what_a_thing_does_to_the_speaker() -> None:
    (reading,) = _durable("I've never really been one for nightclubs.")
    assert (reading.topic, reading.stance) == ("nightclubs", AGAINST)
    (reading,) = _durable("I have a thing for handwritten letters.")
    assert (reading.topic, reading.stance) == ("handwritten letters", FOR)
    (reading,) = _durable("I'm partial to a bit of blue cheese.")
    assert (reading.topic, reading.stance) == ("blue cheese", FOR)
    (reading,) = _durable("Crossword puzzles are one of my favourite pastimes.")
    assert (reading.topic, reading.stance) == ("crossword puzzles", FOR)
    (reading,) = _durable("Automated phone menus drive me round the bend.")
    assert (reading.topic, reading.stance) == ("automated phone menus", AGAINST)
    assert _durable("I have a thing to drop off at the post office.") == []


def test_what_a_topic_says_about_its_thing_is_kept_and_reasons_are_not() -> None:
    (reading,) = _durable("I skip podcasts that regularly run over an hour.")
    assert reading.stance == AGAINST and reading.topic.startswith("podcasts that") and "hour" in reading.topic
    (reading,) = _durable("I dislike board games that take over two hours to set up.")
    assert reading.topic == "board games that take over two hours to set up"
    (reading,) = _durable("I avoid crowded gyms due to my asthma.")
    assert (reading.topic, reading.stance) == ("crowded gyms", AGAINST)


def test_a_relative_clause_the_parser_hung_on_the_verb_stays_with_its_noun() -> None:
    from spacy.tokens import Doc

    from prefmem.memory.extraction.language import parser
    from prefmem.memory.extraction.reading import _misplaced_relative, _topic

    words = ["I", "avoid", "watching", "shows", "that", "openly", "feature", "ghosts", "."]
    heads = [1, 1, 1, 2, 6, 6, 2, 6, 1]  # "feature" hung on "watching", as the parser sometimes does
    deps = ["nsubj", "ROOT", "xcomp", "dobj", "nsubj", "advmod", "ccomp", "dobj", "punct"]
    pos = ["PRON", "VERB", "VERB", "NOUN", "PRON", "ADV", "VERB", "NOUN", "PUNCT"]
    doc = Doc(parser().vocab, words=words, heads=heads, deps=deps, pos=pos)
    shows = doc[3]
    clause = _misplaced_relative(shows)
    assert clause is not None and clause.i == 6
    assert _topic(shows)[0] == "shows that feature ghosts"
    assert _misplaced_relative(doc[7]) is None


def test_what_the_object_has_or_lacks_stays_with_it_when_the_parser_hangs_it_on_the_verb() -> None:
    # with an adverb before the verb, the small parser hangs "with"/"without" on the verb
    (reading,) = _durable("I usually prefer sandwiches without mayo.")
    assert (reading.topic, reading.stance) == ("sandwiches without mayo", FOR)
    (reading,) = _durable("I generally prefer hotels with a rooftop pool.")
    assert (reading.topic, reading.stance) == ("hotels with a rooftop pool", FOR)
    (reading,) = _durable("I could live without meetings.")  # no object: what is lacked is the topic
    assert (reading.topic, reading.stance) == ("meetings", AGAINST)


def test_verbs_the_parser_gives_a_wrong_dictionary_form_or_that_state_a_taste_only_negated() -> None:
    (reading,) = _durable("I've always hated packed commuter trains.")  # "hated" -> "hat"
    assert (reading.topic, reading.stance) == ("packed commuter trains", AGAINST)
    (reading,) = _durable("I can't resist dark chocolate.")
    assert (reading.topic, reading.stance) == ("dark chocolate", FOR)
    (reading,) = _durable("I can never resist a street market.")
    assert reading.stance == FOR
    (reading,) = _durable("Folk ballads have always moved me.")
    assert (reading.topic, reading.stance) == ("folk ballads", FOR)
    (reading,) = _durable("I always avoid anything with coriander.")
    assert (reading.topic, reading.stance) == ("coriander", AGAINST)


def test_how_a_thing_strikes_the_speaker_through_a_verb_of_seeming() -> None:
    (reading,) = _durable("Winter camping sounds miserable to me.")
    assert (reading.topic, reading.stance) == ("winter camping", AGAINST)
    (reading,) = _durable("Slow travel seems wonderful to me.")
    assert (reading.topic, reading.stance) == ("slow travel", FOR)
    assert _durable("The second itinerary sounds lovely.") == []  # a reaction to one thing at hand


def test_idioms_of_what_does_it_most_and_of_where_a_thing_sits_for_the_speaker() -> None:
    (reading,) = _durable("Nothing soothes me like rain on a tin roof.")
    assert reading.stance == FOR and reading.topic.startswith("rain")
    (reading,) = _durable("Bagpipes grate on me.")
    assert (reading.topic, reading.stance) == ("bagpipes", AGAINST)
    (reading,) = _durable("Cheap perfume turns my stomach.")
    assert (reading.topic, reading.stance) == ("cheap perfume", AGAINST)
    (reading,) = _durable("Chess problems are right up my alley.")
    assert (reading.topic, reading.stance) == ("chess problems", FOR)
    (reading,) = _durable("Filing taxes is my idea of hell.")
    assert (reading.topic, reading.stance) == ("filing taxes", AGAINST)
    (reading,) = _durable("Oolong is the only tea for me.")
    assert (reading.topic, reading.stance) == ("oolong", FOR)


def test_a_request_for_the_occasion_coming_up_is_for_that_occasion() -> None:
    assert _durable("I want kayaking spots for the long weekend.") == []
    assert _durable("I need a toast idea for the wedding.") == []
    (reading,) = _durable("I always travel light for the trip, wherever it goes.")
    assert reading.scope == "durable"


def test_verdicts_on_things_in_general_and_being_for_or_against() -> None:
    (reading,) = _durable("Paper books win every time.")
    assert (reading.topic, reading.stance) == ("paper books", FOR)
    (reading,) = _durable("Reality shows are overrated.")
    assert (reading.topic, reading.stance) == ("reality shows", AGAINST)
    (reading,) = _durable("Jazz standards are seriously underrated.")
    assert (reading.topic, reading.stance) == ("jazz standards", FOR)
    (reading,) = _durable("Clear diagrams are always appreciated.")
    assert (reading.topic, reading.stance) == ("clear diagrams", FOR)
    (reading,) = _durable("I'm all for shorter commutes.")
    assert (reading.topic, reading.stance) == ("shorter commutes", FOR)
    (reading,) = _durable("I'm against hot-desking.")
    assert reading.stance == AGAINST
    assert _durable("Your patience is appreciated.") == []  # thanks, not a taste
    assert _durable("Scooters are banned on the pier.") == []


def test_sticking_to_a_thing_and_judgements_the_sentiment_lexicon_lacks() -> None:
    (reading,) = _durable("I stick to vinyl records.")
    assert (reading.topic, reading.stance) == ("vinyl records", FOR)
    readings = _durable("My ears ring after gigs, so I stick to small acoustic sets.")
    assert any(r.topic == "small acoustic sets" and r.stance == FOR for r in readings)
    (reading,) = _durable("I find escape rooms tedious.")
    assert (reading.topic, reading.stance) == ("escape rooms", AGAINST)
    (first, second) = _durable("I find big family dinners overwhelming and prefer small gatherings.")
    assert (first.topic, first.stance) == ("big family dinners", AGAINST)
    assert (second.topic, second.stance) == ("small gatherings", FOR)


def test_a_judgement_said_to_fall_short_is_turned_round() -> None:
    (reading,) = _durable("I find audiobooks less interesting than paper books.")
    assert (reading.topic, reading.stance) == ("audiobooks", AGAINST)
    (reading,) = _durable("I find ballet not very entertaining.")
    assert (reading.topic, reading.stance) == ("ballet", AGAINST)
    (reading,) = _durable("I find audiobooks more interesting than paper books.")
    assert (reading.topic, reading.stance) == ("audiobooks", FOR)


def test_tastes_gained_lost_begun_and_held_these_days() -> None:
    (reading,) = _durable("I've developed a taste for pickled herring.")
    assert (reading.topic, reading.stance) == ("pickled herring", FOR)
    (reading,) = _durable("I've lost interest in celebrity news.")
    assert (reading.topic, reading.stance) == ("celebrity news", AGAINST)
    (reading,) = _durable("I've started to enjoy birdwatching.")
    assert (reading.topic, reading.stance) == ("birdwatching", FOR)
    (reading,) = _durable("I've been loving graphic novels lately.")
    assert (reading.topic, reading.stance) == ("graphic novels", FOR)
    assert _durable("I'm enjoying the novel so far.") == []  # that one novel, now
    assert _durable("We're celebrating my sister's graduation.") == []


def test_a_pronoun_object_stands_for_the_thing_named_before_it() -> None:
    (reading,) = _durable("I used to love war films, but these days I can't stand them.")
    assert (reading.topic, reading.stance) == ("war films", AGAINST)
    assert _durable("I ordered new curtains and I love them.") == []  # those curtains
    readings = _durable("Walls of text aren't for me; split it into sections.")
    assert all(r.topic != "text" or r.stance == AGAINST for r in readings)


def test_casual_statements_with_the_speaker_left_out() -> None:
    (reading,) = _durable("Huge fan of westerns here.")
    assert (reading.topic, reading.stance) == ("westerns", FOR)
    (reading,) = _durable("Not a fan of escape rooms.")
    assert (reading.topic, reading.stance) == ("escape rooms", AGAINST)
    (reading,) = _durable("Never been big on theme parks.")
    assert (reading.topic, reading.stance) == ("theme parks", AGAINST)
    (reading,) = _durable("Can't get enough of sea swimming.")
    assert reading.stance == FOR and "sea swimming" in reading.topic
    (reading,) = _durable("Love me some dim sum.")
    assert (reading.topic, reading.stance) == ("dim sum", FOR)
    assert _durable("Enjoy your trip!") == []  # a wish, not a taste
    assert _durable("Of course, sorted.") == []
    assert _durable("I hate to say it, but the old logo was nicer.") == []


def test_least_favourites_and_what_changed_a_life() -> None:
    (reading,) = _durable("February is my least favourite month.")
    assert (reading.topic, reading.stance) == ("february", AGAINST)
    (reading,) = _durable("Pilates has changed my life.")
    assert (reading.topic, reading.stance) == ("pilates", FOR)


def test_a_fronted_when_or_if_is_not_what_the_taste_is_about() -> None:
    (reading,) = _durable("Given the option, I'd rather cycle.")
    assert reading.stance == FOR and "option" not in reading.topic
    (reading,) = _durable("After dinner I usually unwind with a crossword.")
    assert reading.topic == "crossword"
    (reading,) = _durable("Most people like beaches, but I prefer quiet pubs.")
    assert (reading.topic, reading.stance) == ("quiet pubs", FOR)
    (reading,) = _durable("Most people like summer, but I prefer autumn.")  # "like" parsed as a preposition
    assert (reading.topic, reading.stance) == ("autumn", FOR)


def test_ruled_out_things_and_requests_said_to_be_as_always() -> None:
    (reading,) = _durable("Peanuts are off the table for me.")
    assert (reading.topic, reading.stance) == ("peanuts", AGAINST)
    # both parsed wrongly with their first word in lower case, read as written
    (reading,) = _durable("Gluten is off the table.")
    assert (reading.topic, reading.stance) == ("gluten", AGAINST)
    (reading,) = _durable("Bagpipe music grates on me.")
    assert (reading.topic, reading.stance) == ("bagpipe music", AGAINST)
    (reading,) = _durable("Please stick to sugar-free desserts, as always.")
    assert (reading.topic, reading.stance) == ("sugar", AGAINST)
    assert _durable("That idea is off the table now.") == []


def _sides(text: str) -> set[tuple[str, str]]:
    return {(r.topic, r.stance) for r in _durable(text)}


def test_a_pronoun_subject_stands_for_the_kind_of_thing_named_before_it() -> None:
    assert ("lentils", AGAINST) in _sides("Any soup is fine, nothing with lentils, they upset my stomach.")
    assert ("haskell", FOR) in _sides("Haskell where you can, it's the language I use every day.")
    assert ("sourdough", FOR) in _sides("Is sourdough hard for beginners? It's my favourite loaf.")
    assert ("techno", AGAINST) in _sides("A mix for the drive, anything but techno, it grates on me.")
    assert ("feta", FOR) in _sides("We always have feta in the fridge. It's the best cheese there is.")


def test_a_pronoun_does_not_stand_for_one_thing_at_hand_or_a_place() -> None:
    assert _durable("Thanks for the links, they're brilliant!") == []  # thanks for what was given
    assert _durable("I've visited Norway twice. It's a stunning country.") == []
    assert _durable("It's a lot of effort, but it's also very satisfying.") == []
    assert _durable("That makes sense. I bet it would be thrilling.") == []  # only imagined
    assert _durable("I adore knitting jumpers. It's so calming.") == [  # the act, not the jumpers
        r for r in _durable("I adore knitting jumpers.")
    ]


def test_a_pronoun_object_in_a_later_sentence() -> None:
    assert ("capers", AGAINST) in _sides("No capers, please. I can't bear them.")
    read = _sides("No exclamation marks in replies, please, I find them jarring.")
    assert ("exclamation marks", AGAINST) in {(topic.split(" in ")[0], side) for topic, side in read}
    assert ("two ferrets", FOR) in _sides("We've got two ferrets and I'm utterly smitten with them.")


def test_rather_with_a_verb_of_shunning_is_against() -> None:
    assert _sides("I'd rather avoid red-eye flights.") == {("red-eye flights", AGAINST)}
    assert _sides("I'd rather skip the big chain hotels.") == {("big chain hotels", AGAINST)}
    assert _sides("I'd rather take the bus.") == {("bus", FOR)}


def test_what_a_thing_does_to_the_speaker_in_more_idioms() -> None:
    assert _sides("Board meetings bore me.") == {("board meetings", AGAINST)}
    assert _sides("Reggae gets on my nerves.") == {("reggae", AGAINST)}
    assert _sides("Polka makes my skin crawl.") == {("polka", AGAINST)}
    assert _sides("Warm croissants make my mouth water.") == {("warm croissants", FOR)}
    assert _sides("I never touch energy drinks.") == {("energy drinks", AGAINST)}
    assert _sides("Anything made with fresh ginger would make me happy.") == {("fresh ginger", FOR)}


def test_a_statement_with_a_question_tacked_on_is_still_read() -> None:
    assert _sides("I adore tapas, any good spots in Leeds?") == {("tapas", FOR)}
    assert _sides("I'd rather skip crowded beaches, so where is quieter?") == {("crowded beaches", AGAINST)}
    assert _durable("If I like ska, what else would I like?") == []
    assert _durable("My nephew hates peas, how can I sneak them into dinner?") == []


def test_coming_to_like_something_and_liking_it_now() -> None:
    assert _sides("I've slowly started enjoying crosswords.") == {("crosswords", FOR)}
    assert _sides("I really like baking bread now.") == {("baking bread", FOR)}


def test_a_clause_after_so_and_a_noun_the_tagger_took_for_a_verb() -> None:
    assert ("shellfish", AGAINST) in _sides("I have an allergy, so shellfish is off the menu for me.")
    assert ("elixir", FOR) in _sides("Parse this JSON for me. Elixir if you can, it's my language of choice.")
    assert _durable("My flight is early, so I'm packing tonight.") == []


def test_that_is_how_i_like_it_makes_what_was_asked_lasting() -> None:
    (reading,) = _durable("Put the metric units first. That's how I like it.")
    assert reading.stance == FOR and "metric units" in reading.topic
    said_once = _durable("Put the metric units first, just this once. That's how I like it.")
    assert not any(r.frame == "instruction" for r in said_once)


def test_more_ways_of_saying_a_thing_suits_the_speaker_or_not() -> None:
    assert _sides("Sparkling wines are far too dry for me.") == {("sparkling wines", AGAINST)}
    assert _sides("Reggae has never really clicked with me.") == {("reggae", AGAINST)}
    assert _sides("Crime dramas have never won me over.") == {("crime dramas", AGAINST)}
    assert _sides("Golf broadcasts put me to sleep.") == {("golf broadcasts", AGAINST)}
    assert _sides("Crowded trains set my nerves on edge.") == {("crowded trains", AGAINST)}
    assert _sides("Spiders give me the creeps.") == {("spiders", AGAINST)}
    assert _sides("Celery has been my nemesis for years.") == {("celery", AGAINST)}
    assert _sides("I don't do karaoke.") == {("karaoke", AGAINST)}
    assert _sides("Capers - I just can't do them.") == {("capers", AGAINST)}
    assert _sides("I find sugary cereals cloying.") == {("sugary cereals", AGAINST)}


def test_a_role_and_how_long_it_has_been_held() -> None:
    (reading,) = _durable("I've been pescatarian for ten years.")
    assert (reading.topic, reading.stance) == ("pescatarian", FOR)
    read = _sides("As a keen cyclist, which saddle would you pick?")
    assert read == {("a keen cyclist", FOR)}
    assert _durable("As a rule, which saddle would you pick?") == []
    assert _durable("As a kid, I hated swimming lessons.") == []


def test_never_having_tried_something_is_no_taste() -> None:
    assert _durable("I've never tried paragliding before.") == []
    assert _durable("That sounds fun! I've never done it before.") == []


def test_what_suits_the_speaker_and_what_calls_to_them() -> None:
    assert _sides("Chunky knits are so me.") == {("chunky knits", FOR)}
    assert _sides("Bright prints just aren't me.") == {("bright prints", AGAINST)}
    assert _sides("Brass bands are just noise to me.") == {("brass bands", AGAINST)}
    assert _sides("Open water calls to me.") == {("open water", FOR)}
    assert _sides("Corporate jargon sounds stiff to me.") == {("corporate jargon", AGAINST)}
    assert _sides("I never tire of sea shanties.") == {("sea shanties", FOR)}


def test_how_long_is_not_what_is_liked() -> None:
    assert _sides("It has to be Linux - I've used nothing else for a decade and love it.") == {("linux", FOR)}
    assert _sides("Slapstick comedies make me cringe.") == {("slapstick comedies", AGAINST)}


def test_every_single_time_and_without_fail_mark_a_lasting_choice() -> None:
    (reading,) = _durable("I'll pick the stairs over the lift every single time.")
    assert (reading.topic, reading.stance) == ("stairs", FOR)
    assert _durable("I'll pick the stairs today.") == []


def test_asides_at_the_end_and_what_a_clause_of_the_speaker_says() -> None:
    assert _sides("Not a fan of karaoke bars, never have been.") == {("karaoke bars", AGAINST)}
    assert _sides("Aniseed is the one flavour I can't stand.") == {("aniseed", AGAINST)}
    assert _sides("Golf has never interested me.") == {("golf", AGAINST)}
    assert _sides("Podcasts have never clicked for me.") == {("podcasts", AGAINST)}
    assert _sides("I've gone vegan and don't miss cheese at all.") >= {("cheese", AGAINST)}


def test_words_that_give_the_side_beat_a_guess_in_the_same_message() -> None:
    text = "Talent contests all feel the same to me; I've stopped watching them."
    read = read_message(text, polarity=lambda predicates: [1] * len(predicates))
    assert [(r.topic, r.stance) for r in read] == [("talent contests", AGAINST)]


def test_casual_messages_written_for_the_project_hold_their_rates() -> None:
    readings = read_messages([sentence for sentence, _, _ in CASUAL_LASTING])
    right = [
        any(
            r.scope == "durable" and r.stance == side and any(w.rstrip("s") in r.topic for w in topic.split())
            for r in found
        )
        for (_, side, topic), found in zip(CASUAL_LASTING, readings, strict=True)
    ]
    assert sum(right) / len(right) >= 0.5  # 0.53 when added; plain reading without a polarity model
    for messages, most in ((CASUAL_ONE_OFF, 2), (CASUAL_NEUTRAL, 1)):
        leaked = [
            t
            for t, found in zip(messages, read_messages(messages), strict=True)
            if any(r.scope == "durable" for r in found)
        ]
        assert len(leaked) <= most, leaked


def test_a_verdict_without_subject_after_a_topic_question_is_read_of_the_topic() -> None:
    assert _sides("Sailing holidays? Not for me.") == {("sailing holidays", AGAINST)}
    assert _sides("Crossword puzzles? Huge fan, every morning.") == {("crossword puzzles", FOR)}
    assert _sides("Bagpipes? Not a fan, sorry.") == {("bagpipes", AGAINST)}
    assert _sides("Bagpipes? I'm not a fan of them.") == {("bagpipes", AGAINST)}  # not the fan
    assert _sides("Escape rooms? Overrated.") == {("escape rooms", AGAINST)}
    assert _sides("Street food? My absolute favourite.") == {("street food", FOR)}
    assert _sides("Theme parks? Far too noisy for me - I'd pay not to go.") == {("theme parks", AGAINST)}


def test_a_fragment_after_a_request_or_a_reply_with_its_own_verb_is_not_completed() -> None:
    for text in (
        "Any tips? Nothing too spicy.",  # a request, not a topic raised
        "Recommendations? Something light.",
        "Lasagne? Sure, sounds good.",  # agreeing to an offer: the verb has no subject of its own
        "Tea? Milk, no sugar.",
    ):
        assert not _durable(text), text


def test_what_has_become_a_favourite_and_when_the_speaker_is_happiest() -> None:
    assert _sides("Oat milk has become my go-to in coffee.") == {("oat milk", FOR)}
    assert _sides("I'm happiest when I'm baking bread.") == {("baking bread", FOR)}
    assert _sides("I'm calmest when I'm knitting.") == {("knitting", FOR)}
    assert not _durable("I'm happiest when the house is quiet.")  # a situation, not an act


def test_never_missing_an_occasion_is_for_it_and_not_missing_a_thing_against() -> None:
    assert _sides("I never miss a lunar eclipse.") == {("lunar eclipse", FOR)}
    assert _sides("I never miss my Saturday parkrun.") == {("saturday parkrun", FOR)}
    assert _sides("Gave up sugar last year and I don't miss it at all.") <= {("sugar", AGAINST)}


def test_what_a_thing_means_to_the_speaker_and_what_cannot_be_beaten() -> None:
    assert _sides("Fresh bread means the world to me.") == {("fresh bread", FOR)}
    assert _sides("Handwritten letters mean a lot to me.") == {("handwritten letters", FOR)}
    assert _sides("Celebrity gossip means nothing to me.") == {("celebrity gossip", AGAINST)}
    assert _sides("You can't beat a good bowl of ramen.") == {("good bowl of ramen", FOR)}
    assert _sides("Roman numerals always trip me up.") == {("roman numerals", AGAINST)}


def test_how_the_speaker_gets_along_with_a_thing_named_beside_them() -> None:
    assert _sides("Humid weather and I are not friends.") == {("humid weather", AGAINST)}
    assert _sides("Spreadsheets and I get along fine.") == {("spreadsheets", FOR)}
    assert _sides("My neighbour and I get on.") == set()  # a person, not a taste


def test_a_reason_the_speaker_gives_about_themselves_is_read() -> None:
    read = _sides("Since I usually avoid caffeine after lunch, could you suggest an evening drink?")
    assert read == {("caffeine", AGAINST)}
    assert ("tinned fish", FOR) in _sides("Pack the picnic light, because I adore tinned fish.")
    # a time, not a reason
    assert not _durable("I've wanted to be a pilot ever since I was a small boy.")


def test_what_the_speaker_spends_time_on_and_anything_related_to_a_thing() -> None:
    assert _sides("I love spending my evenings on jigsaw puzzles.") == {("jigsaw puzzles", FOR)}
    assert _sides("I tend to avoid anything related to horse racing.") == {("horse racing", AGAINST)}


def test_the_speaker_is_heard_late_in_a_long_question_and_material_is_not() -> None:
    chat = (
        "Thanks, that itinerary looks great and I think the kids will love the aquarium on the "
        "second day. We'll probably arrive late on Friday, so the first evening should be quiet. "
        "Could you check whether the hotel near the harbour has a pool, and whether parking is "
        "included in the price? By the way, I always avoid seafood restaurants, the smell puts "
        "me off. Any dinner ideas near the harbour?"
    )
    assert ("seafood restaurants", AGAINST) in _sides(chat)
    quiz = (
        "Answer this quiz. Question 1: Which planet is largest? A) Mars B) Jupiter C) Venus. "
        "Question 2: Which gas do plants take in? A) Oxygen B) Carbon dioxide C) Helium. "
        "Question 3: What is the boiling point of water at sea level? A) 90 B) 100 C) 110. "
        "Question 4: Which of these is a mammal? A) Shark B) Dolphin C) Trout. The narrator "
        "says the committee always avoids hard choices. What does the narrator think?"
    )
    assert not _durable(quiz)


def test_time_spent_on_one_thing_is_about_the_effort_not_the_thing() -> None:
    read = _sides("I love spending a whole weekend on a single painting.")
    assert ("single painting", FOR) not in read and ("painting", FOR) not in read


def test_what_is_out_for_the_speaker_and_a_hyphenated_verdict() -> None:
    assert _sides("Gluten's out for me.") == {("gluten", AGAINST)}  # not "for me"
    assert _sides("Skydiving is out of the question.") == {("skydiving", AGAINST)}
    assert _sides("Fancy dress parties are a no-go for me.") == {("fancy dress parties", AGAINST)}
    assert not _durable("The new album is out.")


def test_a_clause_after_two_nouns_is_said_of_both_however_the_parser_hangs_it() -> None:
    read = _sides("I'd rather not watch series or films that run past midnight.")
    assert read == {("series or films that run past midnight", AGAINST)}, read


def test_a_plural_pronoun_stands_for_the_things_just_named_with_the() -> None:
    assert _sides("Leave out the capers, they're vile.") == {("capers", AGAINST)}
    assert _sides("Anything but sultanas, I find them revolting.") == {("sultanas", AGAINST)}


def test_wishing_the_things_at_hand_were_otherwise_is_for_what_they_are_wished() -> None:
    assert _sides("I'd rather the code samples were Kotlin than Scala.") == {("kotlin", FOR)}
    assert _sides("I would rather the soups were spicy.") == {("spicy soups", FOR)}
    # the act preferred, not the one it is set against
    (reading,) = _durable("I'd rather sail than fly.")
    assert (reading.topic, reading.stance, reading.contrast) == ("sail", FOR, "fly")


def test_it_in_the_speakers_reason_stands_for_the_act_it_explains() -> None:
    assert _sides("I go swimming most mornings because I enjoy it.") == {("swimming", FOR)}
    assert ("getting out on the fells", FOR) in _sides(
        "I try to get out on the fells every weekend because I love it."
    )


def test_a_thing_that_strikes_the_speaker_as_too_much_is_against_it() -> None:
    assert _sides("Crowded festivals tend to feel too loud for me.") == {("crowded festivals", AGAINST)}
    assert _sides("Spreadsheets seem too dry for my taste.") == {("spreadsheets", AGAINST)}
    assert _sides("Long meetings feel too draining.") == {("long meetings", AGAINST)}
    # one thing at hand, or the other options of a choice, name no standing taste
    assert _durable("The second option seems too complicated.") == []
    assert _durable("The others might be a bit too intense or jumpy.") == []


def test_the_rest_of_what_was_offered_is_at_hand_unless_said_what_sets_it_apart() -> None:
    (reading,) = read_message("I'd go for the other options, to be honest.")
    assert reading.scope != "durable"
    assert _sides("Honestly I'm not keen on the other options with loud music.") == {("loud music", AGAINST)}
    assert _sides("Other suggestions involving shellfish won't work for me.") == {("shellfish", AGAINST)}


def test_what_does_or_does_not_work_for_the_speaker() -> None:
    assert _sides("Open-plan offices don't work for me.") == {("open-plan offices", AGAINST)}
    # a day, or one thing at hand, is a plan agreed to, not a taste
    assert _durable("Thursday works for me.") == []
    assert _durable("The green one works for me.") == []


def test_a_favourite_said_of_a_compound_noun_and_a_contrast_the_speaker_draws() -> None:
    assert _sides("My favorite music genre is sea shanties.") == {("sea shanties", FOR)}
    assert _sides("My brother adores sailing, whereas I prefer dry land.") == {("dry land", FOR)}
    # "while" of time, not of contrast
    assert _durable("I spilled my coffee while I was reading the paper.") == []


def test_a_concession_the_speaker_makes_and_ones_said_with_what_sets_them_apart() -> None:
    assert _sides("The museum was nice, though I usually find art galleries dull.") == {
        ("art galleries", AGAINST)
    }
    assert _sides("Although I enjoy cooking, I hate washing up.") == {
        ("cooking", FOR),
        ("washing up", AGAINST),
    }
    # "ones" with words that say which stands for the kind named before
    assert _sides("Board games are great, but I avoid the long ones.") == {
        ("board games", FOR),
        ("long board games", AGAINST),
    }
    assert _durable("These ones are fine for today.") == []


def test_a_habit_told_in_a_sentence_that_goes_on_to_ask_is_said() -> None:
    assert _sides("I always take the train, but is flying cheaper this month?") == {("train", FOR)}
    assert _durable("Do I usually like spicy food, do you think?") == []
    assert _durable("Should I always bring a jacket?") == []
    # who the speaker is, told as "someone who ...", in a question
    asked = "As someone who hates flying, what is the best way to get to Rome?"
    assert _sides(asked) == {("flying", AGAINST)}
    assert ("animal products", AGAINST) in _sides(
        "As someone who mostly eats plants and avoids animal products, which cookbook should I get?"
    )


def test_a_verb_the_parser_took_for_a_plural_noun_is_read_as_a_verb() -> None:
    assert _sides("Rainy weather suits me fine.") == {("rainy weather", FOR)}
    assert _sides("Brutalist architecture appeals to me.") == {("brutalist architecture", FOR)}
    assert _sides("Jazz has grown on me.") == {("jazz", FOR)}
    # a plural noun before the speaker is left as it is: nothing to hint
    assert _durable("The kids' toys me and my wife bought are everywhere.") == []


def test_an_is_the_parser_took_for_a_possessive_and_would_sooner() -> None:
    assert _sides("Shellfish's out for me.") == {("shellfish", AGAINST)}
    assert _sides("Golf's not my thing.") == {("golf", AGAINST)}
    assert _sides("I'd sooner cycle than drive.") == {("cycle", FOR)}
    assert _sides("Give me spring over autumn any year.") >= {("spring", FOR)}
    # a possessive stays one
    assert _sides("My dad's lasagne is the best.") == {("dad's lasagne", FOR)}


def test_habits_kept_up_said_with_how_often_and_split_infinitives() -> None:
    assert _sides("I go to the cinema at least once a week.") == {("cinema", FOR)}
    assert _sides("I've been doing pilates since my thirties.") == {("pilates", FOR)}
    assert _sides("I play chess most evenings.") == {("chess", FOR)}
    assert _sides("I've come to really love opera.") == {("opera", FOR)}
    assert _sides("Strong perfume puts me right off my lunch.") == {("strong perfume", AGAINST)}
    # what is going on now, or a job in hand kept up, is no habit of taste
    assert _durable("We've been painting the hallway since Monday.") == []
    assert _durable("I'm going to the dentist twice this month.") == []


def test_a_kind_of_thing_that_is_the_speakers_tradition_or_routine() -> None:
    assert _sides("A long Sunday walk is my family tradition.") == {("long sunday walk", FOR)}
    assert _sides("Porridge with honey is my breakfast routine.") == {("porridge with honey", FOR)}
    # one thing at hand picked out
    assert _durable("The blue one is my pick.") == []


def test_every_thing_coordinated_in_a_judged_subject_is_judged() -> None:
    assert _sides("Museums and galleries bore me.") == {("museums", AGAINST), ("galleries", AGAINST)}
    assert _sides("Reggae and ska are all I listen to.") == {("reggae", FOR), ("ska", FOR)}


def test_a_cleft_opened_inside_an_infinitive_and_a_last_resort() -> None:
    assert _sides("Buses are how I like to get around.") == {("buses", FOR)}
    assert _sides("Taxis are a last resort for me.") == {("taxis", AGAINST)}


def test_what_the_speaker_cannot_sit_through_is_against() -> None:
    assert _sides("I can't sit through opera.") == {("opera", AGAINST)}
    assert _sides("Game shows? I can't sit through them.") == {("game shows", AGAINST)}
    # "rots" after a noun read with no subject: the hint makes it the verb it is
    assert _sides("Daytime TV rots my brain; I can't sit through it.") == {("daytime tv", AGAINST)}
