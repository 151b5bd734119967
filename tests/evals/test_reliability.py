"""The reliability suite at its quick size meets every goal (what `make test` runs), and its
command line reports the same way."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from prefmem.agent.cli.app import app
from prefmem.evals.reliability.suite import CHECKS, run_suite


def test_the_quick_suite_meets_every_goal(tmp_path: Path) -> None:
    suite = run_suite(quick=True, seed=0, workdir=tmp_path)
    assert [check.name for check in suite.checks] == [
        "isolation",
        "kills",
        "bad input",
        "injected instructions",
        "forget",
        "load",
    ]
    for check in suite.checks:
        assert check.trials > 0, check.name
        assert check.passed, (check.name, check.counts, check.notes)
    assert suite.passed
    kills = next(check for check in suite.checks if check.name == "kills")
    assert {kind: kills.counts[f"{kind}_kills"] for kind in ("import", "chat", "consolidation")} == {
        "import": 1,
        "chat": 1,
        "consolidation": 1,
    }
    assert next(check for check in suite.checks if check.name == "load").counts["clients"] == 32


def test_the_command_prints_a_table_writes_json_and_names_bad_checks(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = CliRunner().invoke(
        app, ["check", "reliability", "--quick", "--only", "injection", "--json", str(report)]
    )
    assert done.exit_code == 0, done.output
    assert "injected instructions" in done.stdout and "overall: pass" in done.stdout
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["passed"] is True and written["mode"] == "quick"
    [check] = written["checks"]
    assert check["counts"]["as_system"] == 0 and check["trials"] == 30
    refused = CliRunner().invoke(app, ["check", "reliability", "--only", "everything"])
    assert refused.exit_code == 2 and "unknown check 'everything'" in refused.stderr
    assert "everything" not in CHECKS
