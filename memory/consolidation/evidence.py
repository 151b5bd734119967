"""How probable a slot's occasion votes are under each kind (genuine, non-attitude, ...), and the posterior.

Four accounts of a run of votes compete (see DESIGN: evidence, not thresholds):

- genuine: one stance held throughout; each vote gives it unless it slips, at the
  slip rate of its source (`answer_slip_rate`, `statement_slip_rate`), a slip landing
  on any other option alike;
- non_attitude: no view at all; each vote is one of the k options at random. A slot
  the user volunteered statements about is less likely to be one
  (`volunteered_non_attitude` scales its likelihood once: nobody keeps volunteering a
  view they do not hold, and from then on what they say is what tells; `labeling`
  decides when a slot counts as volunteered);
- constructed: a stance per condition (framing, option order), not the same in all of
  them, each kept except for slips;
- changed: one stance up to some occasion, another from there on (each run at least
  `MIN_RUN` occasions), slips aside; every such split point equally likely a priori.

Each account's likelihood, times its prior (`prior_*`, renormalised over the accounts
that apply: constructed needs two conditions, changed needs room for two runs), gives
the posterior. Computed in logs, so hundreds of occasions do not underflow.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from prefmem.memory.consolidation.rules import ConsolidationRules

Account = Literal["genuine", "non_attitude", "constructed", "changed"]

#: Occasions on each side of a change of mind, at least: a single contrary occasion is a slip
#: or the start of something, not yet a run.
MIN_RUN = 2


class Observation(Protocol):
    """What the model reads of a vote: its occasion, condition, value and whether it was volunteered."""

    @property
    def occasion(self) -> str: ...
    @property
    def condition(self) -> str | None: ...
    @property
    def value(self) -> str: ...
    @property
    def volunteered(self) -> bool: ...


@dataclass(frozen=True)
class Posterior:
    """The posterior of each account, and the most probable details of each."""

    genuine: float
    non_attitude: float
    constructed: float
    changed: float
    #: The most frequent value (ties: the greatest), the most probable stance under `genuine`.
    stance: str
    #: P(genuine and the stance is `stance`).
    stance_posterior: float
    #: Per value, the probability it is held now: held throughout, or the view a change of
    #: mind led to (the two accounts agree on the present and differ only on the past).
    held_now: dict[str, float]
    #: Under `changed`: the most probable vote index where the new run starts, and the two stances.
    split: int | None
    old: str | None
    new: str | None
    #: Under `constructed`: the most probable stance of each condition.
    by_condition: dict[str | None, str]

    def of(self, account: Account) -> float:
        return float(getattr(self, account))

    @property
    def most_probable(self) -> Account:
        accounts: tuple[Account, ...] = ("genuine", "non_attitude", "constructed", "changed")
        return max(accounts, key=self.of)


def _logsumexp(values: Sequence[float]) -> float:
    finite = [v for v in values if v != -math.inf]
    if not finite:
        return -math.inf
    top = max(finite)
    return top + math.log(sum(math.exp(v - top) for v in finite))


def _held(votes: Sequence[Observation], stance: str, k: int, rules: ConsolidationRules) -> float:
    """log P(votes | this stance held throughout, slips aside)."""
    total = 0.0
    for vote in votes:
        slip = rules.statement_slip_rate if vote.volunteered else rules.answer_slip_rate
        total += math.log(1.0 - slip) if vote.value == stance else math.log(slip / (k - 1))
    return total


def option_space(votes: Sequence[Observation], options: Sequence[str]) -> list[str]:
    """The values a vote could take: the offered options, at least two.

    Values outside the offered options (options named apart from the values) count as
    options of their own, up to as many as were offered; unnamed ones fill the rest.
    """
    seen = list(dict.fromkeys(vote.value for vote in votes))
    space = list(dict.fromkeys(options)) if all(value in options for value in seen) else seen
    size = max(len(set(options)), len(space), 2)
    while len(space) < size:
        space.append(f"\x00other{len(space)}")  # an option no vote took, unnamed
    return space


def _genuine(votes: Sequence[Observation], space: list[str], rules: ConsolidationRules) -> dict[str, float]:
    k = len(space)
    return {s: _held(votes, s, k, rules) - math.log(k) for s in space}


def _constructed(
    votes: Sequence[Observation], space: list[str], rules: ConsolidationRules
) -> tuple[float, dict[str | None, str]]:
    """log P(votes | a stance per condition, not all the same), and each condition's likeliest stance."""
    k = len(space)
    by_condition: dict[str | None, list[Observation]] = {}
    for vote in votes:
        by_condition.setdefault(vote.condition, []).append(vote)
    held = {c: {s: _held(vs, s, k, rules) for s in space} for c, vs in by_condition.items()}
    any_stances = sum(_logsumexp(list(per.values())) for per in held.values())
    same_stance = _logsumexp([sum(per[s] for per in held.values()) for s in space])
    gap = same_stance - any_stances
    differing = any_stances + math.log1p(-math.exp(gap)) if gap < -1e-12 else -math.inf
    assignments = k ** len(held) - k
    best = {c: max(space, key=per.__getitem__) for c, per in held.items()}
    return differing - math.log(assignments), best


