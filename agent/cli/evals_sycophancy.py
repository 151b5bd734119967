"""`prefmem eval sycophancy`: does personalization flip choices towards agreeing; how far lambda drifts."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from prefmem.agent.cli.context import console, errors, guarded, options, print_json


@guarded
def sycophancy_command(
    ctx: typer.Context,
    seed: int = typer.Option(0, help="Random seed of the simulated histories."),
    users: int = typer.Option(6, min=1, help="Simulated users of each kind (sycophant, random)."),
    json_file: Path | None = typer.Option(None, "--json", help="Write the full report as JSON to this file."),
) -> None:
    """Flip rate away from the shared base with/without bound, shrinkage and guard; lambda drift per day."""
    from prefmem.evals.sycophancy import run_sycophancy

    config = options(ctx).config()
    report = run_sycophancy(
        config, seed=seed, users_per_kind=users, progress=lambda message: errors.print(f"[dim]{message}[/]")
    )
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        errors.print(f"wrote {json_file}")
    for label, rates in report["flip_rate"].items():
        shown = "  ".join(f"{name} {value:.3f}" for name, value in rates.items())
        console.print(f"sycophants' flip rate, {label:<8}: {shown}")
    for label, row in report["shared_base"].items():
        console.print(
            f"shared base, {label:<8}: agrees on {row['agreeing_rate']:.3f} of wrong-to-agree probes, "
            f"right on {row['control_correct_rate']:.3f} of controls"
        )
    last = report["drift"][-1]
    console.print(
        f"day {last['day']}: sycophants' distance from the population {last['sycophant']['default']:.2f} "
        f"(no shrinkage {last['sycophant']['no_shrinkage']:.2f}), random answerers "
        f"{last['random']['default']:.2f} ({last['random']['no_shrinkage']:.2f})"
    )
    if json_file is None:
        print_json({"flip_rate": report["flip_rate"], "shared_base": report["shared_base"]})
