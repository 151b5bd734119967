"""The LangChain backend: message conversion, candidates, limits, and how failures are reported."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from prefmem.agent.config import LLMConfig
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.langchain import LangChainChatModel
from prefmem.memory.errors import BackendError, ConfigError, ModelUnavailableError

CONVERSATION = [
    ChatMessage("system", "Be brief."),
    ChatMessage("user", "I like tea."),
    ChatMessage("assistant", "Noted."),
    ChatMessage("user", "What do I like?"),
]


class RecordingChatModel(BaseChatModel):
    """A chat model with the usual sampling fields that records what each call saw."""

    temperature: float | None = None
    max_tokens: int | None = None
    reply: str = "  tea  "
    fail: bool = False
    calls: list[tuple[list[BaseMessage], float | None, int | None]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "recording"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.fail:
            raise RuntimeError("upstream said no")
        self.calls.append((list(messages), self.temperature, self.max_tokens))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.reply))])


def test_messages_are_converted_by_role_and_replies_stripped() -> None:
    inner = RecordingChatModel()
    model = LangChainChatModel(inner, name="recorder")

    assert model.generate(CONVERSATION) == ["tea"]

    (sent, _, _), *_ = inner.calls
    assert [type(m) for m in sent] == [SystemMessage, HumanMessage, AIMessage, HumanMessage]
    assert [m.content for m in sent] == [m.content for m in CONVERSATION]
    assert model.name == "recorder"


def test_n_candidates_are_n_requests() -> None:
    inner = GenericFakeChatModel(messages=iter([AIMessage(content=f"reply {i}") for i in range(3)]))
    model = LangChainChatModel(inner)

    replies = model.generate(CONVERSATION, n=3)

    assert sorted(replies) == ["reply 0", "reply 1", "reply 2"]


def test_reply_uses_one_request() -> None:
    model = LangChainChatModel(FakeListChatModel(responses=["first", "second"]))
    assert model.reply(CONVERSATION) == "first"
    assert model.reply(CONVERSATION) == "second"


def test_temperature_and_length_reach_models_that_have_those_fields() -> None:
    inner = RecordingChatModel(temperature=1.0, max_tokens=999)
    model = LangChainChatModel(inner, temperature=0.5, max_new_tokens=40)

    model.generate(CONVERSATION)
    model.generate(CONVERSATION, temperature=0.0, max_new_tokens=7)

    assert [(t, m) for _, t, m in inner.calls] == [(0.5, 40), (0.0, 7)]
    assert (inner.temperature, inner.max_tokens) == (1.0, 999)  # the wrapped model itself is unchanged


def test_models_without_sampling_fields_still_work() -> None:
    model = LangChainChatModel(FakeListChatModel(responses=["ok"]), temperature=0.3, max_new_tokens=5)
    assert model.generate(CONVERSATION, temperature=0.9, max_new_tokens=3) == ["ok"]


def test_a_failing_model_raises_backend_error_with_its_name() -> None:
    model = LangChainChatModel(RecordingChatModel(fail=True), name="flaky (langchain)")

    with pytest.raises(BackendError, match=r"flaky \(langchain\).*upstream said no"):
        model.generate(CONVERSATION)
    with pytest.raises(BackendError, match="upstream said no"):
        model.generate(CONVERSATION, n=2)


def test_missing_provider_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain.chat_models import base

    monkeypatch.setitem(sys.modules, "langchain_openai", None)  # importing it now raises ImportError
    base._get_chat_model_creator.cache_clear()
    try:
        with pytest.raises(ModelUnavailableError, match=r"pip install 'prefmem\[openai\]'"):
            LangChainChatModel.from_settings("gpt-4o-mini", provider="openai")
    finally:
        base._get_chat_model_creator.cache_clear()


def test_unknown_provider_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"llm\.model/llm\.provider"):
        LangChainChatModel.from_settings("some-model", provider="no-such-provider")


def test_unset_api_key_variable_is_a_config_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFMEM_TEST_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="PREFMEM_TEST_API_KEY"):
        LangChainChatModel.from_settings("gpt-4o-mini", provider="openai", api_key_env="PREFMEM_TEST_API_KEY")


def _capture_init(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def fake_init(model: str, **kwargs: Any) -> BaseChatModel:
        seen.append({"model": model, **kwargs})
        return FakeListChatModel(responses=["hello"])

    monkeypatch.setattr("langchain.chat_models.init_chat_model", fake_init)
    return seen


def test_settings_are_passed_to_init_chat_model(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture_init(monkeypatch)
    monkeypatch.setenv("PREFMEM_TEST_API_KEY", "sk-test")

    model = LangChainChatModel.from_settings(
        "my-model",
        provider="openai",
        base_url="http://127.0.0.1:8080/v1",
        api_key_env="PREFMEM_TEST_API_KEY",
        temperature=0.2,
    )

    assert seen == [
        {
            "model": "my-model",
            "model_provider": "openai",
            "temperature": 0.2,
            "base_url": "http://127.0.0.1:8080/v1",
            "api_key": "sk-test",
        }
    ]
    assert model.name == "openai:my-model (langchain)"
    assert model.reply(CONVERSATION) == "hello"


def test_base_url_and_key_are_left_out_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture_init(monkeypatch)

    LangChainChatModel.from_settings("openai:gpt-4o-mini")

    # the temperature not given is the llm section's default
    default = LLMConfig().temperature
    assert seen == [{"model": "openai:gpt-4o-mini", "model_provider": None, "temperature": default}]
