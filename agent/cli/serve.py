"""`prefmem serve`: the OpenAI-compatible HTTP API (see agent/server), run by uvicorn.

API keys come from config.yaml's `server.api_keys` and, for deployments that keep secrets
out of files, from $PREFMEM_API_KEYS ("key1=ana,key2=bob"); the variable is read here, by
the command, never by the library (`create_app` takes the keys it is given).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import typer

from prefmem.agent.cli.context import GlobalOptions, errors, guarded, options

API_KEYS_VARIABLE = "PREFMEM_API_KEYS"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@guarded
def serve_command(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Address to listen on (default: server.host)."),
    port: int | None = typer.Option(
        None, "--port", min=1, max=65535, help="Port to listen on (default: server.port)."
    ),
    config_file: Path | None = typer.Option(
        None, "--config", help="Configuration file (default: the global --config, $PREFMEM_CONFIG, ...)."
    ),
) -> None:
    """Serve the OpenAI-compatible API (POST /v1/chat/completions, /v1/users/...) with memory."""
    import uvicorn

    from prefmem.agent.factory import build_llm
    from prefmem.agent.server import create_app
    from prefmem.agent.server.auth import parse_api_keys
    from prefmem.api import Memory

    given = options(ctx)
    chosen = GlobalOptions(config_file=config_file or given.config_file, data_dir=given.data_dir)
    config = chosen.config()
    settings = config.server
    keys = {**settings.api_keys, **parse_api_keys(os.environ.get(API_KEYS_VARIABLE, ""))}
    address = host or settings.host
    if not keys and not _loopback(address):
        errors.print(
            f"[yellow]warning:[/] no API keys and listening on {address}: anyone who can reach it "
            "may read and change every user's memory (set server.api_keys or $PREFMEM_API_KEYS)"
        )
    llm = build_llm(config, on_status=lambda message: errors.print(f"[dim]{message}[/]"))
    llm.load()
    with Memory(config) as memory:
        app = create_app(memory, llm, api_keys=keys)
        errors.print(
            f"prefmem serve: http://{address}:{port or settings.port}/v1 "
            f"({'API keys' if keys else 'no keys: the user comes from the request'}; upstream {llm.name}); "
            f"web page: http://{address}:{port or settings.port}/"
        )
        uvicorn.run(app, host=address, port=port or settings.port, log_level="warning")
