"""What every command shares: the global options, the configuration, the console, error handling."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from prefmem.agent.cli.process import apply_torch_threads
from prefmem.agent.config import Config, load_config
from prefmem.agent.factory import Runtime
from prefmem.memory.datadir import LockMode
from prefmem.memory.errors import InvalidInputError, PrefmemError, UsageError

console = Console()
errors = Console(stderr=True)


@dataclass
class GlobalOptions:
    """The options given before the command name."""

    config_file: Path | None = None
    data_dir: Path | None = None

    def config(self) -> Config:
        """The configuration; its process-wide settings (runtime.torch_threads) take effect now."""
        config = load_config(self.config_file, data_dir=self.data_dir)
        apply_torch_threads(config)
        return config

    def runtime(self, *, lock: LockMode = "exclusive", create: bool = True) -> Runtime:
        """The command's parts; a store on disk fills freed memory, so `forget` leaves no trace."""
        return Runtime(self.config(), lock=lock, create=create)


def options(ctx: typer.Context) -> GlobalOptions:
    found = ctx.find_object(GlobalOptions)
    return found if found is not None else GlobalOptions()


def progress_bar(label: str, *, quiet: bool) -> Progress:
    """A bar on standard error for long work; hidden when output is JSON or not a terminal."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
        disable=quiet or not errors.is_terminal,
    )


def fail(error: PrefmemError) -> NoReturn:
    """Print an error the way every command does and exit: 2 for usage errors, 1 for failures."""
    errors.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2 if isinstance(error, UsageError) else 1)


P = ParamSpec("P")
R = TypeVar("R")


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn prefmem's own errors raised by a command into a message and an exit code."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PrefmemError as error:
            fail(error)

    return run


def print_json(payload: Any) -> None:
    """Write JSON to standard output, exactly (no styling, no wrapping)."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def read_input_lines(source: str) -> Iterator[bytes]:
    """The raw lines of a file, or of standard input for `-` (event logs are read this way)."""
    if source == "-":
        yield from sys.stdin.buffer
        return
    path = Path(source)
    if not path.is_file():
        raise InvalidInputError(f"no such file: {source}")
    with path.open("rb") as handle:
        yield from handle


#: The simulator's default chance of a slip (kept equal to `evals.simulator.DEFAULT_SLIPS`; the
#: command line does not import the evaluations before a command runs).
DEFAULT_SLIPS = 0.05


def slips_option() -> Any:
    """`--slips`, for the evaluations that simulate users: how often a genuine preference slips."""
    return typer.Option(
        DEFAULT_SLIPS,
        min=0.0,
        max=0.5,
        help="Chance that an occurrence of a genuine preference says otherwise (a slip); "
        "non-attitude answers are always simulated.",
    )
