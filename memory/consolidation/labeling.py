"""Deciding what kind of preference one slot holds: by evidence, not thresholds.

The unit of evidence is the occasion, not the signal: each occasion (a day or a
session) casts one vote per condition, its majority value, so one talkative session
cannot outvote several days. The votes are weighed by `evidence.posterior` under four
accounts (genuine, non-attitude, constructed by the framing, a change of mind), with
the priors and slip rates of `ConsolidationRules`. From the posterior:

- fewer than `min_occasions` occasions: tentative (held provisionally, never promoted
  without recurrence);
- genuine most probable: genuine once the probability that its value is held now
  (held throughout, or reached by a change of mind: both say so) reaches
  `promote_posterior`, tentative (undecided: worth asking again) until then;
- a change of mind most probable: the old run superseded, the new one current, and
  genuine once it is held now at `promote_posterior` (tentative before);
- non-attitude or constructed most probable: that kind (they personalize nothing, so
  being the best account is enough; a slot still short of `promote_posterior` stays
  worth asking again);
- a slot that is genuine only on a guess (a paraphrase's end taken from topic
  embeddings) whose other way round reads as a change of mind: tentative.

Every reason states the posterior it rests on.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from prefmem.memory.consolidation.evidence import Posterior, posterior
from prefmem.memory.consolidation.rules import ConsolidationRules
from prefmem.memory.signals import AGAINST, FOR, Signal, turned

Kind = Literal["genuine", "non_attitude", "constructed", "tentative", "superseded"]
KINDS: tuple[Kind, ...] = ("genuine", "tentative", "constructed", "non_attitude", "superseded")


@dataclass(frozen=True)
class Vote:
    """One occasion's (and condition's) majority value; `volunteered` when only statements gave it."""

    occasion: str
    condition: str | None
    value: str
    first_seen: float
    volunteered: bool = False


@dataclass(frozen=True)
class Verdict:
    """The kind of one run of a slot, with the numbers behind it.

    `posterior` is the probability of the account the kind rests on (genuine for genuine
    and tentative, the change of mind for superseded and the view that replaced it, the
    kind itself otherwise); a slot whose current verdict is below `promote_posterior` is
    undecided, and worth asking again.
    """

    kind: Kind
    value: str
    stability: float
    agreement: float
    occasions: int
    conditions: int
    signals: tuple[Signal, ...]
    reason: str
    posterior: float


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
        volunteered = all(s.source == "statement" for s in members if s.value == latest.value)
        first = min(s.timestamp.timestamp() for s in members)
        votes.append(Vote(occasion, condition, latest.value, first, volunteered))
    votes.sort(key=lambda vote: vote.first_seen)
    return votes


def _options(signals: Sequence[Signal]) -> tuple[str, ...]:
    """The options the slot's values come from: the widest offered, else the two sides of a stance."""
    offered = [s.options for s in signals if s.options]
    if offered:
        return max(offered, key=len)
    return (FOR, AGAINST) if all(s.value in (FOR, AGAINST) for s in signals) else ()


def _agreement(votes: Sequence[Vote], value: str) -> float:
    return sum(vote.value == value for vote in votes) / len(votes) if votes else 0.0


#: Occasions on which the user must have come to a slot unasked (a statement, a pick, a
#: rating) for their statements to count as volunteered once they have been asked about
#: it: one remark may be a passing one, weighed by the answers that follow it; nobody
#: keeps coming back to a view they do not hold.
VOLUNTEERED_OCCASIONS = 2


def _weigh(signals: Sequence[Signal], rules: ConsolidationRules) -> Posterior:
    """The posterior of a run's votes (time order); volunteered when statements alone gave
    some vote and, if the user was asked about the slot, they came to it unasked on
    `VOLUNTEERED_OCCASIONS` occasions. A remark nobody has asked about yet keeps the
    weight of a volunteered one: it is tentative in any case, and is used as such."""
    votes = occasion_votes(signals)
    unasked = {signal.occasion for signal in signals if signal.source != "answer"}
    asked = any(signal.source == "answer" for signal in signals)
    volunteered = any(vote.volunteered for vote in votes) and (
        not asked or len(unasked) >= VOLUNTEERED_OCCASIONS
    )
    return posterior(votes, rules, options=_options(signals), volunteered=volunteered)


def _odds(evidence: Posterior) -> str:
    """The posterior of every account, for reasons: "genuine 0.42, non-attitude 0.55, ..."."""
    parts = [("genuine", evidence.genuine), ("non-attitude", evidence.non_attitude)]
    if evidence.constructed:
        parts.append(("constructed", evidence.constructed))
    if evidence.changed:
        parts.append(("change of mind", evidence.changed))
    return ", ".join(f"{name} {share:.3f}" for name, share in parts)


