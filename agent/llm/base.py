"""The chat model interface: messages in, one or more sampled replies out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from prefmem.agent.llm.streaming import TextCallback, TrimmedText

Role = Literal["system", "user", "assistant"]


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

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> Iterator[str]:
        """One reply in pieces, as the model writes it (joined, they are the reply).

        Models that cannot stream yield the whole reply once it is done.
        """
        yield self.generate(messages, n=1, temperature=temperature, max_new_tokens=max_new_tokens)[0]

    def reply(self, messages: Sequence[ChatMessage]) -> str:
        """One reply."""
        return self.generate(messages, n=1)[0]

    def stream_to(
        self,
        messages: Sequence[ChatMessage],
        on_text: TextCallback,
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> str:
        """One reply, handed to `on_text` piece by piece as `stream` yields it; returns the whole reply.

        The pieces joined are exactly the returned reply (no leading or trailing whitespace).
        """
        relay = TrimmedText(on_text)
        for piece in self.stream(messages, temperature=temperature, max_new_tokens=max_new_tokens):
            relay.put(piece)
        return relay.text

    def load(self) -> None:  # noqa: B027 - optional hook, empty by design
        """Load weights ahead of the first request (a no-op for remote or scripted models)."""
