"""Labelling by evidence on synthetic answerers: random ones are rarely promoted, genuine ones are."""

from __future__ import annotations

import pytest

from prefmem.evals.labeling_calibration import exact_rates, reask_rates
from prefmem.memory.consolidation.rules import ConsolidationRules

RULES = ConsolidationRules()
#: Agreeing answers a question with k options needs before it is promoted (no slips).
NEEDED = {2: 9, 3: 6, 4: 5}


@pytest.mark.parametrize("options", [2, 3, 4])
@pytest.mark.parametrize("occasions", [3, 4, 5, 6])
def test_random_answerers_are_promoted_at_most_one_time_in_a_hundred(occasions: int, options: int) -> None:
    rates = exact_rates("random", occasions, options, RULES)
    assert rates.promoted <= 0.01
    assert rates.non_attitude > 0.6  # and most are called what they are


def test_no_threshold_on_few_answers_is_needed_for_that() -> None:
    # three agreeing answers of four to a two-option question: the old rules promoted
    # random answerers a quarter of the time at three answers; the posterior never does
    assert exact_rates("random", 3, 2, RULES).promoted == 0.0
    # a lenient posterior shows what the threshold holds back
    lenient = ConsolidationRules(promote_posterior=0.75)
    assert exact_rates("random", 3, 2, lenient).promoted == pytest.approx(0.25)


@pytest.mark.parametrize(("occasions", "options"), [(6, 3), (5, 4), (6, 4)])
def test_genuine_holders_without_a_slip_are_promoted_once_the_evidence_suffices(
    occasions: int, options: int
) -> None:
    rates = exact_rates("genuine", occasions, options, RULES, slips=0.05)
    assert occasions >= NEEDED[options]
    assert rates.promoted >= 0.95**occasions - 1e-9  # every answerer who never slipped
    assert rates.promoted_right == pytest.approx(rates.promoted)  # and never on the wrong option


@pytest.mark.parametrize("options", [2, 3, 4])
def test_the_reask_queue_keeps_random_answerers_out(options: int) -> None:
    # enough answerers that the share promoted is measured to about 0.2 points
    rates = reask_rates("random", options, RULES, users=2000, seed=1)
    # the bound: (prior_genuine + prior_changed) / prior_non_attitude * (1 - p) / p = 1.26%
    assert rates.promoted <= 0.0127
    assert rates.non_attitude >= 0.9


@pytest.mark.parametrize(("options", "recall", "extra"), [(2, 0.95, 8.0), (3, 0.97, 4.0), (4, 0.97, 3.0)])
def test_the_reask_queue_promotes_genuine_holders_with_a_few_more_questions(
    options: int, recall: float, extra: float
) -> None:
    rates = reask_rates("genuine", options, RULES, users=600, seed=1, slips=0.05)
    assert rates.promoted >= recall
    assert 0.0 < rates.mean_extra_questions <= extra
