"""`prefmem eval ...`: evaluations with a fixed seed and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from prefmem.agent.cli.context import console, errors, guarded, options, print_json, slips_option

app = typer.Typer(help="Evaluations (fixed seed, JSON output with --json FILE).", no_args_is_help=True)


@app.command("stability")
@guarded
def stability_command(
    ctx: typer.Context,
    users: int = typer.Option(50, min=1, help="Simulated users."),
    seed: int = typer.Option(0, help="Random seed of the simulation."),
    slips: float = slips_option(),
    json_file: Path | None = typer.Option(None, "--json", help="Write the full report as JSON to this file."),
) -> None:
    """Score consolidation (with the configured thresholds) on simulated users of known kinds."""
    from prefmem.agent.factory import build_consolidation_rules, build_embedder
    from prefmem.evals.stability import run_stability

    config = options(ctx).config()
    embedder = build_embedder(config)
    rules = build_consolidation_rules(config)
    report = run_stability(users, seed=seed, slips=slips, embedder=embedder, rules=rules)
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        errors.print(f"wrote {json_file}")
    console.print(
        f"{report['users']} users, {report['slots']} slots: "
        f"recall of genuine {report['recall_genuine']:.3f}, "
        f"false promotion {report['false_promotion']:.3f}, momentary leak {report['momentary_leak']:.3f}"
    )
    by_slips = report["recall_genuine_by_slips"]
    if by_slips["with_slips"]["slots"]:
        console.print(
            "recall of genuine where no occurrence slipped "
            f"{by_slips['clean']['recall'] or 0:.3f} ({by_slips['clean']['slots']} slots), "
            f"where some slipped {by_slips['with_slips']['recall'] or 0:.3f} "
            f"({by_slips['with_slips']['slots']} slots)"
        )
    console.print(
        "recall of genuine if every signal were read and grouped right (the rules' ceiling) "
        f"{report['recall_genuine_ceiling'] or 0:.3f}"
    )
    if json_file is None:
        print_json(report["confusion"])