def judge_slot(
    signals: Sequence[Signal],
    rules: ConsolidationRules,
    *,
    guessed: frozenset[str] = frozenset(),
    presumed: frozenset[str] = frozenset(),
) -> list[Verdict]:
    """Verdicts for a slot's durable signals (sorted by time): the current one last.

    `guessed` names the topics whose end was guessed from topic embeddings; `presumed`
    those that took the end of a steady first phrasing they lean like. A guess is not
    evidence: a slot genuine with them is weighed as a mixture of the reading as placed
    (weighted `guess_reliability`) and the reading with those phrasings turned
    round, and stays genuine only when the mixture still holds its value at
    `promote_posterior`. Near-synonyms and antonyms lie at the same cosine in MiniLM, so
    "sci-fi is the best" then "science fiction leaves me cold" reads as one stance only on
    the guess that the two name opposite ends; and a guessed phrasing late in a slot may
    hide a change of mind. Held slots are undecided, and worth asking again.
    """
    verdicts = _judge_slot(signals, rules)
    unsure = guessed | presumed
    if not unsure or len(verdicts) > 1 or verdicts[0].kind != "genuine":
        return verdicts
    value = verdicts[0].value
    other = [turned(s) if s.topic in unsure else s for s in signals]
    as_placed = _weigh(sorted(signals, key=lambda s: s.timestamp), rules).held_now.get(value, 0.0)
    turned_round = _weigh(sorted(other, key=lambda s: s.timestamp), rules).held_now.get(value, 0.0)
    share = rules.guess_reliability * as_placed + (1.0 - rules.guess_reliability) * turned_round
    if share >= rules.promote_posterior:
        return verdicts
    return [
        dataclasses.replace(
            verdicts[0],
            kind="tentative",
            reason=_held_reason(signals, unsure, share),
            posterior=round(share, 4),
        )
    ]


def _held_reason(signals: Sequence[Signal], unsure: frozenset[str], share: float) -> str:
    """Why a slot is held: which phrasings' ends words did not place (the first three, in time order)."""
    in_time = sorted(signals, key=lambda s: s.timestamp)
    named = list(dict.fromkeys(s.topic for s in in_time if s.topic in unsure))
    listed = ", ".join(f"'{topic}'" for topic in named[:3])
    if len(named) > 3:
        listed += f" and {len(named) - 3} more"
    return (
        f"held: words did not place {listed} on the scale; weighing the guess, the view is "
        f"held now at posterior {share:.3f} (confirm the preference if it is one view)"
    )


def _change_of_mind(
    ordered: Sequence[Signal], votes: Sequence[Vote], evidence: Posterior, rules: ConsolidationRules
) -> list[Verdict]:
    """The old run as superseded, then the new one: genuine once the new view is probable enough.

    The new view is held now if the mind changed to it, or if it was held all along and
    the old run was slips: its posterior is the sum of the two.
    """
    assert evidence.split is not None and evidence.old is not None and evidence.new is not None
    start = votes[evidence.split].first_seen
    cut = next(i for i, s in enumerate(ordered) if s.timestamp.timestamp() >= start)
    old_votes, new_votes = votes[: evidence.split], votes[evidence.split :]
    held_now = evidence.held_now[evidence.new]
    promoted = held_now >= rules.promote_posterior
    since = ordered[cut].timestamp

    def run(
        kind: Kind, value: str, part: Sequence[Vote], signals: Sequence[Signal], reason: str, share: float
    ) -> Verdict:
        return Verdict(
            kind,
            value,
            round(share, 4),
            _agreement(part, value),
            len({v.occasion for v in part}),
            len({v.condition for v in part}),
            tuple(signals),
            reason,
            round(share, 4),
        )

    superseded = run(
        "superseded",
        evidence.old,
        old_votes,
        ordered[:cut],
        f"replaced by {evidence.new!r} from {since:%Y-%m-%d}: change of mind at posterior "
        f"{evidence.changed:.3f} ({_odds(evidence)})",
        evidence.changed,
    )
    current = run(
        "genuine" if promoted else "tentative",
        evidence.new,
        new_votes,
        ordered[cut:],
        f"changed from {evidence.old!r} on {since:%Y-%m-%d}: held now at posterior {held_now:.3f}"
        + ("" if promoted else f", promotion needs {rules.promote_posterior}")
        + f" ({_odds(evidence)})",
        held_now,
    )
    return [superseded, current]


def _judge_slot(signals: Sequence[Signal], rules: ConsolidationRules) -> list[Verdict]:
    """`judge_slot` before the check on guessed ends: a change of mind yields two verdicts.

    The earlier run comes first as superseded, then the current run.
    """
    ordered = sorted(signals, key=lambda s: s.timestamp)
    votes = occasion_votes(ordered)
    occasions = len({vote.occasion for vote in votes})
    evidence = _weigh(ordered, rules)
    value = evidence.stance
    odds = _odds(evidence)

    def verdict(kind: Kind, reason: str, share: float) -> list[Verdict]:
        return [
            Verdict(
                kind,
                value,
                round(evidence.stance_posterior, 4),
                _agreement(votes, value),
                occasions,
                len({vote.condition for vote in votes}),
                tuple(ordered),
                reason,
                round(share, 4),
            )
        ]

    if occasions < rules.min_occasions:
        return verdict(
            "tentative", f"seen on {occasions} occasion(s); needs {rules.min_occasions}", evidence.genuine
        )
    account = evidence.most_probable
    if account == "changed":
        return _change_of_mind(ordered, votes, evidence, rules)
    if account == "non_attitude":
        return verdict(
            "non_attitude",
            f"no likelier than chance over {occasions} occasions: non-attitude at posterior "
            f"{evidence.non_attitude:.3f} ({odds})",
            evidence.non_attitude,
        )
    if account == "constructed":
        detail = ", ".join(f"{c or 'none'}: {v}" for c, v in sorted(evidence.by_condition.items(), key=str))
        return verdict(
            "constructed",
            f"follows the framing ({detail}): constructed at posterior {evidence.constructed:.3f} ({odds})",
            evidence.constructed,
        )
    held = evidence.held_now[value]
    if held >= rules.promote_posterior:
        return verdict(
            "genuine", f"held over {occasions} occasions: held now at posterior {held:.3f} ({odds})", held
        )
    return verdict(
        "tentative",
        f"undecided over {occasions} occasions: held now at posterior {held:.3f}, "
        f"promotion needs {rules.promote_posterior} ({odds})",
        held,
    )
