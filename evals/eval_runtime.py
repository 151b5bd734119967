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

import numpy as np

from agent.config import Config
from agent.factory import Runtime, build_embedder, set_torch_threads
from memory.embeddings.base import Embedder, Vectors
from memory.errors import EventLogError
from memory.events import events_to_records, parse_event_log

#: Simulated histories start here (a fixed date keeps runs reproducible).
EPOCH = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


class CachedEmbedder(Embedder):
    """Wraps an embedder and remembers every text's vector, so repeated texts are embedded once."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._vectors: dict[str, np.ndarray[Any, np.dtype[np.float32]]] = {}

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_batch(self, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(text for text in texts if text not in self._vectors))
        if missing:
            fresh = self.inner.embed_batch(missing)
            for text, vector in zip(missing, fresh, strict=True):
                self._vectors[text] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray([self._vectors[text] for text in texts], dtype=np.float32)


class EvalRuntime(Runtime):
    """A `Runtime` whose embedder is given (shared across the evaluation's runtimes, cached)."""

    def __init__(self, config: Config, embedder: Embedder) -> None:
        super().__init__(config, lock="exclusive", create=True)
        self._embedder = embedder


@contextmanager
def fresh_runtime(
    config: Config, *, embedder: Embedder | None = None, work_dir: Path | None = None
) -> Iterator[EvalRuntime]:
    """A runtime over an empty data folder (a temporary one unless `work_dir` is given).

    The configuration is the caller's except for `data_dir`; a given `work_dir` must be
    empty or absent, so an evaluation never mixes its users into someone's memory.
    """
    set_torch_threads(config)
    chosen = embedder or CachedEmbedder(build_embedder(config))
    if work_dir is not None:
        work_dir = Path(work_dir).expanduser()
        if work_dir.exists() and any(work_dir.iterdir()):
            from memory.errors import InvalidInputError

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
