"""`prefmem elicit`: learn a user's reward coefficients from about ten A/B questions.

Interactive by default (the questions are shown, the user answers A or B). Questions
consolidation left undecided (the user's re-ask queue) come first, each under another
option order than most of its answers so far; then the elicitation's own. With
`--answers FILE` it reads answer events from an event log instead. Either way the
answers are stored in the user's episodic memory as `answer` events (so consolidation
sees them too), the coefficients are refitted on all of the user's pairwise feedback,
and the result is saved in the data folder and reported axis by axis.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prefmem.agent.cli.context import console, errors, guarded, options, print_json, read_input_lines
from prefmem.agent.config import RewardConfig
from prefmem.agent.factory import Runtime
from prefmem.agent.reward.coefficients import comparisons_from_feedback, population_vector
from prefmem.agent.reward.elicitation import Elicitation, Presentation, answer_feedback
from prefmem.agent.reward.elicitation_bank import Question, question_pool
from prefmem.agent.reward.stability import UserFit
from prefmem.memory.consolidation.reasks import ReAsk, pending_reasks, reask_answer
from prefmem.memory.errors import EventLogError, InvalidInputError
from prefmem.memory.events import AnswerEvent, ChoiceEvent, events_to_records, parse_event_log
from prefmem.memory.models import Feedback, Interaction, utc_now

_LETTERS = "ABCDEFGH"


def _read_option(shown: Console, prompt: str, options: Sequence[str], number: int, total: int) -> int | None:
    """Show one question and read an option's letter; None at end of input. Bad answers are asked again."""
    letters = _LETTERS[: len(options)]
    listed = " or ".join([", ".join(letters[:-1]), letters[-1]]) if len(letters) > 2 else " or ".join(letters)
    shown.print(f"\n[bold]Question {number} of {total}[/]: {escape(prompt)}")
    for letter, option in zip(letters, options, strict=True):
        shown.print(f"\n[bold]{letter}[/]:\n{escape(option)}")
    while True:
        shown.print(f"\nWhich reply do you prefer? [{'/'.join(letters)}] ", end="")
        line = sys.stdin.readline()
        if not line:
            return None
        answer = line.strip().upper()
        if len(answer) == 1 and answer in letters:
            return letters.index(answer)
        errors.print(f"please answer {listed} (got {line.strip()!r})", highlight=False)


def _read_choice(shown: Console, presentation: Presentation, number: int, total: int) -> int | None:
    """Show one A/B question and read the answer (see `_read_option`)."""
    return _read_option(shown, presentation.question.prompt, presentation.options, number, total)


def _as_presentation(reask: ReAsk, pool: dict[str, Question]) -> Presentation | None:
    """A queued re-ask of an elicitation question, as that question shown in the re-ask's order."""
    question = pool.get(reask.item_id)
    if question is None or len(reask.options) != 2:
        return None
    return Presentation(question, swapped=reask.options[0] == question.second, reask=True)


def _ask_queued(
    runtime: Runtime, user: str, elicitation: Elicitation, shown: Console, total: int, session: str
) -> tuple[int, bool]:
    """Ask the user's queued re-asks first; each answer is stored and taken off the queue.

    Returns how many were answered, and whether input ended.
    """
    store, semantic = runtime.store, runtime.semantic
    queue = pending_reasks(semantic, user)
    pool = {q.item_id: q for q in elicitation.pool}
    last = utc_now()
    for number, reask in enumerate(queue, start=1):
        presentation = _as_presentation(reask, pool)
        chosen = _read_option(shown, reask.prompt, reask.options, number, total + len(queue))
        if chosen is None:
            errors.print(f"input ended: keeping the {number - 1} answer(s) given")
            return number - 1, True
        last = max(utc_now(), last + timedelta(milliseconds=1))
        if presentation is not None:
            elicitation.record(presentation, chosen)
            event = answer_feedback(user, presentation, chosen, session_id=session, timestamp=last)
        else:
            event = reask_answer(reask, chosen, session_id=session, timestamp=last, source="elicitation")
        store.add([event])
        semantic.drop_reask(user, reask.item_id)
    return len(queue), False


