"""Starting `prefmem serve` as a child process for a benchmark or a check: a free port, and
waiting until it answers."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Literal


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_serving(
    url: str, process: subprocess.Popen[bytes], timeout_s: float, *, poll_s: float = 0.1
) -> Literal["up", "exited", "timeout"]:
    """Poll `url`/v1/models until the server answers 200 ("up"), its process ends ("exited"),
    or `timeout_s` passes ("timeout"); the caller says what each outcome means to it."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "exited"
        try:
            if httpx.get(f"{url}/v1/models", timeout=2.0).status_code == 200:
                return "up"
        except httpx.HTTPError:
            pass
        time.sleep(poll_s)
    return "timeout"
