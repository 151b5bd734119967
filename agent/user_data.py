"""Files kept per user outside the stores, and forgetting a user everywhere."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from prefmem.agent.reward.coefficient_store import CoefficientStore
from prefmem.memory.episodic.base import EpisodicStore, ForgetReport
from prefmem.memory.errors import UnknownUserError
from prefmem.memory.semantic.store import SemanticStore


def user_digest(user_id: str) -> str:
    """A file-name-safe digest of a user id (user ids may hold any characters)."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:32]


def chat_history_file(data_path: Path, user_id: str) -> Path:
    """Where the terminal chat keeps the user's input-line history."""
    return data_path / "history" / f"{user_digest(user_id)}.txt"


@dataclass(frozen=True)
class ForgetSummary:
    """Everything `forget_user` removed."""

    user_id: str
    interactions: int
    feedback: int
    preferences: int
    coefficients: int
    files: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def forget_user(
    store: EpisodicStore,
    semantic: SemanticStore | None,
    data_path: Path,
    user_id: str,
    *,
    coefficients: CoefficientStore | None = None,
) -> ForgetSummary:
    """Remove everything held about a user: episodic and semantic stores, coefficients, per-user files.

    Raises UnknownUserError when none of them holds anything about the user. A user whose
    exchanges were all cleared may still have preferences they confirmed: those go too.
    """
    history = chat_history_file(data_path, user_id)
    in_episodic = store.has_user(user_id)
    known = (
        in_episodic
        or (semantic is not None and user_id in semantic.users())
        or (coefficients is not None and coefficients.load(user_id) is not None)
        or history.exists()
    )
    if not known:
        raise UnknownUserError(user_id)
    nothing = ForgetReport(user_id=user_id, interactions=0, feedback=0)
    report = store.forget(user_id) if in_episodic else nothing
    preferences = semantic.forget_user(user_id) if semantic is not None else 0
    fitted = coefficients.forget(user_id) if coefficients is not None else False
    files = 0
    if history.exists():
        history.unlink()
        files += 1
    return ForgetSummary(
        user_id=user_id,
        interactions=report.interactions,
        feedback=report.feedback,
        preferences=preferences,
        coefficients=int(fitted),
        files=files,
    )
