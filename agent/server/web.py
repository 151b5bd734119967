"""The web page at `/`: a chat with a memory inspector, plain HTML, CSS and JavaScript.

The files live in `static/` beside this module and ship in the wheel; nothing is fetched from
another host and nothing is built at install. The page talks only to the HTTP API (the same
routes and key checks as any client); `GET /web/settings` tells it whether to ask for an API key
or for a user name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from prefmem.agent.server.auth import Caller, caller
from prefmem.agent.server.completion import CompletionService

STATIC = Path(__file__).resolve().parent / "static"
#: The page may load only its own files; no inline script, no other host.
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    """The page."""
    return FileResponse(
        STATIC / "index.html",
        headers={"Content-Security-Policy": _POLICY, "Cache-Control": "no-cache"},
    )


@router.get("/web/settings")
def web_settings(request: Request) -> dict[str, object]:
    """What the page needs before the first call: keys or a name, and the server's defaults."""
    service: CompletionService = request.app.state.completions
    return {
        "api_keys": bool(request.app.state.api_keys),
        "default_user": service.settings.default_user,
        "model": service.settings.model_name,
        "candidates": service.memory.config.assistant.candidates,
        # earlier turns of the conversation the page sends with a message, as the terminal chat
        "history_turns": service.memory.config.assistant.history_turns,
        "stream_rerank": service.settings.stream_rerank,
    }


@router.get("/web/me")
def who_am_i(who: Annotated[Caller, Depends(caller)]) -> dict[str, str | None]:
    """The user the request's API key acts for (401 for a missing or unknown key; None without keys)."""
    return {"user_id": who.user_id}


def install_web(app: FastAPI) -> None:
    """Serve the page at `/` and its files under `/static/`."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
