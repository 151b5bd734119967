"""LangChain's standard test suites (the `langchain-tests` package) on the prefmem components.

The wrapped chat model is a fake that cycles through fixed replies and reports token
usage; the memory is on disk with the hashing embedder. `langchain-tests` has no suite for
chat message histories: `test_langchain_history.py` checks that contract directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _langchain_fixtures import fake_llm, fill, open_memory
from langchain_core.language_models import BaseChatModel
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import ChatModelIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from prefmem import Memory
from prefmem.langchain import PersonalizedChatModel, PrefmemRetriever

REPLIES = ["Here is a short answer for you.", "Cook a spicy curry at home tonight, you will enjoy it."]


class _WithMemory:
    """Opens a filled memory in the test's temporary folder, for the suite's constructor params."""

    memory: Memory

    @pytest.fixture(autouse=True)
    def _memory(self, tmp_path: Path) -> Iterator[None]:
        with open_memory(tmp_path / "memory") as memory:
            fill(memory)
            self.memory = memory
            yield


class _ChatModelSetup(_WithMemory):
    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return PersonalizedChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"llm": fake_llm(REPLIES), "memory": self.memory, "user_id": "ana", "candidates": 2}

    @property
    def supports_model_override(self) -> bool:
        return False  # the wrapped fake has one model; a real one receives `model=` as given


class TestPersonalizedChatModelUnit(_ChatModelSetup, ChatModelUnitTests):
    pass


class TestPersonalizedChatModelIntegration(_ChatModelSetup, ChatModelIntegrationTests):
    pass


class TestPrefmemRetrieverStandard(_WithMemory, RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return PrefmemRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"memory": self.memory, "user_id": "ana", "k": 4}

    @property
    def retriever_query_example(self) -> str:
        return "spices for cooking a curry at home"
