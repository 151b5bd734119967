"""The assistant: recall, prompt, generate, remember.

`Assistant.chat` is the whole loop for one message. It takes its store and chat model
as arguments (the command line assembles them from config.yaml), so tests and other
applications can plug in their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from agent.llm.base import ChatModel
from agent.prompt import build_messages
from agent.validation import check_message
from memory.episodic import scrub
from memory.episodic.base import EpisodicStore, RecallMode, id_millis
from memory.errors import InvalidInputError
from memory.models import Episode, Interaction, utc_now
from memory.preferences import Preference
from memory.semantic.store import SemanticStore

MemoryMode = Literal["episodic", "semantic", "both"]


class ChatTrace(BaseModel):
    """Why the assistant answered as it did: which memories went into the prompt and how they scored."""

    recall_mode: str
    memory: str = Field(description="Which memory fed the prompt: episodic, semantic or both.")
    recalled: list[Episode] = Field(description="Past interactions put into the prompt, best first.")
    preferences: list[Preference] = Field(description="Consolidated preferences put into the prompt.")
    history_turns: int = Field(description="Earlier turns of this session included verbatim.")
    model: str
    prompt: list[dict[str, str]] = Field(description="The messages sent to the chat model.")


class ChatResult(BaseModel):
    """The reply, the stored interaction's id, and the trace."""

    response: str
    interaction_id: str
    trace: ChatTrace


@dataclass
class Assistant:
    """Chats with a user, remembering every exchange in the episodic store."""

    store: EpisodicStore
    llm: ChatModel
    system_prompt: str = "You are a helpful, concise assistant."
    recall_mode: RecallMode = "hybrid"
    top_k: int = 4
    min_similarity: float = 0.3
    history_turns: int = 3
    max_message_chars: int = 4000
    max_memory_chars: int = 300
    memory: MemoryMode = "episodic"
    semantic: SemanticStore | None = None
    tentative_weight: float = 0.5
    #: Called with a user id after every `consolidate_every` turns of that user (0: never).
    consolidate: Callable[[str], object] | None = None
    consolidate_every: int = 0
    _turns: dict[str, int] = field(default_factory=dict, repr=False)

    def recall(self, user_id: str, text: str, *, exclude: Sequence[str] = ()) -> list[Episode]:
        """Memories relevant to text, leaving out ids already in the prompt and weak matches."""
        if self.top_k == 0:
            return []
        skip = set(exclude)
        episodes = self.store.recall(user_id, text, mode=self.recall_mode, k=self.top_k + len(skip))
        kept = [
            e
            for e in episodes
            if e.id not in skip and (e.similarity is None or e.similarity >= self.min_similarity)
        ]
        return kept[: self.top_k]

    def personal_preferences(self, user_id: str) -> list[Preference]:
        """What the prompt may use: genuine, tentative (unless weighted 0), and the user's own."""
        if self.semantic is None or self.memory == "episodic":
            return []
        usable = [p for p in self.semantic.preferences(user_id) if p.fed_forward]
        if self.tentative_weight <= 0:
            usable = [p for p in usable if p.kind != "tentative" or p.user_status is not None]
        # genuine (and the user's own) before tentative, then by stability
        usable.sort(key=lambda p: (p.kind == "tentative" and p.user_status is None, -p.stability))
        return usable

    def _session_turns(self, recent: Sequence[Episode], session_id: str) -> list[tuple[str, Interaction]]:
        """This session's latest turns among the user's recent ones, oldest first, with their ids."""
        same = [(e.id, e.interaction) for e in recent if e.interaction.session_id == session_id]
        return list(reversed(same[: self.history_turns]))

    @staticmethod
    def _next_timestamp(newest: Episode | None) -> datetime:
        """Now, or just after the user's newest interaction if that is not earlier (ids order by the ms).

        Two exchanges within one millisecond would otherwise share an id prefix and be ordered
        by digest, scrambling this session's history.
        """
        moment = utc_now()
        if newest is not None and int(moment.timestamp() * 1000) <= id_millis(newest.id):
            moment = newest.interaction.timestamp + timedelta(milliseconds=1)
            while int(moment.timestamp() * 1000) <= id_millis(newest.id):  # float rounding
                moment += timedelta(milliseconds=1)
        return moment

    def chat(self, user_id: str, text: str, *, session_id: str = "default") -> ChatResult:
        """Answer one message: recall, build the prompt, generate, store the exchange."""
        message = check_message(text, max_chars=self.max_message_chars)
        if not user_id.strip():
            raise InvalidInputError("the user id is empty")
        recent = self.store.recall(user_id, None, mode="recency", k=max(1, self.history_turns * 4))
        history = self._session_turns(recent, session_id) if self.history_turns else []
        recalled = (
            self.recall(user_id, message, exclude=[turn_id for turn_id, _ in history])
            if self.memory != "semantic"
            else []
        )
        preferences = self.personal_preferences(user_id)
        messages = build_messages(
            self.system_prompt,
            message,
            recalled=recalled,
            history=[turn for _, turn in history],
            preferences=preferences,
            max_memory_chars=self.max_memory_chars,
        )
        with scrub.paused():  # generation never reaches the stores: let it allocate at full speed
            response = self.llm.reply(messages).strip()
        interaction = Interaction(
            user_id=user_id,
            session_id=session_id,
            timestamp=self._next_timestamp(recent[0] if recent else None),
            user_text=message,
            assistant_text=response,
        )
        self.store.add([interaction])
        self._count_turn(user_id)
        trace = ChatTrace(
            recall_mode=self.recall_mode,
            memory=self.memory,
            recalled=recalled,
            preferences=preferences,
            history_turns=len(history),
            model=self.llm.name,
            prompt=[{"role": m.role, "content": m.content} for m in messages],
        )
        return ChatResult(response=response, interaction_id=interaction.record_id(), trace=trace)

    def _count_turn(self, user_id: str) -> None:
        if self.consolidate is None or self.consolidate_every <= 0:
            return
        self._turns[user_id] = self._turns.get(user_id, 0) + 1
        if self._turns[user_id] >= self.consolidate_every:
            self._turns[user_id] = 0
            self.consolidate(user_id)
