"""Reading the DSP layout from any path: queries, each answered in five domain styles.

DSP ("domain-specific preference") files are JSON lists of
{"query": str, "responses": {"academy": str, "business": str, "entertainment": str,
"literature": str, "normal": str}}. Four of the styles stand for four users who
disagree on every query; "normal" is a plain answer nobody in particular asked for.
A path may name one such file or a folder holding `domain_specific_preference*.json`.
Every problem is reported with the file it is in and why, and nothing here assumes
where the data lives.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefmem.evals.json_files import read_json
from prefmem.memory.errors import InvalidInputError

STYLES: tuple[str, ...] = ("academy", "business", "entertainment", "literature", "normal")
#: The styles that stand for users; "normal" only ever appears as the other answer.
USER_STYLES: tuple[str, ...] = STYLES[:4]
FILE_PATTERN = "domain_specific_preference*.json"


@dataclass(frozen=True)
class DSPQuery:
    """One query and its answer in every style; `source` and `index` say where it was read."""

    query: str
    responses: dict[str, str]
    source: str
    index: int


def dsp_files(path: Path) -> list[Path]:
    """The DSP files a path names: the file itself, or the matching files of a folder, sorted."""
    path = Path(path).expanduser()
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InvalidInputError(f"DSP data not found: {path} is neither a file nor a folder")
    files = sorted(path.glob(FILE_PATTERN))
    if not files:
        raise InvalidInputError(f"no DSP file in {path}: expected a file named {FILE_PATTERN}")
    return files


def _item(raw: Any, source: Path, index: int) -> DSPQuery:
    where = f"{source}: record {index}"
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{where} is not an object with 'query' and 'responses'")
    query = raw.get("query")
    responses = raw.get("responses")
    if not isinstance(query, str) or not query.strip():
        raise InvalidInputError(f"{where} has no 'query' text")
    if not isinstance(responses, dict):
        raise InvalidInputError(f"{where} has no 'responses' object")
    missing = [style for style in STYLES if not isinstance(responses.get(style), str)]
    if missing:
        raise InvalidInputError(f"{where} lacks a text response for {', '.join(missing)}")
    return DSPQuery(
        query=query.strip(),
        responses={style: responses[style].strip() for style in STYLES},
        source=source.name,
        index=index,
    )


def empty_styles(query: DSPQuery) -> list[str]:
    """The styles whose answer is blank (the query cannot then be asked in every style)."""
    return [style for style in STYLES if not query.responses[style]]


def load_dsp_file(path: Path) -> list[DSPQuery]:
    """Every query of one DSP file, in file order; a bad file raises naming the file and the reason.

    A record that is not a query with a text answer in every style makes the file invalid;
    blank answers are kept here (see `usable_queries`).
    """
    raw = read_json(path)
    if not isinstance(raw, list):
        raise InvalidInputError(f"{path} must hold a JSON list of queries, not {type(raw).__name__}")
    if not raw:
        raise InvalidInputError(f"{path} holds no queries")
    return [_item(item, path, index) for index, item in enumerate(raw)]


@dataclass(frozen=True)
class DSPData:
    """The usable queries of the files read, and the records left out (blank answers) with why."""

    queries: list[DSPQuery]
    files: list[Path]
    skipped: list[str]


def load_dsp(path: Path) -> DSPData:
    """The queries of every DSP file `path` names; queries with a blank answer are left out and listed."""
    files = dsp_files(path)
    queries: list[DSPQuery] = []
    skipped: list[str] = []
    for file in files:
        for query in load_dsp_file(file):
            blank = empty_styles(query)
            if blank:
                skipped.append(f"{query.source}: record {query.index}: blank answer for {', '.join(blank)}")
            else:
                queries.append(query)
    if not queries:
        raise InvalidInputError(f"no usable DSP query in {path}: every record has a blank answer")
    return DSPData(queries=queries, files=files, skipped=skipped)


def split_queries(
    queries: Sequence[DSPQuery], *, seed: int, train_share: float = 0.5, limit: int | None = None
) -> tuple[list[DSPQuery], list[DSPQuery]]:
    """Shuffle with the seed, keep `limit` queries (all by default), split into (train, test).

    Both parts get at least one query; the test part is never used to build any history.
    """
    if len(queries) < 2:
        raise InvalidInputError("the DSP data needs at least two queries: one to train on, one to test")
    if not 0.0 < train_share < 1.0:
        raise ValueError("train_share must be between 0 and 1")
    order = list(queries)
    random.Random(seed).shuffle(order)
    if limit is not None:
        order = order[: max(2, limit)]
    cut = min(len(order) - 1, max(1, round(len(order) * train_share)))
    return order[:cut], order[cut:]
