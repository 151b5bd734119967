"""A small memory for the LangChain tests: two users, a stable preference, a few sessions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from prefmem import Memory

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def open_memory(folder: Path) -> Memory:
    """A Memory on disk with the hashing embedder (no model to load) and no automatic consolidation."""
    return Memory(data_dir=folder, embedder={"backend": "hashing"}, consolidation={"every_n_interactions": 0})


def fill(memory: Memory) -> None:
    """ana likes cooking curries (said on three days, so it is genuine); bob says other things."""
    for day in range(3):
        moment = START + timedelta(days=day)
        memory.add("ana", "I really enjoy cooking spicy curries at home", "Sounds tasty.", timestamp=moment)
        later = moment + timedelta(hours=1)
        memory.add("ana", "Which spices go into a curry paste?", "Cumin and coriander.", timestamp=later)
        memory.add("bob", "I collect old maps of harbour towns", "A fine hobby.", timestamp=moment)
    final = START + timedelta(days=4)
    memory.add("bob", "Cooking curries bores me to tears", "Fair enough.", timestamp=final)
    memory.consolidate(force=True)


def usage(words: str) -> dict[str, int]:
    tokens = len(words.split())
    return {"input_tokens": 5, "output_tokens": tokens, "total_tokens": 5 + tokens}


def fake_llm(replies: list[str]) -> GenericFakeChatModel:
    """A chat model that cycles through `replies` (each with token usage), one per call."""
    return GenericFakeChatModel(
        messages=itertools.cycle(AIMessage(content=text, usage_metadata=usage(text)) for text in replies)  # type: ignore[arg-type]
    )
