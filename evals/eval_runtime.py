"""What the disagreement and sycophancy evaluations share: a fresh runtime and the public ingest path.

Each evaluation builds its users' histories as an event log (the format `prefmem import`
reads), stores it through `parse_event_log` -> `events_to_records` -> `store.add` into a
data folder of its own, so nothing it does touches the user's memory, and then drives
consolidation and the reward scorer exactly as the assistant does. Texts are embedded
once: the same candidate is scored for several users and conditions, and on a shared
two-core machine re-embedding it each time would dominate the run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from prefmem.agent.config import Config
from prefmem.agent.factory import Runtime, build_embedder
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.embeddings.cached import CachedEmbedder
from prefmem.memory.errors import EventLogError
from prefmem.memory.events import events_to_records, parse_event_log

#: Texts an evaluation's shared embedder remembers (every distinct text of a run fits).
EVAL_CACHE_TEXTS = 200_000
#: Simulated histories start here (a fixed date keeps runs reproducible).
EPOCH = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


class EvalRuntime(Runtime):
    """A `Runtime` whose embedder is given (shared across the evaluation's runtimes, cached)."""

    def __init__(self, config: Config, embedder: Embedder) -> None:
        super().__init__(config, lock="exclusive", create=True, embedder=embedder)


@contextmanager
def fresh_runtime(
    config: Config, *, embedder: Embedder | None = None, work_dir: Path | None = None
) -> Iterator[EvalRuntime]:
    """A runtime over an empty data folder (a temporary one unless `work_dir` is given).

    The configuration is the caller's except for `data_dir`; a given `work_dir` must be
    empty or absent, so an evaluation never mixes its users into someone's memory.
    """
    # never a shared Chroma server: an evaluation's users must not reach anyone's memory
    config = config.model_copy(update={"episodic": config.episodic.model_copy(update={"server": None})})
    chosen = embedder or CachedEmbedder(build_embedder(config), capacity=EVAL_CACHE_TEXTS)
    if work_dir is not None:
        work_dir = Path(work_dir).expanduser()
        if work_dir.exists() and any(work_dir.iterdir()):
            from prefmem.memory.errors import InvalidInputError

            raise InvalidInputError(f"{work_dir} is not empty: an evaluation needs a fresh data folder")
        runtime = EvalRuntime(config.model_copy(update={"data_dir": work_dir}), chosen)
        with runtime:  # Runtime.__enter__ is typed as Runtime: keep the subclass's name
            yield runtime
        return
    with TemporaryDirectory(prefix="prefmem-eval-") as folder:
        runtime = EvalRuntime(config.model_copy(update={"data_dir": Path(folder)}), chosen)
        with runtime:
            yield runtime


def at(day: int, minute: int = 0) -> str:
    """The ISO timestamp of a simulated moment: `day` days and `minute` minutes after EPOCH."""
    return (EPOCH + timedelta(days=day, minutes=minute)).isoformat()


def message_event(user_id: str, text: str, *, day: int, minute: int = 0) -> dict[str, Any]:
    """A user message, in its own session on the given day."""
    return {
        "type": "message",
        "role": "user",
        "user_id": user_id,
        "session_id": f"{user_id}-day{day}",
        "timestamp": at(day, minute),
        "content": text,
    }


def choice_event(
    user_id: str,
    prompt: str,
    options: Sequence[str],
    chosen: int,
    *,
    day: int,
    minute: int = 0,
    item_id: str | None = None,
) -> dict[str, Any]:
    """A choice between shown options (`chosen` indexes `options`)."""
    event: dict[str, Any] = {
        "type": "choice",
        "user_id": user_id,
        "session_id": f"{user_id}-day{day}",
        "timestamp": at(day, minute),
        "prompt": prompt,
        "options": list(options),
        "chosen": chosen,
    }
    if item_id is not None:
        event["item_id"] = item_id
    return event


def ingest(runtime: Runtime, events: Iterable[dict[str, Any]]) -> int:
    """Store events through the public ingest path; returns how many records were added."""
    lines = [json.dumps(event).encode("utf-8") for event in events]
    parsed = parse_event_log(lines, max_content_chars=runtime.config.assistant.max_message_chars)
    if parsed.problems:
        raise EventLogError("evaluation history", parsed.problems)
    return runtime.store.add(list(events_to_records(parsed.events)))
