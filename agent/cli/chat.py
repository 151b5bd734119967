"""`prefmem chat`: an interactive chat in the terminal, or one reply per line when scripted."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.markup import escape

from prefmem.agent.assistant import Assistant, ChatResult
from prefmem.agent.cli.context import console, errors, guarded, options, print_json
from prefmem.agent.factory import Runtime
from prefmem.agent.user_data import chat_history_file
from prefmem.agent.validation import check_id, decode_line
from prefmem.memory.errors import InvalidInputError

_HELP = (
    "commands: /help, /memory (what shaped the last reply), /compare (its two best candidates), "
    "/choose 1|2 (the better of those), /good, /bad, /edit TEXT (your version of the last reply), "
    "/answer LETTER (to a question asked after a reply), /exit (or Ctrl-D)"
)
FEEDBACK_COMMANDS = ("/good", "/bad", "/choose", "/edit", "/answer")


def is_feedback_command(text: str) -> bool:
    """Whether a line is a feedback command on the last reply (also accepted in scripted mode)."""
    word = text.strip().split(" ", 1)[0].lower()
    return word in FEEDBACK_COMMANDS


def apply_feedback(assistant: Assistant, user: str, last: ChatResult | None, text: str) -> str:
    """Record feedback on the last reply; returns what was recorded. Raises InvalidInputError if it cannot."""
    if last is None:
        raise InvalidInputError("there is no reply yet to give feedback on")
    word, _, rest = text.strip().partition(" ")
    word = word.lower()
    if word in ("/good", "/bad"):
        assistant.rate(user, last, 1 if word == "/good" else -1)
        return f"recorded: {'thumbs up' if word == '/good' else 'thumbs down'} on the last reply"
    if word == "/choose":
        if rest.strip() not in ("1", "2"):
            raise InvalidInputError("/choose takes 1 or 2 (see /compare)")
        assistant.choose(user, last, int(rest.strip()) - 1)
        return f"recorded: candidate {rest.strip()} preferred"
    if word == "/answer":
        letter = rest.strip().upper()
        if len(letter) != 1 or not "A" <= letter <= "Z":
            raise InvalidInputError("/answer takes the letter of an option: /answer A")
        assistant.answer_reask(user, last, ord(letter) - ord("A"))
        return f"recorded: answer {letter}"
    if not rest.strip():
        raise InvalidInputError("/edit takes your version of the last reply: /edit TEXT")
    assistant.edit(user, last, rest)
    return "recorded: your version preferred over the reply"


def _new_session_id() -> str:
    # to the microsecond: two chats started within one second are still two sessions
    return datetime.now(UTC).strftime("session-%Y%m%dT%H%M%S.%f")


@guarded
def chat_command(
    ctx: typer.Context,
    user: str = typer.Option("default", "--user", "-u", help="Who is chatting (memory is kept per user)."),
    session: str | None = typer.Option(None, "--session", "-s", help="Session id (default: a new one)."),
    as_json: bool = typer.Option(
        False, "--json", help="Scripted mode: print each reply with its trace as JSON."
    ),
) -> None:
    """Chat with the personalized assistant. Reads one message per line when input is not a terminal."""
    session_id = session or _new_session_id()
    if not user.strip():
        raise InvalidInputError("--user must not be empty")
    check_id(user)
    check_id(session_id, what="session id")
    with options(ctx).runtime() as runtime:
        interactive = sys.stdin.isatty() and not as_json
        assistant = _start(runtime, interactive=interactive)
        if interactive:
            _interactive(assistant, runtime.data_path, user, session_id)
        else:
            failures = _scripted(assistant, user, session_id, as_json=as_json)
            if failures:
                raise typer.Exit(2)


def _start(runtime: Runtime, *, interactive: bool) -> Assistant:
    """Open the store and load both models before the first prompt, so the first reply is quick."""
    with console.status("loading memory and models…", spinner="dots") as status:

        def on_status(message: str) -> None:
            if interactive:
                status.update(message)
            else:
                errors.print(message, highlight=False)

        assistant = runtime.assistant(on_status=on_status)
        assistant.store.embedder.embed("warm up")
        assistant.llm.load()
    return assistant


def _scripted(assistant: Assistant, user: str, session_id: str, *, as_json: bool) -> int:
    failures = 0
    last: ChatResult | None = None
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            text = decode_line(raw.rstrip(b"\r\n"))
            if is_feedback_command(text):
                recorded = apply_feedback(assistant, user, last, text)
                if as_json:
                    print_json({"line": number, "feedback": recorded})
                else:
                    errors.print(recorded, highlight=False)
                continue
            # plain text: each reply on one line, written as it comes
            result = assistant.chat(user, text, session_id=session_id, on_text=None if as_json else _one_line)
            last = result
        except InvalidInputError as error:
            failures += 1
            errors.print(f"line {number}: {escape(str(error))}", highlight=False, soft_wrap=True)
            continue
        if as_json:
            print_json({"line": number, **result.model_dump(mode="json")})
        else:
            sys.stdout.write("\n")
            sys.stdout.flush()
    return failures


def _one_line(piece: str) -> None:
    sys.stdout.write(piece.replace("\n", " "))
    sys.stdout.flush()


def _interactive(assistant: Assistant, data_path: Path, user: str, session_id: str) -> None:
    history = _enable_line_history(chat_history_file(data_path, user))
    console.print(f"[bold]prefmem[/] chatting as [cyan]{escape(user)}[/] ({assistant.llm.name}). {_HELP}")
    last: ChatResult | None = None
    try:
        while True:
            try:
                text = input("\001\033[1;36m\002you>\001\033[0m\002 ")
            except EOFError:
                console.print()
                break
            command = text.strip().lower()
            if command in ("/exit", "/quit"):
                break
            if command == "/help":
                console.print(_HELP)
                continue
            if command == "/memory":
                _show_trace(last)
                continue
            if command == "/compare":
                _show_candidates(last)
                continue
            if is_feedback_command(text):
                try:
                    console.print(f"[dim]{escape(apply_feedback(assistant, user, last, text))}[/]")
                except InvalidInputError as error:
                    errors.print(f"[red]{escape(str(error))}[/]")
                continue
            try:
                last = _answer(assistant, user, text, session_id)
            except InvalidInputError as error:
                errors.print(f"[red]{escape(str(error))}[/]")
                continue
            if last.reask is not None:
                console.print("[dim](answer the question with /answer and its letter)[/]")
            used = len(last.trace.recalled) + len(last.trace.preferences)
            if used:
                console.print(f"[dim]({used} memories and preferences used; /memory shows them)[/]")
    except KeyboardInterrupt:
        console.print()
    finally:
        if history is not None:
            _save_line_history(history)


def _answer(assistant: Assistant, user: str, text: str, session_id: str) -> ChatResult:
    """One turn in the terminal: a spinner until the reply's first words, then the words as they come."""
    shown = False
    with console.status("thinking…", spinner="dots") as status:

        def show(piece: str) -> None:
            nonlocal shown
            if not shown:
                status.stop()
                console.print("[bold green]assistant>[/] ", end="")
                shown = True
            console.file.write(piece)  # the model's words as they are, never read as markup
            console.file.flush()

        result = assistant.chat(user, text, session_id=session_id, on_text=show)
    if shown:
        console.print()
    else:
        console.print(f"[bold green]assistant>[/] {escape(result.response)}")
    return result


