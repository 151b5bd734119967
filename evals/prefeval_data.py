"""Reading a PrefEval-layout folder from any path: topics, multiple-choice items, explicit preferences.

The layout is PrefEval's `benchmark_dataset/`: `mcq_options/<topic>.json` holds lists
of {preference, question, classification_task_options} with the preference-aligned
option first, and `explicit_preference/<topic>.json` the same items without options.
The aligned-first order is a position artifact, so `shuffled` reorders options with a
fixed seed before any scorer sees them. Nothing here assumes where the folder is.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from prefmem.agent.reward.preference_terms.base import ScorerExample
from prefmem.evals.json_files import read_json
from prefmem.memory.errors import InvalidInputError

MCQ_FOLDER = "mcq_options"
EXPLICIT_FOLDER = "explicit_preference"


@dataclass(frozen=True)
class MCQItem:
    """One multiple-choice item: a stated preference, a question, options with the aligned one first."""

    topic: str
    index: int
    preference: str
    question: str
    options: tuple[str, ...]


def _folder(root: Path, name: str) -> Path:
    folder = Path(root).expanduser() / name
    if not folder.is_dir():
        raise InvalidInputError(f"{root} is not a PrefEval-layout folder: {folder} does not exist")
    return folder


def list_topics(root: Path) -> list[str]:
    """The topics that have multiple-choice items (file stems of `mcq_options/*.json`), sorted."""
    return sorted(path.stem for path in _folder(root, MCQ_FOLDER).glob("*.json"))


def load_mcq(root: Path, topics: Iterable[str] | None = None) -> list[MCQItem]:
    """The multiple-choice items of the given topics (all by default), in file order."""
    folder = _folder(root, MCQ_FOLDER)
    items: list[MCQItem] = []
    for topic in list_topics(root) if topics is None else list(topics):
        path = folder / f"{topic}.json"
        if not path.is_file():
            raise InvalidInputError(f"no multiple-choice file for topic {topic!r}: {path} does not exist")
        records = read_json(path)
        if not isinstance(records, list):
            raise InvalidInputError(f"{path}: expected a JSON list of items")
        for index, record in enumerate(records):
            try:
                options = tuple(str(option) for option in record["classification_task_options"])
                item = MCQItem(topic, index, str(record["preference"]), str(record["question"]), options)
            except (KeyError, TypeError) as error:
                raise InvalidInputError(f"{path}: item {index} lacks {error}") from error
            if len(options) < 2:
                raise InvalidInputError(f"{path}: item {index} has fewer than two options")
            items.append(item)
    return items


def load_explicit(root: Path, topics: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """(topic, preference, question) from `explicit_preference/*.json` (empty if the folder is absent)."""
    root = Path(root).expanduser()
    if not (root / EXPLICIT_FOLDER).is_dir():
        return []
    folder = root / EXPLICIT_FOLDER
    wanted = sorted(p.stem for p in folder.glob("*.json")) if topics is None else list(topics)
    rows: list[tuple[str, str, str]] = []
    for topic in wanted:
        path = folder / f"{topic}.json"
        if not path.is_file():
            continue
        records = read_json(path)
        if not isinstance(records, list):
            raise InvalidInputError(f"{path}: expected a JSON list of items")
        for index, record in enumerate(records):
            try:
                rows.append((topic, str(record["preference"]), str(record["question"])))
            except (KeyError, TypeError) as error:
                raise InvalidInputError(f"{path}: item {index} lacks {error}") from error
    return rows


def shuffled(item: MCQItem, *, seed: int) -> ScorerExample:
    """The item as a scorer example with its options in a seeded order (the same for the same item)."""
    rng = random.Random(f"{seed}:{item.topic}:{item.index}")
    order = list(range(len(item.options)))
    rng.shuffle(order)
    return ScorerExample(
        preference=item.preference,
        prompt=item.question,
        responses=tuple(item.options[i] for i in order),
        best=order.index(0),
        topic=item.topic,
    )


def examples(root: Path, topics: Sequence[str] | None = None, *, seed: int = 0) -> list[ScorerExample]:
    """Every multiple-choice item of the topics as a shuffled scorer example."""
    return [shuffled(item, seed=seed) for item in load_mcq(root, topics)]
