"""`PrefmemRetriever`: one user's preferences and past exchanges as LangChain documents."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, field_validator

from prefmem.api import Memory
from prefmem.memory.episodic.base import RecallMode
from prefmem.memory.errors import InvalidInputError, UnknownUserError
from prefmem.memory.models import Episode
from prefmem.memory.preferences import Preference

Source = Literal["preferences", "episodes"]


class PrefmemRetriever(BaseRetriever):
    """Retrieve what prefmem holds about one user that bears on a query.

    Up to `k` documents in all (`invoke(query, k=...)` overrides it per call):

    - preferences (`metadata["type"] == "preference"`): the ones that personalize the user's
      replies (genuine, tentative, the user's own), most stable first; the statement is the
      page content. With both sources included they take at most half of the places
      (rounded up), so recalled exchanges always get some;
    - episodes (`metadata["type"] == "episode"`): the user's past exchanges recalled for the
      query under `mode` (default: episodic.recall_mode), best first, weak matches left
      out as in chat; what the user said is the page content, the reply is in metadata.
      The same words said on several occasions are one document (the best-scored one).

    Only this user's memory is read. A user nothing is known about gets no documents.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    memory: Memory = Field(description="The memory to read.")
    user_id: str = Field(min_length=1, description="Whose memory is retrieved.")
    k: int = Field(default=4, ge=0, description="How many documents at most.")
    mode: RecallMode | None = Field(default=None, description="Recall mode; default episodic.recall_mode.")
    include: tuple[Source, ...] = Field(
        default=("preferences", "episodes"), description="Which kinds of memory to return."
    )

    @field_validator("include")
    @classmethod
    def _some_source(cls, value: tuple[Source, ...]) -> tuple[Source, ...]:
        if not value:
            raise ValueError("include must name preferences, episodes or both")
        return tuple(dict.fromkeys(value))

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        count = self.k if k is None else k
        if count < 0:
            raise InvalidInputError("k must be at least 0")
        if count == 0:
            return []
        preferences: list[Preference] = []
        episodes: list[Episode] = []
        if "preferences" in self.include:
            preferences = self.memory.personalizing_preferences(self.user_id)
        if "episodes" in self.include and query.strip():
            try:
                episodes = _distinct(self.memory.recall(self.user_id, query, mode=self.mode, k=count * 3))
            except UnknownUserError:
                episodes = []
        share = -(-count // 2) if "episodes" in self.include and episodes else count
        chosen_preferences = preferences[:share]
        chosen_episodes = episodes[: count - len(chosen_preferences)]
        room = count - len(chosen_preferences) - len(chosen_episodes)
        chosen_preferences = preferences[: len(chosen_preferences) + room]
        return [*map(_preference_document, chosen_preferences), *map(_episode_document, chosen_episodes)]


def _distinct(episodes: list[Episode]) -> list[Episode]:
    """The episodes, keeping the first (best) of those whose words are the same."""
    seen: set[str] = set()
    kept = []
    for episode in episodes:
        turn = episode.interaction
        key = " ".join((turn.user_text or turn.assistant_text).lower().split())
        if key not in seen:
            seen.add(key)
            kept.append(episode)
    return kept


def _preference_document(preference: Preference) -> Document:
    return Document(
        id=preference.id,
        page_content=preference.statement,
        metadata={
            "source": "prefmem",
            "type": "preference",
            "user_id": preference.user_id,
            "kind": preference.kind,
            "stability": preference.stability,
            "topic": preference.topic,
            "user_status": preference.user_status,
            "last_seen": preference.last_seen.isoformat(),
        },
    )


def _episode_document(episode: Episode) -> Document:
    turn = episode.interaction
    metadata: dict[str, Any] = {
        "source": "prefmem",
        "type": "episode",
        "user_id": turn.user_id,
        "session_id": turn.session_id,
        "timestamp": turn.timestamp.isoformat(),
        "reply": turn.assistant_text,
        "score": episode.score,
        "similarity": episode.similarity,
        "recency": episode.recency,
    }
    return Document(id=episode.id, page_content=turn.user_text or turn.assistant_text, metadata=metadata)
