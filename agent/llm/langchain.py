"""A chat model backed by any LangChain chat model (OpenAI, Anthropic, Ollama, a local server, ...).

`LangChainChatModel` wraps a ready `BaseChatModel`; `from_settings` builds one with
LangChain's `init_chat_model` from the `llm` section of the configuration, so any
provider LangChain knows works once its integration package is installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from prefmem.agent.config import LLMConfig
from prefmem.agent.llm.base import ChatMessage, ChatModel
from prefmem.memory.errors import BackendError, ConfigError, ModelUnavailableError

#: Field names that different providers use for the reply length limit, in order of preference.
#: The defaults of config.yaml's llm section.
_DEFAULTS = LLMConfig()
_MAX_TOKEN_FIELDS = ("max_tokens", "max_new_tokens", "max_output_tokens", "num_predict", "max_length")

#: Extras of this project that install a provider's integration package.
_EXTRAS = {"langchain-openai": "openai"}


def to_langchain(message: ChatMessage) -> BaseMessage:
    """The LangChain message for one of ours."""
    if message.role == "system":
        return SystemMessage(content=message.content)
    if message.role == "assistant":
        return AIMessage(content=message.content)
    return HumanMessage(content=message.content)


def _install_hint(error: ImportError) -> str:
    text = str(error)
    marker = "pip install "
    if marker in text:
        package = text.split(marker, 1)[1].split("`", 1)[0].strip()
        extra = _EXTRAS.get(package)
        if extra:
            return f"pip install 'prefmem[{extra}]' (or pip install {package})"
        return f"pip install {package}"
    name = getattr(error, "name", None) or "the provider's langchain integration package"
    return f"pip install {str(name).replace('_', '-')}"


class LangChainChatModel(ChatModel):
    """Sends the conversation to a LangChain chat model; n candidates are n parallel requests."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        name: str | None = None,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> None:
        self.chat_model = chat_model
        model_id = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None)
        self.name = name or (
            f"{model_id} (langchain)" if isinstance(model_id, str) else type(chat_model).__name__
        )
        self.temperature = temperature
        self.max_new_tokens = max_new_tokens

    @classmethod
    def from_settings(
        cls,
        model: str,
        *,
        provider: str | None = None,
        base_url: str | None = None,
        api_key_env: str | None = None,
        temperature: float = _DEFAULTS.temperature,
        max_new_tokens: int = _DEFAULTS.max_new_tokens,
    ) -> LangChainChatModel:
        """Build the chat model with `init_chat_model` ("provider:model" or model plus provider)."""
        kwargs: dict[str, Any] = {"temperature": temperature}
        if base_url:
            kwargs["base_url"] = base_url
        if api_key_env:
            api_key = os.environ.get(api_key_env)
            if not api_key:
                raise ConfigError(f"llm.api_key_env: the environment variable {api_key_env} is not set")
            kwargs["api_key"] = api_key
        from langchain.chat_models import init_chat_model

        try:
            chat_model = init_chat_model(model, model_provider=provider, **kwargs)
        except ImportError as error:
            raise ModelUnavailableError(
                f"the LangChain provider for {model!r} is not installed: {_install_hint(error)}"
            ) from None
        except ValueError as error:
            raise ConfigError(f"llm.model/llm.provider: {error}") from None
        except Exception as error:  # e.g. a provider that finds no API key
            raise ConfigError(
                f"cannot set up the chat model {model!r}: {type(error).__name__}: {error}"
            ) from None
        shown = f"{provider}:{model}" if provider else model
        return cls(
            chat_model, name=f"{shown} (langchain)", temperature=temperature, max_new_tokens=max_new_tokens
        )

    def _configured(self, temperature: float | None, max_new_tokens: int | None) -> BaseChatModel:
        """The wrapped model with these limits set, on the fields it has (others are left alone)."""
        fields = type(self.chat_model).model_fields
        update: dict[str, Any] = {}
        if temperature is not None and "temperature" in fields:
            update["temperature"] = temperature
        if max_new_tokens is not None:
            key = next((name for name in _MAX_TOKEN_FIELDS if name in fields), None)
            if key is not None:
                update[key] = max_new_tokens
        update = {key: value for key, value in update.items() if getattr(self.chat_model, key, None) != value}
        return self.chat_model.model_copy(update=update) if update else self.chat_model

    def generate(
        self,
        messages: Sequence[ChatMessage],
        *,
        n: int = 1,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> list[str]:
        if n < 1:
            raise ValueError("n must be at least 1")
        prompt = [to_langchain(m) for m in messages]
        chat_model = self._configured(
            self.temperature if temperature is None else temperature,
            self.max_new_tokens if max_new_tokens is None else max_new_tokens,
        )
        try:
            replies = [chat_model.invoke(prompt)] if n == 1 else chat_model.batch([prompt] * n)
        except Exception as error:
            raise BackendError(f"chat model {self.name} failed: {type(error).__name__}: {error}") from error
        return [reply.text.strip() for reply in replies]

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> Iterator[str]:
        """The reply as the provider streams it (providers without streaming send it whole)."""
        prompt = [to_langchain(m) for m in messages]
        chat_model = self._configured(
            self.temperature if temperature is None else temperature,
            self.max_new_tokens if max_new_tokens is None else max_new_tokens,
        )
        try:
            for chunk in chat_model.stream(prompt):
                if chunk.text:
                    yield chunk.text
        except Exception as error:
            raise BackendError(f"chat model {self.name} failed: {type(error).__name__}: {error}") from error
