"""`prefmem train-reward` and `prefmem reward explain`: the reward's learned base functions.

`train-reward` learns them from a population's pairwise feedback (the users in the
store, a DSP-layout folder given with --data, an event log given with --events) and caches them in the data
folder's models/, where the reward picks them up. `reward explain` shows every base
function: the interpretable ones by what they measure, the learned ones by the
training replies they score highest and lowest, so each stays readable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from prefmem.agent.cli.context import console, errors, guarded, options, print_json
from prefmem.memory.errors import InvalidInputError

app = typer.Typer(help="The reward's base functions: what each one measures.", no_args_is_help=True)


def event_log_comparisons(path: Path, *, occasion: Any) -> dict[str, list[Any]]:
    """Comparisons per user from a JSON Lines event log (choices, answers, ratings), not stored anywhere."""
    from prefmem.agent.reward.coefficients import comparisons_from_feedback
    from prefmem.memory.events import events_to_records, load_event_log
    from prefmem.memory.models import Feedback

    try:
        lines = path.read_bytes().splitlines()
    except OSError as error:
        raise InvalidInputError(f"cannot read the event log {path}: {error.strerror}") from None
    feedback: dict[str, list[Feedback]] = {}
    for record in events_to_records(load_event_log(lines, source=str(path))):
        if isinstance(record, Feedback):
            feedback.setdefault(record.user_id, []).append(record)
    return {user: comparisons_from_feedback(events, occasion=occasion) for user, events in feedback.items()}


def dsp_comparisons(data: Path) -> tuple[dict[str, list[Any]], int]:
    """Comparisons from a DSP-layout folder: each style's user prefers their style over every other.

    Returns the comparisons per user and how many queries they came from.
    """
    from prefmem.agent.reward.coefficients import PairwiseComparison
    from prefmem.evals.dsp_data import STYLES, USER_STYLES, load_dsp

    loaded = load_dsp(data)
    by_user: dict[str, list[Any]] = {}
    for user in USER_STYLES:
        by_user[f"dsp-{user}"] = [
            PairwiseComparison(
                item.query, item.responses[user], item.responses[other], item_id=f"{item.source}/{item.index}"
            )
            for item in loaded.queries
            for other in STYLES
            if other != user
        ]
    return by_user, len(loaded.queries)


@guarded
def train_reward_command(
    ctx: typer.Context,
    data: Path | None = typer.Option(
        None, "--data", help="A DSP-layout file or folder (domain_specific_preference*.json) to learn from."
    ),
    events: Path | None = typer.Option(
        None, "--events", help="A JSON Lines event log whose choices, answers and ratings to learn from."
    ),
    from_store: bool | None = typer.Option(
        None,
        "--from-store/--no-store",
        help="Learn from the feedback of the users in the store (default: only without --data and --events).",
    ),
    count: int | None = typer.Option(
        None, min=1, max=64, help="Most functions to keep (reward.learned_count)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was learned as JSON."),
) -> None:
    """Learn the reward's base functions from pairwise feedback; cache them in the data folder."""
    from prefmem.agent.factory import build_embedder
    from prefmem.agent.reward.train_reward import learn_from_comparisons, store_comparisons

    config = options(ctx).config()
    settings = config.reward
    use_store = from_store if from_store is not None else (data is None and events is None)
    by_user: dict[str, list[Any]] = {}
    source: dict[str, Any] = {}
    if data is not None:
        by_user, queries = dsp_comparisons(data)
        source["dsp_layout"] = {"folder": data.name, "queries": queries}
    if events is not None:
        logged = event_log_comparisons(events, occasion=config.consolidation.occasion)
        by_user.update({f"log-{user}": pairs for user, pairs in logged.items() if pairs})
        source["event_log"] = {"file": events.name, "users": sum(1 for pairs in logged.values() if pairs)}
    if use_store:
        with options(ctx).runtime() as runtime:
            stored = store_comparisons(runtime.store, occasion=config.consolidation.occasion)
        by_user.update({user: pairs for user, pairs in stored.items() if pairs})
        source["store_users"] = sum(1 for pairs in stored.values() if pairs)
    if not any(by_user.values()):
        raise InvalidInputError(
            "no pairwise feedback to learn from: the store holds no choices, answers or opposite ratings, "
            "and no --data or --events was given"
        )
    try:
        learned = learn_from_comparisons(
            by_user,
            build_embedder(config),
            count=count or settings.learned_count,
            l2=settings.learned_l2,
            prior_strength=settings.prior_strength,
            source=source,
        )
    except ValueError as error:
        raise InvalidInputError(str(error)) from None
    saved = learned.save(config.data_path / "models")
    refitted = 0
    if (config.data_path / "episodic").exists():
        # coefficients fitted over the old base functions would be set aside: refit every user now
        with options(ctx).runtime() as runtime:
            personalizer = runtime.personalizer()
            for user in runtime.store.users():
                if user.feedback:
                    personalizer.refit(runtime.store, user.user_id)
                    refitted += 1
    summary = {
        "functions": list(learned.names),
        "population": dict(zip(learned.names, learned.population.round(4).tolist(), strict=True)),
        "users": learned.meta["users"],
        "comparisons": learned.meta["comparisons"],
        "embedding_model": learned.embedding_model,
        "source": source,
        "saved_to": str(saved.parent),
        "users_refitted": refitted,
    }
    if as_json:
        print_json(summary)
    else:
        errors.print(
            f"learned {len(learned.names)} base functions from {summary['comparisons']} comparisons of "
            f"{summary['users']} users; saved to {saved.parent}; refitted {refitted} users' coefficients. "
            "`prefmem reward explain` shows them."
        )


@app.command("explain")
@guarded
def explain_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the base functions as JSON."),
) -> None:
    """Every base function of the reward: what it measures, or the replies it scores highest and lowest."""
    from prefmem.agent.reward.base_functions import BASE_FUNCTIONS
    from prefmem.agent.reward.learned_functions import LearnedFunctions

    config = options(ctx).config()
    learned = LearnedFunctions.load(config.data_path / "models")
    rows: list[dict[str, Any]] = [
        {"name": function.name, "kind": "interpretable", "meaning": function.meaning}
        for function in BASE_FUNCTIONS
    ]
    if learned is not None:
        examples = learned.meta.get("examples", [])
        for k, name in enumerate(learned.names):
            shown = examples[k] if k < len(examples) else {"highest": [], "lowest": []}
            rows.append(
                {
                    "name": name,
                    "kind": "learned",
                    "population_coefficient": round(float(learned.population[k]), 4),
                    "highest": shown["highest"],
                    "lowest": shown["lowest"],
                }
            )
    payload = {
        "functions": rows,
        "learned": None
        if learned is None
        else {
            "embedding_model": learned.embedding_model,
            "in_use": config.reward.learned_functions,
            **{key: value for key, value in learned.meta.items() if key != "examples"},
        },
    }
    if as_json:
        print_json(payload)
        return
    for row in rows:
        if row["kind"] == "interpretable":
            console.print(f"[bold]{row['name']}[/] (interpretable): {row['meaning']}")
            continue
        console.print(
            f"[bold]{row['name']}[/] (learned, population coefficient {row['population_coefficient']:+.3f})"
        )
        for label in ("highest", "lowest"):
            for text in row[label]:
                console.print(f"  {label:<8} {text.replace(chr(10), ' ')}", markup=False, highlight=False)
    if learned is None:
        console.print(
            "no learned base functions yet: `prefmem train-reward` learns them from pairwise feedback"
        )
