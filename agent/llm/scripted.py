"""A scripted chat model: deterministic replies for tests, demos and evaluations.

It is a real `ChatModel`; it records every prompt it receives so a caller can see
exactly what the assistant sent (which memories went in, in which order).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from prefmem.agent.llm.base import ChatMessage, ChatModel

Responder = Callable[[Sequence[ChatMessage]], str]


def _echo(messages: Sequence[ChatMessage]) -> str:
    last_user = next((m.content for m in reversed(messages) if m.role == "user"), "")
    return f"You said: {last_user}"


class ScriptedChatModel(ChatModel):
    """Replies from a list (cycled) or a function of the prompt; echoes the user by default.

    Several samples (`n` > 1) take the next replies of the list in turn, or call the
    function once per sample, so a list of distinct replies gives distinct candidates.
    """

    def __init__(self, replies: Sequence[str] | Responder | None = None) -> None:
        self.name = "scripted"
        self._replies = replies
        self._turn = 0
        self.prompts: list[list[ChatMessage]] = []

    def generate(
        self,
        messages: Sequence[ChatMessage],
        *,
        n: int = 1,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> list[str]:
        self.prompts.append(list(messages))
        out = []
        for _ in range(n):
            if self._replies is None:
                text = _echo(messages)
            elif callable(self._replies):
                text = self._replies(messages)
            else:
                text = self._replies[self._turn % len(self._replies)]
                self._turn += 1
            out.append(text)
        return out

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> Iterator[str]:
        """The next reply word by word (each word with the spaces after it), as a model streams."""
        [text] = self.generate(messages, n=1, temperature=temperature, max_new_tokens=max_new_tokens)
        yield from re.findall(r"\s*\S+\s*|\s+", text)
