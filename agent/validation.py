"""Checks on user-supplied text, shared by the assistant, the importer and the command line."""

from __future__ import annotations

from prefmem.memory.errors import InvalidInputError
from prefmem.memory.text_checks import control_character, id_problem


def check_message(text: str, *, max_chars: int) -> str:
    """Return the message stripped of surrounding whitespace, or raise InvalidInputError saying why not."""
    if not isinstance(text, str):
        raise InvalidInputError("a message must be text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError("the message is not valid Unicode text (it holds lone surrogates)") from None
    stripped = text.strip()
    if not stripped:
        raise InvalidInputError("the message is empty")
    found = control_character(stripped)
    if found is not None:
        raise InvalidInputError(f"the message holds a {found}")
    if len(stripped) > max_chars:
        raise InvalidInputError(
            f"the message is {len(stripped)} characters long; the limit is {max_chars} "
            "(assistant.max_message_chars)"
        )
    return stripped


def check_id(value: object, *, what: str = "user id") -> str:
    """Return the identifier unchanged, or raise InvalidInputError saying why it cannot be one."""
    if not isinstance(value, str):
        raise InvalidInputError(f"the {what} must be text")
    problem = id_problem(value, what=what)
    if problem is not None:
        raise InvalidInputError(problem)
    return value


def decode_line(raw: bytes) -> str:
    """Decode one line of input as UTF-8, or raise InvalidInputError naming the bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"the input is not valid UTF-8 (bad byte at position {error.start})"
        ) from None
