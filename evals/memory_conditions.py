"""The memory conditions the evaluations compare, and the preferences each one feeds the reward.

- `none`: no preferences; the reward is the population's (shared base only).
- `episodic-similarity` / `episodic-recency`: the user's top-k recalled messages for the
  question (by that recall mode), joined into one preference text, as if raw history were
  a preference (PRIME's episodic memory).
- `semantic`: the consolidated preferences that may be fed forward (genuine, tentative).
- `both`: the semantic preferences plus the episodic-similarity text.

Recalled text is wrapped in a transient `Preference` of kind genuine (full weight, never
stored), so every condition reaches c(p, x, y) through the same reward scorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from prefmem.agent.factory import Runtime
from prefmem.agent.rerank import usable_preferences
from prefmem.memory.episodic.base import EpisodicStore, RecallMode
from prefmem.memory.errors import InvalidInputError
from prefmem.memory.models import utc_now
from prefmem.memory.preferences import Preference, Support
from prefmem.memory.semantic.store import SemanticStore

MemoryCondition = Literal["none", "episodic-similarity", "episodic-recency", "semantic", "both"]
MEMORY_CONDITIONS: tuple[MemoryCondition, ...] = get_args(MemoryCondition)


def parse_conditions(text: str) -> list[MemoryCondition]:
    """Memory conditions from a comma-separated list, in the canonical order, each once."""
    wanted = {part.strip() for part in text.split(",") if part.strip()}
    unknown = wanted - set(MEMORY_CONDITIONS)
    if unknown or not wanted:
        raise InvalidInputError(
            f"--memory takes a comma-separated subset of {', '.join(MEMORY_CONDITIONS)}, not {text!r}"
        )
    return [name for name in MEMORY_CONDITIONS if name in wanted]


def recalled_preference(
    statement: str, *, user_id: str, mode: RecallMode, evidence_ids: Sequence[str]
) -> Preference:
    """Recalled messages as a transient preference of kind genuine: raw history taken at its word."""
    now = utc_now()
    return Preference(
        id=f"episodic-{mode}",
        user_id=user_id,
        slot=f"episodic:{mode}",
        statement=statement,
        kind="genuine",
        value="+",
        topic="recalled messages",
        stability=1.0,
        support=Support(signals=len(evidence_ids), occasions=1, conditions=0),
        first_seen=now,
        last_seen=now,
        evidence_ids=list(evidence_ids),
        reason=f"episodic recall by {mode}: not consolidated",
    )


@dataclass
class MemoryView:
    """What each memory condition knows about a user when a question is asked."""

    store: EpisodicStore
    semantic: SemanticStore
    top_k: int = 4
    tentative_weight: float = 0.5

    @classmethod
    def of(cls, runtime: Runtime) -> MemoryView:
        """The view over a runtime's stores, with its configured top-k and tentative weight."""
        return cls(
            runtime.store,
            runtime.semantic,
            top_k=runtime.config.episodic.top_k,
            tentative_weight=runtime.config.assistant.tentative_weight,
        )

    def episodic(self, user_id: str, query: str, mode: RecallMode) -> list[Preference]:
        """The user's top-k recalled messages for the query, joined as one preference (none if empty)."""
        episodes = self.store.recall(user_id, query, mode=mode, k=self.top_k)
        said = [(e.id, e.interaction.user_text.strip()) for e in episodes if e.interaction.user_text.strip()]
        if not said:
            return []
        statement = "\n".join(text for _, text in said)
        return [recalled_preference(statement, user_id=user_id, mode=mode, evidence_ids=[i for i, _ in said])]

    def consolidated(self, user_id: str) -> list[Preference]:
        """The consolidated preferences that may be fed forward."""
        return usable_preferences(self.semantic, user_id, tentative_weight=self.tentative_weight)

    def preferences(self, condition: MemoryCondition, user_id: str, query: str) -> list[Preference]:
        """The preferences the reward sees under one memory condition."""
        if condition == "none":
            return []
        if condition == "episodic-similarity":
            return self.episodic(user_id, query, "similarity")
        if condition == "episodic-recency":
            return self.episodic(user_id, query, "recency")
        if condition == "semantic":
            return self.consolidated(user_id)
        return self.consolidated(user_id) + self.episodic(user_id, query, "similarity")
