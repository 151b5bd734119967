"""Deciding what kind of preference one slot holds.

The unit of evidence is the occasion, not the signal: each occasion (a day or a
session) casts one vote, its majority value, so one talkative session cannot outvote
several days. From the votes:

- fewer than `min_occasions` occasions: tentative (held provisionally, never promoted
  without recurrence);
- a consistent run of one value, then a consistent run of another, each over
  `min_run_occasions` occasions (`statement_run_occasions` when the slot holds only
  volunteered statements): the old run is superseded and the new one is judged on its
  own (a change of mind is not noise);
- consistent within each of several conditions but different between them: constructed
  (driven by the framing), unless a change of mind fits the answers more closely (a
  framing that disagrees with itself where time does not);
- high agreement: genuine, provided that for elicited answers answering at random
  could not plausibly have produced it;
- for statements the user volunteered, a clear majority the latest occasion confirms:
  genuine too (nobody answers at random a question never asked);
- agreement near chance over enough occasions: non_attitude; otherwise tentative;
- a slot that is genuine only on a guess (a paraphrase's end taken from topic
  embeddings) whose other way round reads as a change of mind: tentative.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from math import comb
from typing import Literal

from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.signals import Signal, turned

Kind = Literal["genuine", "non_attitude", "constructed", "tentative", "superseded"]
KINDS: tuple[Kind, ...] = ("genuine", "tentative", "constructed", "non_attitude", "superseded")


@dataclass(frozen=True)
class Vote:
    """One occasion's (and condition's) majority value."""

    occasion: str
    condition: str | None
    value: str
    first_seen: float


@dataclass(frozen=True)
class Verdict:
    """The kind of one run of a slot, with the numbers behind it."""

    kind: Kind
    value: str
    stability: float
    agreement: float
    occasions: int
    conditions: int
    signals: tuple[Signal, ...]
    reason: str


def occasion_votes(signals: Sequence[Signal]) -> list[Vote]:
    """One vote per (occasion, condition): its most frequent value (ties go to the latest)."""
    groups: dict[tuple[str, str | None], list[Signal]] = {}
    for signal in signals:
        groups.setdefault((signal.occasion, signal.condition), []).append(signal)
    votes = []
    for (occasion, condition), members in groups.items():
        counts = Counter(s.value for s in members)
        top = max(counts.values())
        latest = max((s for s in members if counts[s.value] == top), key=lambda s: s.timestamp)
        votes.append(Vote(occasion, condition, latest.value, min(s.timestamp.timestamp() for s in members)))
    votes.sort(key=lambda vote: vote.first_seen)
    return votes


def _majority(votes: Sequence[Vote]) -> tuple[str, float]:
    counts = Counter(vote.value for vote in votes)
    value, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return value, count / len(votes)


def chance_probability(votes: int, agreeing: int, options: int) -> float:
    """Probability that answering uniformly at random gives some option at least `agreeing` of `votes`.

    A union bound over the options (exact for two options when agreeing > votes / 2).
    """
    if options < 2:
        return 1.0
    p = 1.0 / options
    tail = sum(comb(votes, k) * p**k * (1 - p) ** (votes - k) for k in range(agreeing, votes + 1))
    return min(1.0, options * tail)


def _stability(agreement: float, occasions: int, options: int) -> float:
    """Agreement above chance, discounted while there are few occasions: a number in [0, 1]."""
    chance = 1.0 / max(options, 2)
    above = max(0.0, (agreement - chance) / (1.0 - chance))
    return round(above * (1.0 - 0.5**occasions), 4)


def _options(signals: Sequence[Signal]) -> int:
    counts = [len(s.options) for s in signals if s.options]
    return max(counts) if counts else 2


def _framing_majorities(
    votes: Sequence[Vote], rules: ConsolidationRules
) -> dict[str | None, tuple[str, float]]:
    """Per framing with at least `min_per_condition` votes: its majority value and that value's share."""
    by_condition: dict[str | None, list[Vote]] = {}
    for vote in votes:
        by_condition.setdefault(vote.condition, []).append(vote)
    return {c: _majority(vs) for c, vs in by_condition.items() if len(vs) >= rules.min_per_condition}


