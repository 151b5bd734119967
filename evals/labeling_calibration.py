"""Calibration of labelling by evidence, on synthetic answerers whose kind is known.

Two kinds of answerer to one asked question with k options, over n occasions:

- random: a non-attitude, each answer uniform over the options;
- genuine: always the same option, except for slips at rate `slips`, landing on any
  other option alike.

`exact_rates` enumerates every sequence of answers with its probability, so the rates
are exact (no sampling noise): how often each answerer ends up promoted genuine, called
a non-attitude, or left undecided. `reask_rates` follows the re-ask queue instead: an
undecided question is asked again (under the condition `next_condition` picks) until it
is decided or has `reask_max_answers` answers, and reports how many extra questions
that took. Run `python -m prefmem.evals.labeling_calibration` for the tables.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from prefmem.memory.consolidation.labeling import Verdict, judge_slot
from prefmem.memory.consolidation.reasks import next_condition
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.signals import Signal

Answerer = Literal["random", "genuine"]
_START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
OPTIONS = "abcdef"


def answer_signals(
    answers: Sequence[int], options: int, conditions: Sequence[str | None] = ()
) -> list[Signal]:
    """One answer signal per day to the same question, option `answers[i]` on day i."""
    offered = tuple(OPTIONS[:options])
    return [
        Signal(
            user_id="u",
            source="answer",
            topic="which one",
            value=offered[chosen],
            scope="durable",
            occasion=f"day-{day:03d}",
            timestamp=_START + timedelta(days=day),
            evidence_id=f"e{day}",
            condition=conditions[day] if day < len(conditions) else "order-ab",
            item_id="q",
            options=offered,
        )
        for day, chosen in enumerate(answers)
    ]


def current(
    answers: Sequence[int], options: int, rules: ConsolidationRules, conditions: Sequence[str | None] = ()
) -> Verdict:
    """The current verdict on a question answered `answers`."""
    return judge_slot(answer_signals(answers, options, conditions), rules)[-1]


def decided(verdict: Verdict, rules: ConsolidationRules) -> bool:
    """Whether the verdict is settled (the re-ask queue leaves it alone)."""
    return verdict.kind != "tentative" and verdict.posterior >= rules.promote_posterior


@dataclass(frozen=True)
class Rates:
    """Shares of answerers (exact probabilities) by the kind their question ends up with."""

    answerer: Answerer
    occasions: int
    options: int
    promoted: float
    promoted_right: float
    non_attitude: float
    undecided: float

    def as_dict(self) -> dict[str, object]:
        return {k: (round(v, 5) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _probability(answers: Sequence[int], answerer: Answerer, options: int, slips: float) -> float:
    if answerer == "random":
        return float(options ** -len(answers))
    p = 1.0
    for chosen in answers:  # the held option is option 0
        p *= (1.0 - slips) if chosen == 0 else slips / (options - 1)
    return p


def exact_rates(
    answerer: Answerer, occasions: int, options: int, rules: ConsolidationRules, *, slips: float = 0.05
) -> Rates:
    """Exact shares of answerers promoted, called non-attitudes and left undecided after `occasions`."""
    shares: dict[str, float] = dict.fromkeys(("promoted", "promoted_right", "non_attitude", "undecided"), 0.0)
    for answers in itertools.product(range(options), repeat=occasions):
        p = _probability(answers, answerer, options, slips)
        verdict = current(answers, options, rules)
        if verdict.kind == "genuine":
            shares["promoted"] += p
            shares["promoted_right"] += p if verdict.value == OPTIONS[0] else 0.0
        elif verdict.kind == "non_attitude":
            shares["non_attitude"] += p
        if not decided(verdict, rules):
            shares["undecided"] += p
    return Rates(
        answerer,
        occasions,
        options,
        shares["promoted"],
        shares["promoted_right"],
        shares["non_attitude"],
        shares["undecided"],
    )


@dataclass(frozen=True)
class ReaskRates:
    """What the re-ask queue did for a population of one kind of answerer."""

    answerer: Answerer
    options: int
    users: int
    promoted: float
    non_attitude: float
    still_undecided: float
    mean_extra_questions: float
    mean_extra_questions_reasked: float

    def as_dict(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def reask_rates(
    answerer: Answerer,
    options: int,
    rules: ConsolidationRules,
    *,
    users: int = 400,
    initial: tuple[int, int] = (3, 6),
    slips: float = 0.05,
    seed: int = 0,
) -> ReaskRates:
    """Answerers start with `initial` answers (uniform in the range); undecided ones are re-asked."""
    rng = random.Random(seed)
    ends: Counter[str] = Counter()
    extra_total = 0
    reasked = 0
    for _ in range(users):

        def draw() -> int:
            if answerer == "random":
                return rng.randrange(options)
            return rng.randrange(1, options) if rng.random() < slips else 0

        answers = [draw() for _ in range(rng.randint(*initial))]
        conditions: list[str | None] = ["order-ab"] * len(answers)
        verdict = current(answers, options, rules, conditions)
        extra = 0
        while not decided(verdict, rules) and len(answers) < rules.reask_max_answers:
            conditions.append(next_condition(conditions))
            answers.append(draw())
            extra += 1
            verdict = current(answers, options, rules, conditions)
        extra_total += extra
        reasked += extra > 0
        ends["promoted" if verdict.kind == "genuine" else verdict.kind] += 1
        ends["undecided"] += not decided(verdict, rules)
    return ReaskRates(
        answerer,
        options,
        users,
        ends["promoted"] / users,
        ends["non_attitude"] / users,
        ends["undecided"] / users,
        extra_total / users,
        extra_total / reasked if reasked else 0.0,
    )


def calibration(
    rules: ConsolidationRules, *, slips: float = 0.05, users: int = 400, seed: int = 0
) -> dict[str, object]:
    """Exact rates for 3-6 occasions and 2-4 options, and the re-ask queue's figures."""
    exact = [
        exact_rates(answerer, n, k, rules, slips=slips).as_dict()
        for answerer in ("random", "genuine")
        for k in (2, 3, 4)
        for n in (3, 4, 5, 6)
    ]
    reask = [
        reask_rates(answerer, k, rules, users=users, slips=slips, seed=seed).as_dict()
        for answerer in ("random", "genuine")
        for k in (2, 3, 4)
    ]
    return {"slips": slips, "exact": exact, "reask": reask}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", type=float, default=0.05)
    parser.add_argument("--users", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(
        json.dumps(
            calibration(ConsolidationRules(), slips=args.slips, users=args.users, seed=args.seed), indent=1
        )
    )


if __name__ == "__main__":
    main()
