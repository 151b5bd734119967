"""The application factory and the request-size limit."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prefmem.agent.config import ServerConfig
from prefmem.agent.llm.base import ChatModel
from prefmem.agent.server import routes_chat, routes_inspect, routes_users
from prefmem.agent.server.auth import ApiKeys
from prefmem.agent.server.completion import CompletionService
from prefmem.agent.server.errors import error_body, install_error_handlers
from prefmem.agent.server.web import install_web
from prefmem.api import Memory


class BodyLimit:
    """Answers 413 to a request whose body is larger than `max_bytes`, declared or sent.

    The body is read here (it is at most `max_bytes`) and handed on unchanged, so a chunked
    upload without a Content-Length is held to the same limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            error_body(
                413, f"the request body is larger than {self.max_bytes} bytes", code="request_too_large"
            )
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def create_app(
    memory: Memory,
    llm: ChatModel,
    *,
    settings: ServerConfig | None = None,
    api_keys: Mapping[str, str] | None = None,
) -> FastAPI:
    """The HTTP API over this Memory and upstream chat model.

    `settings` default to the Memory's `server` section; `api_keys` (key to user id) replace
    its `server.api_keys` when given (the command line merges $PREFMEM_API_KEYS into them).
    The caller owns `memory` and closes it.
    """
    chosen = settings or memory.config.server
    keys = dict(chosen.api_keys if api_keys is None else api_keys)
    completions = CompletionService(memory, llm, chosen)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        completions.close()  # queued exchanges are stored before the Memory closes

    app = FastAPI(
        lifespan=lifespan,
        title="prefmem",
        summary="An OpenAI-compatible chat API with memory that personalizes only what stays stable.",
        version="0.1.0",
    )
    app.state.memory = memory
    app.state.api_keys = ApiKeys(keys)
    app.state.completions = completions
    app.state.started = int(time.time())
    install_error_handlers(app)
    app.include_router(routes_chat.router)
    app.include_router(routes_users.router)
    app.include_router(routes_inspect.router)
    install_web(app)
    app.add_middleware(BodyLimit, max_bytes=chosen.max_body_bytes)
    return app
