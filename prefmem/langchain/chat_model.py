"""`PersonalizedChatModel`: any LangChain chat model, personalized by a prefmem memory.

One call does what prefmem's own chat does, around a model the application already uses:
recall the user's preferences and relevant past exchanges into the system prompt, sample
N candidate replies from the wrapped model, rerank them under the user's reward
(`Memory.rerank`), answer with the best, and remember the exchange.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.callbacks import (
    AsyncCallbackManager,
    AsyncCallbackManagerForLLMRun,
    CallbackManager,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.language_models.base import LangSmithParams
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
)
from langchain_core.messages.ai import UsageMetadata, add_usage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult, LLMResult
from langchain_core.runnables import RunnableConfig
from pydantic import ConfigDict, Field

from prefmem.agent.prompt import MEMORY_NOTE, memory_message
from prefmem.api import Memory
from prefmem.memory.errors import InvalidInputError, UnknownUserError, UsageError
from prefmem.memory.models import Episode
from prefmem.memory.preferences import Preference

#: Keys of `config["configurable"]` (and call keywords) that name whose memory a call uses.
_IDENTITY_KEYS = ("user_id", "session_id")
_PIECES = re.compile(r"\s*\S+\s*")


@dataclass
class _Turn:
    """One call's personalization: who, what they asked, the prompt sent, what memory added."""

    user_id: str
    session_id: str
    query: str
    prompt: list[BaseMessage]
    preferences: list[Preference]
    recalled: list[Episode]
    forwarded: dict[str, Any] = field(default_factory=dict)


