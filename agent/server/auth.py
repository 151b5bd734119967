"""API keys: each key acts for one user, and reads and changes only that user's memory.

Without keys the server trusts the request: the chat user comes from the body's `user` (or
`safety_identifier`) field and every user route is open, which suits a server on 127.0.0.1.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request

from prefmem.agent.server.errors import ApiError
from prefmem.memory.errors import ConfigError


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's user, or None when the server has no keys."""

    user_id: str | None

    def require(self, user_id: str) -> None:
        """Refuse (403) a key that reaches for another user's memory."""
        if self.user_id is not None and self.user_id != user_id:
            raise ApiError(403, "this API key may only reach its own user", code="permission_denied")


class ApiKeys:
    """The key-to-user table; compares keys in constant time."""

    def __init__(self, keys: Mapping[str, str]) -> None:
        for key, user in keys.items():
            if not key.strip() or not user.strip():
                raise ConfigError("server.api_keys: keys and user ids must not be empty")
        self._keys = [(key.encode("utf-8"), user) for key, user in keys.items()]

    def __bool__(self) -> bool:
        return bool(self._keys)

    def user_of(self, key: str) -> str | None:
        given = key.encode("utf-8")
        found = None
        for known, user in self._keys:  # no early exit: every key is compared
            if hmac.compare_digest(known, given):
                found = user
        return found


def parse_api_keys(text: str) -> dict[str, str]:
    """`key1=ana,key2=bob` (the format of $PREFMEM_API_KEYS) as a key-to-user mapping."""
    keys: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        key, sep, user = item.partition("=")
        if not sep or not key.strip() or not user.strip():
            raise ConfigError("PREFMEM_API_KEYS: expected key=user pairs separated by commas")
        keys[key.strip()] = user.strip()
    return keys


def caller(request: Request) -> Caller:
    """The FastAPI dependency: 401 without a known key when keys are configured."""
    keys: ApiKeys = request.app.state.api_keys
    if not keys:
        return Caller(None)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing API key: send Authorization: Bearer KEY", code="missing_api_key")
    user = keys.user_of(token.strip())
    if user is None:
        raise ApiError(401, "invalid API key", code="invalid_api_key")
    return Caller(user)
