"""Streamed replies as server-sent events, in OpenAI's chunk format, ending with `data: [DONE]`.

Time to first token: the first event (the assistant role, empty content) goes out as soon as
memory is recalled, before the upstream is called, so the client sees the reply begin at once.
Then, either

- one sample (n = 1 with assistant.candidates = 1, or server.stream_rerank off): the upstream's
  pieces are forwarded as it writes them, so the first word arrives with the upstream's own
  first token; or
- best-of-N: the candidates are generated in one upstream call (a remote model's concurrently
  or in one batch, so N take about as long as the slowest; the embedded model reads the prompt
  once and writes them one after another, four in about 3 s on 2 cores), ranked, and the
  chosen reply is streamed; the first word arrives once the candidates exist.

The exchange is stored when the reply is complete, just before the final chunk; a client that
disconnects earlier leaves nothing stored. An upstream failure mid-stream ends the stream with
an error event in OpenAI's shape.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from prefmem.agent.server.completion import CompletionService, Outcome, Turn, pieces
from prefmem.agent.server.errors import error_body, from_prefmem
from prefmem.memory.errors import PrefmemError


def _event(payload: dict[str, Any] | str) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return f"data: {data}\n\n".encode()


def _chunk(turn: Turn, model: str, choices: list[dict[str, Any]], **extra: Any) -> bytes:
    body: dict[str, Any] = {
        "id": turn.completion_id,
        "object": "chat.completion.chunk",
        "created": turn.created,
        "model": model,
        "system_fingerprint": None,
        "choices": choices,
    }
    body.update(extra)
    return _event(body)


def _delta(
    index: int, content: str | None = None, *, role: bool = False, finish: str | None = None
) -> dict[str, Any]:
    delta: dict[str, Any] = {}
    if role:
        delta["role"] = "assistant"
        delta["content"] = ""
    if content is not None:
        delta["content"] = content
    return {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}


async def stream_events(
    service: CompletionService, turn: Turn, model: str, *, usage: bool
) -> AsyncIterator[bytes]:
    """The whole event stream of one streamed reply."""
    with service.consolidator.request():
        async for event in _events(service, turn, model, usage=usage):
            yield event


async def _events(service: CompletionService, turn: Turn, model: str, *, usage: bool) -> AsyncIterator[bytes]:
    yield _chunk(turn, model, [_delta(index, role=True) for index in range(turn.choices)])
    try:
        if turn.samples == 1:
            parts: list[str] = []
            async for piece in iterate_in_threadpool(service.stream(turn)):
                if piece:
                    parts.append(piece)
                    yield _chunk(turn, model, [_delta(0, piece)])
            text = "".join(parts).strip()
            outcome = await run_in_threadpool(service.choose, turn, [text])
        else:
            outcome = await run_in_threadpool(lambda: service.choose(turn, service.sample(turn)))
            for index, reply in enumerate(outcome.replies):
                for piece in pieces(reply):
                    yield _chunk(turn, model, [_delta(index, piece)])
        interaction_id = await run_in_threadpool(service.remember, turn, outcome.replies[0])
    except PrefmemError as error:
        api = from_prefmem(error)
        yield _event(error_body(api.status, api.message, code=api.code))
        yield _event("[DONE]")
        return
    yield _final(service, turn, model, outcome, interaction_id)
    if usage:
        yield _chunk(turn, model, [], usage=None)
    yield _event("[DONE]")


def _final(
    service: CompletionService, turn: Turn, model: str, outcome: Outcome, interaction_id: str | None
) -> bytes:
    """The chunk that closes every choice; with the trace when it was asked for."""
    finish = [_delta(index, finish="stop") for index in range(len(outcome.replies))]
    if turn.trace:
        return _chunk(turn, model, finish, prefmem_trace=service.trace(turn, outcome, interaction_id))
    return _chunk(turn, model, finish)
