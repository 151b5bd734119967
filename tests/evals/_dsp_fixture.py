"""A tiny DSP-layout file for tests: each style has the wording the base functions can see."""

from __future__ import annotations

import json
from pathlib import Path

_TEMPLATES = {
    "academy": (
        "Furthermore, the literature on {topic} indicates that the mechanism is consequently well defined. "
        "However, it is important to note that approximately 40% of studies use the protocol described."
    ),
    "business": (
        "Key points on {topic}:\n1. Cost: review the budget.\n2. Benefit: measure the return.\n"
        "3. Next step: assign an owner."
    ),
    "entertainment": (
        "Oh wow, {topic}? Honestly that's so cool! It's gonna be awesome, trust me, you'll love it!"
    ),
    "literature": (
        "Like a river at dusk, {topic} drifts through memory, its quiet light folding over the hills "
        "where the old stories wait, patient as stones beneath the rain."
    ),
    "normal": "{topic} is a common subject. Here is a short answer about it.",
}
TOPICS = (
    "photosynthesis",
    "inflation",
    "volcanoes",
    "the printing press",
    "black holes",
    "recycling",
    "sleep",
    "the stock market",
    "bees",
    "tides",
    "vaccines",
    "the internet",
)


def write_dsp(folder: Path, count: int = 12, *, name: str = "domain_specific_preference.test.json") -> Path:
    """Write `count` queries in every style to `folder/name` and return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    records = [
        {
            "query": f"Tell me about {topic}.",
            "responses": {style: text.format(topic=topic) for style, text in _TEMPLATES.items()},
        }
        for topic in (TOPICS * (count // len(TOPICS) + 1))[:count]
    ]
    path = folder / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path
