"""`prefmem eval ...`: evaluations with a fixed seed and JSON output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from prefmem.agent.cli.context import errors, guarded, options, print_json, slips_option
from prefmem.agent.cli.evals_stability import print_prefeval_stability, print_stability

app = typer.Typer(help="Evaluations (fixed seed, JSON output with --json FILE).", no_args_is_help=True)

BANK_CHOICES = ("dev", "test", "all")


@app.command("stability")
@guarded
def stability_command(
    ctx: typer.Context,
    users: int = typer.Option(50, min=1, help="Simulated users."),
    seed: int = typer.Option(0, help="Random seed of the simulation."),
    slips: float = slips_option(),
    bank: str = typer.Option(
        "test",
        help="Part of the phrase bank the simulated users speak from: test (written apart, never "
        "tuned on), dev (the part rules may be tuned on) or all.",
    ),
    prefeval: Path | None = typer.Option(
        None,
        "--prefeval",
        help="Instead of simulated phrasings, build users from this PrefEval-layout folder: each "
        "shows one PrefEval preference in its own words (--users, --slips and --bank do not apply).",
    ),
    limit: int | None = typer.Option(None, min=1, help="With --prefeval: at most this many items per topic."),
    all_topics: bool = typer.Option(
        False, help="With --prefeval: also report on the topics the offline scorer was tuned on."
    ),
    json_file: Path | None = typer.Option(None, "--json", help="Write the full report as JSON to this file."),
) -> None:
    """Score consolidation (with the configured thresholds) on users of known kinds."""
    from prefmem.agent.factory import build_consolidation_rules, build_embedder
    from prefmem.memory.errors import InvalidInputError

    if bank not in BANK_CHOICES:
        raise InvalidInputError(f"--bank takes one of {', '.join(BANK_CHOICES)}, not {bank!r}")
    config = options(ctx).config()
    embedder = build_embedder(config)
    rules = build_consolidation_rules(config)
    report: dict[str, Any]
    if prefeval is not None:
        from prefmem.agent.factory import build_preference_scorer
        from prefmem.evals.stability_prefeval import run_prefeval_stability

        scorer = build_preference_scorer(config, embedder)
        report = run_prefeval_stability(
            prefeval,
            embedder=embedder,
            scorer=scorer,
            rules=rules,
            seed=seed,
            limit=limit,
            all_topics=all_topics,
        )
    else:
        from prefmem.evals.stability import run_stability

        report = run_stability(users, seed=seed, slips=slips, bank=bank, embedder=embedder, rules=rules)
    if json_file is not None:
        json_file.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        errors.print(f"wrote {json_file}")
    if prefeval is not None:
        print_prefeval_stability(report)
        return
    print_stability(report)
    if json_file is None:
        print_json(report["confusion"])
