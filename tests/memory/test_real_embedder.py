"""The packaged all-MiniLM-L6-v2 embedder, for real (slow: loads the model once per session)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _helpers import close_store, interaction

from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.errors import ConfigError


@pytest.mark.slow
def test_dimension_and_unit_norms(real_embedder: SentenceTransformerEmbedder) -> None:
    assert real_embedder.name == "all-MiniLM-L6-v2"
    assert real_embedder.dimension == 384
    texts = ["I'm a vegetarian", "The train leaves at nine", "", "caf\u00e9 \u00fcber \u65e5\u672c"]
    vectors = real_embedder.embed_batch(texts)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert real_embedder.embed_batch([]).shape == (0, 384)
    # deterministic, and batching does not change a text's vector
    assert np.allclose(real_embedder.embed("The train leaves at nine"), vectors[1], atol=1e-5)


@pytest.mark.slow
def test_similar_meanings_are_closer(real_embedder: SentenceTransformerEmbedder) -> None:
    anchor, paraphrase, unrelated = real_embedder.embed_batch(
        ["I don't eat meat", "I'm a vegetarian", "The stock market fell sharply today"]
    )
    assert float(anchor @ paraphrase) > float(anchor @ unrelated) + 0.2


@pytest.mark.slow
def test_recall_finds_a_paraphrase_through_chroma(
    real_embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    store = ChromaEpisodicStore.persistent(tmp_path / "chroma", real_embedder)
    target = "I'm a vegetarian and never eat meat"
    unrelated = [
        "Book me a flight to Berlin next Tuesday",
        "My laptop battery drains too fast",
        "I prefer jazz over classical music",
        "Remind me to call my sister on Sunday",
        "What is the capital of Australia?",
    ]
    try:
        store.add([interaction("alice", text, days=-n) for n, text in enumerate([target, *unrelated])])
        store.add([interaction("bob", target, days=1)])
        for mode in ("similarity", "hybrid"):
            episodes = store.recall("alice", "what food do I avoid? no meat for me", mode=mode, k=6)
            assert len(episodes) == 6
            assert episodes[0].interaction.user_text == target, mode
            assert episodes[0].interaction.user_id == "alice"
            assert episodes[0].similarity is not None
            assert all(episodes[0].similarity > (e.similarity or 0.0) + 0.1 for e in episodes[1:])
    finally:
        close_store(store)


def test_missing_model_folder_is_reported_as_a_setting_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"embedder\.model: .*not found"):
        SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))


@pytest.mark.slow
def test_single_text_fast_path_matches_batch_encoding(real_embedder: SentenceTransformerEmbedder) -> None:
    texts = ["what should I cook tonight?", "Ich wandere gern in den Bergen.", "x"]
    batch = real_embedder.embed_batch(texts)
    for text, expected in zip(texts, batch, strict=True):
        np.testing.assert_allclose(real_embedder.embed(text), expected, atol=1e-5)


@pytest.mark.slow
def test_bfloat16_vectors_stay_close_to_float32(real_embedder: SentenceTransformerEmbedder) -> None:
    half = SentenceTransformerEmbedder(precision="bfloat16")
    assert half.precision == "bfloat16" and half.name == real_embedder.name
    texts = [
        "Here is a short answer with two steps: open the settings, then pick a theme.",
        "Our tent held up through a night of rain on the ridge.",
        "Quarterly revenue grew by four percent against the same period last year.",
    ]
    full, reduced = real_embedder.embed_batch(texts), half.embed_batch(texts)
    assert reduced.dtype == np.float32
    assert np.allclose(np.linalg.norm(reduced, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(full * reduced, axis=1))) > 0.99
    # the order of closeness between different texts is kept
    assert np.argsort(full @ full[0]).tolist() == np.argsort(reduced @ reduced[0]).tolist()
    assert float(half.embed(texts[1]) @ full[1]) > 0.99


def test_an_unknown_precision_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="bfloat16"):
        SentenceTransformerEmbedder(precision="float8")
