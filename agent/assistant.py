"""The assistant: recall, prompt, generate, remember.

`Assistant.chat` is the whole loop for one message. It takes its store and chat model
as arguments (the command line assembles them from config.yaml), so tests and other
applications can plug in their own; every other setting defaults to config.yaml's value.
With `reask_every` set, one question consolidation left undecided (the user's re-ask
queue) is appended to a reply at most once every that many turns; `answer_reask`
records the user's pick.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from prefmem.agent.config import AssistantConfig, ConsolidationConfig, EpisodicConfig
from prefmem.agent.llm.base import ChatMessage, ChatModel
from prefmem.agent.llm.streaming import TextCallback
from prefmem.agent.prompt import build_messages
from prefmem.agent.rerank import Personalizer, usable_preferences
from prefmem.agent.validation import check_id, check_message
from prefmem.memory.consolidation.reasks import ReAsk, pending_reasks, reask_answer, reask_text
from prefmem.memory.episodic.base import EpisodicStore, RecallMode, id_millis
from prefmem.memory.errors import InvalidInputError
from prefmem.memory.models import Episode, Feedback, Interaction, utc_now
from prefmem.memory.preferences import Preference
from prefmem.memory.semantic.store import SemanticStore

MemoryMode = Literal["episodic", "semantic", "both"]
# Every default below is config.yaml's (the config models'), so the command line, `prefmem.Memory`
# and an Assistant built by hand behave alike.
_ASSISTANT = AssistantConfig()
_EPISODIC = EpisodicConfig()
_CONSOLIDATION = ConsolidationConfig()


class ChatTrace(BaseModel):
    """Why the assistant answered as it did: which memories went into the prompt and how they scored."""

    recall_mode: str
    memory: str = Field(description="Which memory fed the prompt: episodic, semantic or both.")
    recalled: list[Episode] = Field(description="Past interactions put into the prompt, best first.")
    preferences: list[Preference] = Field(description="Consolidated preferences put into the prompt.")
    history_turns: int = Field(description="Earlier turns of this session included verbatim.")
    model: str
    prompt: list[dict[str, str]] = Field(description="The messages sent to the chat model.")
    candidates: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Every sampled candidate, best first: index, text, score and its terms.",
    )
    diversity: float | None = Field(
        default=None, description="Mean pairwise cosine distance between the candidates."
    )
    timings: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Seconds spent on each stage of the turn: recall, prompt, generate, rerank, store, "
            "consolidate; first_text is from the message to the first text of the reply shown."
        ),
    )


class ChatResult(BaseModel):
    """The reply, the stored interaction's id, and the trace."""

    response: str
    interaction_id: str
    trace: ChatTrace
    message: str = Field(default="", description="The user's message the reply answers.")
    session_id: str = "default"
    reask: ReAsk | None = Field(
        default=None, description="The queued question appended to the reply, if any."
    )


class _Stopwatch:
    """Seconds per stage of one turn, and when the reply's first text was handed over."""

    def __init__(self) -> None:
        self.start = self._mark = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(self.laps.get(stage, 0.0) + now - self._mark, 4)
        self._mark = now

    def relay(self, on_text: TextCallback | None) -> TextCallback | None:
        """`on_text`, noting when it is first called."""
        if on_text is None:
            return None

        def relayed(piece: str) -> None:
            if "first_text" not in self.laps:
                self.laps["first_text"] = round(time.perf_counter() - self.start, 4)
            on_text(piece)

        return relayed


