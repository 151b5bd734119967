"""Names and ids that the vector index sees: keyed digests that reveal nothing about users or text.

Collection names and vector ids are HMAC-SHA256 digests under a random key kept in the
data folder. Without the key, nobody holding the index (a Chroma server run by someone
else, a copy of its files) can tell which user a collection belongs to, test a guessed
user id against it, or learn when a record was made; with the key, prefmem finds a
user's collection and a record's vector again without storing any mapping.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from prefmem.memory.errors import DataFolderError

_KEY_BYTES = 32


class OpaqueIds:
    """Derives the index's collection names and vector ids from user and record ids."""

    FILE_NAME = "ids.key"

    def __init__(self, key: bytes) -> None:
        if len(key) != _KEY_BYTES:
            raise ValueError(f"the id key must be {_KEY_BYTES} bytes")
        self._key = key

    @classmethod
    def in_folder(cls, folder: Path) -> OpaqueIds:
        """The folder's key, created on first use (safely, if several processes start at once)."""
        path = folder / cls.FILE_NAME
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            draft = folder / f".{cls.FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
            descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # owner only
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(_KEY_BYTES))
            try:
                os.link(draft, path)  # atomic: the first process's key wins, whole
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        try:
            key = path.read_bytes()
        except OSError as error:
            raise DataFolderError(f"cannot read {path}: {error.strerror}") from None
        if len(key) != _KEY_BYTES:
            raise DataFolderError(
                f"{path} is damaged (not a {_KEY_BYTES}-byte key); restore it from a backup"
            )
        return cls(key)

    def _digest(self, *parts: str, length: int) -> str:
        message = "\x00".join(parts).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:length]

    def collection(self, user_id: str) -> str:
        """The name of the user's collection of interaction vectors."""
        return f"v-{self._digest('collection', user_id, length=40)}"

    def vector_id(self, user_id: str, record_id: str) -> str:
        """The id of one interaction's vector."""
        return self._digest("vector", user_id, record_id, length=32)
