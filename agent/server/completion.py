"""One chat turn behind the API: recall, build the prompt, sample, rank, remember.

The steps are separate so the streaming route can interleave them with sending: `prepare`
(memory reads, under the Memory's lock) and `remember` (the write) are quick; `sample` and
`stream` call the upstream model and hold no lock, so many requests generate at once.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from prefmem.agent.config import ServerConfig
from prefmem.agent.llm.base import ChatMessage, ChatModel, Role
from prefmem.agent.prompt import build_messages
from prefmem.agent.server.consolidator import BackgroundConsolidator
from prefmem.agent.server.errors import ApiError
from prefmem.agent.server.schemas import ChatCompletionRequest, RequestMessage
from prefmem.agent.server.writer import ExchangeWriter
from prefmem.agent.user_data import ForgetSummary
from prefmem.api import Memory
from prefmem.memory.errors import BackendError, InvalidInputError, UnknownUserError
from prefmem.memory.models import Episode
from prefmem.memory.preferences import Preference

#: Request fields whose meaning cannot be honoured: refused rather than silently dropped.
_REFUSED = {
    "tools": "tool calling",
    "functions": "function calling",
    "tool_choice": "tool calling",
    "function_call": "function calling",
    "audio": "audio output",
    "logprobs": "log-probabilities",
    "top_logprobs": "log-probabilities",
}
_ROLES: dict[str, Role] = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
}


@dataclass
class Turn:
    """Everything a turn needs once the request is read and memory recalled."""

    completion_id: str
    created: int
    user_id: str
    session_id: str
    message: str
    prompt: list[ChatMessage]
    recalled: list[Episode]
    preferences: list[Preference]
    choices: int
    samples: int
    temperature: float | None
    max_tokens: int | None
    trace: bool
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """The replies, best first, and how each candidate scored (empty when there was no ranking)."""

    replies: list[str]
    candidates: list[dict[str, Any]]
    diversity: float | None = None
    note: str | None = None


def _text(message: RequestMessage, number: int) -> str:
    content = message.content
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        if part.type != "text" or part.text is None:
            raise ApiError(400, f"messages.{number}: only text content is supported", param="messages")
        parts.append(part.text)
    return "".join(parts)


def _refused(request: ChatCompletionRequest) -> None:
    extra = request.model_extra or {}
    for name, what in _REFUSED.items():
        value = extra.get(name)
        if value not in (None, False, [], {}, "none", "auto"):
            raise ApiError(400, f"{name}: {what} is not supported by this server", param=name)
    response_format = extra.get("response_format")
    if response_format is not None and not (
        isinstance(response_format, dict) and response_format.get("type") == "text"
    ):
        raise ApiError(400, "response_format: only text replies are supported", param="response_format")
    modalities = extra.get("modalities")
    if modalities is not None and modalities != ["text"]:
        raise ApiError(400, "modalities: only text replies are supported", param="modalities")


def _key(text: str) -> str:
    return " ".join(text.lower().split())


class TraceCache:
    """The latest traces by completion id, each with its user (oldest dropped first)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, completion_id: str, user_id: str, trace: dict[str, Any]) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._items[completion_id] = (user_id, trace)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def get(self, completion_id: str) -> tuple[str, dict[str, Any]] | None:
        with self._lock:
            return self._items.get(completion_id)

    def forget(self, user_id: str) -> int:
        """Drop the user's traces (they quote the user's words); returns how many went."""
        with self._lock:
            doomed = [key for key, (owner, _) in self._items.items() if owner == user_id]
            for key in doomed:
                del self._items[key]
        return len(doomed)


