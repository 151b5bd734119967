"""Commands over consolidated preferences: consolidate, and list/explain/edit/confirm/delete."""

from __future__ import annotations

import time

import typer
from rich.markup import escape
from rich.table import Table

from prefmem.agent.cli.context import console, errors, guarded, options, print_json, progress_bar
from prefmem.agent.explanation import explain_preference
from prefmem.memory.consolidation.job import JobSummary
from prefmem.memory.errors import InvalidInputError, StoreBusyError
from prefmem.memory.preferences import Preference

app = typer.Typer(help="List, explain, edit, confirm and delete a user's preferences.")

KINDS = ("genuine", "tentative", "constructed", "non_attitude", "superseded")


@guarded
def consolidate_command(
    ctx: typer.Context,
    user: list[str] | None = typer.Option(None, "--user", "-u", help="Only these users (default: all)."),
    force: bool = typer.Option(False, "--force", help="Reprocess users even if nothing changed."),
    every: float | None = typer.Option(
        None, "--every", min=1.0, help="Run on a schedule: again every this many seconds, until interrupted."
    ),
    runs: int | None = typer.Option(None, "--runs", min=1, help="With --every: stop after this many runs."),
    as_json: bool = typer.Option(False, "--json", help="Print each run's summary as JSON."),
) -> None:
    """Turn episodic memory into preferences, for the users whose records changed."""
    done = 0
    while True:
        try:
            summary = _consolidate_once(ctx, user, force=force, quiet=as_json)
        except StoreBusyError as error:
            if every is None:
                raise
            errors.print(f"[yellow]skipped this run:[/] {escape(str(error))}")
        else:
            _report(summary, as_json=as_json)
        done += 1
        if every is None or (runs is not None and done >= runs):
            return
        try:
            time.sleep(every)
        except KeyboardInterrupt:
            return


def _consolidate_once(ctx: typer.Context, users: list[str] | None, *, force: bool, quiet: bool) -> JobSummary:
    with options(ctx).runtime() as runtime:
        job = runtime.consolidation_job()
        total = len(users) if users else len(runtime.store.users())
        with progress_bar("consolidating", quiet=quiet) as progress:
            task = progress.add_task("consolidate", total=total)
            return job.run(users or None, force=force, progress=lambda _: progress.advance(task))


def _report(summary: JobSummary, *, as_json: bool) -> None:
    if as_json:
        print_json(summary.as_dict())
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.kinds.items())) or "nothing"
    console.print(
        f"consolidated {summary.users_processed} of {summary.users_seen} user(s) "
        f"({summary.users_seen - summary.users_processed} unchanged): {summary.added} added, "
        f"{summary.changed} changed, {summary.removed} removed; now {kinds}"
    )


def _as_json(preference: Preference) -> dict[str, object]:
    return preference.model_dump(mode="json")


@app.callback(invoke_without_command=True)
@guarded
def list_preferences(
    ctx: typer.Context,
    user: str | None = typer.Option(None, "--user", "-u", help="Whose preferences to list."),
    kind: str | None = typer.Option(None, "--kind", "-k", help=f"Only this kind ({', '.join(KINDS)})."),
    as_json: bool = typer.Option(False, "--json", help="Print the preferences as JSON."),
) -> None:
    """List a user's preferences, most stable first."""
    if ctx.invoked_subcommand is not None:
        return
    if user is None:
        raise InvalidInputError("pass --user U to list a user's preferences")
    if kind is not None and kind not in KINDS:
        raise InvalidInputError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    with options(ctx).runtime(lock="shared", create=False) as runtime:
        runtime.store.require_user(user)
        found = runtime.semantic.preferences(user, kinds=[kind] if kind else None)  # type: ignore[list-item]
    if as_json:
        print_json([_as_json(p) for p in found])
        return
    if not found:
        console.print(f"no preferences for {user} yet (run `prefmem consolidate`)")
        return
    table = Table(title=f"{user}: preferences")
    for column in ("id", "kind", "stability", "occasions", "statement", "last seen"):
        table.add_column(column, overflow="fold")
    for p in found:
        mark = f" ({p.user_status})" if p.user_status else ""
        table.add_row(
            p.id,
            p.kind + mark,
            f"{p.stability:.2f}",
            str(p.support.occasions),
            p.statement,
            f"{p.last_seen:%Y-%m-%d}",
        )
    console.print(table)


@app.command("explain")
@guarded
def explain_command(
    ctx: typer.Context,
    preference_id: str = typer.Argument(..., help="The preference's id."),
    as_json: bool = typer.Option(False, "--json", help="Print the explanation as JSON."),
) -> None:
    """Why a preference has its kind: the numbers, the history and the episodes it came from."""
    with options(ctx).runtime(lock="shared", create=False) as runtime:
        explanation = explain_preference(runtime.store, runtime.semantic.get(preference_id))
    if as_json:
        print_json(explanation.to_dict())
        return
    preference = explanation.preference
    console.print(
        f"[bold]{escape(preference.statement)}[/] ({preference.kind}, stability {preference.stability:.2f})"
    )
    console.print(f"why: {escape(preference.reason)}")
    support = preference.support
    counts = [(support.signals, "signal"), (support.occasions, "occasion"), (support.conditions, "framing")]
    console.print("support: " + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts))
    for entry in preference.history:
        console.print(
            f"[dim]{entry.at:%Y-%m-%d %H:%M} {entry.kind} {escape(entry.value)} {escape(entry.note)}[/]"
        )
    for item in explanation.evidence:
        framing = f" [{item.condition}]" if item.condition else ""
        console.print(f"- {item.timestamp:%Y-%m-%d} {item.type}{escape(framing)}: {escape(item.text)}")


@app.command("confirm")
@guarded
def confirm_command(ctx: typer.Context, preference_id: str = typer.Argument(...)) -> None:
    """Stand by a preference: it is kept as your word whatever later evidence says."""
    with options(ctx).runtime() as runtime:
        preference = runtime.semantic.confirm(preference_id)
    console.print(f"confirmed: {escape(preference.statement)}")


@app.command("edit")
@guarded
def edit_command(
    ctx: typer.Context,
    preference_id: str = typer.Argument(...),
    statement: str = typer.Argument(..., help="The statement as it should read."),
) -> None:
    """Rewrite a preference's statement; the edit is kept as your word."""
    with options(ctx).runtime() as runtime:
        preference = runtime.semantic.edit(preference_id, statement)
    console.print(f"edited: {escape(preference.statement)}")


@app.command("delete")
@guarded
def delete_command(ctx: typer.Context, preference_id: str = typer.Argument(...)) -> None:
    """Remove a preference; it comes back only if new evidence arrives later."""
    with options(ctx).runtime() as runtime:
        preference = runtime.semantic.delete(preference_id)
    console.print(f"deleted: {escape(preference.statement)}")