class PersonalizedChatModel(BaseChatModel):
    """Wrap a chat model so its replies are personalized for a user from prefmem memory.

    Per call: the user (`user_id` here, or `config={"configurable": {"user_id": ...,
    "session_id": ...}}`, or the call keyword `user_id=`) has their personalizing
    preferences and the past exchanges recalled for the latest user message added as quoted
    data, in a message of the user's role after the system message (the conversation's own
    system message, or `system_prompt`, default assistant.system_prompt; agent/prompt.py);
    `candidates` replies (default assistant.candidates) are sampled from `llm` and reranked
    with `Memory.rerank`; the best is the reply, with the
    ranking in `response_metadata["prefmem"]` (and the chat generation's
    `generation_info`): `candidates` best first with each score's terms, `chosen` (the
    winner's index among the drafts), `preferences` (ids) and `preference_statements` in
    the prompt, `recalled` (episode ids), `coefficients`, `diversity` and, with `remember`,
    `interaction_id`, the exchange stored in the user's session.
    Usage metadata is the sum over all candidates: what the call cost.

    Candidates differ only as much as the wrapped model samples: give it a temperature
    above 0. Streaming yields the chosen reply once ranking is done (the best reply cannot
    be known before all candidates are complete). Tool binding and structured output are
    not supported (`bind_tools` raises `NotImplementedError`): a personalized reply is text.
    Results are never cached (`cache=False`): every call personalizes and remembers. When a
    `PrefmemChatMessageHistory` already stores the conversation, set `remember=False` so
    each exchange is stored once.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llm: BaseChatModel = Field(description="The chat model that writes the candidate replies.")
    memory: Memory = Field(description="The user memory that personalizes them.")
    user_id: str | None = Field(default=None, description="The user, unless given per call.")
    session_id: str = Field(default="default", min_length=1, description="The session the exchange joins.")
    candidates: int | None = Field(default=None, ge=1, le=32, description="Default assistant.candidates.")
    recall_k: int | None = Field(default=None, ge=0, description="Default episodic.top_k.")
    system_prompt: str | None = Field(default=None, description="Default assistant.system_prompt.")
    remember: bool = Field(default=True, description="Store each exchange in the user's memory.")
    stop: list[str] | None = Field(default=None, description="Stop sequences passed to the wrapped model.")
    cache: BaseCache | bool | None = Field(default=False, exclude=True)

    # -- identity --------------------------------------------------------------------------
    @property
    def _llm_type(self) -> str:
        return "prefmem-personalized"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"llm": self._wrapped_name(), "candidates": self._count(), "remember": self.remember}

    def _wrapped_name(self) -> str:
        params = self.llm._get_ls_params()
        name = params.get("ls_model_name")
        return name if isinstance(name, str) and name else self.llm._llm_type

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(ls_provider="prefmem", ls_model_type="chat")
        override = kwargs.get("model")
        params["ls_model_name"] = override if isinstance(override, str) else self._wrapped_name()
        stops = stop if stop is not None else self.stop
        if stops:
            params["ls_stop"] = stops
        wrapped = self.llm._get_ls_params()
        for key in ("ls_temperature", "ls_max_tokens"):
            if key in wrapped:
                params[key] = wrapped[key]  # type: ignore[literal-required]
        return params

    # -- the identity may come from the run's configuration --------------------------------
    def invoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        return super().invoke(input, config, stop=stop, **_identity(config, kwargs))

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        return await super().ainvoke(input, config, stop=stop, **_identity(config, kwargs))

    def stream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> Iterator[AIMessageChunk]:
        return super().stream(input, config, stop=stop, **_identity(config, kwargs))

    async def astream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[AIMessageChunk]:
        async for chunk in super().astream(input, config, stop=stop, **_identity(config, kwargs)):
            yield chunk

    # -- generation ------------------------------------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        turn = self._prepare(messages, kwargs)
        drafts = self.llm.generate(
            [turn.prompt] * self._count(),
            stop=stop if stop is not None else self.stop,
            callbacks=_children(run_manager),
            **turn.forwarded,
        )
        return self._finish(turn, drafts)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        turn = await asyncio.to_thread(self._prepare, messages, kwargs)
        drafts = await self.llm.agenerate(
            [turn.prompt] * self._count(),
            stop=stop if stop is not None else self.stop,
            callbacks=_async_children(run_manager),
            **turn.forwarded,
        )
        return await asyncio.to_thread(self._finish, turn, drafts)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        result = self._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        for chunk in _chunks(result.generations[0]):
            if run_manager is not None:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        result = await self._agenerate(messages, stop=stop, run_manager=run_manager, **kwargs)
        for chunk in _chunks(result.generations[0]):
            if run_manager is not None:
                await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    # -- the personalization around the wrapped model ---------------------------------------
    def _count(self) -> int:
        return self.candidates if self.candidates is not None else self.memory.config.assistant.candidates

    def _prepare(self, messages: Sequence[BaseMessage], kwargs: dict[str, Any]) -> _Turn:
        """Who is asking, what, and the prompt with their memory as quoted data after the system message."""
        forwarded = dict(kwargs)
        user_id = forwarded.pop("user_id", None) or self.user_id
        session_id = forwarded.pop("session_id", None) or self.session_id
        if not isinstance(user_id, str) or not user_id.strip():
            raise UsageError(
                "PersonalizedChatModel needs a user: set user_id=..., or pass "
                'config={"configurable": {"user_id": ...}}'
            )
        asked = [m for m in messages if isinstance(m, HumanMessage) and m.text.strip()]
        if not asked:
            raise InvalidInputError("the conversation has no user message to answer")
        query = asked[-1].text
        settings = self.memory.config
        preferences = self.memory.personalizing_preferences(user_id)
        recalled: list[Episode] = []
        if settings.assistant.memory != "semantic" and self.recall_k != 0:
            try:
                recalled = self.memory.recall(user_id, query, k=self.recall_k)
            except UnknownUserError:
                recalled = []
            present = {" ".join(m.text.split()) for m in asked}
            recalled = [e for e in recalled if " ".join(e.interaction.user_text.split()) not in present]
        memory = memory_message(recalled, preferences, max_memory_chars=settings.assistant.max_memory_chars)
        prompt = list(messages)
        base: str = self.system_prompt or settings.assistant.system_prompt
        if prompt and isinstance(prompt[0], SystemMessage):
            base = prompt[0].text
            prompt = prompt[1:]
        if memory is not None:  # the user's words as quoted data, never in the system message
            prompt.insert(0, HumanMessage(content=memory.content))
            base = f"{base}\n\n{MEMORY_NOTE}"
        prompt.insert(0, SystemMessage(content=base))
        return _Turn(user_id, session_id, query, prompt, preferences, recalled, forwarded)

    def _finish(self, turn: _Turn, drafts: LLMResult) -> ChatResult:
        """Rank the candidates, answer with the best, remember the exchange."""
        generations = [candidate[0] for candidate in drafts.generations]
        messages = [_as_message(generation) for generation in generations]
        texts = [m.text.strip() for m in messages]
        usage: UsageMetadata | None = None
        for message in messages:
            if isinstance(message, AIMessage) and message.usage_metadata:
                usage = add_usage(usage, message.usage_metadata)
        scored = [text for text in texts if text]
        trace: dict[str, Any] = {
            "user_id": turn.user_id,
            "session_id": turn.session_id,
            "preference_statements": [p.statement for p in turn.preferences],
            "recalled": [e.id for e in turn.recalled],
        }
        chosen = 0
        if scored:
            ranking = self.memory.rerank(turn.user_id, turn.query, scored)
            chosen = texts.index(ranking.best.text.strip())
            trace.update(ranking.to_dict())
        trace["chosen"] = chosen
        best = messages[chosen]
        if self.remember:
            trace["interaction_id"] = self.memory.add(
                turn.user_id, turn.query, texts[chosen], session_id=turn.session_id
            )
        metadata = {**best.response_metadata, "prefmem": trace}
        metadata.setdefault("model_name", self._wrapped_name())
        reply = AIMessage(
            content=best.content,
            id=best.id,
            response_metadata=metadata,
            additional_kwargs=best.additional_kwargs,
            usage_metadata=usage,
        )
        info = {**(generations[chosen].generation_info or {}), "prefmem": trace}
        return ChatResult(
            generations=[ChatGeneration(message=reply, generation_info=info)],
            llm_output={"model_name": metadata["model_name"]},
        )


def _as_message(generation: Any) -> AIMessage:
    message = generation.message if isinstance(generation, ChatGeneration) else None
    return message if isinstance(message, AIMessage) else AIMessage(content=generation.text)


def _children(run_manager: CallbackManagerForLLMRun | None) -> CallbackManager | None:
    """Callbacks for the wrapped model's calls, as child runs of this one (so traces nest)."""
    if run_manager is None:
        return None
    manager = CallbackManager(handlers=[], parent_run_id=run_manager.run_id)
    manager.set_handlers(run_manager.inheritable_handlers)
    manager.add_tags(run_manager.inheritable_tags)
    manager.add_metadata(run_manager.inheritable_metadata)
    return manager


