"""`prefmem bench elicitation`: the reward benchmarks' commands (JSON with --json)."""

from __future__ import annotations

import typer

from prefmem.agent.cli.context import errors, guarded, options, print_json


@guarded
def elicitation_command(
    ctx: typer.Context,
    users: int = typer.Option(300, min=10, help="Simulated users."),
    questions: int | None = typer.Option(None, min=2, max=50, help="Answers per user (default: config)."),
    random_share: float = typer.Option(0.25, min=0.0, max=1.0, help="Share of users answering at random."),
    position_share: float = typer.Option(
        0.15, min=0.0, max=1.0, help="Share of users who pick whichever reply is shown first."
    ),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Simulated users: held-out accuracy after elicited vs random questions, and noise refused."""
    from prefmem.agent.reward.coefficients import population_vector
    from prefmem.evals.bench_elicitation import bench_elicitation

    settings = options(ctx).config().reward
    figures = bench_elicitation(
        users=users,
        questions=questions or settings.elicitation_questions,
        reask_share=settings.reask_share,
        prior_strength=settings.prior_strength,
        agreement=settings.stability_agreement,
        min_votes=settings.stability_min_votes,
        population=population_vector(settings.population_coefficients),
        random_share=random_share,
        position_share=position_share,
        seed=seed,
    )
    if as_json:
        print_json(figures)
        return
    genuine = figures["figures"]["genuine"]
    for key in ("population", "elicited", "random_questions", "elicited_unfiltered"):
        errors.print(f"genuine users, accuracy {key:<20} {genuine[f'accuracy_{key}']['mean']:.3f}")
    for kind in ("random", "position"):
        row = figures["figures"][kind]
        distance = row["distance_from_population_elicited"]["mean"]
        errors.print(
            f"{kind} answerers: distance from population {distance:.2f} "
            f"(unfiltered {row['distance_from_population_elicited_unfiltered']['mean']:.2f}), "
            f"posterior/prior std {row['std_ratio_elicited']['mean']:.2f} "
            f"(unfiltered {row['std_ratio_elicited_unfiltered']['mean']:.2f})"
        )
