"""`prefmem check ...`: checks of the product itself; `reliability` runs the reliability suite
(isolation, kills, bad input, injected instructions, forget, load; see docs/reliability.md)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from prefmem.agent.cli.context import console, errors, guarded
from prefmem.memory.errors import InvalidInputError

app = typer.Typer(help="Checks of the product (reliability).", no_args_is_help=True)


@app.command("reliability")
@guarded
def reliability_command(
    quick: bool = typer.Option(False, "--quick", help="Small sizes (about a minute; what the tests run)."),
    json_file: Path | None = typer.Option(None, "--json", help="Write every check's figures as JSON here."),
    seed: int = typer.Option(0, help="Random seed of the operations, kill points and markers."),
    only: list[str] | None = typer.Option(
        None,
        "--only",
        help="Run only this check (repeatable): isolation, kills, bad_input, injection, forget, load.",
    ),
    workdir: Path | None = typer.Option(
        None, "--workdir", help="Keep the checks' data folders here (default: a temporary folder)."
    ),
) -> None:
    """Run the reliability suite; exit code 1 when any check misses a goal."""
    from prefmem.evals.reliability.results import CheckResult
    from prefmem.evals.reliability.suite import CHECKS, run_suite

    unknown = sorted(set(only or ()) - set(CHECKS))
    if unknown:
        raise InvalidInputError(f"unknown check {unknown[0]!r}; use one of {', '.join(CHECKS)}")

    def progress(result: CheckResult) -> None:
        verdict = "pass" if result.passed else "FAIL"
        errors.print(
            f"{result.name}: {verdict} ({result.trials} trials, {result.seconds:.1f} s)", highlight=False
        )

    suite = run_suite(quick=quick, seed=seed, only=only or (), workdir=workdir, on_done=progress)
    table = Table(title=f"prefmem reliability ({suite.mode}, seed {seed})")
    for column in ("check", "trials", "counts (goal 0) (others)", "verdict"):
        table.add_column(column, overflow="fold")
    for row in suite.table():
        table.add_row(*row)
    console.print(table)
    for check in suite.checks:
        if not check.passed:
            for note in check.notes[:5]:
                errors.print(f"  {check.name}: {note}", highlight=False, soft_wrap=True)
    console.print(f"overall: {'pass' if suite.passed else 'FAIL'}")
    if json_file is not None:
        json_file.write_text(json.dumps(suite.as_dict(), indent=2) + "\n", encoding="utf-8")
    if not suite.passed:
        raise typer.Exit(1)
