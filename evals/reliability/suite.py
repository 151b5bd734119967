"""Running the reliability checks at one of two sizes, each check on its own folder.

The quick size runs in the tests (`make test`) in under a minute; the full size is what the
figures are reported from (at least 20 kills of each kind, 50 forgotten users with the real
embedding model, 32 clients of 10 turns). A check that raises is reported failed, with the
error, and the others still run.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from prefmem.evals.reliability.bad_input import run_bad_input
from prefmem.evals.reliability.forget import run_forget
from prefmem.evals.reliability.injection import run_injection
from prefmem.evals.reliability.isolation import run_isolation
from prefmem.evals.reliability.kills import run_kills
from prefmem.evals.reliability.load import run_load
from prefmem.evals.reliability.results import CheckResult, SuiteResult


@dataclass(frozen=True)
class Sizes:
    """How much each check does."""

    isolation_users: int
    isolation_operations: int
    kills_each: int
    forget_users: int
    forget_real_model: bool
    load_clients: int
    load_turns: int


QUICK = Sizes(
    isolation_users=6,
    isolation_operations=40,
    kills_each=1,
    forget_users=8,
    forget_real_model=False,
    load_clients=32,
    load_turns=2,
)
FULL = Sizes(
    isolation_users=16,
    isolation_operations=400,
    kills_each=20,
    forget_users=100,
    forget_real_model=True,
    load_clients=32,
    load_turns=10,
)
CHECKS = ("isolation", "kills", "bad_input", "injection", "forget", "load")


def _runners(sizes: Sizes, rng: random.Random) -> dict[str, Callable[[Path], CheckResult]]:
    return {
        "isolation": lambda folder: run_isolation(
            folder, users=sizes.isolation_users, operations=sizes.isolation_operations, rng=rng
        ),
        "kills": lambda folder: run_kills(folder, trials=sizes.kills_each, rng=rng),
        "bad_input": run_bad_input,
        "injection": lambda folder: run_injection(folder, rng=rng),
        "forget": lambda folder: run_forget(
            folder, users=sizes.forget_users, real_model=sizes.forget_real_model, rng=rng
        ),
        "load": lambda folder: run_load(folder, clients=sizes.load_clients, turns=sizes.load_turns),
    }


def run_suite(
    *,
    quick: bool,
    seed: int = 0,
    only: Sequence[str] = (),
    workdir: Path | None = None,
    on_done: Callable[[CheckResult], None] | None = None,
) -> SuiteResult:
    """Run the checks (all, or `only` these) in a fresh folder (or under `workdir`, kept)."""
    unknown = sorted(set(only) - set(CHECKS))
    if unknown:
        raise ValueError(f"unknown checks {unknown}; use {', '.join(CHECKS)}")
    sizes = QUICK if quick else FULL
    suite = SuiteResult(mode="quick" if quick else "full", seed=seed)
    with tempfile.TemporaryDirectory(prefix="prefmem-reliability-") as scratch:
        root = workdir or Path(scratch)
        for name, runner in _runners(sizes, random.Random(seed)).items():
            if only and name not in only:
                continue
            started = time.monotonic()
            try:
                result = runner(root / name)
            except Exception as error:  # a check that cannot finish is a failed check, reported
                result = CheckResult(name.replace("_", " "), goals=("check_errors",))
                result.add("check_errors", 1, f"the check raised {type(error).__name__}: {error}")
            result.seconds = time.monotonic() - started
            suite.checks.append(result)
            if on_done is not None:
                on_done(result)
    return suite
