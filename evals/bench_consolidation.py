"""Consolidation throughput: signals per second from extracted signals to saved preferences.

Signals are synthetic (a mix of repeated questions and statements over many days,
some consistent, some random) so the benchmark measures slotting, labeling and
writing the semantic store, not text extraction. Embeddings of topics and of what the
statements' sentences are about are computed once and cached in the store, as earlier
runs would have left them; that warm-up is timed apart.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.consolidation.paraphrases import statement_content
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
from prefmem.memory.extraction.parsed import ParsedExtractor
from prefmem.memory.semantic.store import SemanticStore
from prefmem.memory.signals import AGAINST, FOR, Signal

_TOPICS = [
    "short answers",
    "code examples",
    "spicy food",
    "jazz",
    "metric units",
    "bullet points",
    "emojis",
    "formal tone",
    "sci-fi books",
    "morning workouts",
    "dark mode",
    "train travel",
    "technical depth",
    "vegetarian recipes",
    "podcasts",
    "board games",
    "hiking",
    "tea",
    "history documentaries",
    "poetry",
]


#: Sentence frames for statements, so joining paraphrases works on sentences as in real runs.
_FRAMES = (
    "I really like {topic}.",
    "As a rule, I prefer {topic}.",
    "I'm not a fan of {topic}.",
    "{topic} is not for me.",
    "Honestly, I always go for {topic}.",
)


def synthetic_signals(users: int, per_user: int, *, seed: int = 0) -> dict[str, list[Signal]]:
    """`per_user` signals for each user: half answers to repeated questions, half statements."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    population: dict[str, list[Signal]] = {}
    for u in range(users):
        user = f"user-{u:05d}"
        steady = {t: rng.random() < 0.6 for t in _TOPICS}
        signals = []
        for n in range(per_user):
            day = rng.randrange(60)
            moment = start + timedelta(days=day, minutes=n)
            if n % 2:
                item = f"q{rng.randrange(12)}"
                options = ("a", "b")
                value = options[0] if steady.get(_TOPICS[int(item[1:])], False) else rng.choice(options)
                signals.append(
                    Signal(
                        user,
                        "answer",
                        f"question {item}",
                        value,
                        "durable",
                        f"{day}",
                        moment,
                        f"{user}-{n}",
                        item_id=item,
                        options=options,
                    )
                )
            else:
                topic = rng.choice(_TOPICS)
                value = FOR if steady[topic] or rng.random() < 0.5 else AGAINST
                text = rng.choice(_FRAMES).format(topic=topic)
                signals.append(
                    Signal(
                        user, "statement", topic, value, "durable", f"{day}", moment, f"{user}-{n}", text=text
                    )
                )
        population[user] = signals
    return population


def bench_consolidation(
    embedder: Embedder, *, signals: int = 100_000, users: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """Seconds to consolidate `signals` signals spread over `users` users into a semantic store on disk."""
    population = synthetic_signals(users, max(1, signals // users), seed=seed)
    total = sum(len(s) for s in population.values())
    with tempfile.TemporaryDirectory(prefix="prefmem-bench-") as folder:
        semantic = SemanticStore(Path(folder) / SemanticStore.FILE_NAME)
        job = ConsolidationJob(InMemoryEpisodicStore(embedder), semantic, ParsedExtractor(), embedder)
        warming = time.perf_counter()
        texts = {s.topic for ss in population.values() for s in ss}
        texts |= {statement_content(s.text) for ss in population.values() for s in ss if s.text}
        job._topic_vectors(sorted(texts))  # warm the cache, as earlier runs would have
        warmup = time.perf_counter() - warming
        started = time.perf_counter()
        kinds: dict[str, int] = {}
        for user, user_signals in population.items():
            change = job.consolidate_signals(user, user_signals, fingerprint="bench")
            for kind, count in change.kinds.items():
                kinds[kind] = kinds.get(kind, 0) + count
        seconds = time.perf_counter() - started
        semantic.close()
    return {
        "signals": total,
        "users": users,
        "seconds": seconds,
        "embedding_warmup_seconds": warmup,
        "signals_per_s": total / seconds,
        "preferences": kinds,
    }