@dataclass
class Assistant:
    """Chats with a user, remembering every exchange in the episodic store."""

    store: EpisodicStore
    llm: ChatModel
    system_prompt: str = _ASSISTANT.system_prompt
    recall_mode: RecallMode = _EPISODIC.recall_mode
    top_k: int = _EPISODIC.top_k
    min_similarity: float = _EPISODIC.min_similarity
    history_turns: int = _ASSISTANT.history_turns
    max_message_chars: int = _ASSISTANT.max_message_chars
    max_memory_chars: int = _ASSISTANT.max_memory_chars
    memory: MemoryMode = _ASSISTANT.memory
    semantic: SemanticStore | None = None
    tentative_weight: float = _ASSISTANT.tentative_weight
    #: Called with a user id after every `consolidate_every` turns of that user (0: never).
    consolidate: Callable[[str], object] | None = None
    consolidate_every: int = _CONSOLIDATION.every_n_interactions
    #: Scores sampled candidates; with `candidates` > 1 the best of them is the reply.
    personalizer: Personalizer | None = None
    candidates: int = _ASSISTANT.candidates
    candidate_temperature: float = _ASSISTANT.candidate_temperature
    #: Append one queued re-ask to a reply at most once every this many turns of a user (0: never).
    reask_every: int = _ASSISTANT.reask_every
    _turns: dict[str, int] = field(default_factory=dict, repr=False)
    _since_reask: dict[str, int] = field(default_factory=dict, repr=False)

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
        if self.memory == "episodic":
            return []
        return usable_preferences(self.semantic, user_id, tentative_weight=self.tentative_weight)

    def respond(
        self,
        user_id: str,
        message: str,
        messages: Sequence[ChatMessage],
        preferences: Sequence[Preference],
        *,
        on_text: TextCallback | None = None,
        stopwatch: _Stopwatch | None = None,
    ) -> tuple[str, list[dict[str, Any]], float | None]:
        """Generate the reply: one sample, or the best of `candidates` samples under the user's reward.

        `on_text` receives the reply as soon as it can be shown: word by word while a single
        sample is generated, or whole once the best of several is chosen.
        """
        clock = stopwatch or _Stopwatch()
        count = self.candidates if self.personalizer is not None else 1
        if count > 1:
            texts = self.llm.generate(messages, n=count, temperature=self.candidate_temperature)
        elif on_text is not None:
            texts = [self.llm.stream_to(messages, on_text)]
        else:
            texts = self.llm.generate(messages, n=1)
        clock.lap("generate")
        texts = [text.strip() for text in texts]
        if self.personalizer is None:
            return texts[0], [], None
        ranking = self.personalizer.rank(user_id, message, texts, preferences=preferences)
        clock.lap("rerank")
        if count > 1 and on_text is not None and ranking.best.text:
            on_text(ranking.best.text)
        return ranking.best.text, [c.to_dict() for c in ranking.candidates], ranking.diversity

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

    def chat(
        self, user_id: str, text: str, *, session_id: str = "default", on_text: TextCallback | None = None
    ) -> ChatResult:
        """Answer one message: recall, build the prompt, generate, store the exchange.

        `on_text`, if given, receives the reply's text as soon as it can be shown (see `respond`);
        the pieces joined are the returned response.
        """
        clock = _Stopwatch()
        relay = clock.relay(on_text)
        message = check_message(text, max_chars=self.max_message_chars)
        check_id(user_id)
        recent = self.store.recall(user_id, None, mode="recency", k=max(1, self.history_turns * 4))
        history = self._session_turns(recent, session_id) if self.history_turns else []
        recalled = (
            self.recall(user_id, message, exclude=[turn_id for turn_id, _ in history])
            if self.memory != "semantic"
            else []
        )
        preferences = self.personal_preferences(user_id)
        clock.lap("recall")
        messages = build_messages(
            self.system_prompt,
            message,
            recalled=recalled,
            history=[turn for _, turn in history],
            preferences=preferences,
            max_memory_chars=self.max_memory_chars,
        )
        clock.lap("prompt")
        response, candidates, spread = self.respond(
            user_id, message, messages, preferences, on_text=relay, stopwatch=clock
        )
        reask = self._due_reask(user_id)
        if reask is not None:
            addition = f"\n\n{reask_text(reask)}"
            response = f"{response}{addition}"
            if relay is not None:
                relay(addition)
        interaction = Interaction(
            user_id=user_id,
            session_id=session_id,
            timestamp=self._next_timestamp(recent[0] if recent else None),
            user_text=message,
            assistant_text=response,
            metadata={"reask_item": reask.item_id} if reask is not None else {},
        )
        self.store.add([interaction])
        clock.lap("store")
        self._count_turn(user_id)
        clock.lap("consolidate")
        trace = ChatTrace(
            recall_mode=self.recall_mode,
            memory=self.memory,
            recalled=recalled,
            preferences=preferences,
            history_turns=len(history),
            model=self.llm.name,
            prompt=[{"role": m.role, "content": m.content} for m in messages],
            candidates=candidates,
            diversity=spread,
            timings=clock.laps,
        )
        return ChatResult(
            response=response,
            interaction_id=interaction.record_id(),
            trace=trace,
            message=message,
            session_id=session_id,
            reask=reask,
        )

    def _due_reask(self, user_id: str) -> ReAsk | None:
        """The queued re-ask to weave into this turn's reply: one every `reask_every` turns at most."""
        if self.reask_every <= 0 or self.semantic is None:
            return None
        self._since_reask[user_id] = self._since_reask.get(user_id, 0) + 1
        if self._since_reask[user_id] < self.reask_every:
            return None
        queued = pending_reasks(self.semantic, user_id, limit=1)
        if not queued:
            return None
        self._since_reask[user_id] = 0
        return queued[0]

    def answer_reask(self, user_id: str, result: ChatResult, chosen: int) -> Feedback:
        """The user picked option `chosen` of the question woven into a reply: stored as an answer event."""
        if result.reask is None:
            raise InvalidInputError("this reply asked no question")
        if not 0 <= chosen < len(result.reask.options):
            raise InvalidInputError(f"choose an option between 1 and {len(result.reask.options)}")
        event = reask_answer(result.reask, chosen, session_id=result.session_id, source="chat")
        if self.semantic is not None:
            self.semantic.drop_reask(user_id, result.reask.item_id)
        return self._record(user_id, event)

    def rate(self, user_id: str, result: ChatResult, value: int) -> Feedback:
        """Thumbs up (+1) or down (-1) on a reply: stored as a rating event."""
        if value not in (1, -1):
            raise InvalidInputError("a rating is +1 or -1")
        event = Feedback(
            user_id=user_id,
            session_id=result.session_id,
            kind="rating",
            prompt=result.message,
            response=result.response,
            value=value,
            metadata={"source": "chat"},
        )
        return self._record(user_id, event)

    def choose(self, user_id: str, result: ChatResult, chosen: int, *, shown: int = 2) -> Feedback:
        """The user picked one of the `shown` best candidates of a turn: stored as a choice event."""
        options = [c["text"] for c in result.trace.candidates[:shown]]
        if len(set(options)) < 2:
            raise InvalidInputError("this reply had fewer than two different candidates to choose from")
        if not 0 <= chosen < len(options):
            raise InvalidInputError(f"choose a candidate between 1 and {len(options)}")
        event = Feedback(
            user_id=user_id,
            session_id=result.session_id,
            kind="choice",
            prompt=result.message,
            options=options,
            chosen=chosen,
            metadata={"source": "chat"},
        )
        return self._record(user_id, event)

    def edit(self, user_id: str, result: ChatResult, edited: str) -> Feedback:
        """The user rewrote a reply: their version is preferred over the original (a choice event)."""
        text = check_message(edited, max_chars=self.max_message_chars)
        if text == result.response.strip():
            raise InvalidInputError("the edit is the same as the reply")
        event = Feedback(
            user_id=user_id,
            session_id=result.session_id,
            kind="choice",
            prompt=result.message,
            options=[result.response, text],
            chosen=1,
            metadata={"source": "chat", "feedback": "edit"},
        )
        return self._record(user_id, event)

    def _record(self, user_id: str, event: Feedback) -> Feedback:
        """Store a feedback event and refit the user's coefficients with it."""
        self.store.add([event])
        if self.personalizer is not None:
            self.personalizer.refit(self.store, user_id)
        return event

    def _count_turn(self, user_id: str) -> None:
        if self.consolidate is None or self.consolidate_every <= 0:
            return
        self._turns[user_id] = self._turns.get(user_id, 0) + 1
        if self._turns[user_id] >= self.consolidate_every:
            self._turns[user_id] = 0
            self.consolidate(user_id)
