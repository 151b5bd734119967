"""One source of defaults: every constructor's default is the config models' (config.yaml's).

The agent layer reads the config models directly. The memory layer may not import them
(it knows nothing of agent/), so its few defaults that mirror a setting are checked here.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from prefmem.agent.assistant import Assistant
from prefmem.agent.config import Config
from prefmem.agent.factory import Runtime, build_consolidation_rules
from prefmem.agent.llm.langchain import LangChainChatModel
from prefmem.agent.llm.onnx_local import LocalOnnxChatModel
from prefmem.agent.llm.scripted import ScriptedChatModel
from prefmem.agent.llm.transformers_local import LocalTransformersChatModel
from prefmem.agent.rerank import Personalizer
from prefmem.agent.reward.scorer import RewardScorer
from prefmem.agent.reward.sycophancy_guard import GUARD_PENALTY
from prefmem.memory.consolidation.job import ConsolidationJob
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.embeddings.fake import HashingEmbedder
from prefmem.memory.embeddings.sentence_transformers import SentenceTransformerEmbedder
from prefmem.memory.episodic.base import EpisodicStore
from prefmem.memory.episodic.chroma import ChromaEpisodicStore
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore

DEFAULTS = Config()


def _default(function: Callable[..., Any], name: str) -> Any:
    return inspect.signature(function).parameters[name].default


def _field_default(cls: type, name: str) -> Any:
    return {f.name: f.default for f in dataclasses.fields(cls)}[name]


def test_consolidation_rules_are_built_from_the_consolidation_section_by_name() -> None:
    settings = DEFAULTS.consolidation.model_dump()
    missing = [f.name for f in dataclasses.fields(ConsolidationRules) if f.name not in settings]
    assert missing == [], "every threshold of ConsolidationRules must be a consolidation setting"
    assert build_consolidation_rules(DEFAULTS) == ConsolidationRules()  # the rules' own defaults agree

    stricter = DEFAULTS.consolidation.model_copy(update={"min_occasions": 5, "promote_posterior": 0.9})
    changed = DEFAULTS.model_copy(update={"consolidation": stricter})
    rules = build_consolidation_rules(changed)
    assert (rules.min_occasions, rules.promote_posterior) == (5, 0.9)


def test_memory_layer_defaults_mirror_the_settings() -> None:
    episodic = DEFAULTS.episodic
    for store in (EpisodicStore.__init__, InMemoryEpisodicStore.__init__, ChromaEpisodicStore.__init__):
        assert _default(store, "half_life_days") == episodic.recency_half_life_days
        assert _default(store, "similarity_weight") == episodic.similarity_weight
    assert _default(EpisodicStore.recall, "mode") == episodic.recall_mode
    assert _default(ConsolidationJob.__init__, "occasion") == DEFAULTS.consolidation.occasion
    assert _default(SentenceTransformerEmbedder.__init__, "batch_size") == DEFAULTS.embedder.batch_size
    assert _default(SentenceTransformerEmbedder.__init__, "model") == DEFAULTS.embedder.model


def test_agent_constructors_default_to_the_settings() -> None:
    llm = DEFAULTS.llm
    for name in ("temperature", "top_p", "max_new_tokens", "dtype", "sentence_stop_after"):
        assert _default(LocalTransformersChatModel.__init__, name) == getattr(llm, name)
        assert _default(LocalOnnxChatModel.__init__, name) == getattr(llm, name)
    for name in ("engine", "threads", "spin"):
        assert _default(LocalOnnxChatModel.__init__, name) == getattr(llm, name)
    for name in ("temperature", "max_new_tokens"):
        assert _default(LangChainChatModel.from_settings, name) == getattr(llm, name)
    reward = DEFAULTS.reward
    for name in (
        "relevance_weight",
        "personal_bound",
        "sycophancy_penalty",
        "max_preferences",
        "relevance_margin",
        "relevance_softness",
    ):
        assert _field_default(RewardScorer, name) == getattr(reward, name)
    assert _field_default(RewardScorer, "tentative_weight") == DEFAULTS.assistant.tentative_weight
    assert reward.sycophancy_penalty == GUARD_PENALTY
    for name in ("prior_strength", "stability_agreement", "stability_min_votes"):
        assert _field_default(Personalizer, name) == getattr(reward, name)
    assert _field_default(Personalizer, "occasion") == DEFAULTS.consolidation.occasion


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("system_prompt", DEFAULTS.assistant.system_prompt),
        ("recall_mode", DEFAULTS.episodic.recall_mode),
        ("top_k", DEFAULTS.episodic.top_k),
        ("min_similarity", DEFAULTS.episodic.min_similarity),
        ("history_turns", DEFAULTS.assistant.history_turns),
        ("max_message_chars", DEFAULTS.assistant.max_message_chars),
        ("max_memory_chars", DEFAULTS.assistant.max_memory_chars),
        ("memory", DEFAULTS.assistant.memory),
        ("tentative_weight", DEFAULTS.assistant.tentative_weight),
        ("consolidate_every", DEFAULTS.consolidation.every_n_interactions),
        ("candidates", DEFAULTS.assistant.candidates),
        ("candidate_temperature", DEFAULTS.assistant.candidate_temperature),
    ],
)
def test_an_assistant_built_by_hand_behaves_like_the_configured_one(
    tmp_path: Path, field: str, expected: object
) -> None:
    by_hand = Assistant(store=InMemoryEpisodicStore(HashingEmbedder()), llm=ScriptedChatModel())
    assert getattr(by_hand, field) == expected
    config = DEFAULTS.model_copy(
        update={
            "data_dir": tmp_path / "data",
            "embedder": DEFAULTS.embedder.model_copy(update={"backend": "hashing"}),
            "llm": DEFAULTS.llm.model_copy(update={"backend": "scripted"}),
        }
    )
    with Runtime(config) as runtime:
        assert getattr(runtime.assistant(), field) == expected