def judge_run(signals: Sequence[Signal], rules: ConsolidationRules) -> Verdict:
    """The kind of a run of signals that is not split by a change of mind."""
    votes = occasion_votes(signals)
    occasions = len({vote.occasion for vote in votes})
    conditions = {vote.condition for vote in votes}
    options = _options(signals)
    value, agreement = _majority(votes)
    stability = _stability(agreement, occasions, options)

    def verdict(kind: Kind, reason: str, *, chosen: str = value, stable: float = stability) -> Verdict:
        return Verdict(kind, chosen, stable, agreement, occasions, len(conditions), tuple(signals), reason)

    if occasions < rules.min_occasions:
        return verdict("tentative", f"seen on {occasions} occasion(s); needs {rules.min_occasions}")
    majorities = _framing_majorities(votes, rules)
    if len(majorities) >= 2:
        consistent = all(share >= rules.agreement for _, share in majorities.values())
        if consistent and len({v for v, _ in majorities.values()}) > 1:
            detail = ", ".join(f"{c or 'none'}: {v}" for c, (v, _) in sorted(majorities.items(), key=str))
            return verdict("constructed", f"consistent within each framing but not across ({detail})")
    if agreement >= rules.agreement:
        if any(s.source == "answer" for s in signals):
            agreeing = round(agreement * len(votes))
            chance = chance_probability(len(votes), agreeing, options)
            if chance > rules.max_chance_probability:
                return verdict(
                    "tentative",
                    f"{agreeing} of {len(votes)} answers agree, which random answering gives "
                    f"with probability {chance:.2f}",
                )
        return verdict("genuine", f"{agreement:.0%} agreement over {occasions} occasions")
    if occasions >= rules.non_attitude_occasions:
        return verdict("non_attitude", f"only {agreement:.0%} agreement over {occasions} occasions")
    return verdict("tentative", f"{agreement:.0%} agreement over {occasions} occasions so far")


def _change_of_mind(signals: Sequence[Signal], rules: ConsolidationRules) -> int | None:
    """Index in signals where a consistent run of one value gives way to a consistent run of another."""
    votes = occasion_votes(signals)
    occasions = [vote.occasion for vote in votes]
    volunteered = all(s.source == "statement" for s in signals)
    needed = rules.statement_run_occasions if volunteered else rules.min_run_occasions
    best: tuple[float, int] | None = None
    for split in range(1, len(votes)):
        before, after = votes[:split], votes[split:]
        if len(set(occasions[:split])) < needed:
            continue
        if len(set(occasions[split:])) < needed:
            break
        old, old_share = _majority(before)
        new, new_share = _majority(after)
        if old == new or old_share < rules.agreement or new_share < rules.agreement:
            continue
        if votes[split].value != new:  # the new run starts where the new value first appears
            continue
        score = old_share * len(before) + new_share * len(after)
        if best is None or score > best[0]:
            best = (score, split)
    if best is None:
        return None
    start = votes[best[1]].first_seen
    return next(i for i, s in enumerate(signals) if s.timestamp.timestamp() >= start)


def _time_explains_better(signals: Sequence[Signal], split: int, rules: ConsolidationRules) -> bool:
    """Whether a change of mind at `split` fits a slot that also reads as constructed more closely.

    Both readings fit when the framing changed when the mind did ("AAA" under one
    framing, then "BBB" under the other); the data cannot tell them apart, and the
    framing explanation, which feeds nothing forward, stands. When a framing disagrees
    with itself where time does not (A A A A under one framing, then B B under the other
    and B under the first again), the change of mind is the closer fit.
    """
    within_framings = min(share for _, share in _framing_majorities(occasion_votes(signals), rules).values())
    runs = (judge_run(signals[:split], rules), judge_run(signals[split:], rules))
    return min(run.agreement for run in runs) > within_framings