class CompletionService:
    """Chat turns over one Memory and one upstream chat model."""

    def __init__(self, memory: Memory, llm: ChatModel, settings: ServerConfig) -> None:
        self.memory = memory
        self.llm = llm
        self.settings = settings
        self.traces = TraceCache(settings.trace_cache)
        self.consolidator = BackgroundConsolidator(
            memory,
            every=memory.config.consolidation.every_n_interactions,
            idle_s=settings.consolidate_idle_s,
            within_s=settings.consolidate_within_s,
        )
        self.writer = ExchangeWriter(
            memory, index_delay_s=settings.index_delay_ms / 1000.0, on_stored=self.consolidator.stored
        )

    def forget(self, user_id: str) -> ForgetSummary:
        """Forget the user everywhere: their queued exchanges are stored first (so none is
        written after forgetting), then every store, then the traces kept here."""
        self.writer.wait_for_user(user_id)
        summary = self.memory.forget(user_id)
        self.traces.forget(user_id)
        return summary

    def close(self) -> None:
        """Store every queued exchange and stop the background threads (at shutdown)."""
        self.writer.close()
        self.consolidator.stop()

    # -- reading the request and memory ------------------------------------------------------
    def prepare(self, request: ChatCompletionRequest, user_id: str) -> Turn:
        """Check the request, recall the user's memories and build the prompt (400 on bad input)."""
        _refused(request)
        config = self.memory.config
        choices = request.n or 1
        if choices > self.settings.max_n:
            raise ApiError(400, f"n: at most {self.settings.max_n}", param="n")
        conversation = [(m.role, _text(m, number)) for number, m in enumerate(request.messages)]
        for number, (role, _) in enumerate(conversation):
            if role not in _ROLES:
                raise ApiError(400, f"messages.{number}: {role} messages are not supported", param="messages")
        if conversation[-1][0] != "user" or not conversation[-1][1].strip():
            raise ApiError(400, "messages: the last message must be the user's, with text", param="messages")
        system = "\n\n".join(text for role, text in conversation if _ROLES[role] == "system" and text.strip())
        earlier = [
            ChatMessage(_ROLES[role], text)
            for role, text in conversation[:-1]
            if _ROLES[role] != "system" and text.strip()
        ]
        message = conversation[-1][1]
        recalled, preferences = self._memories(user_id, message, earlier)
        prompt = build_messages(
            system or config.assistant.system_prompt,
            message,
            recalled=recalled,
            preferences=preferences,
            max_memory_chars=config.assistant.max_memory_chars,
        )
        prompt = [*prompt[:-1], *earlier, prompt[-1]]  # system and memory, then the conversation
        candidates = config.assistant.candidates
        rerank = candidates > 1 and (not request.stream or self.settings.stream_rerank or choices > 1)
        samples = max(choices, candidates) if rerank else choices
        temperature = request.temperature
        if temperature is None and samples > 1:
            temperature = config.assistant.candidate_temperature
        limit = request.max_completion_tokens or request.max_tokens
        options = request.prefmem
        extra = sorted(request.model_extra or {})
        return Turn(
            completion_id=f"chatcmpl-{uuid.uuid4().hex}",
            created=int(time.time()),
            user_id=user_id,
            session_id=options.session_id if options else "default",
            message=prompt[-1].content,
            prompt=prompt,
            recalled=recalled,
            preferences=preferences,
            choices=choices,
            samples=samples,
            temperature=temperature,
            max_tokens=min(limit, 8192) if limit else None,
            trace=options.trace if options and options.trace is not None else self.settings.trace,
            ignored=extra,
        )

    def _memories(
        self, user_id: str, message: str, earlier: Sequence[ChatMessage]
    ) -> tuple[list[Episode], list[Preference]]:
        """Recalled exchanges (minus those already in the conversation) and usable preferences."""
        config = self.memory.config
        limit = config.assistant.max_message_chars
        if len(message.strip()) > limit:
            raise InvalidInputError(f"the message is longer than {limit} characters")
        self.writer.wait_for_user(user_id)  # the user's earlier exchanges are stored: recall sees them
        preferences = self.memory.personalizing_preferences(user_id)
        try:
            recalled = [] if config.assistant.memory == "semantic" else self.memory.recall(user_id, message)
        except UnknownUserError:
            recalled = []  # a new user: nothing to recall yet
        said = {_key(m.content) for m in earlier if m.role == "user"}
        return [e for e in recalled if _key(e.interaction.user_text) not in said], preferences

    # -- the upstream model ------------------------------------------------------------------
    def sample(self, turn: Turn) -> list[str]:
        """The turn's candidates, from one upstream call (the model decides how it makes them)."""
        texts = self.llm.generate(
            turn.prompt, n=turn.samples, temperature=turn.temperature, max_new_tokens=turn.max_tokens
        )
        return [text.strip() for text in texts]

    def stream(self, turn: Turn) -> Iterator[str]:
        """One sample, piece by piece as the upstream writes it."""
        return self.llm.stream(turn.prompt, temperature=turn.temperature, max_new_tokens=turn.max_tokens)

    def choose(self, turn: Turn, texts: Sequence[str]) -> Outcome:
        """Rank the candidates under the user's reward, best first (no ranking for one sample)."""
        usable = [text for text in texts if text.strip()]
        if not usable:
            raise BackendError(f"the chat model {self.llm.name} returned an empty reply")
        if turn.samples <= 1 or len(usable) == 1:
            return Outcome(replies=list(usable[: turn.choices]), candidates=[])
        try:
            ranking = self.memory.rerank(turn.user_id, turn.message, usable)
        except InvalidInputError as error:  # e.g. a candidate too long to score: keep the model's order
            return Outcome(replies=list(usable[: turn.choices]), candidates=[], note=f"not ranked: {error}")
        ranked = [c.text for c in ranking.candidates]
        return Outcome(
            replies=ranked[: turn.choices],
            candidates=[c.to_dict() for c in ranking.candidates],
            diversity=ranking.diversity,
        )

    # -- writing -----------------------------------------------------------------------------
    def remember(self, turn: Turn, reply: str) -> str | None:
        """Store the exchange (the chosen reply); the user is consolidated in the background
        when due (see `consolidator`).

        With server.write_behind (and no trace asked for) the exchange is queued and this
        returns None at once; otherwise it returns the record id once the exchange is stored.
        """
        limit = self.memory.config.assistant.max_message_chars
        stored = reply if len(reply) <= limit else reply[: limit - 1].rstrip() + "…"
        exchange = {
            "user_id": turn.user_id,
            "message": turn.message,
            "reply": stored if stored.strip() else "",
            "session_id": turn.session_id,
            "metadata": {"source": "server", "completion_id": turn.completion_id},
        }
        if self.settings.write_behind and not turn.trace:
            self.writer.submit(exchange)
            return None
        return self.writer.store(exchange)

    def trace(self, turn: Turn, outcome: Outcome, interaction_id: str | None) -> dict[str, Any]:
        """Why the reply is what it is; kept for GET /v1/traces/{completion id}."""
        trace: dict[str, Any] = {
            "completion_id": turn.completion_id,
            "interaction_id": interaction_id,
            "user_id": turn.user_id,
            "session_id": turn.session_id,
            "model": self.llm.name,
            "recalled": [e.model_dump(mode="json") for e in turn.recalled],
            "preferences": [p.model_dump(mode="json") for p in turn.preferences],
            "prompt": [{"role": m.role, "content": m.content} for m in turn.prompt],
            "samples": turn.samples,
            "candidates": outcome.candidates,
            "diversity": outcome.diversity,
            "ignored_fields": turn.ignored,
        }
        if outcome.note:
            trace["note"] = outcome.note
        self.traces.put(turn.completion_id, turn.user_id, trace)
        return trace


def pieces(text: str) -> list[str]:
    """A chosen reply cut into word-sized pieces for streaming (joined, they are the reply)."""
    return re.findall(r"\s*\S+\s*|\s+", text) or [text]
