"""A tiny PrefEval-layout folder written into a test's tmp_path (the real files are never read in tests).

Each item's preference shares words with its aligned option, so the hashing embedder can
tell it apart: the tests measure the memory path, not the embedder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# topic -> items: (preference, question, aligned option, other options)
ITEMS: dict[str, list[tuple[str, str, str, list[str]]]] = {
    "music_taste": [
        (
            "I love jazz music and the saxophone.",
            "What should I listen to this evening?",
            "A smooth jazz saxophone playlist.",
            ["A heavy metal guitar album.", "A country ballads collection.", "A techno dance mix."],
        ),
        (
            "I adore classical piano sonatas.",
            "Which concert should I book?",
            "A classical piano sonatas recital.",
            ["A punk rock festival.", "A hip hop showcase.", "A reggae beach party."],
        ),
    ],
    "food_taste": [
        (
            "I love spicy curry with chili.",
            "What should I cook for dinner?",
            "A spicy chili curry with rice.",
            ["A plain cheese sandwich.", "A vanilla pudding.", "A bowl of cornflakes."],
        ),
    ],
    "travel_taste": [
        (
            "I love quiet mountain cabins.",
            "Where should I spend my holiday?",
            "A quiet mountain cabin retreat.",
            ["A crowded city nightclub tour.", "A cruise ship party.", "A theme park marathon."],
        ),
    ],
}
DISTRACTOR_CHATS = [
    [
        ("How do I reverse a list in Python?", "Use reversed() or slicing with [::-1]."),
        ("And how do I sort it?", "Call sorted() or list.sort()."),
    ],
    [
        ("Write a haiku about autumn leaves.", "Red leaves drift and fall / ..."),
        ("Translate hello into French.", "Bonjour."),
        ("What is the capital of Peru?", "Lima."),
    ],
]


def _write(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload), encoding="utf-8")


def write_prefeval_folder(root: Path, topics: list[str]) -> Path:
    """Write the given topics of `ITEMS` in the PrefEval layout, with the distractor chats."""
    for topic in topics:
        mcq, explicit, choice, persona = [], [], [], []
        for preference, question, aligned, others in ITEMS[topic]:
            base = {"preference": preference, "question": question, "explanation": "why"}
            mcq.append({**base, "classification_task_options": [aligned, *others]})
            explicit.append({**base, "preference": preference.replace("I love", "I really like")})
            choice.append(
                {
                    **base,
                    "implicit_query": "Pick one for me?",
                    "options": [*others[:2], aligned],
                    "aligned_op": aligned,
                    "conversation": {
                        "query": "Pick one for me?",
                        "assistant_options": f"Maybe {others[0]} or {aligned}",
                        "user_selection": f"{aligned} sounds perfect.",
                        "assistant_acknowledgment": "Great choice.",
                    },
                }
            )
            persona.append(
                {
                    **base,
                    "persona": "A busy nurse",
                    "conversation": {
                        "0": {"user": "I work night shifts as a nurse.", "assistant": "Demanding!"},
                        "1": {"user": f"Outside work, {preference}", "assistant": "Nice to hear."},
                    },
                }
            )
        _write(root / "mcq_options" / f"{topic}.json", mcq)
        _write(root / "explicit_preference" / f"{topic}.json", explicit)
        _write(root / "implicit_preference" / "choice-based" / f"{topic}.json", choice)
        _write(root / "implicit_preference" / "persona-driven" / f"{topic}.json", persona)
    chats = [
        {
            "conversation": [
                {"role": role, "content": text}
                for said, reply in chat
                for role, text in (("user", said), ("assistant", reply))
            ]
        }
        for chat in DISTRACTOR_CHATS
    ]
    _write(root / "filtered_inter_turns.json", chats)
    return root
