"""`prefmem eval disagreement`: per-user rewards vs one aggregate model, judged by the worst-off group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from prefmem.agent.cli.context import console, errors, guarded, options, print_json


@guarded
def disagreement_command(
    ctx: typer.Context,
    data: Path = typer.Option(
        ..., "--data", help="A DSP file, or a folder with domain_specific_preference*.json."
    ),
    seed: int = typer.Option(0, help="Random seed of the split and the simulation."),
    limit: int | None = typer.Option(None, min=2, help="Use only this many DSP queries (quick runs)."),
    simulated_users: int = typer.Option(100, min=2, help="Users of the simulated 51/49 population."),
    resamples: int = typer.Option(
        1000, min=10, help="Bootstrap resamples of the held-out queries (intervals)."
    ),
    json_file: Path | None = typer.Option(None, "--json", help="Write the full report as JSON to this file."),
) -> None:
    """Accuracy per DSP user and per simulated group: each user's reward vs a pooled Bradley-Terry model."""
    from prefmem.evals.disagreement import run_disagreement

    config = options(ctx).config()
    report = run_disagreement(
        data,
        config,
        seed=seed,
        limit=limit,
        simulated_users=simulated_users,
        resamples=resamples,
        progress=lambda message: errors.print(f"[dim]{message}[/]"),
    )
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        errors.print(f"wrote {json_file}")
    _print_dsp(report)
    block = report["simulated"]
    for user, row in block["per_user"].items():
        console.print(
            f"{'simulated 51/49':<16} {user:<14} "
            f"personal {row['personal']:.3f}  aggregate {row['aggregate']:.3f}"
        )
    console.print(
        f"{report['n_train']} training and {report['n_test']} held-out queries from {report['files_used']}; "
        f"base functions: {', '.join(report['base_functions'])}"
    )
    if json_file is None:
        print_json({"worst_group": report["worst_group"], "simulated": report["simulated"]["worst_group"]})


def _interval(values: list[float]) -> str:
    return f"[{values[0]:.3f}, {values[1]:.3f}]"


def _print_dsp(report: dict[str, Any]) -> None:
    """Per user and worst-off user with intervals, then the cold-start curve."""
    for user, row in report["per_user"].items():
        console.print(
            f"{'DSP':<16} {user:<14} personal {row['personal']:.3f} {_interval(row['personal_ci'])}  "
            f"aggregate {row['aggregate']:.3f} {_interval(row['aggregate_ci'])}"
        )
    worst = report["worst_group"]
    console.print(
        f"{'DSP':<16} {'worst-off':<14} personal {worst['personal']:.3f} {_interval(worst['personal_ci'])}  "
        f"aggregate {worst['aggregate']:.3f} {_interval(worst['aggregate_ci'])}  "
        f"gap {worst['gap']:+.3f} {_interval(worst['gap_ci'])}"
    )
    curve = report["cold_start"]
    for variant, block in curve["variants"].items():
        steps = "  ".join(
            f"{count}: {block['worst_user'][str(count)]['accuracy']:.3f}" for count in curve["counts"]
        )
        console.print(f"cold start ({variant}), worst-off user by answers  {steps}")
