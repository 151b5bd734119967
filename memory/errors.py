"""The exception hierarchy, split by whose fault it is.

`UsageError` and its subclasses mean the caller gave something wrong (bad input, an
unknown user, a bad setting); `BackendError` means a store or model failed. The
command line and the HTTP server translate these into messages and exit codes at the
edge, and nowhere else.
"""

from __future__ import annotations


class PrefmemError(Exception):
    """Base of every error prefmem raises on purpose."""


class UsageError(PrefmemError):
    """The caller asked for something that cannot be done as asked."""


class InvalidInputError(UsageError):
    """A message or record is empty, too long, or not valid text."""


class ConfigError(UsageError):
    """A configuration file or setting is invalid; the message names the key."""


class UnknownUserError(UsageError):
    """No memory is held for this user."""

    def __init__(self, user_id: str) -> None:
        super().__init__(f"no memory is held for user {user_id!r} (see `prefmem users`)")
        self.user_id = user_id


class EventLogError(UsageError):
    """An event log has invalid lines; `problems` lists (line number, reason) for each."""

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        self.source = source
        self.problems = problems
        shown = "\n".join(f"  line {number}: {reason}" for number, reason in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{source}: {len(problems)} invalid line(s); nothing was imported\n{shown}{more}")


class BackendError(PrefmemError):
    """A store or a model failed, through no fault of the input."""


class DataFolderError(BackendError):
    """The data folder is missing, unreadable or corrupted."""


class StoreBusyError(BackendError):
    """Another process is writing the same store."""


class ModelUnavailableError(BackendError):
    """A model or an optional dependency it needs is not installed."""


class UnknownPreferenceError(UsageError):
    """No preference has this id."""

    def __init__(self, preference_id: str) -> None:
        super().__init__(f"no preference with id {preference_id!r} (see `prefmem preferences --user U`)")
        self.preference_id = preference_id
