"""The three forms in which a PrefEval preference is expressed, and the distractor turns.

Builds on `evals.prefeval_data` (multiple-choice items). For each item the preference is
expressed as:

- explicit: the preference said plainly (`explicit_preference/<topic>.json`);
- choice: a short conversation in which the user picks the option that fits the
  preference among those offered (`implicit_preference/choice-based/<topic>.json`);
- persona: a persona conversation that mentions the preference in passing
  (`implicit_preference/persona-driven/<topic>.json`).

The files of one topic list the same items in the same order; an item whose question
differs between files is refused, naming the file. `filtered_inter_turns.json` holds
unrelated chats whose (user, assistant) turns serve as distractors.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from prefmem.evals.json_files import read_json
from prefmem.evals.prefeval_data import MCQItem, list_topics, load_mcq
from prefmem.memory.errors import InvalidInputError

Form = Literal["explicit", "choice", "persona"]
FORMS: tuple[Form, ...] = get_args(Form)
FORM_FOLDERS: dict[Form, str] = {
    "explicit": "explicit_preference",
    "choice": "implicit_preference/choice-based",
    "persona": "implicit_preference/persona-driven",
}
DISTRACTOR_FILE = "filtered_inter_turns.json"
ACKNOWLEDGEMENT = "Got it, I'll keep that in mind."

Turn = tuple[Literal["user", "assistant"], str]


@dataclass(frozen=True)
class PickedOption:
    """The choice a choice-based conversation records: the options offered and the one picked."""

    prompt: str
    options: tuple[str, ...]
    chosen: int


@dataclass(frozen=True)
class PrefEvalCase:
    """One item in one form: the conversation that expresses the preference, then the question."""

    form: Form
    item: MCQItem
    turns: tuple[Turn, ...]
    picked: PickedOption | None = None

    @property
    def key(self) -> str:
        """A short id safe for user ids and file names: form-topic-index."""
        return f"{self.form}-{self.item.topic}-{self.item.index:03d}"


def parse_forms(text: str) -> list[Form]:
    """Forms from a comma-separated list, in the canonical order, each once."""
    wanted = {part.strip() for part in text.split(",") if part.strip()}
    if not wanted or wanted - set(FORMS):
        raise InvalidInputError(f"--forms takes a comma-separated subset of {', '.join(FORMS)}, not {text!r}")
    return [form for form in FORMS if form in wanted]


def _read_list(path: Path) -> list[Any]:
    records = read_json(path)
    if not isinstance(records, list):
        raise InvalidInputError(f"{path}: expected a JSON list")
    return records


def form_file(root: Path, form: Form, topic: str) -> Path:
    """Where the items of one topic in one form are."""
    return Path(root).expanduser() / FORM_FOLDERS[form] / f"{topic}.json"


def _turns(form: Form, record: dict[str, Any]) -> tuple[tuple[Turn, ...], PickedOption | None]:
    if form == "explicit":
        return (("user", str(record["preference"])), ("assistant", ACKNOWLEDGEMENT)), None
    conversation = record["conversation"]
    if form == "choice":
        options = tuple(str(option) for option in record["options"])
        picked = PickedOption(str(conversation["query"]), options, options.index(str(record["aligned_op"])))
        turns: tuple[Turn, ...] = (
            ("user", str(conversation["query"])),
            ("assistant", str(conversation["assistant_options"])),
            ("user", str(conversation["user_selection"])),
            ("assistant", str(conversation["assistant_acknowledgment"])),
        )
        return turns, picked
    ordered: list[Turn] = []
    for key in sorted(conversation, key=int):
        turn = conversation[key]
        ordered += [("user", str(turn["user"])), ("assistant", str(turn["assistant"]))]
    return tuple(ordered), None


def plain(text: str) -> str:
    """The text without control characters other than tab and line breaks.

    PrefEval's chat turns are real people's messages and a few hold stray control
    characters (U+0002), which prefmem refuses in text; they carry no words, so they are
    dropped here, as a client would before sending.
    """
    return "".join(c for c in text if c in "\t\n\r" or unicodedata.category(c) != "Cc")


def load_cases(
    root: Path, forms: Sequence[Form], *, topics: Sequence[str] | None = None, limit: int | None = None
) -> list[PrefEvalCase]:
    """The items of the topics (all by default), at most `limit` per topic, in each form asked for."""
    root = Path(root).expanduser()
    cases: list[PrefEvalCase] = []
    for topic in list_topics(root) if topics is None else list(topics):
        items = load_mcq(root, [topic])[:limit]
        for form in forms:
            path = form_file(root, form, topic)
            if not path.is_file():
                raise InvalidInputError(f"no {form} file for topic {topic!r}: {path} does not exist")
            records = _read_list(path)
            for item in items:
                if item.index >= len(records):
                    raise InvalidInputError(f"{path}: no item {item.index} (the multiple-choice file has it)")
                record = records[item.index]
                try:
                    question = str(record["question"])
                    turns, picked = _turns(form, record)
                    turns = tuple((role, plain(text)) for role, text in turns)
                except (KeyError, TypeError, ValueError, AttributeError) as error:
                    problem = f"{path}: item {item.index} cannot be read ({error!r})"
                    raise InvalidInputError(problem) from error
                if question != item.question:
                    raise InvalidInputError(
                        f"{path}: item {item.index} asks another question than the multiple-choice file"
                    )
                cases.append(PrefEvalCase(form, item, turns, picked))
    return cases


def load_distractor_turns(root: Path) -> list[tuple[str, str]]:
    """Every (user, assistant) turn of the unrelated chats, in file order."""
    path = Path(root).expanduser() / DISTRACTOR_FILE
    if not path.is_file():
        raise InvalidInputError(f"no distractor turns: {path} does not exist")
    turns: list[tuple[str, str]] = []
    for number, chat in enumerate(_read_list(path)):
        try:
            messages = [(str(m["role"]), plain(str(m["content"]))) for m in chat["conversation"]]
        except (KeyError, TypeError) as error:
            raise InvalidInputError(f"{path}: chat {number} cannot be read ({error!r})") from error
        pending: str | None = None
        for role, content in messages:
            if role == "user":
                pending = content
            elif role == "assistant" and pending is not None:
                turns.append((pending, content))
                pending = None
    return turns


def files_used(root: Path, forms: Sequence[Form], topics: Sequence[str], *, distractors: bool) -> list[str]:
    """The files a run over these forms and topics reads, for the report."""
    root = Path(root).expanduser()
    paths = [root / "mcq_options" / f"{topic}.json" for topic in topics]
    paths += [form_file(root, form, topic) for form in forms for topic in topics]
    if distractors:
        paths.append(root / DISTRACTOR_FILE)
    return [str(path) for path in paths]
