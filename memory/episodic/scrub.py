"""Keep freed text out of the files that native code writes.

Chroma's vector index (hnswlib) writes whole buffers to disk, unused parts included,
and malloc hands those buffers out uninitialised: they can hold freed text of any
user (one forgotten since, or simply another user) and so land in someone else's
index file. While a store call runs, glibc's M_PERTURB fills every block malloc hands
out (and every block freed) with a constant byte. It is switched off between calls,
because filling every allocation also slows torch by about a tenth.

On a C library other than glibc `mallopt` is missing and this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

_M_PERTURB = -6
_FILL_BYTE = 0x5A
_lock = threading.Lock()
_depth = 0

P = ParamSpec("P")
R = TypeVar("R")


def _mallopt(value: int) -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_PERTURB, value)


@contextlib.contextmanager
def scrubbed_allocations() -> Iterator[None]:
    """Within this block (in any thread), allocations and frees are filled with a constant byte."""
    global _depth
    with _lock:
        if _depth == 0:
            _mallopt(_FILL_BYTE)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _mallopt(0)


def scrubbed(method: Callable[P, R]) -> Callable[P, R]:
    """Run a store method inside `scrubbed_allocations`."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with scrubbed_allocations():
            return method(*args, **kwargs)

    return run
