"""The simulator's phrase bank: preference topics, elicitation items and filler talk.

Topics and items are written as small text banks (`simulator_bank_*.py`) and parsed here,
so the wording reads like what users say rather than one template per kind. Every topic
holds several paraphrases of each stance (plain, negated and with durable markers), the
momentary one-off requests scoped to now, and a question with two candidate replies for
choices and ratings.

The bank has two parts written separately: the development part (`simulator_bank_style`,
`simulator_bank_life`, `simulator_bank_items`), the only one reading and labelling rules may
be tuned on, and the test part (`simulator_bank_test_topics`, `simulator_bank_test_items`),
new topics in other words and sentence forms, some of its one-off requests without any
marker word. Evaluations report the test part by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from prefmem.evals.simulator_bank_items import ITEM_BANK, SMALL_TALK_BANK
from prefmem.evals.simulator_bank_life import LIFE_BANK
from prefmem.evals.simulator_bank_style import STYLE_BANK
from prefmem.evals.simulator_bank_test_items import TEST_ITEM_BANK
from prefmem.evals.simulator_bank_test_topics import TEST_SMALL_TALK_BANK, TEST_TOPIC_BANK

# Words that scope a request to now. Durable statements never contain them; every one-off
# request of the development part does, some of the test part's say so only by their situation.
MOMENTARY_MARKERS: tuple[str, ...] = (
    "just today",
    "only today",
    "this time",
    "this once",
    "for this",
    "right now",
    "for now",
    "tonight",
    "this evening",
)
# Words that mark a statement as a standing preference (present in some paraphrases only).
DURABLE_MARKERS: tuple[str, ...] = ("always", "in general", "as a rule", "never", "usually", "whenever")
# Openers put in front of some first-person statements, for surface variety.
FILLERS: tuple[str, ...] = (
    "By the way, ",
    "Just so you know, ",
    "FYI, ",
    "Oh, and ",
    "Quick note: ",
    "For what it's worth, ",
    "Honestly, ",
)
STATEMENT_REPLIES: tuple[str, ...] = (
    "Got it, thanks for letting me know.",
    "Noted.",
    "Thanks, I'll keep that in mind.",
    "Understood.",
    "Good to know!",
    "Makes sense, I'll remember that.",
    "Thanks for telling me.",
    "Okay, noted.",
)
MOMENTARY_REPLIES: tuple[str, ...] = (
    "Sure, here you go.",
    "Of course, done.",
    "No problem, here it is.",
    "Sure thing.",
    "Here's a version like that.",
)
# The third option some choices carry; the simulated users never pick it.
NEUTRAL_OPTION = "No preference"


@dataclass(frozen=True)
class Topic:
    """A preference topic: paraphrases of stance +1 (`pro`) and -1 (`con`), one-off requests, a choice."""

    topic: str
    pro: tuple[str, ...]
    con: tuple[str, ...]
    momentary_pro: tuple[str, ...]
    momentary_con: tuple[str, ...]
    # (question, reply that fits stance +1, reply that fits stance -1), for choice and rating events
    choice: tuple[str, str, str]

    def phrases(self, stance: int) -> tuple[str, ...]:
        """The durable paraphrases of one stance."""
        return self.pro if stance > 0 else self.con

    def momentary(self, stance: int) -> tuple[str, ...]:
        """The one-off requests that lean towards one stance."""
        return self.momentary_pro if stance > 0 else self.momentary_con

    def declarations(self, stance: int) -> tuple[str, ...]:
        """First-person paraphrases ("I'm vegetarian."), the wording of a tentative declaration."""
        return tuple(p for p in self.phrases(stance) if p.startswith(("I ", "I'")))


@dataclass(frozen=True)
class Item:
    """An elicitation question asked again on later days: two wordings, options in canonical order."""

    item_id: str
    topic: str
    wordings: tuple[str, str]
    options: tuple[str, ...]


def _fail(kind: str, name: str, problem: str) -> ValueError:
    return ValueError(f"phrase bank {kind} {name!r}: {problem}")


def parse_topics(text: str) -> tuple[Topic, ...]:
    """Parse a topic bank: `## name`, then `+`/`-` paraphrases, `now+`/`now-` requests, one `ask`.

    A line starting with `...` continues the line before it (long replies stay under the line limit).
    """
    topics: list[Topic] = []
    name: str | None = None
    lines: dict[str, list[str]] = {}
    last_tag = ""

    def close() -> None:
        if name is None:
            return
        asks = lines.get("ask", [])
        if len(asks) != 1 or asks[0].count(" | ") != 2:
            raise _fail("topic", name, "needs one `ask question | pro reply | con reply` line")
        question, pro_reply, con_reply = asks[0].split(" | ")
        topic = Topic(
            topic=name,
            pro=tuple(lines.get("+", [])),
            con=tuple(lines.get("-", [])),
            momentary_pro=tuple(lines.get("now+", [])),
            momentary_con=tuple(lines.get("now-", [])),
            choice=(question, pro_reply, con_reply),
        )
        if len(topic.pro) < 5 or len(topic.con) < 5:
            raise _fail("topic", name, "needs at least 5 paraphrases of each stance")
        if not topic.momentary_pro and not topic.momentary_con:
            raise _fail("topic", name, "needs at least one momentary request")
        topics.append(topic)

    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            close()
            name, lines, last_tag = line[3:].strip(), {}, ""
            continue
        tag, _, body = line.partition(" ")
        if tag == "..." and last_tag and body:
            lines[last_tag][-1] += " " + body.strip()
            continue
        if name is None or tag not in {"+", "-", "now+", "now-", "ask"} or not body:
            raise ValueError(f"phrase bank: cannot read line {line!r}")
        lines.setdefault(tag, []).append(body.strip())
        last_tag = tag
    close()
    return tuple(topics)


def parse_items(text: str) -> tuple[Item, ...]:
    """Parse an item bank: `@ item_id | topic`, two `?` wordings, then 2 or 3 `*` options."""
    items: list[Item] = []
    for block in text.strip().split("\n\n"):
        rows = [row.strip() for row in block.strip().splitlines() if row.strip()]
        head = rows[0]
        if not head.startswith("@ ") or head.count(" | ") != 1:
            raise ValueError(f"item bank: cannot read header {head!r}")
        item_id, topic = (part.strip() for part in head[2:].split(" | "))
        wordings = [row[2:] for row in rows if row.startswith("? ")]
        options = tuple(row[2:] for row in rows if row.startswith("* "))
        if len(wordings) != 2 or not 2 <= len(options) <= 3 or len(set(options)) != len(options):
            raise _fail("item", item_id, "needs 2 wordings and 2 or 3 distinct options")
        items.append(Item(item_id=item_id, topic=topic, wordings=(wordings[0], wordings[1]), options=options))
    return tuple(items)


def parse_small_talk(text: str) -> tuple[tuple[str, str], ...]:
    """Parse `user line || assistant line` pairs of small talk that says nothing about preferences."""
    pairs = []
    for raw in text.strip().splitlines():
        user, sep, assistant = raw.strip().partition(" || ")
        if not sep or not user or not assistant:
            raise ValueError(f"small-talk bank: cannot read line {raw!r}")
        pairs.append((user, assistant))
    return tuple(pairs)


BankName = Literal["dev", "test", "all"]
BANK_NAMES: tuple[BankName, ...] = get_args(BankName)


@dataclass(frozen=True)
class Bank:
    """One part of the phrase bank: the topics, items and small talk a simulated population draws from."""

    name: BankName
    topics: tuple[Topic, ...]
    items: tuple[Item, ...]
    small_talk: tuple[tuple[str, str], ...]


DEV_BANK = Bank(
    "dev",
    parse_topics(STYLE_BANK) + parse_topics(LIFE_BANK),
    parse_items(ITEM_BANK),
    parse_small_talk(SMALL_TALK_BANK),
)
TEST_BANK = Bank(
    "test",
    parse_topics(TEST_TOPIC_BANK),
    parse_items(TEST_ITEM_BANK),
    parse_small_talk(TEST_SMALL_TALK_BANK),
)
ALL_BANK = Bank(
    "all",
    DEV_BANK.topics + TEST_BANK.topics,
    DEV_BANK.items + TEST_BANK.items,
    DEV_BANK.small_talk + TEST_BANK.small_talk,
)
BANKS: dict[BankName, Bank] = {bank.name: bank for bank in (DEV_BANK, TEST_BANK, ALL_BANK)}

# Every topic, item and exchange of both parts (names are distinct across the parts), for reading
# a population back whichever part it was drawn from.
TOPICS: tuple[Topic, ...] = ALL_BANK.topics
ITEMS: tuple[Item, ...] = ALL_BANK.items
SMALL_TALK: tuple[tuple[str, str], ...] = ALL_BANK.small_talk
TOPICS_BY_NAME: dict[str, Topic] = {topic.topic: topic for topic in TOPICS}
ITEMS_BY_ID: dict[str, Item] = {item.item_id: item for item in ITEMS}


def phrase_bank(name: str) -> Bank:
    """The part of the phrase bank called `name` (dev, test or all)."""
    if name not in BANKS:
        raise ValueError(f"bank must be one of {', '.join(BANK_NAMES)}, not {name!r}")
    return BANKS[name]  # type: ignore[index]


def has_momentary_marker(text: str) -> bool:
    """Whether a text scopes itself to now ("this time", "just today", "for this email", ...)."""
    lowered = text.lower()
    return any(marker in lowered for marker in MOMENTARY_MARKERS)
