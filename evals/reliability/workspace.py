"""What every check shares: fast settings, data folders, their digests and byte scans, markers,
and running the `prefmem` command (in this process or as a child process)."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import sqlite3
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Settings that make a check fast and deterministic: the hashing embedder, the scripted chat
#: model, no automatic consolidation (checks consolidate when they mean to).
FAST_SETTINGS: dict[str, Any] = {
    "embedder": {"backend": "hashing"},
    "llm": {"backend": "scripted"},
    "consolidation": {"every_n_interactions": 0},
}


def memory_settings(data_dir: Path, **sections: Any) -> dict[str, Any]:
    """Keyword arguments for `prefmem.Memory`: FAST_SETTINGS in `data_dir`, sections merged in."""
    settings: dict[str, Any] = {"data_dir": str(data_dir)}
    for name, value in {**FAST_SETTINGS, **sections}.items():
        settings[name] = {**FAST_SETTINGS.get(name, {}), **value} if isinstance(value, dict) else value
    return settings


def write_config(path: Path, data_dir: Path, **sections: Any) -> Path:
    """A config file for the command line with `memory_settings` (its folder is created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(memory_settings(data_dir, **sections)), encoding="utf-8")
    return path


def marker(rng: random.Random, prefix: str = "mk") -> str:
    """A word no text holds by chance: what a check looks for to find a user's data."""
    return prefix + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


def folder_digest(folder: Path) -> str:
    """A digest of what every file under `folder` holds (missing folder: the empty digest).

    SQLite databases count by their content (a dump of their rows, write-ahead log
    included, without the index's lock bookkeeping), not their bytes: opening a database
    may move its log into the file, which changes the bytes and nothing they hold. Left
    out, as they hold no data: the folder's lock file (which process holds the folder),
    SQLite's shared-memory index of an open database (`-shm`), write-ahead logs (counted
    with their database) and an empty rollback journal (an open connection's, with nothing
    in it).
    """
    digest = hashlib.sha256()
    if folder.exists():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and _holds_data(p)):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(_content_digest(path))
    return digest.hexdigest()


#: Rows a vector index writes each time a process opens it (Chroma's record of who took its
#: write lock): bookkeeping, not data.
_LOCK_ROWS = 'INSERT INTO "acquire_write"'


def _content_digest(path: Path) -> bytes:
    """The digest of a file's bytes, or of a SQLite database's rows (its log included)."""
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        return hashlib.sha256(path.read_bytes()).digest()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / path.name
        shutil.copyfile(path, copy)
        log = path.with_name(path.name + "-wal")
        if log.exists():
            shutil.copyfile(log, copy.with_name(copy.name + "-wal"))
        connection = sqlite3.connect(copy)
        try:
            dumped = "\n".join(line for line in connection.iterdump() if not line.startswith(_LOCK_ROWS))
        finally:
            connection.close()
    return hashlib.sha256(dumped.encode()).digest()


def _holds_data(path: Path) -> bool:
    from prefmem.memory.datadir import DataFolder

    if path.name == DataFolder.LOCK_NAME or path.name.endswith(("-shm", "-wal")):
        return False
    return not (path.name.endswith("-journal") and path.stat().st_size == 0)


def byte_hits(folder: Path, needles: Iterable[str]) -> dict[str, int]:
    """How often each needle occurs in the raw bytes of every file under `folder`, as UTF-8 and as
    UTF-16 (either byte order), so text kept in any common encoding is found."""
    forms: dict[str, list[bytes]] = {
        needle: [needle.encode("utf-8"), needle.encode("utf-16-le"), needle.encode("utf-16-be")]
        for needle in needles
    }
    hits = dict.fromkeys(forms, 0)
    for path in (p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for needle, encodings in forms.items():
            hits[needle] += sum(data.count(form) for form in encodings)
    return hits


def sqlite_problems(folder: Path) -> list[str]:
    """Every SQLite database under `folder` that fails `PRAGMA integrity_check`, with the reason."""
    problems = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            with path.open("rb") as handle:
                if handle.read(16) != b"SQLite format 3\x00":
                    continue
        except FileNotFoundError:  # a hot journal that opening its database just rolled back
            continue
        try:
            with sqlite3.connect(path) as db:
                verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                problems.append(f"{path.relative_to(folder)}: {verdict}")
        except sqlite3.Error as error:
            problems.append(f"{path.relative_to(folder)}: {error}")
    return problems


def prefmem_argv(arguments: Sequence[str]) -> list[str]:
    """The `prefmem` command as a child process of this interpreter (whatever PATH holds)."""
    return [sys.executable, "-c", "from prefmem.agent.cli.app import main; main()", *arguments]


def child_environment() -> dict[str, str]:
    """The environment for child processes: offline, this interpreter's import path."""
    environment = dict(os.environ)
    environment.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    environment["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    environment.pop("PREFMEM_CONFIG", None)
    environment.pop("PREFMEM_DATA_DIR", None)
    return environment


@dataclass
class CommandRun:
    """What one run of the `prefmem` command gave back."""

    code: int
    stdout: str
    stderr: str
    crashed: str | None = None  # an exception the command let through, by type and message


def run_command(arguments: Sequence[str], *, stdin: bytes = b"", child: bool = False) -> CommandRun:
    """Run `prefmem ARGUMENTS`: in this process (fast), or as a child process (`child`)."""
    if child:
        done = subprocess.run(
            prefmem_argv(arguments), input=stdin, capture_output=True, env=child_environment(), timeout=300
        )
        return CommandRun(
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )
    from prefmem.agent.cli.app import app

    out, err = io.StringIO(), io.StringIO()
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    saved = sys.stdin
    crashed = None
    code = 0
    try:
        sys.stdin = stdin_stream
        with redirect_stdout(out), redirect_stderr(err):
            app(list(arguments), prog_name="prefmem", standalone_mode=True)
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    except Exception as error:  # the command let an exception through: the suite counts it as a crash
        crashed = f"{type(error).__name__}: {error}"
        code = 1
    finally:
        sys.stdin = saved
    return CommandRun(code, out.getvalue(), err.getvalue(), crashed)