def _async_children(run_manager: AsyncCallbackManagerForLLMRun | None) -> AsyncCallbackManager | None:
    """As `_children`, for async calls."""
    if run_manager is None:
        return None
    manager = AsyncCallbackManager(handlers=[], parent_run_id=run_manager.run_id)
    manager.set_handlers(run_manager.inheritable_handlers)
    manager.add_tags(run_manager.inheritable_tags)
    manager.add_metadata(run_manager.inheritable_metadata)
    return manager


def _identity(config: RunnableConfig | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The call keywords, with the user and session of `config["configurable"]` unless given."""
    configurable = (config or {}).get("configurable") or {}
    found = {key: configurable[key] for key in _IDENTITY_KEYS if configurable.get(key) and key not in kwargs}
    return {**kwargs, **found}


def _chunks(generation: ChatGeneration) -> Iterator[ChatGenerationChunk]:
    """The chosen reply as word-sized chunks; the last carries the metadata and usage."""
    message = generation.message
    assert isinstance(message, AIMessage)
    pieces = _PIECES.findall(message.text) or [message.text]
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content=piece,
                id=message.id,
                response_metadata=message.response_metadata if last else {},
                usage_metadata=message.usage_metadata if last else None,
                chunk_position="last" if last else None,
            ),
            generation_info=generation.generation_info if last else None,
        )