def _show_candidates(result: ChatResult | None) -> None:
    candidates = [] if result is None else result.trace.candidates[:2]
    if len(candidates) < 2:
        console.print("[dim]the last reply had a single candidate (assistant.candidates is 1)[/]")
        return
    for number, candidate in enumerate(candidates, start=1):
        score = f"[dim](score {candidate['score']:.2f})[/]"
        console.print(f"[bold]{number}[/] {score} {escape(candidate['text'])}")
    console.print("[dim]/choose 1 or /choose 2 records which you prefer[/]")


def _show_trace(result: ChatResult | None) -> None:
    if result is not None and len(result.trace.candidates) > 1:
        count, spread = len(result.trace.candidates), result.trace.diversity or 0.0
        console.print(f"[dim]{count} candidates (diversity {spread:.2f}), best first:[/]")
        for candidate in result.trace.candidates:
            top = sorted(candidate["terms"].items(), key=lambda item: -abs(item[1]))[:3]
            terms = ", ".join(f"{name} {value:+.2f}" for name, value in top)
            text = escape(candidate["text"][:70])
            console.print(f"  [dim]{candidate['score']:+.2f} ({escape(terms)})[/] {text}")
    if result is None or not (result.trace.recalled or result.trace.preferences):
        console.print("[dim]nothing was recalled for the last reply[/]")
        return
    for preference in result.trace.preferences:
        console.print(f"[dim]{preference.kind}[/] {escape(preference.statement)}")
    for episode in result.trace.recalled:
        turn = episode.interaction
        console.print(
            f"[dim]{episode.score:.2f}[/] {turn.timestamp:%Y-%m-%d} you: {escape(turn.user_text)}"
            + (f" / assistant: {escape(turn.assistant_text)}" if turn.assistant_text else "")
        )


def _enable_line_history(path: Path) -> Path | None:
    """Up-arrow history across chats, kept in the data folder (removed by `forget`)."""
    try:
        import readline
    except ImportError:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        readline.read_history_file(str(path))
    readline.set_history_length(1000)
    return path


def _save_line_history(path: Path) -> None:
    import readline

    readline.write_history_file(str(path))
