"""`prefmem bench serve`: the HTTP API's own latency and throughput over loopback."""

from __future__ import annotations

import typer

from prefmem.agent.cli.context import errors, guarded, options, print_json
from prefmem.memory.errors import InvalidInputError


@guarded
def serve_bench_command(
    ctx: typer.Context,
    clients: str = typer.Option("1,8,32", help="Concurrent clients per level, comma-separated."),
    requests: int = typer.Option(320, min=5, help="Requests per level, split over its clients."),
    max_seconds: float = typer.Option(120.0, min=1.0, help="Longest a level may run."),
    stream_clients: int = typer.Option(8, min=0, help="Clients of the streaming level (0: none)."),
    embedder: str | None = typer.Option(
        None, help="Embedder backend for the server (default: embedder.backend), e.g. hashing."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """p50/p95 latency, throughput, errors and lost exchanges of /v1/chat/completions, scripted upstream."""
    from prefmem.evals.bench_server import bench_server

    try:
        levels = sorted({int(part) for part in clients.split(",") if part.strip()})
    except ValueError:
        raise InvalidInputError(f"--clients must be comma-separated whole numbers, not {clients!r}") from None
    if not levels or levels[0] <= 0 or levels[-1] > 256:
        raise InvalidInputError("--clients must list numbers between 1 and 256")
    config = options(ctx).config()
    if embedder is not None:
        if embedder not in ("hashing", "sentence-transformers"):
            raise InvalidInputError("--embedder must be hashing or sentence-transformers")
        config = config.model_copy(
            update={"embedder": config.embedder.model_copy(update={"backend": embedder})}
        )
    figures = bench_server(
        config,
        clients=levels,
        requests=requests,
        max_seconds=max_seconds,
        stream_clients=stream_clients,
        progress=lambda message: errors.print(f"[dim]{message}[/]"),
    )
    if as_json:
        print_json(figures)
        return
    for level in figures["levels"]:
        kind = "stream" if level["stream"] else "plain"
        errors.print(
            f"{kind} {level['clients']:>3} clients: p50 {level['p50_ms']} ms, p95 {level['p95_ms']} ms, "
            f"{level['throughput_per_s']}/s, errors {level['errors']}, lost {level['lost_interactions']}"
        )
