"""The chat model interface: messages in, one or more sampled replies out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Role = Literal["system", "user", "assistant"]
#: Receives a reply's text piece by piece as it is generated (pieces joined: the whole reply).
TextCallback = Callable[[str], None]


@dataclass(frozen=True)
class ChatMessage:
    """One message of a prompt."""

    role: Role
    content: str


class ChatModel(ABC):
    """Generates replies to a conversation. `n` > 1 samples several candidates (for reranking)."""

    #: A short human-readable name, shown in traces.
    name: str

    @abstractmethod
    def generate(
        self,
        messages: Sequence[ChatMessage],
        *,
        n: int = 1,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> list[str]:
        """Return n replies to the conversation (None means the model's configured default)."""

    def reply(self, messages: Sequence[ChatMessage]) -> str:
        """One reply."""
        return self.generate(messages, n=1)[0]

    def stream(
        self,
        messages: Sequence[ChatMessage],
        on_text: TextCallback,
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> str:
        """One reply, handed to `on_text` piece by piece as it is generated; returns the whole reply.

        The pieces joined are exactly the returned reply (no leading or trailing whitespace).
        A model that cannot stream hands the whole reply over at once, which is what this does.
        """
        replies = self.generate(messages, n=1, temperature=temperature, max_new_tokens=max_new_tokens)
        reply = replies[0].strip()
        if reply:
            on_text(reply)
        return reply

    def load(self) -> None:  # noqa: B027 - optional hook, empty by design
        """Load weights ahead of the first request (a no-op for remote or scripted models)."""
