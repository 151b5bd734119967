"""The elicitation question bank: everyday requests, each answerable in several styles.

A reply is composed from a topic's content (steps, background, a technical detail, an
example) and a style: a set of traits, each pushing one base function (long, structure,
formal or casual, technical, example, warm, hedged or direct). A question offers two
replies to the same request whose styles differ in one or two traits, so an answer
speaks mainly about those axes. Written for this project; no external data.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TRAITS: tuple[str, ...] = (
    "long",
    "structure",
    "formal",
    "casual",
    "technical",
    "example",
    "warm",
    "hedged",
    "direct",
)
#: Two-trait contrasts asked besides "plain vs one trait": they pit one axis against another.
CONTRASTS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"warm"}), frozenset({"technical"})),
    (frozenset({"long", "example"}), frozenset({"structure"})),
    (frozenset({"formal"}), frozenset({"casual"})),
    (frozenset({"hedged"}), frozenset({"direct"})),
    (frozenset({"structure", "technical"}), frozenset({"warm", "example"})),
)


@dataclass(frozen=True)
class Topic:
    """One request and the material its replies are built from."""

    key: str
    prompt: str
    steps: tuple[str, str, str]
    background: str
    detail: str
    example: str


@dataclass(frozen=True)
class Question:
    """An A/B question: two replies to `prompt`; `item_id` stays the same whenever it is asked again."""

    item_id: str
    prompt: str
    first: str
    second: str
    traits: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "battery",
        "How can I make my laptop battery last longer?",
        ("Lower the screen brightness.", "Close apps you are not using.", "Turn on battery saver mode."),
        "Batteries wear out with every charge cycle, and heat speeds that up. Keeping the laptop at room "
        "temperature and unplugging it once it is full also helps over the years.",
        "The display backlight draws about 2 to 6 W and an idle CPU under 1 W, so brightness matters most.",
        "For example, a browser with thirty open tabs can keep the processor busy while you read.",
    ),
    Topic(
        "sleep",
        "I keep waking up tired. How can I sleep better?",
        (
            "Go to bed at the same time every night.",
            "Keep screens out of the bedroom.",
            "Avoid coffee after lunch.",
        ),
        "Sleep comes in cycles of about an hour and a half, and waking in the middle of one feels worse "
        "than waking at the end. A regular schedule lets the body anticipate them.",
        "Caffeine has a half-life of roughly 5 hours, and blue light around 480 nm suppresses melatonin.",
        "For example, a coffee at 3 pm still leaves about half its caffeine in your blood at 8 pm.",
    ),
    Topic(
        "budget",
        "How do I start saving money each month?",
        (
            "Write down what you spend for one month.",
            "Set a fixed amount aside on payday.",
            "Cancel subscriptions you do not use.",
        ),
        "Most people underestimate small daily purchases. Seeing the real numbers once is usually enough "
        "to find money to save without feeling deprived.",
        "Saving 10% of a 3000 income at 5% compound interest grows to about 23,000 in 5 years.",
        "For instance, two takeaway coffees a day add up to roughly 150 a month.",
    ),
    Topic(
        "python_list",
        "How do I remove duplicates from a list in Python?",
        (
            "Convert the list to a set.",
            "Convert it back to a list.",
            "Use a dictionary instead if the order matters.",
        ),
        "A set keeps only one copy of each value, but it does not remember the original order. "
        "Dictionaries do keep insertion order, which makes them handy here.",
        "The call `list(dict.fromkeys(items))` runs in O(n) time "
        "and keeps the first occurrence of each value.",
        "For example, [3, 1, 3, 2] becomes [3, 1, 2] when you keep the order.",
    ),
    Topic(
        "plants",
        "My houseplant's leaves are turning yellow. What should I do?",
        (
            "Check whether the soil is soggy.",
            "Water only when the top of the soil is dry.",
            "Move the plant to a brighter spot.",
        ),
        "Yellow leaves are the plant's way of saying its roots are unhappy. Too much water is the most "
        "common cause indoors, far more often than too little.",
        "Waterlogged soil starves the roots of oxygen, "
        "and nitrogen deficiency shows as yellowing of older leaves.",
        "For example, a pot without a drainage hole can stay wet for a week after one watering.",
    ),
    Topic(
        "run",
        "How should I start running if I have never done it?",
        ("Start with run-walk intervals.", "Go out three times a week.", "Add a few minutes each week."),
        "The heart and lungs adapt within weeks, but tendons and joints take months. Going slowly at "
        "the start is what keeps beginners from getting injured.",
        "Aim for a heart rate around 60 to 70% of your maximum, which keeps you in the aerobic zone.",
        "For instance, begin with one minute of running and two of walking, eight times over.",
    ),
    Topic(
        "email",
        "How do I write an email asking my manager for a day off?",
        (
            "State the date you want off.",
            "Mention how your work will be covered.",
            "Send it at least two weeks ahead.",
        ),
        "Managers mostly worry about gaps in the work. An email that answers that worry before it is "
        "raised is much easier to approve.",
        "Check the leave policy first: many contracts require 14 days notice and a request in the HR system.",
        "For example, you could write: I would like to take Friday 12 May off; "
        "Sam has agreed to cover my calls.",
    ),
    Topic(
        "bread",
        "Why did my homemade bread come out dense?",
        (
            "Check that your yeast is still active.",
            "Knead the dough a little longer.",
            "Let it rise somewhere warm until it doubles.",
        ),
        "Bread rises because yeast fills a stretchy network of gluten with gas. If either the yeast or "
        "the gluten is weak, the loaf stays heavy.",
        "Yeast works best at 24 to 28 C, "
        "and gluten develops through hydration and about 10 minutes of kneading.",
        "For example, dough left to rise in a cold kitchen can take three hours instead of one.",
    ),
    Topic(
        "interview",
        "How do I prepare for a job interview?",
        (
            "Research the company.",
            "Practise answers to common questions out loud.",
            "Prepare two questions of your own.",
        ),
        "Interviewers want to know whether you can do the job and whether you want this one in particular. "
        "Preparation lets you show both without sounding rehearsed.",
        "Structure answers with the STAR method: "
        "situation, task, action and result, in about 2 minutes each.",
        "For instance, when asked about a conflict, describe one real disagreement and how it was resolved.",
    ),
    Topic(
        "wifi",
        "My Wi-Fi keeps dropping. How can I fix it?",
        (
            "Restart the router.",
            "Move the router away from walls and metal.",
            "Update the router's firmware.",
        ),
        "Wireless signals weaken through walls and are disturbed by other devices. Most dropouts come "
        "from a weak signal or an overloaded router rather than a fault.",
        "Switch to the 5 GHz band or a less crowded channel; "
        "the 2.4 GHz band has only 3 non-overlapping channels.",
        "For example, a microwave oven running nearby can interrupt a 2.4 GHz connection.",
    ),
    Topic(
        "meeting",
        "How can I make our team meetings shorter?",
        (
            "Send an agenda the day before.",
            "End each topic with a decision and an owner.",
            "Cut the meeting to 25 minutes.",
        ),
        "Meetings expand to fill the time they are given. A clear purpose and an end time change how "
        "people prepare and how much they say.",
        "With 8 attendees, each 10 minutes of overrun costs 80 person-minutes of work.",
        "For instance, a status update can often be a shared document instead of a meeting.",
    ),
    Topic(
        "stain",
        "How do I get a coffee stain out of a shirt?",
        (
            "Rinse the stain with cold water from the back.",
            "Rub in a little liquid detergent.",
            "Wash it as usual and check before drying.",
        ),
        "Fresh stains come out far more easily than old ones. Heat from a dryer can set a stain so that "
        "it never fully leaves the fabric.",
        "Coffee tannins bind to fibres at high temperature; "
        "enzymes in detergent break down the milk proteins.",
        "For example, a stain treated within ten minutes usually disappears in one wash.",
    ),
)

_WARM_OPEN = "Happy to help with this."
_WARM_CLOSE = "I hope this helps, and good luck."
_FORMAL_OPEN = "The following measures are recommended."
_FORMAL_CLOSE = "Furthermore, it is advisable to ensure that each step is completed in order."
_CASUAL_OPEN = "Okay, so here's the deal."
_HEDGED_OPEN = "It depends a little on your situation, but these steps will probably help."
_HEDGED_CLOSE = "Results may vary, so it might take some trial and error."
_DIRECT_OPEN = "Here is exactly what to do."
_DIRECT_CLOSE = "Do this and it will definitely work."
_CONTRACTIONS = {
    "do not": "don't",
    "does not": "doesn't",
    "you are": "you're",
    "it is": "it's",
    "that is": "that's",
    "you will": "you'll",
    "cannot": "can't",
    "is not": "isn't",
}


def _casual(text: str) -> str:
    for long_form, short_form in _CONTRACTIONS.items():
        text = re.sub(rf"\b{long_form}\b", short_form, text)
    return text


def compose(topic: Topic, traits: Iterable[str]) -> str:
    """A reply to `topic.prompt` in the style given by `traits` (an empty set: a plain reply)."""
    style = frozenset(traits)
    unknown = style - set(TRAITS)
    if unknown:
        raise ValueError(f"unknown traits: {sorted(unknown)}")
    head: list[str] = []
    tail: list[str] = []
    if "warm" in style:
        head.append(_WARM_OPEN)
        tail.append(_WARM_CLOSE)
    if "formal" in style:
        head.append(_FORMAL_OPEN)
        tail.append(_FORMAL_CLOSE)
    if "casual" in style:
        head.append(_CASUAL_OPEN)
    if "hedged" in style:
        head.append(_HEDGED_OPEN)
        tail.append(_HEDGED_CLOSE)
    if "direct" in style:
        head.append(_DIRECT_OPEN)
        tail.append(_DIRECT_CLOSE)
    extra = [topic.background] if "long" in style else []
    if "technical" in style:
        extra.append(topic.detail)
    if "example" in style:
        extra.append(topic.example)
    if "structure" in style:
        body = "\n".join(f"{number}. {step}" for number, step in enumerate(topic.steps, start=1))
        parts = [" ".join(head), body, " ".join(extra + tail)]
        text = "\n".join(part for part in parts if part)
    else:
        text = " ".join([*head, *topic.steps, *extra, *tail])
    return _casual(text) if "casual" in style else text


def _label(style: frozenset[str]) -> str:
    return "+".join(sorted(style)) or "plain"


def question_pool(topics: Sequence[Topic] = TOPICS) -> list[Question]:
    """Every question of the bank: plain vs each single trait, and the contrasts, for each topic.

    Which reply is `first` is fixed per question by a digest of its id, so neither the
    plain reply nor the trait always comes first.
    """
    pool: list[Question] = []
    pairs = [(frozenset[str](), frozenset({trait})) for trait in TRAITS] + list(CONTRASTS)
    for topic in topics:
        for left, right in pairs:
            item_id = f"{topic.key}/{_label(left)}-vs-{_label(right)}"
            if hashlib.sha256(item_id.encode()).digest()[0] % 2:
                left, right = right, left
            pool.append(
                Question(
                    item_id=item_id,
                    prompt=topic.prompt,
                    first=compose(topic, left),
                    second=compose(topic, right),
                    traits=tuple(sorted(left ^ right)),
                )
            )
    return pool
