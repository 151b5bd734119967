"""PrefEval multiple choice through the whole memory path: which memory lets the reward follow a preference.

For each item and form (see `evals.prefeval_forms`) and each distractor count, a fresh
user gets the conversation that expresses the preference, then that many unrelated
turns, all through the public ingest path (event log -> episodic store); the users are
consolidated, and the item's question is answered by picking among its options
(shuffled with a fixed seed) with the reward scorer under each memory condition (see
`evals.memory_conditions`). Accuracy per memory x distractors x form comes with a 95%
Wilson interval and the lift over no memory.

`train_data` first trains the preference term on another PrefEval-layout folder into the
run's own data folder; the two folders must share no topic, so results are on topics the
scorer never saw.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from prefmem.agent.config import Config
from prefmem.agent.reward.preference_terms.offline import TUNING_TOPICS
from prefmem.evals.eval_runtime import EvalRuntime, fresh_runtime, ingest
from prefmem.evals.memory_conditions import MEMORY_CONDITIONS, MemoryCondition, MemoryView
from prefmem.evals.prefeval_baselines import BASELINES, baseline_pick, best_baseline
from prefmem.evals.prefeval_data import list_topics, shuffled
from prefmem.evals.prefeval_forms import (
    FORMS,
    Form,
    PrefEvalCase,
    files_used,
    load_cases,
    load_distractor_turns,
)
from prefmem.evals.stats import Tally
from prefmem.memory.errors import InvalidInputError, UsageError

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
STEP = timedelta(seconds=15)  # between consecutive messages: every turn is later than the one before

Progress = Callable[[int, int], None]  # (steps done, steps in all)


@dataclass(frozen=True)
class PrefEvalUser:
    """One simulated user: a case (item in a form) followed by a number of distractor turns."""

    case: PrefEvalCase
    distractors: int

    @property
    def user_id(self) -> str:
        return f"{self.case.key}-d{self.distractors}"


def parse_counts(text: str) -> list[int]:
    """Distractor counts from a comma-separated list, sorted, each once."""
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        problem = f"--distractors must be comma-separated whole numbers, not {text!r}"
        raise InvalidInputError(problem) from None
    if not counts or counts[0] < 0:
        raise InvalidInputError("--distractors must list numbers of 0 or more")
    return counts


def user_events(
    user: PrefEvalUser, distractor_turns: Sequence[tuple[str, str]], *, max_chars: int
) -> list[dict[str, Any]]:
    """The user's event log: the conversation expressing the preference, then the distractor turns."""
    user_id, session = user.user_id, f"{user.user_id}-s1"
    clock = (START + STEP * n for n in itertools.count())

    def message(role: str, content: str) -> dict[str, Any]:
        return {
            "type": "message",
            "user_id": user_id,
            "session_id": session,
            "timestamp": next(clock).isoformat(),
            "role": role,
            "content": content[:max_chars],
        }

    events = [message(role, content) for role, content in user.case.turns]
    picked = user.case.picked
    if picked is not None:  # the selection the choice conversation makes, as a choice event
        events.append(
            {
                "type": "choice",
                "user_id": user_id,
                "session_id": session,
                "timestamp": next(clock).isoformat(),
                "prompt": picked.prompt,
                "options": list(picked.options),
                "chosen": picked.chosen,
            }
        )
    for said, reply in distractor_turns[: user.distractors]:
        events += [message("user", said), message("assistant", reply)]
    return events


def _rows(
    tallies: dict[tuple[str, int, Form], Tally],
    pickers: Sequence[str],
    distractors: Sequence[int],
    forms: Sequence[Form],
) -> list[dict[str, Any]]:
    """One row per picker (baseline or memory condition), distractor count and form, with lifts.

    `lift_over_none` is over the reward with no memory; `lift_over_best_baseline` is over the
    best of the baselines and no memory at the same count and form (`evals.prefeval_baselines`).
    """
    rows: list[dict[str, Any]] = []
    for count in distractors:
        for form in forms:
            rates = {name: tallies[(name, count, form)].rate for name in pickers}
            best = best_baseline(rates)
            for name in pickers:
                summary = tallies[(name, count, form)].summary()
                rate = rates[name]
                none_rate = rates.get("none")
                rows.append(
                    {
                        "memory": name,
                        "distractors": count,
                        "form": form,
                        "n": summary["n"],
                        "accuracy": summary["rate"],
                        "ci_low": summary["ci_low"],
                        "ci_high": summary["ci_high"],
                        "lift_over_none": _lift(rate, none_rate),
                        "best_baseline": None if best is None else best[0],
                        "lift_over_best_baseline": None if best is None else _lift(rate, best[1]),
                    }
                )
    order = {name: i for i, name in enumerate(pickers)}
    rows.sort(key=lambda row: (order[row["memory"]], row["distractors"], forms.index(row["form"])))
    return rows


def _lift(rate: float | None, baseline: float | None) -> float | None:
    if rate is None or baseline is None:
        return None
    return round(rate - baseline, 4) + 0.0  # no -0.0


