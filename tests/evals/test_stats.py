"""Wilson intervals: the published values, the edges, and the tally built on them."""

from __future__ import annotations

import pytest

from prefmem.evals.stats import Tally, wilson_interval


def test_wilson_interval_matches_known_values() -> None:
    low, high = wilson_interval(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and round(high, 4) == 0.2775  # not empty at 0%, unlike the normal approximation
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_tally_reports_rate_and_interval() -> None:
    tally = Tally()
    assert tally.summary() == {"n": 0, "rate": None, "ci_low": 0.0, "ci_high": 1.0}
    for hit in (True, True, False, True):
        tally.add(hit)
    summary = tally.summary()
    assert summary["n"] == 4 and summary["rate"] == 0.75
    assert summary["ci_low"] < 0.75 < summary["ci_high"]