def _splits(votes: Sequence[Observation]) -> list[int]:
    """Vote indices where a new run may start: between occasions, with `MIN_RUN` occasions each side."""
    occasions = [vote.occasion for vote in votes]
    valid = []
    for t in range(1, len(votes)):
        if occasions[t] == occasions[t - 1]:
            continue
        if len(set(occasions[:t])) >= MIN_RUN and len(set(occasions[t:])) >= MIN_RUN:
            valid.append(t)
    return valid


def _changed(
    votes: Sequence[Observation], space: list[str], splits: list[int], rules: ConsolidationRules
) -> tuple[dict[str, float], int, str, str]:
    """log P(votes, new stance | one stance, then another from some split), per new stance.

    Returns, per stance b, the log probability of the votes with b the stance after the
    change (their logsumexp is the account's likelihood), and the likeliest split and
    stances. Running sums make it linear in the votes for each split.
    """
    k = len(space)
    prior = math.log(k * (k - 1)) + math.log(len(splits))
    prefix = {
        s: list(itertools.accumulate((_held([v], s, k, rules) for v in votes), initial=0.0)) for s in space
    }
    terms: dict[str, list[float]] = {b: [] for b in space}
    best: tuple[float, int, str, str] | None = None
    for t in splits:
        for a in space:
            for b in space:
                if a == b:
                    continue
                term = prefix[a][t] + prefix[b][-1] - prefix[b][t] - prior
                terms[b].append(term)
                if best is None or term > best[0]:
                    best = (term, t, a, b)
    assert best is not None
    return {b: _logsumexp(per) for b, per in terms.items()}, best[1], best[2], best[3]


def posterior(
    votes: Sequence[Observation],
    rules: ConsolidationRules,
    *,
    options: Sequence[str] = (),
    volunteered: bool = False,
) -> Posterior:
    """The posterior of each account of `votes` (in time order); `volunteered`: the user brought it up."""
    space = option_space(votes, options)
    k = len(space)
    genuine = _genuine(votes, space, rules)
    log_joint: dict[Account, float] = {
        "genuine": math.log(rules.prior_genuine) + _logsumexp(list(genuine.values())),
        "non_attitude": math.log(rules.prior_non_attitude)
        - len(votes) * math.log(k)
        + (math.log(rules.volunteered_non_attitude) if volunteered else 0.0),
    }
    by_condition: dict[str | None, str] = {}
    if len({vote.condition for vote in votes}) >= 2 and rules.prior_constructed > 0:
        constructed, by_condition = _constructed(votes, space, rules)
        log_joint["constructed"] = math.log(rules.prior_constructed) + constructed
    split = old = new = None
    changed_to: dict[str, float] = {}
    splits = _splits(votes)
    if splits and rules.prior_changed > 0:
        changed_to, split, old, new = _changed(votes, space, splits, rules)
        log_joint["changed"] = math.log(rules.prior_changed) + _logsumexp(list(changed_to.values()))
    total = _logsumexp(list(log_joint.values()))
    share = {account: math.exp(value - total) for account, value in log_joint.items()}
    counts = Counter(vote.value for vote in votes)
    stance = max(space, key=lambda s: (counts[s], s))  # the most frequent: the likeliest held
    held_now = {s: math.exp(math.log(rules.prior_genuine) + genuine[s] - total) for s in space}
    for s, joint in changed_to.items():
        held_now[s] += math.exp(math.log(rules.prior_changed) + joint - total)
    return Posterior(
        genuine=share["genuine"],
        non_attitude=share["non_attitude"],
        constructed=share.get("constructed", 0.0),
        changed=share.get("changed", 0.0),
        stance=stance,
        stance_posterior=math.exp(math.log(rules.prior_genuine) + genuine[stance] - total),
        held_now=held_now,
        split=split,
        old=old,
        new=new,
        by_condition=by_condition,
    )
