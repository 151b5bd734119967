"""Keep freed text out of the files that native code writes.

Chroma's vector index (hnswlib) writes whole buffers to disk, unused parts included,
and malloc hands those buffers out uninitialised: they can hold freed text of any
user (one forgotten since, or simply another user) and so land in someone else's
index file. Once `enable` is called, glibc's M_PERTURB makes malloc fill every block
it hands out (and every block freed) with a constant byte, for the rest of the
process: Chroma also allocates from its own threads, between our calls.

Changing malloc for the whole process is the application's decision, never the
library's: the command line enables it when it opens a store on disk; other programs
opt in (`ChromaEpisodicStore.persistent(..., fill_freed_memory=True)`, or
`prefmem.Memory(..., fill_freed_memory=True)`). Until then `paused` does nothing.

Filling every allocation slows torch by about a tenth, so our own model work (text
embedding, generation) runs inside `paused()`. On a C library other than glibc
`mallopt` is missing and all of this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import threading
from collections.abc import Callable, Iterator

_M_PERTURB = -6
_FILL_BYTE = 0x5A
_lock = threading.Lock()
_enabled = False
_pauses = 0


def enabled() -> bool:
    """Whether allocations are being filled (someone called `enable` in this process)."""
    return _enabled


@functools.cache
def _libc_mallopt() -> Callable[[int, int], int] | None:
    try:
        return ctypes.CDLL(None).mallopt  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _mallopt(value: int) -> None:
    mallopt = _libc_mallopt()
    if mallopt is not None:
        mallopt(_M_PERTURB, value)


def enable() -> None:
    """Fill allocations and frees from now on (idempotent)."""
    global _enabled
    with _lock:
        _enabled = True
        if _pauses == 0:
            _mallopt(_FILL_BYTE)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Allocate without filling inside this block: for model work that never reaches the stores."""
    global _pauses
    with _lock:
        _pauses += 1
        if _enabled and _pauses == 1:
            _mallopt(0)
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _enabled and _pauses == 0:
                _mallopt(_FILL_BYTE)
