"""`prefmem eval recall`: memory conditions compared on simulated users whose preferences are known."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from prefmem.agent.cli.context import console, errors, guarded, options, progress_bar, slips_option


def recall_table(rows: Sequence[dict[str, Any]]) -> Table:
    """One line per measure and memory condition: rate, 95% interval, n and lift over none."""
    table = Table(title="following (higher is better); leak and flip (lower is better)")
    table.add_column("measure")
    table.add_column("memory")
    for name in ("rate", "95% CI", "n", "lift"):
        table.add_column(name, justify="right")
    measures = list(dict.fromkeys(str(row["measure"]) for row in rows))  # the report's order
    for row in sorted(rows, key=lambda r: measures.index(str(r["measure"]))):
        rate = "-" if row["rate"] is None else f"{row['rate']:.2f}"
        lift = "" if row.get("lift_over_none") is None else f"{row['lift_over_none']:+.2f}"
        interval = f"{row['ci_low']:.2f}-{row['ci_high']:.2f}"
        table.add_row(str(row["measure"]), str(row["memory"]), rate, interval, str(row["n"]), lift)
    return table


@guarded
def recall_command(
    ctx: typer.Context,
    users: int = typer.Option(50, min=1, help="Simulated users."),
    seed: int = typer.Option(0, help="Seed of the simulation and of the reply order."),
    slips: float = slips_option(),
    memory: str = typer.Option(
        "none,episodic-similarity,episodic-recency,semantic,both", help="Memory conditions compared."
    ),
    json_file: Path | None = typer.Option(None, "--json", help="Write the full report as JSON to this file."),
) -> None:
    """Preference following and leaks of one-off or unstable signals, per memory condition."""
    from prefmem.evals.memory_conditions import parse_conditions
    from prefmem.evals.recall_comparison import run_recall_comparison

    config = options(ctx).config()
    with progress_bar("recall", quiet=False) as bar:
        task = bar.add_task("recall", total=None)
        report = run_recall_comparison(
            config,
            users,
            seed=seed,
            slips=slips,
            memory=parse_conditions(memory),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        errors.print(f"wrote {json_file}")
    console.print(recall_table(report["rows"]))
    console.print(
        f"{report['users']} users, {report['probes']} probes, scorer {report['preference_scorer']}, "
        f"seed {report['seed']}, {report['seconds']} s"
    )
