"""The user's memory over HTTP: preferences, episodes, feedback, consolidation, forgetting.

With API keys configured, each route reaches only the key's own user (403 otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from prefmem.agent.server.auth import Caller, caller
from prefmem.agent.server.completion import CompletionService
from prefmem.agent.server.errors import ApiError
from prefmem.agent.server.schemas import (
    MAX_USER_ID,
    ConsolidateRequest,
    EpisodeList,
    FeedbackRequest,
    PreferenceEdit,
    PreferenceList,
)
from prefmem.api import Memory
from prefmem.memory.models import Feedback
from prefmem.memory.preferences import Preference, PreferenceKind

router = APIRouter(prefix="/v1/users", tags=["users"])
UserId = Annotated[str, Path(min_length=1, max_length=MAX_USER_ID, description="The user's id.")]
PreferenceId = Annotated[str, Path(min_length=1, max_length=200, description="The preference's id.")]


def _memory(request: Request, who: Caller, user_id: str) -> Memory:
    """The Memory, once the caller may reach this user."""
    who.require(user_id)
    memory: Memory = request.app.state.memory
    return memory


CallerDep = Annotated[Caller, Depends(caller)]


@router.get("/{user_id}/preferences", response_model=PreferenceList)
async def list_preferences(
    user_id: UserId,
    request: Request,
    who: CallerDep,
    kind: Annotated[list[PreferenceKind] | None, Query(description="Only these kinds.")] = None,
) -> PreferenceList:
    """The user's consolidated preferences, most stable first."""
    memory = _memory(request, who, user_id)
    found = await run_in_threadpool(lambda: memory.preferences(user_id, kinds=kind))
    return PreferenceList(data=found)


@router.patch("/{user_id}/preferences/{preference_id}", response_model=Preference)
async def edit_preference(
    user_id: UserId, preference_id: PreferenceId, body: PreferenceEdit, request: Request, who: CallerDep
) -> Preference:
    """Rewrite the preference's statement: kept as the user wrote it."""
    memory = _memory(request, who, user_id)
    return await run_in_threadpool(memory.edit, user_id, preference_id, body.statement)


@router.delete("/{user_id}/preferences/{preference_id}", response_model=Preference)
async def delete_preference(
    user_id: UserId, preference_id: PreferenceId, request: Request, who: CallerDep
) -> Preference:
    """Remove the preference; it comes back only if new evidence arrives."""
    memory = _memory(request, who, user_id)
    return await run_in_threadpool(memory.delete, user_id, preference_id)


@router.post("/{user_id}/preferences/{preference_id}/confirm", response_model=Preference)
async def confirm_preference(
    user_id: UserId, preference_id: PreferenceId, request: Request, who: CallerDep
) -> Preference:
    """The user stands by the preference, whatever later evidence says."""
    memory = _memory(request, who, user_id)
    return await run_in_threadpool(memory.confirm, user_id, preference_id)


@router.get("/{user_id}/episodes", response_model=EpisodeList)
async def list_episodes(
    user_id: UserId,
    request: Request,
    who: CallerDep,
    query: Annotated[
        str | None, Query(max_length=4000, description="Recall by meaning (none: newest).")
    ] = None,
    mode: Annotated[Literal["similarity", "recency", "hybrid"] | None, Query()] = None,
    k: Annotated[int | None, Query(ge=0, le=100, description="How many (default episodic.top_k).")] = None,
) -> EpisodeList:
    """The user's past exchanges most relevant to `query`, best first, with their scores."""
    memory = _memory(request, who, user_id)
    text = query if query and query.strip() else None
    found = await run_in_threadpool(lambda: memory.recall(user_id, text, mode=mode, k=k))
    return EpisodeList(data=found)


@router.post("/{user_id}/feedback", response_model=Feedback)
async def give_feedback(user_id: UserId, body: FeedbackRequest, request: Request, who: CallerDep) -> Feedback:
    """Store the user's choice, rating or edit, and refit their reward with it."""
    memory = _memory(request, who, user_id)
    if body.type == "rating":
        if body.response is None or body.value is None:
            raise ApiError(400, "a rating needs `response` and `value` (+1 or -1)", param="value")
        response, value = body.response, body.value
        return await run_in_threadpool(
            lambda: memory.feedback(
                user_id,
                body.prompt,
                response=response,
                value=value,
                kind="rating",
                session_id=body.session_id,
            )
        )
    if body.type == "choice":
        if body.options is None or body.chosen is None:
            raise ApiError(400, "a choice needs `options` and `chosen`", param="options")
        options, chosen = body.options, body.chosen
    else:
        if body.response is None or body.edited is None:
            raise ApiError(400, "an edit needs `response` and `edited`", param="edited")
        if body.edited.strip() == body.response.strip():
            raise ApiError(400, "the edit is the same as the reply", param="edited")
        options, chosen = [body.response, body.edited], 1
    return await run_in_threadpool(
        lambda: memory.feedback(
            user_id,
            body.prompt,
            options=options,
            chosen=chosen,
            kind="choice",
            item_id=body.item_id,
            session_id=body.session_id,
        )
    )


@router.post("/{user_id}/consolidate")
async def consolidate_user(
    user_id: UserId, request: Request, who: CallerDep, body: ConsolidateRequest | None = None
) -> dict[str, object]:
    """Turn the user's episodic memory into preferences now."""
    memory = _memory(request, who, user_id)
    force = body.force if body is not None else False
    summary = await run_in_threadpool(lambda: memory.consolidate(user_id, force=force))
    return summary.as_dict()


@router.delete("/{user_id}")
async def forget_user(user_id: UserId, request: Request, who: CallerDep) -> dict[str, Any]:
    """Remove everything held about the user, in every store, and the traces of their replies."""
    _memory(request, who, user_id)
    service: CompletionService = request.app.state.completions
    summary = await run_in_threadpool(service.forget, user_id)
    return summary.as_dict()
