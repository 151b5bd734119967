"""Cold start of `prefmem chat`: seconds from launch to the first prompt, first run and cached run.

The chat runs in a pseudo-terminal (as a person would see it) with a fresh data
folder; the first run converts the chat model, the second finds it cached.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROMPT = b"you>"


def _time_to_prompt(command: list[str], env: dict[str, str], *, timeout: float) -> float:
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(command[0], command, env)
    seen = b""
    poller = select.poll()  # not select.select: descriptors above 1023 are fine here
    poller.register(fd, select.POLLIN)
    try:
        while time.perf_counter() - started < timeout:
            if not poller.poll(500):
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if PROMPT in seen:
                elapsed = time.perf_counter() - started
                os.write(fd, b"/exit\n")
                _wait(pid)
                return elapsed
        raise RuntimeError(f"no prompt within {timeout:.0f} s; output was: {seen[-500:]!r}")
    finally:
        os.close(fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _wait(pid: int) -> None:
    for _ in range(100):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.1)


def bench_cold_start(*, config_file: Path | None = None, timeout: float = 300.0) -> dict[str, Any]:
    """Launch `prefmem chat` twice in a fresh data folder and time each to its first prompt; time --help."""
    executable = shutil.which("prefmem") or str(Path(sys.executable).parent / "prefmem")
    with tempfile.TemporaryDirectory(prefix="prefmem-cold-") as folder:
        command = [executable, "--data-dir", folder]
        if config_file is not None:
            command += ["--config", str(config_file)]
        command += ["chat", "--user", "bench"]
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TERM="dumb")
        first = _time_to_prompt(command, env, timeout=timeout)
        cached = _time_to_prompt(command, env, timeout=timeout)
    help_started = time.perf_counter()
    subprocess.run([executable, "--help"], check=True, stdout=subprocess.DEVNULL, env=env)
    help_seconds = time.perf_counter() - help_started
    return {"first_run_s": first, "cached_run_s": cached, "help_s": help_seconds}
