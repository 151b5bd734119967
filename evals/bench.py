"""Episodic-store benchmarks: ingest throughput against raw encoding, and recall latency.

Everything is measured in one process, one run, on whatever machine runs it; figures
are medians, 95th percentiles and ratios, never single timings.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from prefmem.evals.synthetic_text import messages
from prefmem.memory.embeddings.base import Embedder, Vectors
from prefmem.memory.episodic.base import RECALL_MODES
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.models import Interaction

Progress = Callable[[str], None]
_START = datetime(2025, 1, 1, tzinfo=UTC)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value at `fraction` of the sorted values (nearest rank): medians and 95th percentiles."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _interactions(texts: Sequence[str], *, users: int, offset: int = 0) -> list[Interaction]:
    """Interactions spread round-robin over users, one minute apart."""
    return [
        Interaction(
            user_id=f"user-{(offset + i) % users:04d}",
            session_id=f"s{(offset + i) // (users * 20)}",
            timestamp=_START + timedelta(minutes=offset + i),
            user_text=text,
            assistant_text="Sure, here is a suggestion.",
        )
        for i, text in enumerate(texts)
    ]


def bench_ingest(
    embedder: Embedder, workdir: Path, *, count: int = 2000, rounds: int = 5, seed: int = 0
) -> dict[str, Any]:
    """Ingest throughput (embed + store, batched) divided by raw encoding throughput of the same texts.

    Raw encoding and ingest into a fresh store alternate for `rounds` rounds, and the
    medians are compared, so a burst of load on the machine skews both sides alike.
    """
    texts = messages(count, seed=seed + 1)
    records = _interactions(texts, users=100)
    embedder.embed_batch(texts[:64])  # warm-up: first calls allocate and tune kernels
    raw_seconds, ingest_seconds = [], []
    for round_number in range(rounds):
        started = time.perf_counter()
        embedder.embed_batch(texts)
        raw_seconds.append(time.perf_counter() - started)
        store = ChromaEpisodicStore.persistent(workdir / f"ingest-{round_number}", embedder)
        started = time.perf_counter()
        stored = store.add(records)
        ingest_seconds.append(time.perf_counter() - started)
        store.close()
        if stored != count:
            raise RuntimeError(f"stored {stored} of {count} records")
    raw, ingest = statistics.median(raw_seconds), statistics.median(ingest_seconds)
    return {
        "count": count,
        "rounds": rounds,
        "raw_encode_per_s": count / raw,
        "ingest_per_s": count / ingest,
        "ratio": raw / ingest,
    }


def _filler_vectors(pool: Vectors, count: int, rng: np.random.Generator) -> Vectors:
    """Real vectors from the pool, jittered so no two stored vectors coincide."""
    picked = pool[rng.integers(0, len(pool), size=count)]
    jittered = picked + rng.normal(scale=0.05, size=picked.shape).astype(np.float32)
    jittered /= np.linalg.norm(jittered, axis=1, keepdims=True)
    return jittered.astype(np.float32)


def bench_recall(
    embedder: Embedder,
    workdir: Path,
    *,
    sizes: Sequence[int] = (1000, 10000, 100000),
    users: int = 100,
    queries: int = 100,
    pool_size: int = 5000,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Recall latency for one user, per mode, as the store grows to each size (query embedding included).

    Vectors of the stored records come from real embeddings of `pool_size` distinct
    messages, jittered; latency depends on how many vectors a user has, not on their text.
    """
    rng = np.random.default_rng(seed)
    pool_texts = messages(pool_size, seed=seed + 2)
    pool = embedder.embed_batch(pool_texts)
    store = ChromaEpisodicStore.persistent(workdir / "recall", embedder)
    try:
        query_texts = messages(queries, seed=seed + 3)
        held = 0
        results: dict[str, dict[str, dict[str, float]]] = {mode: {} for mode in RECALL_MODES}
        for size in sorted(sizes):
            while held < size:
                batch = min(5000, size - held)
                texts = [pool_texts[(held + i) % pool_size] + f" #{held + i}" for i in range(batch)]
                records = _interactions(texts, users=users, offset=held)
                store.add_with_vectors(records, _filler_vectors(pool, batch, rng))
                held += batch
                if progress:
                    progress(f"stored {held}/{max(sizes)} interactions")
            for mode in RECALL_MODES:
                timings = []
                for index, query in enumerate(query_texts):
                    user = f"user-{rng.integers(0, users):04d}"
                    started = time.perf_counter()
                    found = store.recall(user, query, mode=mode, k=10)
                    timings.append((time.perf_counter() - started) * 1000)
                    if index == 0 and not found:
                        raise RuntimeError(f"recall returned nothing for {user} at size {size}")
                results[mode][str(size)] = {
                    "p50_ms": statistics.median(timings),
                    "p95_ms": percentile(timings, 0.95),
                    "per_user": size // users,
                }
            if progress:
                progress(f"measured recall at {size}")
    finally:
        store.close()
    return results


def bench_episodic(
    embedder: Embedder,
    *,
    sizes: Sequence[int] = (1000, 10000, 100000),
    users: int = 100,
    queries: int = 100,
    ingest_count: int = 2000,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole episodic benchmark, in a temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="prefmem-bench-") as folder:
        workdir = Path(folder)
        if progress:
            progress("measuring ingest")
        ingest = bench_ingest(embedder, workdir, count=ingest_count, seed=seed)
        recall = bench_recall(
            embedder, workdir, sizes=sizes, users=users, queries=queries, seed=seed, progress=progress
        )
    return {
        "embedder": embedder.name,
        "users": users,
        "queries_per_mode": queries,
        "ingest": ingest,
        "recall": recall,
    }
