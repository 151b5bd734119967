"""The LLM extractor, driven by LangChain's own fake chat models (no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from prefmem.memory.errors import BackendError
from prefmem.memory.extraction.llm import LLMExtractor, StatedPreference, StatedPreferences
from prefmem.memory.models import Interaction
from prefmem.memory.signals import AGAINST, FOR

START = datetime(2026, 3, 1, tzinfo=UTC)


def _said(text: str, day: int = 0) -> Interaction:
    return Interaction(
        user_id="ana", session_id=f"d{day}", timestamp=START + timedelta(days=day), user_text=text
    )


def test_json_replies_become_signals_with_stance_scope_and_evidence() -> None:
    replies = [
        json.dumps({"preferences": [{"topic": "Short answers", "stance": "for", "scope": "durable"}]}),
        "Sure! "
        + json.dumps({"preferences": [{"topic": "formal tone", "stance": "for", "scope": "momentary"}]}),
        json.dumps({"preferences": [{"topic": "short answers", "stance": "against", "scope": "durable"}]}),
    ]
    extractor = LLMExtractor(FakeListChatModel(responses=replies))
    turns = [_said("I like it brief."), _said("Just for this email, be formal.", 1), _said("Go long.", 2)]
    signals = extractor.statements(turns)
    assert [(s.topic, s.value, s.scope) for s in signals] == [
        ("short answers", FOR, "durable"),
        ("formal tone", FOR, "momentary"),
        ("short answers", AGAINST, "durable"),
    ]
    assert [s.evidence_id for s in signals] == [t.record_id() for t in turns]
    assert [s.occasion for s in signals] == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert extractor.failures == 0


def test_unreadable_replies_are_counted_and_skipped() -> None:
    extractor = LLMExtractor(FakeListChatModel(responses=["no idea", '{"preferences": [{"topic": 3}]}']))
    assert extractor.statements([_said("hello"), _said("I like tea", 1)]) == []
    assert extractor.failures == 2


class _Structured:
    """A model with structured output that records the prompts it was sent."""

    def __init__(self, answers: list[StatedPreferences]) -> None:
        self.answers = answers
        self.prompts: list[Any] = []

    def with_structured_output(self, schema: type) -> _Structured:
        assert schema is StatedPreferences
        return self

    def invoke(self, prompt: Any) -> StatedPreferences:
        self.prompts.append(prompt)
        return self.answers.pop(0)


def test_structured_output_is_used_and_known_topics_are_offered_for_reuse() -> None:
    model = _Structured(
        [
            StatedPreferences(preferences=[StatedPreference(topic="jazz", stance="for", scope="durable")]),
            StatedPreferences(preferences=[]),
        ]
    )
    signals = LLMExtractor(model).statements([_said("I love jazz"), _said("what time is it?", 1)])
    assert [(s.topic, s.value) for s in signals] == [("jazz", FOR)]
    second_system = model.prompts[1][0][1]
    assert "'jazz'" in second_system


def test_provider_errors_are_backend_errors() -> None:
    class Broken:
        def with_structured_output(self, schema: type) -> Broken:
            return self

        def invoke(self, prompt: Any) -> None:
            raise ConnectionError("no route to host")

    with pytest.raises(BackendError, match="no route to host"):
        LLMExtractor(Broken()).statements([_said("I like tea")])


def test_preferences_a_model_reads_from_one_message_stay_apart_in_consolidation() -> None:
    from prefmem.memory.consolidation.job import ConsolidationJob
    from prefmem.memory.embeddings.fake import HashingEmbedder
    from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore
    from prefmem.memory.semantic.store import SemanticStore

    both = json.dumps(
        {
            "preferences": [
                {"topic": "jazz", "stance": "for", "scope": "durable"},
                {"topic": "spicy food", "stance": "against", "scope": "durable"},
            ]
        }
    )
    extractor = LLMExtractor(FakeListChatModel(responses=[both, both]))
    episodic = InMemoryEpisodicStore(HashingEmbedder())
    said = "I love jazz and I really can't stand spicy food."
    episodic.add([_said(said), _said(said, 2)])
    semantic = SemanticStore.in_memory()
    ConsolidationJob(episodic, semantic, extractor, HashingEmbedder()).run()
    # the two readings share the message's text; they must not be joined as paraphrases
    assert sorted((p.statement, p.kind) for p in semantic.preferences("ana")) == [
        ("Dislikes spicy food", "genuine"),
        ("Likes jazz", "genuine"),
    ]
