"""`prefmem bench web`: the web page's load time and send-to-first-token time, in Chromium."""

from __future__ import annotations

import typer

from prefmem.agent.cli.context import errors, guarded, options, print_json
from prefmem.memory.errors import UsageError


@guarded
def web_bench_command(
    ctx: typer.Context,
    messages: int = typer.Option(5, min=1, help="Messages timed (after the warm-up)."),
    warmup: int = typer.Option(1, min=0, help="Messages sent first that load the models (reported apart)."),
    loads: int = typer.Option(5, min=1, help="Page loads timed, each with an empty cache."),
    stream_rerank: bool | None = typer.Option(
        None,
        "--stream-rerank/--no-stream-rerank",
        help="Best-of-N before streaming, or one sample streamed as written (default: server.stream_rerank).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Page load and send-to-first-token on the page at `/` of `prefmem serve`, configured models.

    Needs a Chromium (Debian's `chromium`, or $PREFMEM_CHROMIUM) and Playwright's Python
    package (the dev extra).
    """
    try:
        from prefmem.evals.bench_web import bench_web
    except ImportError as error:
        raise UsageError(f"prefmem bench web needs Playwright: pip install playwright ({error})") from None

    config = options(ctx).config()
    if stream_rerank is not None:
        config = config.model_copy(
            update={"server": config.server.model_copy(update={"stream_rerank": stream_rerank})}
        )
    figures = bench_web(
        config,
        messages=messages,
        warmup=warmup,
        loads=loads,
        progress=lambda message: errors.print(f"[dim]{message}[/]"),
    )
    if as_json:
        print_json(figures)
        return
    errors.print(
        f"page ready: median {figures['page_load']['ready']['median_ms']} ms; "
        f"first token: median {figures['chat']['first_token']['median_ms']} ms; "
        f"whole reply: median {figures['chat']['whole_reply']['median_ms']} ms"
    )
