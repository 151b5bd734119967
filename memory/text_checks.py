"""Checks on text and identifiers that come from outside, shared by every way records come in.

Control characters have no place in what a person says or in an identifier: a NUL cuts text
short in C libraries, terminal escapes rewrite a screen that shows the memory, and a line
break in a user id forges log lines. Messages may hold tabs and line breaks; ids hold none.
"""

from __future__ import annotations

import unicodedata

#: The longest user, session or item id accepted (as the HTTP server's user field).
MAX_ID_CHARS = 200
_TEXT_WHITESPACE = frozenset("\t\n\r")


def control_character(text: str, *, allow_line_breaks: bool = True) -> str | None:
    """A description of the first control character in `text` (C0, DEL or C1; tab, line feed and
    carriage return are allowed when `allow_line_breaks`), or None when there is none."""
    for position, character in enumerate(text):
        if unicodedata.category(character) == "Cc" and not (
            allow_line_breaks and character in _TEXT_WHITESPACE
        ):
            return f"control character U+{ord(character):04X} at position {position}"
    return None


def id_problem(value: str, *, what: str = "id") -> str | None:
    """Why `value` cannot be an identifier (empty, too long, control characters), or None."""
    if not value.strip():
        return f"the {what} is empty"
    if len(value) > MAX_ID_CHARS:
        return f"the {what} is {len(value)} characters long; the limit is {MAX_ID_CHARS}"
    found = control_character(value, allow_line_breaks=False)
    if found is not None:
        return f"the {what} holds a {found}"
    return None
