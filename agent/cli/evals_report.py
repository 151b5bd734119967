"""`prefmem eval report`: the whole evaluation suite, written up as Markdown with PNG plots."""

from __future__ import annotations

from pathlib import Path

import typer

from prefmem.agent.cli.context import console, errors, guarded, options
from prefmem.memory.errors import InvalidInputError


@guarded
def report_command(
    ctx: typer.Context,
    out: Path = typer.Option(Path("report"), "--out", help="Folder for report.md, plots and JSON per part."),
    quick: bool = typer.Option(False, "--quick", help="Small sizes: about ten minutes on a 2-core laptop."),
    prefeval: Path | None = typer.Option(None, "--prefeval", help="A PrefEval-layout folder (else skipped)."),
    dsp: Path | None = typer.Option(None, "--dsp", help="A DSP-layout file or folder (else skipped)."),
    seed: int = typer.Option(0, help="Random seed of every part."),
) -> None:
    """Run the evaluation suite and write a report a person can read (Markdown + PNG plots)."""
    from prefmem.evals.report import run_suite, write_report

    for name, folder in (("--prefeval", prefeval), ("--dsp", dsp)):
        if folder is not None and not folder.exists():
            raise InvalidInputError(f"{name} {folder}: no such file or folder")
    config = options(ctx).config()
    reports = run_suite(
        config,
        out,
        quick=quick,
        seed=seed,
        prefeval=prefeval,
        dsp=dsp,
        say=lambda message: errors.print(f"[dim]{message}[/]"),
    )
    path = write_report(reports, out)
    skipped = [name for name, folder in (("prefeval", prefeval), ("disagreement", dsp)) if folder is None]
    if skipped:
        errors.print(f"skipped (no data folder given): {', '.join(skipped)}")
    console.print(f"wrote {path}")
