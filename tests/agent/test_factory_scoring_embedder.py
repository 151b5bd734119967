"""Which embedder scores candidates: reward.embedding_precision, and what the runtime was given."""

from __future__ import annotations

from pathlib import Path

import pytest

from prefmem.agent.config import parse_config
from prefmem.agent.factory import Runtime
from prefmem.memory.embeddings.cached import CachedEmbedder
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder


def _scoring_embedder(runtime: Runtime) -> object:
    embedder = runtime.personalizer().scorer.embedder
    assert isinstance(embedder, CachedEmbedder)
    return embedder.inner


def test_bfloat16_scoring_uses_its_own_copy_of_the_model(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path), "reward": {"embedding_precision": "bfloat16"}})
    with Runtime(config) as runtime:
        inner = _scoring_embedder(runtime)
        assert isinstance(inner, SentenceTransformerEmbedder) and inner.precision == "bfloat16"
        assert isinstance(runtime.embedder, SentenceTransformerEmbedder)
        assert runtime.embedder.precision == "float32"  # stored memories stay in float32
        assert _scoring_embedder(runtime) is inner  # built once per runtime


def test_float32_scoring_shares_the_runtime_embedder(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path), "reward": {"embedding_precision": "float32"}})
    with Runtime(config) as runtime:
        assert _scoring_embedder(runtime) is runtime.embedder


@pytest.mark.parametrize("precision", ["auto", "bfloat16"])
def test_a_given_or_hashing_embedder_is_used_as_it_is(tmp_path: Path, precision: str) -> None:
    given = HashingEmbedder()
    config = parse_config({"data_dir": str(tmp_path), "reward": {"embedding_precision": precision}})
    with Runtime(config, embedder=given) as runtime:
        assert _scoring_embedder(runtime) is given
    hashing = parse_config(
        {
            "data_dir": str(tmp_path / "h"),
            "embedder": {"backend": "hashing"},
            "reward": {"embedding_precision": precision},
        }
    )
    with Runtime(hashing) as runtime:
        assert _scoring_embedder(runtime) is runtime.embedder
