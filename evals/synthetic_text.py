"""Varied, natural-looking chat messages for benchmarks (deterministic for a seed)."""

from __future__ import annotations

import random

_OPENERS = [
    "Can you help me",
    "I need some advice on how",
    "Quick question: what is the best way",
    "Could you explain how",
    "I'm trying to figure out how",
    "Remind me how",
    "What would you suggest",
    "Any tips on how",
    "I was wondering how",
    "Please tell me how",
]
_TASKS = [
    "to plan a weekend trip to {place}",
    "to cook {food} for {people}",
    "to learn {skill} in {span}",
    "to fix {thing} at home",
    "to write an email to {people} about {topic}",
    "to save money on {topic}",
    "to prepare for an interview about {skill}",
    "to train for a {distance} run",
    "to organise {thing}",
    "to choose a book about {topic}",
    "to explain {topic} to {people}",
    "to start a garden with {food}",
]
_FILL = {
    "place": ["Lisbon", "the Alps", "Kyoto", "the coast", "a small village", "Berlin", "the desert", "Oslo"],
    "food": ["lentil soup", "pasta", "tofu curry", "a birthday cake", "tomatoes", "risotto", "dumplings"],
    "people": ["my kids", "my manager", "two friends", "my grandmother", "a new colleague", "the team"],
    "skill": ["Spanish", "Python", "statistics", "the guitar", "watercolour", "public speaking", "chess"],
    "span": ["a month", "six weeks", "a year", "my spare time", "ten minutes a day"],
    "thing": ["a leaking tap", "my bookshelf", "the garage", "a squeaky door", "my photo collection"],
    "topic": ["groceries", "climate policy", "the history of Rome", "taxes", "sleep", "electric cars"],
    "distance": ["5 km", "10 km", "half-marathon", "marathon"],
}
_CLOSERS = ["", " Thanks!", " Keep it short.", " I have about an hour.", " I'm a beginner.", " Be detailed."]


def messages(count: int, *, seed: int = 0) -> list[str]:
    """`count` messages; many are distinct, and a numbered detail keeps every one unique."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        task = rng.choice(_TASKS)
        for key, values in _FILL.items():
            task = task.replace("{" + key + "}", rng.choice(values), 1)
        out.append(f"{rng.choice(_OPENERS)} {task}?{rng.choice(_CLOSERS)} (note {index})")
    return out
