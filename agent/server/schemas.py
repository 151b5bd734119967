"""Request and response bodies, following OpenAI's chat completions API where it has one.

Requests accept fields this server does not know (newer clients send new ones): they are
not forwarded to the upstream model, and the trace lists them as ignored. Fields whose
meaning cannot be honoured (tools, structured output, log-probabilities, audio) are refused.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from prefmem.memory.models import Episode
from prefmem.memory.preferences import Preference

#: Longest user id accepted in a path or a body.
MAX_USER_ID = 200


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContentPart(_Open):
    """One part of a message's content; only text parts are understood."""

    type: str
    text: str | None = None


class RequestMessage(_Open):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None


class StreamOptions(_Open):
    include_usage: bool | None = None


class PrefmemOptions(_Closed):
    """prefmem's own request options, in the extra body field `prefmem` (standard clients omit it)."""

    trace: bool | None = Field(default=None, description="Return the trace with this reply.")
    session_id: str = Field(
        default="default", min_length=1, max_length=200, description="Session the exchange belongs to."
    )


class ChatCompletionRequest(_Open):
    """POST /v1/chat/completions."""

    model: str | None = Field(default=None, description="Any name; the configured upstream answers.")
    messages: list[RequestMessage] = Field(min_length=1)
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(default=1, ge=1, description="Choices returned, best first.")
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    user: str | None = Field(default=None, max_length=MAX_USER_ID)
    safety_identifier: str | None = Field(default=None, max_length=MAX_USER_ID)
    prefmem: PrefmemOptions | None = None


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: Literal["stop", "length"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    """A reply. `prefmem_trace` is present only when the trace was asked for."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: None = None
    system_fingerprint: None = None
    prefmem_trace: dict[str, Any] | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "prefmem"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class PreferenceList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Preference]


class EpisodeList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Episode]


class PreferenceEdit(_Closed):
    """PATCH a preference: the user's own wording, kept as written."""

    statement: str = Field(min_length=1, max_length=4000)


class FeedbackRequest(_Closed):
    """POST /v1/users/{id}/feedback.

    choice: `options` (two or more replies) and `chosen` (index of the preferred one);
    rating: `response` and `value` (+1 or -1); edit: `response` and the user's `edited`
    version, stored as a choice of the edit over the reply.
    """

    type: Literal["choice", "rating", "edit"]
    prompt: str = Field(min_length=1, max_length=4000)
    options: list[str] | None = Field(default=None, max_length=64)
    chosen: int | None = Field(default=None, ge=0)
    response: str | None = Field(default=None, max_length=16000)
    value: Literal[1, -1] | None = None
    edited: str | None = Field(default=None, max_length=16000)
    item_id: str | None = Field(default=None, max_length=200)
    session_id: str = Field(default="default", min_length=1, max_length=200)


class ConsolidateRequest(_Closed):
    force: bool = Field(default=False, description="Reprocess the user even if nothing changed.")
