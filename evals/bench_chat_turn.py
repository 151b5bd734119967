"""How long one chat turn takes with the configured chat model, and where the time goes.

The assistant is built from the configuration in a fresh, temporary data folder (a chat
model already converted in the configured data folder is reused, not converted again).
For each candidate count N it answers one warm-up message, then times the next turns of
one session: the whole turn, the time until the reply's first text could be shown (the
first streamed words for N = 1, the chosen reply for N > 1), and each stage of the turn
as the assistant's trace records it. Figures are medians over the timed turns.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from prefmem.agent.config import Config
from prefmem.agent.factory import Runtime
from prefmem.agent.llm.onnx_local import BUILD_MARKER
from prefmem.agent.llm.transformers_local import MARKER

#: What a user might ask an assistant over one session; each turn builds on the memory of the last.
MESSAGES = (
    "I'm planning a weekend walking trip in the hills; what should I pack?",
    "Can you suggest a quick vegetarian dinner I could cook after work?",
    "How do I keep a sourdough starter alive while I'm away for a week?",
    "What's a good way to start learning to play the piano as an adult?",
    "Give me a few ideas for a rainy Sunday afternoon at home.",
    "How should I prepare for a job interview at a small design studio?",
    "Which houseplants cope well with a dark north-facing room?",
    "What's a sensible morning routine for someone who works from home?",
)
STAGES = ("recall", "prompt", "generate", "rerank", "store", "consolidate")


def _share_converted_models(source: Path, target: Path) -> list[str]:
    """Link chat models already converted or built under `source` into `target`, so they load at once."""
    shared: list[str] = []
    if not source.is_dir():
        return shared
    target.mkdir(parents=True, exist_ok=True)
    for folder in sorted(source.iterdir()):
        if (folder / MARKER).is_file() or (folder / BUILD_MARKER).is_file():
            (target / folder.name).symlink_to(folder.resolve(), target_is_directory=True)
            shared.append(folder.name)
    return shared


def _median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 3)


def _torch_threads() -> int | None:
    import sys

    torch = sys.modules.get("torch")
    return int(torch.get_num_threads()) if torch is not None else None


def _time_turns(runtime: Runtime, n: int, turns: int, *, user: str) -> dict[str, Any]:
    assistant = runtime.assistant()
    assistant.candidates = n
    if n > 1 and assistant.personalizer is None:
        raise RuntimeError("best-of-N needs the reward scorer")
    records: list[dict[str, Any]] = []
    for number in range(turns + 1):  # the first turn warms up and is not counted
        message = MESSAGES[number % len(MESSAGES)]
        pieces: list[str] = []
        start = time.perf_counter()
        result = assistant.chat(user, message, session_id=f"{user}-session", on_text=pieces.append)
        whole = time.perf_counter() - start
        if number == 0:
            continue
        timings = result.trace.timings
        records.append(
            {
                "turn_s": round(whole, 4),
                "first_text_s": timings.get("first_text", whole),
                "stages_s": {stage: timings.get(stage, 0.0) for stage in STAGES},
                "reply_chars": len(result.response),
                "streamed_pieces": len(pieces),
            }
        )
    return {
        "n": n,
        "turn_s": _median([r["turn_s"] for r in records]),
        "first_text_s": _median([r["first_text_s"] for r in records]),
        "stages_s": {stage: _median([r["stages_s"][stage] for r in records]) for stage in STAGES},
        "reply_chars": _median([r["reply_chars"] for r in records]),
        "turns": records,
    }


def bench_chat_turn(
    config: Config,
    *,
    sizes: Sequence[int] = (4, 1),
    turns: int = 5,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Median whole-turn time, time to first text and per-stage times for each N in `sizes`."""
    if turns < 1:
        raise ValueError("turns must be at least 1")
    say = progress or (lambda _message: None)
    with tempfile.TemporaryDirectory(prefix="prefmem-bench-chat-") as folder:
        data = Path(folder) / "data"
        shared = _share_converted_models(config.data_path / "models", data / "models")
        bench_config = config.model_copy(update={"data_dir": data})
        with Runtime(bench_config) as runtime:
            say("loading the embedder and the chat model")
            start = time.perf_counter()
            runtime.embedder.embed("warm up")
            llm = runtime.llm(on_status=say)
            llm.load()
            load_s = time.perf_counter() - start
            by_n: dict[str, Any] = {}
            for n in sizes:
                say(f"N={n}: one warm-up turn and {turns} timed turns")
                by_n[str(n)] = _time_turns(runtime, n, turns, user=f"bench-n{n}")
    engine = getattr(llm, "engine", None)
    return {
        "model": llm.name,
        "max_new_tokens": config.llm.max_new_tokens,
        "sentence_stop_after": config.llm.sentence_stop_after,
        "engine": engine,
        "dtype": getattr(llm, "dtype", None),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "onnxruntime_spin": getattr(llm, "spin", None) if engine == "onnxruntime" else None,
        "turns": turns,
        "load_s": round(load_s, 2),
        "converted_models_reused": shared,
        "cpu_count": os.cpu_count(),
        "torch_threads": _torch_threads(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "by_n": by_n,
    }
