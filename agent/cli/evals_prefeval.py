"""`prefmem eval prefeval`: PrefEval multiple choice through the memory path, per memory condition."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from prefmem.agent.cli.context import console, errors, guarded, options, progress_bar


def _cell(row: dict[str, Any]) -> str:
    if row["accuracy"] is None:
        return "-"
    text = f"{row['accuracy']:.2f} [{row['ci_low']:.2f}-{row['ci_high']:.2f}]"
    lift = row.get("lift_over_best_baseline")
    if not _is_baseline(str(row["memory"])) and lift is not None:
        text += f" {lift:+.2f}"
    return text


def _is_baseline(memory: str) -> bool:
    return memory == "none" or memory.startswith("baseline-")


def accuracy_tables(rows: Sequence[dict[str, Any]]) -> list[Table]:
    """One table per form: baselines then memory conditions down, distractor counts across; each
    memory condition's lift over the best baseline (longest, shared base, no memory) after it."""
    tables = []
    forms = list(dict.fromkeys(str(row["form"]) for row in rows))
    counts = sorted({int(row["distractors"]) for row in rows})
    for form in forms:
        table = Table(title=f"{form}: accuracy [95% CI] and lift over the best baseline, by distractor turns")
        table.add_column("memory", no_wrap=True)
        for count in counts:
            table.add_column(str(count), justify="right")
        for memory in dict.fromkeys(str(row["memory"]) for row in rows):
            cells = {int(r["distractors"]): r for r in rows if r["form"] == form and r["memory"] == memory}
            table.add_row(memory, *(_cell(cells[count]) if count in cells else "-" for count in counts))
        tables.append(table)
    return tables


@guarded
def prefeval_command(
    ctx: typer.Context,
    data: Path = typer.Option(..., "--data", help="A PrefEval-layout folder to report on."),
    train_data: Path | None = typer.Option(
        None, "--train-data", help="Train the preference scorer on this PrefEval-layout folder first."
    ),
    distractors: str = typer.Option("0,10,50,300", help="Distractor turns after the preference."),
    forms: str = typer.Option("explicit,choice,persona", help="Forms the preference is expressed in."),
    memory: str = typer.Option(
        "none,episodic-similarity,episodic-recency,semantic,both", help="Memory conditions compared."
    ),
    limit: int | None = typer.Option(None, min=1, help="At most this many items per topic."),
    seed: int = typer.Option(0, help="Seed of the option shuffle (and of training)."),
    json_file: Path | None = typer.Option(None, "--json", help="Write the full report as JSON to this file."),
) -> None:
    """Accuracy on PrefEval multiple choice per memory condition, distractor count and form."""
    from prefmem.evals.memory_conditions import parse_conditions
    from prefmem.evals.prefeval import parse_counts, run_prefeval
    from prefmem.evals.prefeval_forms import parse_forms

    config = options(ctx).config()
    with progress_bar("prefeval", quiet=False) as bar:
        task = bar.add_task("prefeval", total=None)
        report = run_prefeval(
            config,
            data,
            train_data=train_data,
            forms=parse_forms(forms),
            distractors=parse_counts(distractors),
            memory=parse_conditions(memory),
            limit=limit,
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        errors.print(f"wrote {json_file}")
    for table in accuracy_tables(report["rows"]):
        console.print(table)
    console.print(
        f"{report['items']} items, {report['users']} users, scorer {report['preference_scorer']}, "
        f"seed {report['seed']}, {report['seconds']} s; files: {len(report['files_used'])} "
        f"under {report['data']}"
    )
