"""Bad input for consolidation: huge users, odd statements; a clear label, never a crash or a loss."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.extraction.reading import read_message
from prefmem.memory.models import Interaction
from prefmem.memory.semantic.store import SemanticStore
from prefmem.memory.signals import Scope, Signal

START = datetime(2026, 1, 1, tzinfo=UTC)


def read_statement(text: str) -> tuple[str, str, Scope] | None:
    """The first preference a message states, as (topic, stance, scope)."""
    found = read_message(text)
    return (found[0].topic, found[0].stance, found[0].scope) if found else None


def _job() -> ConsolidationJob:
    embedder = HashingEmbedder()
    return ConsolidationJob(
        InMemoryEpisodicStore(embedder), SemanticStore.in_memory(), ParsedExtractor(), embedder
    )


def test_a_user_with_50000_signals_is_consolidated_and_every_signal_is_accounted_for() -> None:
    rng = random.Random(0)
    signals = [
        Signal(
            "big",
            "statement",
            f"topic {rng.randrange(3000)} {rng.choice(['jazz', 'tea', 'rain'])}",
            rng.choice("+-"),
            "durable",
            str(n % 300),
            START + timedelta(minutes=n),
            f"e{n}",
        )
        for n in range(50_000)
    ]
    job = _job()
    job.consolidate_signals("big", signals, fingerprint="f")
    kept = job.semantic.preferences("big")
    current = [p for p in kept if p.kind != "superseded"]
    superseded = [p for p in kept if p.kind == "superseded"]
    # every durable signal sits in exactly one current preference or in a superseded run before it
    assert sum(p.support.signals for p in current) + sum(p.support.signals for p in superseded) == 50_000


def test_contradictory_empty_unicode_and_very_long_statements() -> None:
    job = _job()
    texts = [
        "I love jazz. I hate jazz.",  # contradiction in one breath: the first reading of a topic stands
        "   ",
        "I like 🍣 and I adore crème brûlée",
        "I prefer " + "very " * 2000 + "long walks",
        "I like",  # no topic at all
    ]
    turns = [
        Interaction(user_id="odd", session_id=f"d{i}", timestamp=START + timedelta(days=i), user_text=t)
        for i, t in enumerate(texts)
    ]
    job.episodic.add(turns)
    summary = job.run()
    assert summary.users_processed == 1
    kept = {p.topic: p for p in job.semantic.preferences("odd")}
    assert kept["jazz"].kind == "tentative"  # one occasion: never promoted
    assert kept["jazz"].value == "+" and kept["jazz"].support.signals == 1
    assert all(len(p.topic) <= 120 for p in kept.values())
    assert any("crème brûlée" in topic for topic in kept)
    assert read_statement("I like") is None


def test_identity_declarations_read_as_what_the_user_is() -> None:
    from prefmem.memory.consolidation.job import describe
    from prefmem.memory.consolidation.labeling import judge_slot
    from prefmem.memory.consolidation.rules import ConsolidationRules
    from prefmem.memory.consolidation.slots import Slot
    from prefmem.memory.extraction.parsed import ParsedExtractor

    turn = Interaction(
        user_id="ana",
        session_id="s",
        timestamp=START,
        user_text="I'm vegetarian, and I'm not a morning person.",
    )
    signals = ParsedExtractor().statements([turn])
    statements = sorted(
        describe(Slot(s.topic, s.topic, None, [s]), judge_slot([s], ConsolidationRules())[-1])
        for s in signals
    )
    assert statements == ["Is not a morning person", "Is vegetarian"]
