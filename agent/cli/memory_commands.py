"""Commands over the episodic store: import, episodes, users, forget."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from prefmem.agent.cli.context import (
    console,
    errors,
    guarded,
    options,
    print_json,
    progress_bar,
    read_input_lines,
)
from prefmem.agent.user_data import forget_user
from prefmem.memory.errors import EventLogError, InvalidInputError
from prefmem.memory.events import events_to_records, parse_event_log
from prefmem.memory.models import Episode, Feedback, Interaction


@guarded
def import_command(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="A JSON Lines event log, or - for standard input."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Import the valid lines, skip the rest."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Load an event log (messages, choices, ratings, answers) into memory."""
    config = options(ctx).config()
    parsed = parse_event_log(read_input_lines(file), max_content_chars=config.assistant.max_message_chars)
    if parsed.problems and not skip_invalid:
        raise EventLogError(file, parsed.problems)
    bad_lines = [number for number, _ in parsed.problems]
    records: list[Interaction | Feedback] = list(events_to_records(parsed.events))
    with options(ctx).runtime() as runtime:
        store = runtime.store
        with progress_bar("importing", quiet=as_json) as progress:
            task = progress.add_task("import", total=len(records))
            added = store.add(records, progress=lambda n: progress.advance(task, n))
    interactions = sum(isinstance(r, Interaction) for r in records)
    summary = {
        "file": file,
        "events": len(parsed.events),
        "interactions": interactions,
        "feedback": len(records) - interactions,
        "users": len({r.user_id for r in records}),
        "stored": added,
        "duplicates": len(records) - added,
        "skipped_lines": bad_lines,
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"imported {summary['interactions']} interactions and {summary['feedback']} feedback events "
        f"for {summary['users']} user(s): {added} new, {summary['duplicates']} already held"
    )
    if bad_lines:
        for number, reason in parsed.problems:
            errors.print(f"skipped line {number}: {reason}", highlight=False)


@guarded
def episodes_command(
    ctx: typer.Context,
    user: str = typer.Option(..., "--user", "-u", help="Whose memory to show."),
    query: str | None = typer.Option(None, "--query", "-q", help="Text to match (similarity, hybrid)."),
    mode: str | None = typer.Option(
        None, "--mode", "-m", help="similarity, recency or hybrid (default: config)."
    ),
    limit: int = typer.Option(10, "--limit", "-k", min=1, help="How many episodes to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the episodes as JSON."),
) -> None:
    """Recall a user's past interactions, with their scores."""
    with options(ctx).runtime(lock="shared", create=False) as runtime:
        chosen = mode or (runtime.config.episodic.recall_mode if query else "recency")
        if chosen not in ("similarity", "recency", "hybrid"):
            raise InvalidInputError(f"unknown recall mode {chosen!r}; use similarity, recency or hybrid")
        store = runtime.store
        store.require_user(user)
        episodes = store.recall(user, query, mode=chosen, k=limit)  # type: ignore[arg-type]
    if as_json:
        print_json([_episode_json(e) for e in episodes])
        return
    if not episodes:
        console.print(f"no interactions held for {user}")
        return
    table = Table(title=f"{user}: {chosen} recall" + (f" for {query!r}" if query else ""))
    for column in ("score", "sim", "recency", "when", "session", "user said", "assistant said"):
        table.add_column(column, overflow="fold")
    for e in episodes:
        turn = e.interaction
        table.add_row(
            f"{e.score:.3f}",
            "" if e.similarity is None else f"{e.similarity:.3f}",
            f"{e.recency:.3f}",
            turn.timestamp.strftime("%Y-%m-%d %H:%M"),
            turn.session_id,
            turn.user_text,
            turn.assistant_text,
        )
    console.print(table)


def _episode_json(episode: Episode) -> dict[str, object]:
    turn = episode.interaction
    return {
        "id": episode.id,
        "score": episode.score,
        "similarity": episode.similarity,
        "recency": episode.recency,
        "timestamp": turn.timestamp.isoformat(),
        "session_id": turn.session_id,
        "condition": turn.condition,
        "user_text": turn.user_text,
        "assistant_text": turn.assistant_text,
    }


@guarded
def users_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the users as JSON."),
) -> None:
    """List the users memory is held for."""
    with options(ctx).runtime(lock="shared", create=False) as runtime:
        users = runtime.store.users()
    if as_json:
        print_json([u.model_dump() for u in users])
        return
    if not users:
        console.print("no users yet")
        return
    table = Table()
    for column in ("user", "interactions", "feedback"):
        table.add_column(column)
    for u in users:
        table.add_row(u.user_id, str(u.interactions), str(u.feedback))
    console.print(table)


@guarded
def forget_command(
    ctx: typer.Context,
    user: str = typer.Option(..., "--user", "-u", help="The user to forget."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    as_json: bool = typer.Option(False, "--json", help="Print what was removed as JSON."),
) -> None:
    """Remove everything held about a user, in every store. Other users are untouched."""
    with options(ctx).runtime(create=False) as runtime:
        runtime.store.require_user(user)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInputError("forget removes data for good; pass --yes to confirm")
            typer.confirm(f"Forget everything about {user}? This cannot be undone", abort=True)
        summary = forget_user(
            runtime.store, runtime.semantic, runtime.data_path, user, coefficients=runtime.coefficients
        )
    if as_json:
        print_json(summary.as_dict())
        return
    console.print(
        f"forgot {user}: {summary.interactions} interactions, {summary.feedback} feedback events, "
        f"{summary.preferences} preferences" + (f", {summary.files} file(s)" if summary.files else "")
    )
