"""`prefmem.Memory`: the whole memory behind one object, for use inside another application.

It is assembled by the same `Runtime` the command line uses, from the same config models,
so a setting means the same thing in both and every default is config.yaml's. Unlike the
command line it changes nothing process-wide: no environment variables, logging levels,
thread counts or allocator settings.

Thread safety: one `Memory` may be shared by the threads of a web application. Every
method takes the same lock, so calls run one at a time. With the embedded episodic store a
single process owns the data folder (a second process opening it gets `StoreBusyError`);
with episodic memory on a Chroma server, several processes may open one data folder at once.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from prefmem.agent.config import Config, parse_config, read_config_file
from prefmem.agent.explanation import Explanation, explain_preference
from prefmem.agent.factory import Runtime
from prefmem.agent.semantic_recall import RecalledPreference, rank_preferences
from prefmem.agent.user_data import ForgetSummary, forget_user
from prefmem.agent.validation import check_id, check_message
from prefmem.memory.consolidation.job import JobSummary
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.episodic.base import RECALL_MODES, RecallMode
from prefmem.memory.errors import (
    ConfigError,
    EventLogError,
    InvalidInputError,
    UnknownPreferenceError,
    UsageError,
)
from prefmem.memory.events import events_to_records, parse_event_log
from prefmem.memory.models import Episode, Feedback, FeedbackKind, Interaction, UserSummary, as_utc, utc_now
from prefmem.memory.preferences import Preference, PreferenceKind

if TYPE_CHECKING:
    from prefmem.agent.rerank import Personalizer, Ranking

__all__ = ["Memory"]

_KINDS: tuple[str, ...] = get_args(PreferenceKind)
#: The arguments of `add` that an exchange given to `add_many` may hold.
_EXCHANGE_KEYS = frozenset(
    {"user_id", "message", "reply", "session_id", "timestamp", "condition", "metadata"}
)
#: The most candidates one `rerank` call scores (as `prefmem rerank`).
_MAX_CANDIDATES = 64

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _serialized(method: Callable[Concatenate[Memory, _P], _R]) -> Callable[Concatenate[Memory, _P], _R]:
    """Run the method under the Memory's lock, on an open Memory."""

    @functools.wraps(method)
    def run(self: Memory, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            if self._runtime is None:
                raise UsageError("this Memory is closed")
            return method(self, *args, **kwargs)

    return run


def _settings(config: Config | str | os.PathLike[str] | None, overrides: Mapping[str, Any]) -> Config:
    """The configuration: a Config, a config file, or the defaults; then the keyword overrides.

    An override names a top-level setting (`data_dir`, or a section such as `episodic`); a
    section's value is a mapping of some of its settings, merged into the section.
    """
    if isinstance(config, Config):
        base = config
    elif config is None:
        base = Config()
    elif isinstance(config, str | os.PathLike):
        base = read_config_file(Path(config))
    else:
        raise ConfigError(f"config must be a Config, a path or None, not {type(config).__name__}")
    if not overrides:
        return base
    raw = base.model_dump()
    for key, value in overrides.items():
        if key not in Config.model_fields:
            known = ", ".join(Config.model_fields)
            raise ConfigError(f"Memory(...): unknown setting {key!r}; use one of {known}")
        if isinstance(value, BaseModel):
            value = value.model_dump()
        if isinstance(value, Mapping) and isinstance(raw[key], dict):
            raw[key] = {**raw[key], **value}
        else:
            raw[key] = value
    return parse_config(raw, source="Memory(...)")


class Memory:
    """A user-by-user memory: interactions and feedback in, recall, preferences and rankings out.

    `Memory()` opens the data folder and stores of config.yaml's defaults;
    `Memory("config.yaml")` reads a file; `Memory(config_object)` takes a `Config`. Keyword
    arguments override settings, e.g. `Memory(data_dir="mem", embedder={"backend": "hashing"},
    episodic={"server": {"host": "localhost", "port": 8000}})`; `embedder` may also be a ready
    `Embedder` object to share one loaded model. Nothing is read from the environment and no
    config file is searched for: pass the file you mean.

    Errors are `prefmem.memory.errors` types: `UsageError` subclasses for bad input
    (`InvalidInputError`, `UnknownUserError`, `UnknownPreferenceError`, `ConfigError`,
    `EventLogError`), `BackendError` subclasses when a store or model fails. Use it as a
    context manager, or call `close()`, to release the data folder.
    """

    def __init__(
        self,
        config: Config | str | os.PathLike[str] | None = None,
        **overrides: Any,
    ) -> None:
        embedder = overrides.get("embedder")
        shared: Embedder | None = None
        if isinstance(embedder, Embedder):
            shared = embedder
            overrides = {key: value for key, value in overrides.items() if key != "embedder"}
        self._config = _settings(config, overrides)
        self._lock = threading.RLock()
        self._personalizer: Personalizer | None = None
        self._turns: dict[str, int] = {}
        self._last_moment: dict[str, datetime] = {}
        runtime = Runtime(self._config, embedder=shared)
        try:
            runtime.store  # noqa: B018  open both stores now: a busy or damaged folder fails here
            runtime.semantic  # noqa: B018
        except BaseException:
            runtime.__exit__(None, None, None)
            raise
        self._runtime: Runtime | None = runtime

    # -- lifetime ----------------------------------------------------------------------------
    @property
    def config(self) -> Config:
        """The settings in effect."""
        return self._config

    def close(self) -> None:
        """Close the stores and release the data folder (idempotent)."""
        with self._lock:
            if self._runtime is not None:
                self._runtime.__exit__(None, None, None)
                self._runtime = None

    def __enter__(self) -> Memory:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def _parts(self) -> Runtime:
        assert self._runtime is not None  # every caller runs under _serialized
        return self._runtime

    # -- writing -----------------------------------------------------------------------------
    @_serialized
    def add(
        self,
        user_id: str,
        message: str,
        reply: str = "",
        *,
        session_id: str = "default",
        timestamp: datetime | None = None,
        condition: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> str:
        """Remember one exchange (the user's message and, if any, the reply); returns its record id.

        The message may be empty only when there is a reply: a turn where the assistant spoke
        first (a greeting, or a reply stored apart from its message by a chat history).
        Without a timestamp it is now (or just after the user's previous exchange added here,
        so exchanges keep their order). After every `consolidation.every_n_interactions` exchanges
        of a user, the user is consolidated, as in chat.
        """
        interaction = self._interaction(
            user_id,
            message,
            reply,
            session_id=session_id,
            timestamp=timestamp,
            condition=condition,
            metadata=metadata,
        )
        self._parts.store.add([interaction])
        self._count_turn(interaction.user_id)
        return interaction.record_id()

    @_serialized
    def add_many(self, exchanges: Sequence[Mapping[str, Any]], *, consolidate: bool = True) -> list[str]:
        """Remember several exchanges in one write; returns their record ids, in order.

        Each mapping holds `add`'s arguments by name (`user_id`, `message`, and optionally
        `reply`, `session_id`, `timestamp`, `condition`, `metadata`). All are checked first:
        if one is invalid, `InvalidInputError` names it and nothing is stored. One write for
        many exchanges is much cheaper than one each (a server stores concurrent requests'
        exchanges together). Consolidation runs as after `add`, unless `consolidate` is False
        (for a caller that schedules consolidation itself, such as the HTTP server).
        """
        return self._add_many(exchanges, consolidate=consolidate, defer_index=False)

    @_serialized
    def _add_many(
        self, exchanges: Sequence[Mapping[str, Any]], *, consolidate: bool, defer_index: bool
    ) -> list[str]:
        """`add_many`; with `defer_index` (the HTTP server's writer, which stores one exchange at
        a time) the exchanges are stored durably and recalled by this Memory at once, but their
        vectors join the vector index only at `_flush_index` (or `close`), so that one index write
        covers many exchanges. Other processes sharing a Chroma server recall them from then on;
        after a crash the next open indexes them."""
        interactions = []
        for number, exchange in enumerate(exchanges):
            unknown = set(exchange) - _EXCHANGE_KEYS
            if unknown or not {"user_id", "message"} <= set(exchange):
                raise InvalidInputError(
                    f"exchange {number}: needs user_id and message; unknown keys {sorted(unknown)}"
                )
            try:
                interactions.append(self._interaction(**exchange))
            except InvalidInputError as error:
                raise InvalidInputError(f"exchange {number}: {error}") from None
        if interactions:
            self._parts.store.add(interactions, defer_index=defer_index)
        for interaction in interactions if consolidate else ():
            self._count_turn(interaction.user_id)
        return [interaction.record_id() for interaction in interactions]

    @_serialized
    def _flush_index(self, user_id: str | None = None) -> int:
        """Index the vectors that `_add_many(..., defer_index=True)` kept back: the user's, or
        everyone's; returns how many were indexed."""
        return self._parts.store.flush_index(user_id)

    def _interaction(
        self,
        user_id: str,
        message: str,
        reply: str = "",
        *,
        session_id: str = "default",
        timestamp: datetime | None = None,
        condition: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Interaction:
        """One checked exchange as a record, timed after the user's previous one (see `_moment`)."""
        limit = self._config.assistant.max_message_chars
        _user(user_id)
        answer = check_message(reply, max_chars=limit) if reply.strip() else ""
        spoke_first = bool(answer) and isinstance(message, str) and not message.strip()
        text = "" if spoke_first else check_message(message, max_chars=limit)
        check_id(session_id, what="session id")
        if condition:
            check_id(condition, what="condition")
        moment = self._moment(user_id, timestamp)
        try:
            return Interaction(
                user_id=user_id,
                session_id=session_id,
                timestamp=moment,
                user_text=text,
                assistant_text=answer,
                condition=condition,
                metadata=dict(metadata or {}),
            )
        except ValidationError as error:
            raise InvalidInputError(_first_problem(error)) from None

    @_serialized
    def add_events(self, events: Iterable[Mapping[str, Any] | str]) -> int:
        """Store events in the import format of `prefmem import` (messages, choices, ratings,
        answers; one mapping or JSON text each); returns how many records were new.

        Every event is checked first: if any is invalid, `EventLogError` lists them all and
        nothing is stored. Users who gave feedback have their reward coefficients refitted.
        """
        texts = [e if isinstance(e, str) else json.dumps(dict(e), default=_json_value) for e in events]
        lines = [text.encode("utf-8") for text in texts]
        return self._store_events(lines, source="events")

    @_serialized
    def feedback(
        self,
        user_id: str,
        prompt: str,
        *,
        options: Sequence[str] | None = None,
        chosen: int | None = None,
        response: str | None = None,
        value: int | None = None,
        kind: FeedbackKind | None = None,
        item_id: str | None = None,
        session_id: str = "default",
        timestamp: datetime | None = None,
        condition: str | None = None,
    ) -> Feedback:
        """Record the user's reaction and refit their reward coefficients with it.

        A rating: `response` and `value` (+1 or -1). A choice: `options` and the index `chosen`
        (with `item_id` when the same question is asked on several occasions). An answer to
        an elicitation question: `kind="answer"`, `item_id`, `options`, `chosen`. `kind` is
        inferred from what is given when left out.
        """
        chosen_kind = kind or ("rating" if value is not None or response is not None else "choice")
        event: dict[str, Any] = {
            "type": chosen_kind,
            "user_id": user_id,
            "session_id": session_id,
            "timestamp": as_utc(timestamp).isoformat() if timestamp else utc_now().isoformat(),
        }
        if condition is not None:
            event["condition"] = condition
        if chosen_kind == "rating":
            event.update(prompt=prompt, response=response, value=value)
        else:
            event.update(options=list(options or []), chosen=chosen)
            event["question" if chosen_kind == "answer" else "prompt"] = prompt
            if item_id is not None:
                event["item_id"] = item_id
        line = json.dumps(event).encode("utf-8")
        parsed = parse_event_log([line], max_content_chars=self._config.assistant.max_message_chars)
        if parsed.problems:
            raise InvalidInputError(f"invalid {chosen_kind}: {parsed.problems[0][1]}")
        [record] = list(events_to_records(parsed.events))
        assert isinstance(record, Feedback)
        self._parts.store.add([record])
        self._refit([record.user_id])
        return record

    # -- reading -----------------------------------------------------------------------------
    @_serialized
    def users(self) -> list[UserSummary]:
        """Every user memory is held for, with how much."""
        return self._parts.store.users()

    @_serialized
    def recall(
        self,
        user_id: str,
        query: str | None = None,
        *,
        mode: RecallMode | None = None,
        k: int | None = None,
        min_similarity: float | None = None,
    ) -> list[Episode]:
        """The user's past exchanges most relevant to `query`, best first, with their scores.

        `mode` is similarity, recency or hybrid (default: episodic.recall_mode with a query,
        recency without); `k` defaults to episodic.top_k; exchanges less similar than
        `min_similarity` (default episodic.min_similarity) are left out, as in chat.
        """
        settings = self._config.episodic
        chosen = mode or (settings.recall_mode if query else "recency")
        if chosen not in RECALL_MODES:
            raise InvalidInputError(f"unknown recall mode {chosen!r}; use one of {', '.join(RECALL_MODES)}")
        text = check_message(query, max_chars=self._config.assistant.max_message_chars) if query else None
        count = settings.top_k if k is None else k
        if count < 0:
            raise InvalidInputError("k must be at least 0")
        floor = settings.min_similarity if min_similarity is None else min_similarity
        store = self._parts.store
        store.require_user(user_id)
        episodes = store.recall(user_id, text, mode=chosen, k=count)
        return [e for e in episodes if e.similarity is None or e.similarity >= floor]

    @_serialized
    def preferences(self, user_id: str, *, kinds: Iterable[PreferenceKind] | None = None) -> list[Preference]:
        """The user's consolidated preferences (of these kinds, default all), most stable first."""
        wanted = list(kinds) if kinds is not None else None
        for kind in wanted or []:
            if kind not in _KINDS:
                raise InvalidInputError(f"unknown kind {kind!r}; use one of {', '.join(_KINDS)}")
        self._parts.store.require_user(user_id)
        return self._parts.semantic.preferences(user_id, kinds=wanted)

    @_serialized
    def personalizing_preferences(self, user_id: str) -> list[Preference]:
        """The preferences that personalize the user's replies and rankings, most stable first:
        genuine ones, tentative ones unless assistant.tentative_weight is 0, and the user's own
        confirmed or edited ones (none when assistant.memory is episodic). Empty for a new user."""
        _user(user_id)
        if not self._parts.store.has_user(user_id):
            return []
        return self._parts.prompt_preferences(user_id)

    @_serialized
    def recall_preferences(
        self, user_id: str, query: str | None = None, *, k: int | None = None
    ) -> list[RecalledPreference]:
        """What semantic memory brings for `query`: the preferences that personalize the user's
        replies (as `personalizing_preferences`), most similar to `query` first, with that
        similarity; `k` defaults to episodic.top_k. Empty for a new user."""
        _user(user_id)
        count = self._config.episodic.top_k if k is None else k
        if count < 0:
            raise InvalidInputError("k must be at least 0")
        limit = self._config.assistant.max_message_chars
        text = check_message(query, max_chars=limit) if query and query.strip() else None
        if not self._parts.store.has_user(user_id):
            return []
        usable = self._parts.prompt_preferences(user_id)
        return rank_preferences(self._parts.embedder, text, usable, k=count)

    @_serialized
    def conversation(self, user_id: str, session_id: str) -> list[Interaction]:
        """The exchanges of one session of the user, oldest first (empty when there are none)."""
        _user(user_id)
        if not self._parts.store.has_user(user_id):
            return []
        held = self._parts.store.interactions(user_id)
        return [turn for turn in reversed(held) if turn.session_id == session_id]

    @_serialized
    def clear_conversation(self, user_id: str, session_id: str) -> int:
        """Remove one session's exchanges of the user; returns how many went.

        The user's other sessions, feedback and other users are untouched. The user is then
        consolidated again, so a preference drawn only from the removed exchanges goes too
        (unless the user confirmed or edited it: the user's word outlives its evidence).
        """
        _user(user_id)
        store = self._parts.store
        if not store.has_user(user_id):
            return 0
        with_ids = store.recall(user_id, None, mode="recency", k=1 << 30)
        doomed = [e.id for e in with_ids if e.interaction.session_id == session_id]
        removed = store.delete_interactions(user_id, doomed)
        if removed:
            self._last_moment.pop(user_id, None)
            self._parts.consolidation_job().run([user_id])
        return removed

    @_serialized
    def explain(self, user_id: str, preference_id: str) -> Explanation:
        """Why the user's preference has its kind: its reason, support, history and evidence."""
        return explain_preference(self._parts.store, self._own(user_id, preference_id))

    @_serialized
    def rerank(self, user_id: str, prompt: str, candidates: Sequence[str]) -> Ranking:
        """Score candidate replies to `prompt` under the user's reward, best first, with each
        score's terms. A user nothing is known about gets the population's reward."""
        limit = self._config.assistant.max_message_chars
        message = check_message(prompt, max_chars=limit)
        if isinstance(candidates, str) or not candidates:
            raise InvalidInputError("candidates must be a non-empty list of texts")
        if len(candidates) > _MAX_CANDIDATES:
            raise InvalidInputError(f"{len(candidates)} candidates; at most {_MAX_CANDIDATES}")
        for number, candidate in enumerate(candidates, start=1):
            if not isinstance(candidate, str) or not candidate.strip():
                raise InvalidInputError(f"candidate {number} is empty or not text")
            if len(candidate) > limit * 4:
                raise InvalidInputError(f"candidate {number} is longer than {limit * 4} characters")
        preferences = self._parts.prompt_preferences(user_id)
        return self._ranker().rank(user_id, message, list(candidates), preferences=preferences)

    # -- consolidation and the user's own decisions -----------------------------------------
    @_serialized
    def consolidate(self, users: str | Sequence[str] | None = None, *, force: bool = False) -> JobSummary:
        """Turn episodic memory into preferences for these users (default: all) whose records
        changed since their last consolidation (all of them with `force`)."""
        chosen = [users] if isinstance(users, str) else (list(users) if users is not None else None)
        summary = self._parts.consolidation_job().run(chosen, force=force)
        for user_id in chosen or list(self._turns):
            self._turns.pop(user_id, None)
        return summary

    @_serialized
    def confirm(self, user_id: str, preference_id: str) -> Preference:
        """The user stands by this preference: kept as their word whatever later evidence says."""
        self._own(user_id, preference_id)
        return self._parts.semantic.confirm(preference_id)

    @_serialized
    def edit(self, user_id: str, preference_id: str, statement: str) -> Preference:
        """The user rewrote the preference's statement: kept as written."""
        text = check_message(statement, max_chars=self._config.assistant.max_message_chars)
        self._own(user_id, preference_id)
        return self._parts.semantic.edit(preference_id, text)

    @_serialized
    def delete(self, user_id: str, preference_id: str) -> Preference:
        """Remove the preference; it comes back only if new evidence arrives later."""
        self._own(user_id, preference_id)
        return self._parts.semantic.delete(preference_id)

    @_serialized
    def forget(self, user_id: str) -> ForgetSummary:
        """Remove everything held about the user in every store and file; other users are untouched.

        Every file in the data folder that held the user's words is rewritten without them
        before this returns (docs/recall.md says what that guarantees and what it cannot).
        """
        parts = self._parts
        summary = forget_user(
            parts.store, parts.semantic, parts.data_path, user_id, coefficients=parts.coefficients
        )
        self._turns.pop(user_id, None)
        self._last_moment.pop(user_id, None)
        return summary

    # -- helpers -----------------------------------------------------------------------------
    def _own(self, user_id: str, preference_id: str) -> Preference:
        """The preference, which must be the user's: another user's id is as unknown as a bad one."""
        preference = self._parts.semantic.get(preference_id)
        if preference.user_id != user_id:
            raise UnknownPreferenceError(preference_id)
        return preference

    def _ranker(self) -> Personalizer:
        if self._personalizer is None:
            self._personalizer = self._parts.personalizer()
        return self._personalizer

    def _refit(self, users: Iterable[str]) -> None:
        ranker = self._ranker()
        for user_id in sorted(set(users)):
            ranker.refit(self._parts.store, user_id)

    def _store_events(self, lines: Sequence[bytes], *, source: str) -> int:
        parsed = parse_event_log(lines, max_content_chars=self._config.assistant.max_message_chars)
        if parsed.problems:
            raise EventLogError(source, parsed.problems)
        records = list(events_to_records(parsed.events))
        added = self._parts.store.add(records)
        self._refit(r.user_id for r in records if isinstance(r, Feedback))
        return added

    def _moment(self, user_id: str, timestamp: datetime | None) -> datetime:
        """The given time, or now, kept after the user's previous exchange added here: record
        ids order by millisecond, so two exchanges in one millisecond would lose their order."""
        if timestamp is not None:
            return as_utc(timestamp)
        moment = utc_now()
        previous = self._last_moment.get(user_id)
        if previous is not None:
            previous_ms = int(previous.timestamp() * 1000)
            while int(moment.timestamp() * 1000) <= previous_ms:
                moment = max(moment, previous) + timedelta(milliseconds=1)
        self._last_moment[user_id] = moment
        return moment

    def _count_turn(self, user_id: str) -> None:
        every = self._config.consolidation.every_n_interactions
        if every <= 0:
            return
        self._turns[user_id] = self._turns.get(user_id, 0) + 1
        if self._turns[user_id] >= every:
            self._turns[user_id] = 0
            self._parts.consolidation_job().run([user_id])


def _user(user_id: str) -> str:
    if not isinstance(user_id, str) or not user_id.strip():
        raise InvalidInputError("the user id is empty")
    return check_id(user_id)


def _first_problem(error: ValidationError) -> str:
    item = error.errors()[0]
    location = ".".join(str(part) for part in item["loc"]) or "record"
    return f"{location}: {item['msg']}"


def _json_value(value: object) -> object:
    """JSON for what event mappings may hold besides JSON types: datetimes (as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