def _stated_majority(whole: Verdict, rules: ConsolidationRules) -> Verdict:
    """Promote a slot of volunteered statements whose clear majority the latest occasion confirms.

    Random answering is what makes a non-attitude, and a statement the user volunteered
    was never asked for: a view said unprompted on most occasions is held, with a low
    stability for the dissent. Two dissenting occasions in a row, or a latest occasion
    that dissents, may be a change of mind starting, so those slots wait.
    """
    if whole.occasions < max(rules.min_occasions, rules.non_attitude_occasions):
        return whole
    if not rules.statement_majority <= whole.agreement < rules.agreement:
        return whole
    if any(s.source != "statement" for s in whole.signals):
        return whole
    dissent = [vote.value != whole.value for vote in occasion_votes(whole.signals)]
    if dissent[-1] or any(a and b for a, b in pairwise(dissent)):
        return whole
    agreeing = dissent.count(False)
    return dataclasses.replace(
        whole,
        kind="genuine",
        reason=f"said unprompted on {agreeing} of {len(dissent)} occasions, the latest included",
    )


def judge_slot(
    signals: Sequence[Signal],
    rules: ConsolidationRules,
    *,
    guessed: frozenset[str] = frozenset(),
    presumed: frozenset[str] = frozenset(),
) -> list[Verdict]:
    """Verdicts for a slot's durable signals (sorted by time): the current one last.

    `guessed` names the topics whose end was guessed from topic embeddings; `presumed`
    those that took the end of a steady first phrasing they lean like. With guesses, a
    mere majority of statements is not trusted (the guess may have hidden a change of
    mind). With guesses or presumptions, a slot that is genuine only on them is held
    tentative when those phrasings, turned the other way round, read as a change of mind:
    the evidence says either "steady" or "changed", and words cannot tell which.
    """
    verdicts = _judge_slot(signals, rules, read_from_words=not guessed)
    unsure = guessed | presumed
    if not unsure or len(verdicts) > 1 or verdicts[0].kind != "genuine":
        return verdicts
    other_reading = [turned(s) if s.topic in unsure else s for s in signals]
    if _judge_slot(other_reading, rules, read_from_words=False)[0].kind != "superseded":
        return verdicts
    return [dataclasses.replace(verdicts[0], kind="tentative", reason=_held_reason(signals, unsure))]


def _held_reason(signals: Sequence[Signal], unsure: frozenset[str]) -> str:
    """Why a slot is held: which phrasings' ends words did not place (the first three, in time order)."""
    in_time = sorted(signals, key=lambda s: s.timestamp)
    named = list(dict.fromkeys(s.topic for s in in_time if s.topic in unsure))
    listed = ", ".join(f"'{topic}'" for topic in named[:3])
    if len(named) > 3:
        listed += f" and {len(named) - 3} more"
    return (
        f"held: words did not place {listed} on the scale; the other way round, "
        "they read as a change of mind (confirm the preference if it is one view)"
    )


def _judge_slot(
    signals: Sequence[Signal], rules: ConsolidationRules, *, read_from_words: bool = True
) -> list[Verdict]:
    """`judge_slot` before the check on guessed ends.

    A change of mind yields two: the earlier run as superseded, then the current run.
    `read_from_words` is False when some stance in the slot was turned on a guess (a
    paraphrase's end taken from topic embeddings): then a mere majority of statements is
    not trusted, since the guess may have hidden a change of mind.
    """
    ordered = sorted(signals, key=lambda s: s.timestamp)
    whole = judge_run(ordered, rules)
    if whole.kind == "genuine":
        return [whole]
    split = _change_of_mind(ordered, rules)
    if whole.kind == "constructed" and (split is None or not _time_explains_better(ordered, split, rules)):
        return [whole]
    if split is None:
        return [_stated_majority(whole, rules) if read_from_words else whole]
    old = judge_run(ordered[:split], rules)
    current = judge_run(ordered[split:], rules)
    superseded = Verdict(
        "superseded",
        old.value,
        old.stability,
        old.agreement,
        old.occasions,
        old.conditions,
        old.signals,
        f"replaced by {current.value!r} from {ordered[split].timestamp:%Y-%m-%d}",
    )
    return [superseded, current]
