"""The reranking benchmark: figures per N, and diversity of sampled candidates."""

from __future__ import annotations

from prefmem.agent.reward.coefficients import population_vector
from prefmem.agent.reward.preference_terms.offline import OfflinePreferenceScorer
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.evals.bench_rerank import bench_generated_diversity, bench_rerank
from prefmem.memory.embeddings.fake import HashingEmbedder


def _scorer() -> RewardScorer:
    embedder = HashingEmbedder()
    return RewardScorer(
        embedder=embedder, preference_scorer=OfflinePreferenceScorer(embedder), population=population_vector()
    )


def test_latency_figures_per_n() -> None:
    figures = bench_rerank(_scorer(), sizes=(2, 4), turns=5, preferences=3, seed=1)
    assert set(figures["by_n"]) == {"2", "4"}
    for timing in figures["by_n"].values():
        assert 0 < timing["p50_ms"] <= timing["p95_ms"]
        assert 0 < timing["mean_diversity"] <= 2
    assert figures["preference_scorer"] == "offline-polarity-v1"


def test_generated_diversity_is_zero_for_identical_samples_and_positive_for_distinct_ones() -> None:
    same = bench_generated_diversity(_scorer(), lambda prompt, n: ["the same reply"] * n, prompts=3, n=4)
    assert same["mean_diversity"] == 0.0 and same["mean_distinct_candidates"] == 1

    def varied(prompt: str, n: int) -> list[str]:
        return [f"reply {i} about {word}" for i, word in enumerate(["rice", "jazz", "trains", "tea"][:n])]

    spread = bench_generated_diversity(_scorer(), varied, prompts=3, n=4)
    assert spread["mean_diversity"] > 0.1 and spread["mean_distinct_candidates"] == 4
    assert spread["prompts"] == 3
