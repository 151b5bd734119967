"""Looking into a user's memory: a preference's explanation, and recall side by side.

`GET|POST /v1/users/{id}/recall` answers, for one message, what episodic memory would bring
by similarity, by recency and hybrid, and what semantic memory would (the usable
preferences, by similarity to the message), each with its scores: the web page's
comparison of episodic and semantic recall. Same key checks as the other user routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from prefmem.agent.server.auth import Caller, caller
from prefmem.agent.server.schemas import MAX_USER_ID
from prefmem.api import Memory
from prefmem.memory.episodic.base import RECALL_MODES
from prefmem.memory.errors import UnknownUserError

router = APIRouter(prefix="/v1/users", tags=["users"])
UserId = Annotated[str, Path(min_length=1, max_length=MAX_USER_ID, description="The user's id.")]
PreferenceId = Annotated[str, Path(min_length=1, max_length=200, description="The preference's id.")]
CallerDep = Annotated[Caller, Depends(caller)]


class RecallRequest(BaseModel):
    """POST /v1/users/{id}/recall: the message to recall for (none: the newest and all)."""

    model_config = ConfigDict(extra="forbid")

    query: str | None = Field(default=None, max_length=4000)
    k: int | None = Field(default=None, ge=0, le=100, description="Per column (default episodic.top_k).")


def _memory(request: Request, who: Caller, user_id: str) -> Memory:
    who.require(user_id)
    memory: Memory = request.app.state.memory
    return memory


@router.get("/{user_id}/preferences/{preference_id}/explanation")
async def explain_preference(
    user_id: UserId, preference_id: PreferenceId, request: Request, who: CallerDep
) -> dict[str, Any]:
    """Why the preference has its kind: its reason, support, history and evidence records."""
    memory = _memory(request, who, user_id)
    explanation = await run_in_threadpool(memory.explain, user_id, preference_id)
    return explanation.to_dict()


def _columns(memory: Memory, user_id: str, query: str | None, k: int | None) -> dict[str, Any]:
    """The four columns; empty ones for a user nothing is held about yet."""
    text = query if query and query.strip() else None
    columns: dict[str, list[dict[str, Any]]] = {}
    try:
        for mode in RECALL_MODES:
            if mode != "recency" and text is None:
                columns[mode] = []  # by meaning needs a message
                continue
            found = memory.recall(user_id, text, mode=mode, k=k)
            columns[mode] = [episode.model_dump(mode="json") for episode in found]
    except UnknownUserError:
        columns = {mode: [] for mode in RECALL_MODES}
    semantic = memory.recall_preferences(user_id, text, k=k)
    columns["semantic"] = [item.to_dict() for item in semantic]
    return {"object": "recall", "user_id": user_id, "query": text, "columns": columns}


@router.get("/{user_id}/recall")
async def recall_side_by_side(
    user_id: UserId,
    request: Request,
    who: CallerDep,
    query: Annotated[str | None, Query(max_length=4000, description="The message.")] = None,
    k: Annotated[int | None, Query(ge=0, le=100, description="Per column (default episodic.top_k).")] = None,
) -> dict[str, Any]:
    """Episodic recall by similarity, recency and hybrid, and semantic recall, for one message."""
    memory = _memory(request, who, user_id)
    return await run_in_threadpool(_columns, memory, user_id, query, k)


@router.post("/{user_id}/recall")
async def recall_side_by_side_post(
    user_id: UserId, body: RecallRequest, request: Request, who: CallerDep
) -> dict[str, Any]:
    """The same as GET, with the message in the body (long messages, no URL logs)."""
    memory = _memory(request, who, user_id)
    return await run_in_threadpool(_columns, memory, user_id, body.query, body.k)
