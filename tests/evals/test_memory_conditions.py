"""What each memory condition feeds the reward: one-off requests stay out of semantic memory only."""

from __future__ import annotations

from pathlib import Path

import pytest

from prefmem.agent.config import parse_config
from prefmem.evals.eval_runtime import at, fresh_runtime, ingest
from prefmem.evals.memory_conditions import MemoryView, parse_conditions
from prefmem.memory.errors import InvalidInputError


def _message(user_id: str, text: str, day: int, minute: int) -> dict[str, object]:
    return {
        "type": "message",
        "role": "user",
        "user_id": user_id,
        "session_id": f"{user_id}-{day}",
        "timestamp": at(day, minute),
        "content": text,
    }


def test_conditions_see_what_their_memory_holds(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}})
    events = [
        _message("u1", "Just today, keep the answer very short.", 0, 0),
        _message("u1", "I prefer detailed answers with examples.", 1, 0),
        _message("u1", "I prefer detailed answers with examples, always.", 2, 0),
    ]
    events += [_message("u1", f"What is {n} plus {n}?", 3, n) for n in range(1, 6)]
    with fresh_runtime(config) as runtime:
        ingest(runtime, events)
        runtime.consolidation_job().run()
        view = MemoryView(runtime.store, runtime.semantic, top_k=4, tentative_weight=0.5)
        query = "Keep the answer short today?"
        assert view.preferences("none", "u1", query) == []
        semantic = view.preferences("semantic", "u1", query)
        (one_off,) = [i for i in runtime.store.interactions("u1") if i.user_text.startswith("Just today")]
        assert semantic, "the repeated statement is a preference"
        assert all(one_off.record_id() not in p.evidence_ids for p in semantic)  # the one-off is not
        (recalled,) = view.preferences("episodic-similarity", "u1", query)
        assert "Just today, keep the answer very short." in recalled.statement  # raw history replays it
        assert recalled.kind == "genuine" and recalled.id == "episodic-similarity"
        (recent,) = view.preferences("episodic-recency", "u1", query)
        assert "prefer" not in recent.statement  # the four newest messages are the arithmetic questions
        both = view.preferences("both", "u1", query)
        assert [p.id for p in both][-1] == "episodic-similarity" and len(both) >= 2


def test_parse_conditions_keeps_the_canonical_order() -> None:
    assert parse_conditions("semantic,none") == ["none", "semantic"]
    with pytest.raises(InvalidInputError, match="--memory"):
        parse_conditions("episodic")
