"""Relaying a reply's text to a caller while it is generated."""

from __future__ import annotations

from collections.abc import Callable

#: Receives a reply's text piece by piece as it is generated (pieces joined: the whole reply).
TextCallback = Callable[[str], None]


class TrimmedText:
    """Hands pieces of a reply to a callback without the reply's leading and trailing whitespace.

    Whitespace at the start is dropped; whitespace after a piece is held back until more text
    follows it, so the pieces handed over, joined, are exactly the stripped reply.
    """

    def __init__(self, on_text: TextCallback) -> None:
        self._on_text = on_text
        self._held = ""
        self._started = False
        self._pieces: list[str] = []

    def put(self, piece: str) -> None:
        """Take the next piece of generated text."""
        if not self._started:
            piece = piece.lstrip()
            if not piece:
                return
            self._started = True
        core = piece.rstrip()
        if not core:
            self._held += piece
            return
        out = self._held + core
        self._held = piece[len(core) :]
        self._pieces.append(out)
        self._on_text(out)

    @property
    def text(self) -> str:
        """Everything handed over so far, joined."""
        return "".join(self._pieces)
