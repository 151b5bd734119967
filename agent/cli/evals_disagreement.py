"""`prefmem eval disagreement`: per-user rewards vs one aggregate model, judged by the worst-off group."""

from __future__ import annotations

import json
from pathlib import Path

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
        progress=lambda message: errors.print(f"[dim]{message}[/]"),
    )
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        errors.print(f"wrote {json_file}")
    for name, block in (("DSP", report), ("simulated 51/49", report["simulated"])):
        for user, row in block["per_user"].items():
            console.print(
                f"{name:<16} {user:<14} personal {row['personal']:.3f}  aggregate {row['aggregate']:.3f}"
            )
        worst = block["worst_group"]
        console.print(
            f"{name:<16} {'worst group':<14} personal {worst['personal']:.3f}  "
            f"aggregate {worst['aggregate']:.3f}"
        )
    console.print(
        f"{report['n_train']} training and {report['n_test']} held-out queries from {report['files_used']}"
    )
    if json_file is None:
        print_json({"worst_group": report["worst_group"], "simulated": report["simulated"]["worst_group"]})
