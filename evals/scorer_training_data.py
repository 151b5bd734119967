"""The project's own training data for the preference scorer, built from its simulator phrase banks.

Every bank topic has paraphrases of both stances and a question with one reply fitting
each stance. An example pairs one paraphrase (the preference) with the question, the
reply that fits it, the reply that goes against it, and replies to other topics as
neutral distractors, shuffled. Elicitation items add "I prefer X" / "X isn't for me"
statements over their options. All text is the project's own, so weights trained on it
may ship (unlike weights trained on CC BY-NC data such as PrefEval).
"""

from __future__ import annotations

import random

from prefmem.agent.reward.preference_terms.base import ScorerExample
from prefmem.evals.simulator_bank_items import ITEM_BANK
from prefmem.evals.simulator_bank_life import LIFE_BANK
from prefmem.evals.simulator_bank_style import STYLE_BANK
from prefmem.evals.simulator_phrasing import Topic, parse_items, parse_topics

TOPIC_PREFIX = "synthetic:"
_LIKES = ("I prefer {}.", "I always go for {}.", "{} works best for me.", "Give me {}, as a rule.")
_DISLIKES = ("{} isn't for me.", "I really don't like {}.", "I avoid {} whenever I can.", "Please, never {}.")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _topic_examples(topics: tuple[Topic, ...], rng: random.Random, distractors: int) -> list[ScorerExample]:
    examples: list[ScorerExample] = []
    for topic in topics:
        question, fits_pro, fits_con = topic.choice
        others = [reply for other in topics if other is not topic for reply in other.choice[1:]]
        for stance in (1, -1):
            good, bad = (fits_pro, fits_con) if stance > 0 else (fits_con, fits_pro)
            for phrase in topic.phrases(stance):
                responses = [good, bad, *rng.sample(others, distractors)]
                order = list(range(len(responses)))
                rng.shuffle(order)
                examples.append(
                    ScorerExample(
                        preference=phrase,
                        prompt=question,
                        responses=tuple(responses[i] for i in order),
                        best=order.index(0),
                        topic=TOPIC_PREFIX + topic.topic,
                    )
                )
    return examples


def _item_examples(rng: random.Random) -> list[ScorerExample]:
    examples: list[ScorerExample] = []
    for item in parse_items(ITEM_BANK):
        for chosen, option in enumerate(item.options):
            statements = [(template.format(_lower_first(option)), chosen) for template in _LIKES]
            if len(item.options) == 2:  # against one of two options is for the other
                statements += [(t.format(_lower_first(option)), 1 - chosen) for t in _DISLIKES]
            for statement, best in statements:
                statement = statement[:1].upper() + statement[1:]
                order = list(range(len(item.options)))
                rng.shuffle(order)
                examples.append(
                    ScorerExample(
                        preference=statement,
                        prompt=rng.choice(item.wordings),
                        responses=tuple(item.options[i] for i in order),
                        best=order.index(best),
                        topic=TOPIC_PREFIX + item.topic,
                    )
                )
    return examples


def synthetic_examples(*, seed: int = 0, distractors: int = 2) -> list[ScorerExample]:
    """Training examples from the project's phrase banks (deterministic for a seed)."""
    rng = random.Random(seed)
    topics = parse_topics(STYLE_BANK) + parse_topics(LIFE_BANK)
    return _topic_examples(topics, rng, distractors) + _item_examples(rng)