def _ask_interactively(
    runtime: Runtime, user: str, settings: RewardConfig, questions: int, shown: Console
) -> tuple[int, int]:
    """Run the question loop in the terminal; each answer is stored as it is given.

    Returns how many answers were stored, and how many of them answered queued re-asks.
    """
    store = runtime.store
    known = store.has_user(user)
    history = (
        comparisons_from_feedback(store.feedback(user), occasion=runtime.config.consolidation.occasion)
        if known
        else []
    )
    elicitation = Elicitation(
        question_pool(),
        population_mean=population_vector(settings.population_coefficients),
        prior_strength=settings.prior_strength,
        questions=questions,
        reask_share=settings.reask_share,
        history=history,
    )
    last = utc_now()
    session = f"elicit-{last:%Y%m%dT%H%M%S}"
    reasked, ended = (
        _ask_queued(runtime, user, elicitation, shown, questions, session) if known else (0, False)
    )
    if ended:
        return reasked, reasked
    stored = reasked
    total = questions + reasked
    while (presentation := elicitation.next_presentation()) is not None:
        chosen = _read_choice(shown, presentation, stored + 1, total)
        if chosen is None:
            errors.print(f"input ended: keeping the {stored} answer(s) given")
            break
        elicitation.record(presentation, chosen)
        # strictly increasing timestamps: record ids sort by time, so answers keep their order
        last = max(utc_now(), last + timedelta(milliseconds=1))
        store.add([answer_feedback(user, presentation, chosen, session_id=session, timestamp=last)])
        stored += 1
    return stored, reasked


def _answers_from_log(source: str, user: str, max_chars: int) -> tuple[list[Feedback], int]:
    """The user's answer and choice events in an event log, as Feedback, and how many events were ignored."""
    parsed = parse_event_log(read_input_lines(source), max_content_chars=max_chars)
    if parsed.problems:
        raise EventLogError(source, parsed.problems)
    wanted = [
        event
        for event in parsed.events
        if isinstance(event, AnswerEvent | ChoiceEvent) and event.user_id == user
    ]
    if not wanted:
        raise InvalidInputError(f"{source}: no answer or choice events for user {user!r}")
    records: list[Feedback | Interaction] = list(events_to_records(wanted))
    feedback = [record for record in records if isinstance(record, Feedback)]
    return feedback, len(parsed.events) - len(wanted)


def _report(user: str, fit: UserFit, summary: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json({**summary, "axes": fit.axes_json()})
        return
    agreement = fit.stability.reask_agreement
    console.print(
        f"{user}: {summary['new_answers']} new answer(s)"
        + (
            f" ({summary['queued_reasks_answered']} to queued re-asks)"
            if summary["queued_reasks_answered"]
            else ""
        )
        + f", {summary['comparisons']} comparisons in all; "
        + ("no questions were asked again" if agreement is None else f"re-asked answers held {agreement:.0%}")
    )
    table = Table()
    for column in ("axis", "value", "± std", "population", "status", "why"):
        table.add_column(column)
    for row in fit.axes_json():
        table.add_row(
            str(row["name"]),
            f"{row['value']:+.2f}",
            f"{row['std']:.2f}",
            f"{row['population']:+.2f}",
            str(row["status"]),
            str(row["reason"]),
        )
    console.print(table)


@guarded
def elicit_command(
    ctx: typer.Context,
    user: str = typer.Option(..., "--user", "-u", help="Whose coefficients to learn."),
    questions: int | None = typer.Option(
        None, "--questions", "-n", min=2, max=50, help="How many questions (default: config)."
    ),
    answers: str | None = typer.Option(
        None, "--answers", help="Take answers from a JSON Lines event log (- for standard input)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Ask A/B questions about reply style, then fit and save the user's reward coefficients."""
    config = options(ctx).config()
    settings = config.reward
    total = questions or settings.elicitation_questions
    imported: list[Feedback] = []
    ignored = reasked = 0
    if answers is not None:
        imported, ignored = _answers_from_log(answers, user, config.assistant.max_message_chars)
    with options(ctx).runtime() as runtime:
        store = runtime.store
        if answers is None:
            shown = errors if as_json else console
            new_answers, reasked = _ask_interactively(runtime, user, settings, total, shown)
        else:
            new_answers = store.add(imported)
        if not store.has_user(user):
            raise InvalidInputError("no answers were given; nothing was saved")
        comparisons = comparisons_from_feedback(store.feedback(user), occasion=config.consolidation.occasion)
        # the personalizer's refit covers every base function, the learned ones included
        fit = runtime.personalizer().refit(store, user)
    summary: dict[str, object] = {
        "user": user,
        "new_answers": new_answers,
        "queued_reasks_answered": reasked,
        "ignored_events": ignored,
        "comparisons": len(comparisons),
        "reasked_items": fit.stability.reasked_items,
        "flipped_items": fit.stability.flipped_items,
        "reask_agreement": fit.stability.reask_agreement,
        "prior_std": fit.coefficients.prior_std,
    }
    _report(user, fit, summary, as_json)
