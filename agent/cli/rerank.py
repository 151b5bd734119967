"""`prefmem rerank`: score given candidate replies for a user, without generating anything."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from prefmem.agent.cli.context import console, errors, guarded, options, print_json
from prefmem.memory.errors import InvalidInputError

MAX_CANDIDATES = 64


def read_candidates(path: Path, *, max_chars: int) -> list[str]:
    """Candidates from a file (`-`: standard input): a JSON list of strings, or one per line."""
    try:
        raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(f"candidates file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(f"cannot read candidates file {path}: {error}") from None
    text = raw.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInputError(f"{path}: not a valid JSON list: {error}") from None
        if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
            raise InvalidInputError(f"{path}: the JSON must be a list of strings")
        candidates = parsed
    else:
        candidates = [line for line in raw.splitlines() if line.strip()]
    if not candidates:
        raise InvalidInputError(f"{path}: no candidates")
    if len(candidates) > MAX_CANDIDATES:
        raise InvalidInputError(f"{path}: {len(candidates)} candidates; at most {MAX_CANDIDATES}")
    for number, candidate in enumerate(candidates, start=1):
        if not candidate.strip():
            raise InvalidInputError(f"{path}: candidate {number} is empty")
        if len(candidate) > max_chars:
            raise InvalidInputError(f"{path}: candidate {number} is longer than {max_chars} characters")
    return candidates


@guarded
def rerank_command(
    ctx: typer.Context,
    user: str = typer.Option(..., "--user", "-u", help="Whose preferences and coefficients score them."),
    prompt: str = typer.Option(..., "--prompt", "-p", help="The message the candidates answer."),
    candidates_file: Path = typer.Option(
        ..., "--candidates", "-c", help="A JSON list of strings, or one candidate per line (- for stdin)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the ranking as JSON, best first."),
) -> None:
    """Score candidate replies with the user's reward, best first, with each score's terms."""
    from prefmem.agent.validation import check_message

    config = options(ctx).config()
    message = check_message(prompt, max_chars=config.assistant.max_message_chars)
    candidates = read_candidates(candidates_file, max_chars=config.assistant.max_message_chars * 4)
    with options(ctx).runtime(lock="shared") as runtime:
        preferences = runtime.prompt_preferences(user)
        personalizer = runtime.personalizer()
        fitted = runtime.coefficients.load(user) is not None
        ranking = personalizer.rank(user, message, candidates, preferences=preferences)
    if not fitted and not preferences:
        note = f"note: nothing is known about {user!r} yet: the population reward decided"
        errors.print(note, highlight=False)
    if as_json:
        print_json([candidate.to_dict() for candidate in ranking.candidates])
        return
    table = Table()
    for column in ("rank", "index", "score", "top terms", "candidate"):
        table.add_column(column)
    for rank, candidate in enumerate(ranking.candidates, start=1):
        top = sorted(candidate.terms.items(), key=lambda item: -abs(item[1]))[:3]
        terms = ", ".join(f"{name} {value:+.2f}" for name, value in top)
        text = escape(candidate.text[:80])
        table.add_row(str(rank), str(candidate.index), f"{candidate.score:.3f}", terms, text)
    console.print(table)
    console.print(f"[dim]candidate diversity {ranking.diversity:.3f}; {len(preferences)} preferences used[/]")
