"""POST /v1/chat/completions, GET /v1/models and GET /v1/traces/{id}."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from prefmem.agent.server.auth import Caller, caller
from prefmem.agent.server.completion import CompletionService, Outcome
from prefmem.agent.server.errors import ApiError
from prefmem.agent.server.schemas import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    ModelCard,
    ModelList,
)
from prefmem.agent.server.streaming import stream_events
from prefmem.memory.text_checks import id_problem

router = APIRouter(prefix="/v1", tags=["chat"])
CallerDep = Annotated[Caller, Depends(caller)]
TRACE_HEADER = "X-Prefmem-Trace-Id"
_T = TypeVar("_T")


def _service(request: Request) -> CompletionService:
    service: CompletionService = request.app.state.completions
    return service


def _user(request: ChatCompletionRequest, who: Caller, default: str | None) -> str:
    """The key's user; without keys the request's `user` (or `safety_identifier`), else the default."""
    if who.user_id is not None:
        return who.user_id
    named = request.user if request.user and request.user.strip() else request.safety_identifier
    user = named if named and named.strip() else default
    if user is None:
        raise ApiError(400, "user: name the user (the `user` field) or use an API key", param="user")
    problem = id_problem(user, what="user")
    if problem is not None:
        raise ApiError(400, f"user: {problem}", param="user")
    return user


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    response_model_exclude_none=False,
    responses={200: {"content": {"text/event-stream": {}}, "description": "A reply, or its event stream."}},
)
async def chat_completions(body: ChatCompletionRequest, request: Request, who: CallerDep) -> Response:
    """A reply from the upstream model, personalized by the user's memory; the exchange is stored.

    The client's conversation is kept; its system (or developer) messages replace
    assistant.system_prompt, and the user's recalled exchanges and preferences follow it as
    quoted data in a message of the user's role (agent/prompt.py). `n` choices come best
    first under the user's reward (at least assistant.candidates are sampled and ranked).
    With `stream: true` the reply comes as server-sent events (see agent/server/streaming.py).
    The trace comes back when asked for (`"prefmem": {"trace": true}` or server.trace): in the
    field `prefmem_trace` of the reply (or of the last chunk), and from GET /v1/traces/{id}.
    """
    service = _service(request)
    user_id = _user(body, who, service.settings.default_user)
    with service.consolidator.request():
        return await _complete(service, body, user_id)


async def _complete(service: CompletionService, body: ChatCompletionRequest, user_id: str) -> Response:
    timing = _Timing()
    turn = await timing.run("recall", service.prepare, body, user_id)
    model = service.settings.model_name
    headers = {TRACE_HEADER: turn.completion_id} if turn.trace else {}
    if body.stream:
        usage = bool(body.stream_options and body.stream_options.include_usage)
        headers.update({"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return StreamingResponse(
            stream_events(service, turn, model, usage=usage), media_type="text/event-stream", headers=headers
        )

    def answer() -> tuple[Outcome, str | None]:  # one trip to a worker thread for the rest
        texts = timing.call("upstream", service.sample, turn)
        outcome = timing.call("rank", service.choose, turn, texts)
        return outcome, timing.call("store", service.remember, turn, outcome.replies[0])

    outcome, interaction_id = await run_in_threadpool(answer)
    reply = ChatCompletion(
        id=turn.completion_id,
        created=turn.created,
        model=model,
        choices=[
            Choice(index=index, message=AssistantMessage(content=text))
            for index, text in enumerate(outcome.replies)
        ],
        prefmem_trace=service.trace(turn, outcome, interaction_id) if turn.trace else None,
    )
    hidden = {"prefmem_trace"} if reply.prefmem_trace is None else None
    headers["Server-Timing"] = timing.header()
    return JSONResponse(reply.model_dump(mode="json", exclude=hidden), headers=headers)


class _Timing:
    """Milliseconds per step, waits for the Memory's lock included, for the Server-Timing header."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []

    async def run(self, name: str, function: Callable[..., _T], *args: Any) -> _T:
        """Call `function` in a worker thread, timed."""
        return await run_in_threadpool(self.call, name, function, *args)

    def call(self, name: str, function: Callable[..., _T], *args: Any) -> _T:
        """Call `function` here, timed."""
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.steps.append((name, (time.perf_counter() - start) * 1000.0))

    def header(self) -> str:
        return ", ".join(f"{name};dur={ms:.2f}" for name, ms in self.steps)


@router.get("/models", response_model=ModelList)
def list_models(request: Request, who: CallerDep) -> ModelList:
    """The one model this server offers (whatever upstream answers behind it)."""
    return ModelList(data=[_card(request)])


@router.get("/models/{model}", response_model=ModelCard)
def get_model(model: str, request: Request, who: CallerDep) -> ModelCard:
    card = _card(request)
    if model != card.id:
        raise ApiError(404, f"no model {model!r}; this server offers {card.id!r}", code="model_not_found")
    return card


def _card(request: Request) -> ModelCard:
    service = _service(request)
    return ModelCard(id=service.settings.model_name, created=request.app.state.started)


@router.get("/traces/{completion_id}")
def get_trace(completion_id: str, request: Request, who: CallerDep) -> dict[str, object]:
    """The trace of a recent reply that asked for one (kept for the last server.trace_cache replies)."""
    found = _service(request).traces.get(completion_id)
    if found is None:
        raise ApiError(404, f"no trace for {completion_id!r} (traces are kept only when asked for)")
    user_id, trace = found
    who.require(user_id)
    return trace
