"""A tiny PrefEval-layout folder for the preference-term tests (never the real data)."""

from __future__ import annotations

import json
from pathlib import Path

ITEMS = {
    "food": [
        {
            "preference": "I have a severe nut allergy and avoid all peanuts.",
            "question": "What should I cook tonight?",
            "classification_task_options": [
                "Grilled salmon with rice and lemon.",
                "Satay chicken with peanut sauce.",
                "Peanut noodles with crushed peanuts.",
                "Peanut butter cookies for dessert.",
            ],
        },
        {
            "preference": "I dislike spicy food and prefer mild flavours.",
            "question": "Which dish should I order?",
            "classification_task_options": [
                "A mild creamy korma.",
                "A fiery spicy vindaloo.",
                "Spicy chili wings.",
                "A spicy jalapeno pizza.",
            ],
        },
    ],
    "games": [
        {
            "preference": "I do not like card games.",
            "question": "What should we play tonight?",
            "classification_task_options": [
                "Catan, a board game about building settlements.",
                "Poker, a classic card game.",
                "Dominion, a deck-building card game.",
                "Uno, a fast card game.",
            ],
        },
        {
            "preference": "I prefer cooperative board games over competitive ones.",
            "question": "Any game ideas for a party?",
            "classification_task_options": [
                "Pandemic, a cooperative board game.",
                "Monopoly, a competitive trading game.",
                "Risk, a competitive war game.",
                "Chess, a competitive strategy game.",
            ],
        },
    ],
}


def write_folder(root: Path) -> Path:
    """Write mcq_options/ and explicit_preference/ for the items above; returns the folder."""
    for folder in ("mcq_options", "explicit_preference"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for topic, items in ITEMS.items():
        (root / "mcq_options" / f"{topic}.json").write_text(json.dumps(items), encoding="utf-8")
        explicit = [{k: v for k, v in item.items() if k != "classification_task_options"} for item in items]
        (root / "explicit_preference" / f"{topic}.json").write_text(json.dumps(explicit), encoding="utf-8")
    return root
