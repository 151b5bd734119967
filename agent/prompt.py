"""Building the prompt: system instructions, recalled memories, this session's turns, the message."""

from __future__ import annotations

from collections.abc import Sequence

from prefmem.agent.llm.base import ChatMessage
from prefmem.memory.models import Episode, Interaction
from prefmem.memory.preferences import Preference


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def memory_block(episodes: Sequence[Episode], *, max_chars: int) -> str:
    """What the user said in recalled interactions, oldest first, for the system message.

    Only the user's own words go in: they carry the preferences, and past replies
    invite a small model to repeat itself.
    """
    lines = []
    seen: set[str] = set()
    for episode in sorted(episodes, key=lambda e: e.interaction.timestamp):
        turn = episode.interaction
        key = " ".join(turn.user_text.lower().split())
        if key and key not in seen:  # the same words said twice are one memory
            seen.add(key)
            lines.append(f'- {turn.timestamp:%Y-%m-%d}: the user said "{_clip(turn.user_text, max_chars)}"')
    return "Things the user said in earlier conversations:\n" + "\n".join(lines)


def preference_block(preferences: Sequence[Preference]) -> str:
    """What consolidation holds about the user: genuine first, tentative marked as such."""
    lines = []
    for preference in preferences:
        note = " (mentioned once, not yet confirmed)" if preference.kind == "tentative" else ""
        lines.append(f"- {preference.statement}{note}")
    return "What you know about this user's preferences:\n" + "\n".join(lines)


def build_messages(
    system_prompt: str,
    text: str,
    *,
    recalled: Sequence[Episode] = (),
    history: Sequence[Interaction] = (),
    preferences: Sequence[Preference] = (),
    max_memory_chars: int = 300,
) -> list[ChatMessage]:
    """The full prompt. History is this session's earlier turns, oldest first."""
    system = system_prompt
    if preferences:
        system = f"{system}\n\n{preference_block(preferences)}"
    if any(episode.interaction.user_text for episode in recalled):
        system = f"{system}\n\n{memory_block(recalled, max_chars=max_memory_chars)}"
    messages = [ChatMessage("system", system)]
    for turn in history:
        if turn.user_text:
            messages.append(ChatMessage("user", turn.user_text))
        if turn.assistant_text:
            messages.append(ChatMessage("assistant", turn.assistant_text))
    messages.append(ChatMessage("user", text))
    return messages
