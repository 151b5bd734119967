"""What a check counts: its trials, its counts, which counts must stay at zero, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CheckResult:
    """One check's figures. `goals` names the counts whose goal is 0; `notes` say what went wrong."""

    name: str
    trials: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    goals: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, count: str, amount: int = 1, note: str | None = None) -> None:
        """Add to a count (created at 0), with a note saying why when given (the first 50 kept)."""
        self.counts[count] = self.counts.get(count, 0) + amount
        if note is not None and amount and len(self.notes) < 50:
            self.notes.append(note)

    @property
    def passed(self) -> bool:
        return self.trials > 0 and all(self.counts.get(name, 0) == 0 for name in self.goals)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "trials": self.trials,
            "counts": {name: self.counts.get(name, 0) for name in sorted({*self.counts, *self.goals})},
            "goals": {name: 0 for name in self.goals},
            "passed": self.passed,
            "seconds": round(self.seconds, 2),
            "notes": self.notes,
        }


@dataclass
class SuiteResult:
    """Every check's result, and the settings the suite ran with."""

    mode: str
    seed: int
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "suite": "reliability",
            "mode": self.mode,
            "seed": self.seed,
            "passed": self.passed,
            "checks": [check.as_dict() for check in self.checks],
        }

    def table(self) -> list[tuple[str, str, str, str]]:
        """Rows of (check, trials, counts with goal 0, verdict), then the other counts per check."""
        rows = []
        for check in self.checks:
            goals = ", ".join(f"{name} {check.counts.get(name, 0)}" for name in check.goals)
            others = ", ".join(
                f"{name} {value}" for name, value in sorted(check.counts.items()) if name not in check.goals
            )
            rows.append(
                (
                    check.name,
                    str(check.trials),
                    goals + (f" ({others})" if others else ""),
                    "pass" if check.passed else "FAIL",
                )
            )
        return rows
