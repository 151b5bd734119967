"""The likelihood model under labelling: accounts, priors, option space, long runs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from prefmem.memory.consolidation.evidence import option_space, posterior
from prefmem.memory.consolidation.rules import ConsolidationRules

RULES = ConsolidationRules()


@dataclass(frozen=True)
class Vote:
    occasion: str
    condition: str | None
    value: str
    volunteered: bool = False


def votes(values: str, conditions: str = "") -> list[Vote]:
    return [Vote(f"d{n:04d}", conditions[n] if conditions else None, value) for n, value in enumerate(values)]


def test_the_posterior_sums_to_one_and_favours_the_account_that_fits() -> None:
    for values, best in [("aaaaaaaaaa", "genuine"), ("abababab", "non_attitude"), ("aaaaabbbbb", "changed")]:
        evidence = posterior(votes(values), RULES, options=("a", "b"))
        total = evidence.genuine + evidence.non_attitude + evidence.constructed + evidence.changed
        assert total == pytest.approx(1.0)
        assert evidence.most_probable == best
    framed = posterior(votes("abababab", "xyxyxyxy"), RULES, options=("a", "b"))
    assert framed.most_probable == "constructed"
    assert framed.by_condition == {"x": "a", "y": "b"}


def test_random_answering_is_as_likely_as_holding_a_view_for_one_answer() -> None:
    evidence = posterior(votes("a"), RULES, options=("a", "b"))
    assert evidence.genuine == pytest.approx(
        RULES.prior_genuine / (RULES.prior_genuine + RULES.prior_non_attitude)
    )


def test_volunteering_makes_a_non_attitude_less_likely_once_per_slot() -> None:
    asked = posterior(votes("aa"), RULES, options=("a", "b"))
    said = posterior(votes("aa"), RULES, options=("a", "b"), volunteered=True)
    odds = (said.genuine / said.non_attitude) / (asked.genuine / asked.non_attitude)
    assert odds == pytest.approx(1 / RULES.volunteered_non_attitude)


def test_hundreds_of_occasions_do_not_underflow() -> None:
    evidence = posterior(votes("a" * 400 + "b" * 400), RULES, options=("a", "b"))
    assert evidence.changed == pytest.approx(1.0)
    assert (evidence.old, evidence.new) == ("a", "b")
    assert evidence.split == 400
    assert evidence.held_now["b"] == pytest.approx(1.0)


def test_the_option_space_is_the_offered_options() -> None:
    assert option_space(votes("ab"), ("a", "b", "c")) == ["a", "b", "c"]
    assert len(option_space(votes("aa"), ())) == 2  # a stance has another side
    # values named apart from the options: as many options as were offered
    assert len(option_space(votes("01"), ("option 0", "option 1", "option 2"))) == 3


def test_more_options_make_agreement_stronger_evidence() -> None:
    two = posterior(votes("aaaa"), RULES, options=("a", "b"))
    four = posterior(votes("aaaa"), RULES, options=("a", "b", "c", "d"))
    assert four.genuine > two.genuine


def test_rules_refuse_values_that_make_no_sense() -> None:
    with pytest.raises(ValueError, match="slip"):
        ConsolidationRules(answer_slip_rate=0.0)
    with pytest.raises(ValueError, match="promote_posterior"):
        ConsolidationRules(promote_posterior=1.0)
    with pytest.raises(ValueError, match="volunteered"):
        ConsolidationRules(volunteered_non_attitude=0.0)
