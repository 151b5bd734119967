"""The baselines every PrefEval memory condition is measured against: what scores without memory.

A lift over "no memory" alone can flatter memory when the reward with no preference is
weak: on PrefEval's options a trivial rule (pick the longest) already beats it, because
aligned options tend to be the longer, more considerate ones. So each memory condition is
reported beside three pickers that know nothing of the user, and its lift is measured
against the best of them at the same distractor count and form:

- `baseline-longest`: the option with the most characters (the first of equals).
- `baseline-shared-base`: the shared base reward alone (relevance, quality, sycophancy),
  the part of the reward that is the same for everyone, with no style and no preference.
- `none`: the whole reward with no preference (the preference scorer given nothing to
  honour; style at the population's coefficients). It is also the "no memory" condition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, get_args

from prefmem.agent.rerank import Personalizer

Baseline = Literal["baseline-longest", "baseline-shared-base"]
BASELINES: tuple[Baseline, ...] = get_args(Baseline)
#: Every picker a memory condition's lift is measured against (the two above and no memory).
COMPARED: tuple[str, ...] = (*BASELINES, "none")


def longest(responses: Sequence[str]) -> int:
    """The index of the longest response (the first of equals)."""
    return max(range(len(responses)), key=lambda i: (len(responses[i]), -i))


def shared_base_pick(personalizer: Personalizer, prompt: str, responses: Sequence[str]) -> int:
    """The index of the response the shared base reward alone ranks first (the first of equals)."""
    scored = personalizer.scorer.score(prompt, responses)
    base = {c.index: sum(v for k, v in c.terms.items() if k.startswith("base:")) for c in scored}
    return max(range(len(responses)), key=lambda i: (base[i], -i))


def baseline_pick(
    baseline: Baseline, personalizer: Personalizer, prompt: str, responses: Sequence[str]
) -> int:
    """The response a baseline picks for a question."""
    if baseline == "baseline-longest":
        return longest(responses)
    return shared_base_pick(personalizer, prompt, responses)


def best_baseline(accuracy: Mapping[str, float | None]) -> tuple[str, float] | None:
    """The compared picker with the highest accuracy (first in `COMPARED` order among equals)."""
    known = [(name, accuracy[name]) for name in COMPARED if accuracy.get(name) is not None]
    if not known:
        return None
    name, rate = max(known, key=lambda item: float(item[1] or 0.0))
    return name, float(rate or 0.0)