def _users(cases: Sequence[PrefEvalCase], distractors: Sequence[int]) -> Iterator[PrefEvalUser]:
    for case in cases:
        for count in distractors:
            yield PrefEvalUser(case, count)


def run_config(config: Config, *, trained: bool) -> Config:
    """The configuration a run uses: the right preference scorer (`fresh_runtime` keeps it off servers).

    With training data the trained scorer is forced (it is trained into the run's folder);
    without, a configured `trained` scorer is refused: the run could not know what it was
    trained on.
    """
    reward = config.reward
    if trained:
        reward = reward.model_copy(update={"preference_scorer": "trained"})
    elif reward.preference_scorer == "trained":
        raise UsageError(
            "reward.preference_scorer is trained: give --train-data DIR so the run trains it "
            "on topics it does not report on"
        )
    return config.model_copy(update={"reward": reward})


def run_prefeval(
    config: Config,
    data: Path,
    *,
    train_data: Path | None = None,
    forms: Sequence[Form] = FORMS,
    distractors: Sequence[int] = (0, 10, 50, 300),
    memory: Sequence[MemoryCondition] = MEMORY_CONDITIONS,
    limit: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the evaluation and return the report (see the module docstring); `config` gives the parts."""
    started = time.perf_counter()
    available = list_topics(data)
    # the project's own offline scorer and extractor were tuned on these: never report on them
    tuned = sorted(set(available) & set(TUNING_TOPICS))
    topics = [topic for topic in available if topic not in tuned]
    if not topics:
        raise InvalidInputError(
            f"{data}: every topic ({', '.join(available)}) was used to tune the offline scorer; "
            "give a folder with other topics"
        )
    cases = load_cases(data, forms, topics=topics, limit=limit)
    turns = load_distractor_turns(data) if max(distractors) > 0 else []
    if max(distractors) > len(turns):
        raise InvalidInputError(f"{data}: only {len(turns)} distractor turns, {max(distractors)} asked for")
    used = files_used(data, forms, topics, distractors=max(distractors) > 0)
    train_topics: list[str] = []
    train_files: list[str] = []
    if train_data is not None:
        train_topics = list_topics(train_data)
        train_files = [str(Path(train_data).expanduser() / "mcq_options" / f"{t}.json") for t in train_topics]
        overlap = sorted(set(train_topics) & set(topics))
        if overlap:
            raise InvalidInputError(
                f"--train-data and --data share topics ({', '.join(overlap)}): "
                "results must be on topics the scorer was not trained on"
            )
    users = list(_users(cases, distractors))
    # the baselines and no memory are always run: every lift is measured against the best of them
    pickers: list[str] = [*BASELINES, *(["none"] if "none" not in memory else []), *memory]
    total = 2 * len(users) + len(users) * len(pickers)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    with fresh_runtime(run_config(config, trained=train_data is not None)) as runtime:
        training = None
        if train_data is not None:
            from prefmem.evals.trained_scorer import (
                train_into,  # loads the scorer's training code only when asked
            )

            training = train_into(runtime, train_data, seed=seed)
        max_chars = runtime.config.assistant.max_message_chars
        for user in users:
            ingest(runtime, user_events(user, turns, max_chars=max_chars))
            step()
        # one run over every user: the job lists the store's users once per run
        runtime.consolidation_job().run([user.user_id for user in users], progress=lambda _: step())
        tallies, scorer_name = _answer(runtime, users, pickers, seed=seed, step=step)
    return {
        "seed": seed,
        "data": str(data),
        "train_data": None if train_data is None else str(train_data),
        "files_used": used,
        "train_topics": train_topics,
        "train_files": train_files,
        "training": training,
        "preference_scorer": scorer_name,
        "topics": topics,
        "left_out_tuning_topics": tuned,
        "limit": limit,
        "items": len({(c.item.topic, c.item.index) for c in cases}),
        "users": len(users),
        "forms": list(forms),
        "distractors": list(distractors),
        "memory": list(memory),
        "baselines": [*BASELINES, "none"],
        "rows": _rows(tallies, pickers, distractors, forms),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _answer(
    runtime: EvalRuntime,
    users: Sequence[PrefEvalUser],
    pickers: Sequence[str],
    *,
    seed: int,
    step: Callable[[], None],
) -> tuple[dict[tuple[str, int, Form], Tally], str]:
    """Ask every user their item's question with each baseline and memory condition; tally right picks."""
    personalizer = runtime.personalizer()
    view = MemoryView.of(runtime)
    tallies = {(name, user.distractors, user.case.form): Tally() for name in pickers for user in users}
    for user in users:
        example = shuffled(user.case.item, seed=seed)
        responses = list(example.responses)
        for name in pickers:
            if name in BASELINES:
                picked = baseline_pick(name, personalizer, example.prompt, responses)
            else:
                condition = cast(MemoryCondition, name)
                preferences = view.preferences(condition, user.user_id, example.prompt)
                ranking = personalizer.rank(user.user_id, example.prompt, responses, preferences=preferences)
                picked = ranking.best.index
            tallies[(name, user.distractors, user.case.form)].add(picked == example.best)
            step()
    return tallies, personalizer.scorer.preference_scorer.name
