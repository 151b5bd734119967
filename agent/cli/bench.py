"""`prefmem bench ...`: benchmarks that print figures as JSON."""

from __future__ import annotations

import typer

from prefmem.agent.cli.context import errors, guarded, options, print_json
from prefmem.memory.errors import InvalidInputError

app = typer.Typer(help="Benchmarks that print their figures (JSON with --json).", no_args_is_help=True)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise InvalidInputError(f"--sizes must be comma-separated whole numbers, not {text!r}") from None
    if not sizes or sizes[0] <= 0:
        raise InvalidInputError("--sizes must list positive numbers")
    return sizes


@app.command("episodic")
@guarded
def episodic_command(
    ctx: typer.Context,
    sizes: str = typer.Option("1000,10000,100000", help="Store sizes (interactions over all users)."),
    users: int = typer.Option(100, min=1, help="Users the interactions are spread over."),
    queries: int = typer.Option(100, min=5, help="Recall queries timed per mode and size."),
    ingest_count: int = typer.Option(2000, min=100, help="Interactions ingested for the throughput ratio."),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Ingest throughput vs raw encoding, and recall latency per mode at each store size."""
    from prefmem.agent.factory import build_embedder
    from prefmem.evals.bench import bench_episodic

    config = options(ctx).config()
    embedder = build_embedder(config)
    figures = bench_episodic(
        embedder,
        sizes=_sizes(sizes),
        users=users,
        queries=queries,
        ingest_count=ingest_count,
        seed=seed,
        progress=lambda message: errors.print(f"[dim]{message}[/]"),
    )
    if as_json:
        print_json(figures)
        return
    ingest = figures["ingest"]
    errors.print(
        f"ingest {ingest['ingest_per_s']:.0f}/s vs raw encode {ingest['raw_encode_per_s']:.0f}/s "
        f"(ratio {ingest['ratio']:.2f})"
    )
    for mode, by_size in figures["recall"].items():
        for size, timing in by_size.items():
            errors.print(
                f"recall {mode:<10} {size:>7}: p50 {timing['p50_ms']:.1f} ms, p95 {timing['p95_ms']:.1f} ms"
            )


@app.command("cold-start")
@guarded
def cold_start_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Seconds from launching `prefmem chat` to its first prompt: first run, then cached."""
    from prefmem.evals.cold_start import bench_cold_start

    figures = bench_cold_start(config_file=options(ctx).config_file)
    if as_json:
        print_json(figures)
    else:
        errors.print(
            f"first run {figures['first_run_s']:.1f} s, cached run {figures['cached_run_s']:.1f} s, "
            f"--help {figures['help_s']:.2f} s"
        )


@app.command("consolidation")
@guarded
def consolidation_command(
    ctx: typer.Context,
    signals: int = typer.Option(100_000, min=100, help="Signals to consolidate in all."),
    users: int = typer.Option(1000, min=1, help="Users they are spread over."),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Seconds to consolidate synthetic signals (slots, labels, semantic store writes)."""
    from prefmem.agent.factory import build_embedder
    from prefmem.evals.bench_consolidation import bench_consolidation

    config = options(ctx).config()
    figures = bench_consolidation(build_embedder(config), signals=signals, users=users, seed=seed)
    if as_json:
        print_json(figures)
    else:
        errors.print(
            f"{figures['signals']} signals over {figures['users']} users in {figures['seconds']:.1f} s "
            f"({figures['signals_per_s']:.0f}/s)"
        )


@app.command("rerank")
@guarded
def rerank_command(
    ctx: typer.Context,
    sizes: str = typer.Option("4,8", help="Candidates per turn (N), comma-separated."),
    turns: int = typer.Option(100, min=5, help="Timed turns per N."),
    preferences: int = typer.Option(5, min=0, max=50, help="Active preferences of the benchmark user."),
    generate: int = typer.Option(
        0, min=0, help="Also sample candidates for this many prompts with the chat model: their diversity."
    ),
    seed: int = typer.Option(0, help="Random seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Reranking latency per turn (generation excluded): p50 and p95 for each N."""
    from prefmem.agent.factory import Runtime
    from prefmem.agent.llm.base import ChatMessage
    from prefmem.evals.bench_rerank import bench_generated_diversity, bench_rerank

    config = options(ctx).config()
    with Runtime(config, lock="shared") as runtime:
        scorer = runtime.personalizer().scorer
        figures = bench_rerank(
            scorer,
            sizes=_sizes(sizes),
            turns=turns,
            preferences=preferences,
            seed=seed,
            progress=lambda message: errors.print(f"[dim]{message}[/]"),
        )
        if generate:
            llm = runtime.llm()
            llm.load()
            system = ChatMessage("system", config.assistant.system_prompt)

            def sample(prompt: str, n: int) -> list[str]:
                messages = [system, ChatMessage("user", prompt)]
                return llm.generate(messages, n=n, temperature=config.assistant.candidate_temperature)

            figures["generated"] = bench_generated_diversity(
                scorer, sample, prompts=generate, n=config.assistant.candidates, seed=seed
            )
    if as_json:
        print_json(figures)
        return
    for n, timing in figures["by_n"].items():
        errors.print(f"N={n}: p50 {timing['p50_ms']} ms, p95 {timing['p95_ms']} ms")


@app.command("chat-turn")
@guarded
def chat_turn_command(
    ctx: typer.Context,
    sizes: str = typer.Option("4,1", help="Candidates per turn (N), comma-separated."),
    turns: int = typer.Option(5, min=1, help="Timed turns per N (after one warm-up turn)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Seconds per chat turn with the configured chat model: whole turn, first text, each stage."""
    from prefmem.evals.bench_chat_turn import bench_chat_turn

    config = options(ctx).config()
    figures = bench_chat_turn(
        config,
        sizes=sorted(_sizes(sizes), reverse=True),
        turns=turns,
        progress=lambda message: errors.print(f"[dim]{message}[/]"),
    )
    if as_json:
        print_json(figures)
        return
    for n, timing in figures["by_n"].items():
        stages = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in timing["stages_s"].items())
        errors.print(
            f"N={n}: turn {timing['turn_s']:.2f} s, first text {timing['first_text_s']:.2f} s ({stages})"
        )
