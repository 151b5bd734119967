"""`prefmem eval report`: run the evaluation suite and write a Markdown report with PNG plots.

The suite, each part with the same seed:

- stability: consolidation on simulated users without slips (the confusion matrix of kinds);
- stability_slips: the same users with slips 0.05 (a genuine preference's occurrence
  says otherwise 5% of the time), a robustness test reported apart;
- prefeval (when a PrefEval-layout folder is given): accuracy by memory condition,
  distractor count and preference form;
- recall: the same memory conditions on simulated users (following, leaks);
- disagreement (when a DSP-layout folder is given): per-group accuracy, aggregate vs
  per-user reward;
- sycophancy: flip rates with and without the bound and the shrinkage, and drift.

`quick` sizes every part so the whole suite fits in about ten minutes on a 2-core
laptop; the full sizes take longer. Every part's JSON goes next to the report, so any
figure in it can be traced to its numbers. The report names the data files used.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefmem.agent.config import Config

Say = Callable[[str], None]
SLIPS = 0.05  # the robustness part: a genuine preference's occurrence says otherwise this often


@dataclass(frozen=True)
class SuiteSizes:
    """How big each part of the suite runs."""

    stability_users: int
    prefeval_limit: int | None
    distractors: tuple[int, ...]
    recall_users: int
    dsp_limit: int | None
    simulated_users: int
    sycophancy_users: int


QUICK = SuiteSizes(
    stability_users=100,
    prefeval_limit=3,
    distractors=(0, 10, 50, 300),
    recall_users=40,
    dsp_limit=60,
    simulated_users=60,
    sycophancy_users=6,
)
FULL = SuiteSizes(
    stability_users=300,
    prefeval_limit=None,
    distractors=(0, 10, 50, 300),
    recall_users=100,
    dsp_limit=None,
    simulated_users=100,
    sycophancy_users=10,
)


def run_suite(
    config: Config,
    out: Path,
    *,
    quick: bool,
    seed: int = 0,
    prefeval: Path | None = None,
    dsp: Path | None = None,
    say: Say | None = None,
    sizes: SuiteSizes | None = None,
) -> dict[str, Any]:
    """Run every part, writing `<part>.json` into `out`; returns the reports by part.

    `sizes` overrides the quick or full sizes (for tests and custom runs).
    """
    from prefmem.agent.factory import build_consolidation_rules, build_embedder
    from prefmem.evals.recall_comparison import run_recall_comparison
    from prefmem.evals.stability import run_stability
    from prefmem.evals.sycophancy import run_sycophancy
    from prefmem.memory.embeddings.cached import CachedEmbedder

    note = say or (lambda message: None)
    sizes = sizes or (QUICK if quick else FULL)
    out.mkdir(parents=True, exist_ok=True)
    embedder = CachedEmbedder(build_embedder(config), capacity=50_000)
    reports: dict[str, Any] = {}
    timings: dict[str, float] = {}

    def part(name: str, run: Callable[[], dict[str, Any]]) -> None:
        note(f"{name}: running")
        started = time.perf_counter()
        reports[name] = run()
        timings[name] = round(time.perf_counter() - started, 1)
        (out / f"{name}.json").write_text(json.dumps(reports[name], indent=2, default=str) + "\n")
        note(f"{name}: done in {timings[name]} s")

    rules = build_consolidation_rules(config)
    part(
        "stability",
        lambda: run_stability(sizes.stability_users, seed=seed, slips=0.0, embedder=embedder, rules=rules),
    )
    part(
        "stability_slips",
        lambda: run_stability(sizes.stability_users, seed=seed, slips=SLIPS, embedder=embedder, rules=rules),
    )
    if prefeval is not None:
        from prefmem.evals.prefeval import run_prefeval

        part(
            "prefeval",
            lambda: run_prefeval(
                config, prefeval, distractors=sizes.distractors, limit=sizes.prefeval_limit, seed=seed
            ),
        )
    part("recall", lambda: run_recall_comparison(config, sizes.recall_users, seed=seed))
    if dsp is not None:
        from prefmem.evals.disagreement import run_disagreement

        part(
            "disagreement",
            lambda: run_disagreement(
                dsp,
                config,
                seed=seed,
                limit=sizes.dsp_limit,
                simulated_users=sizes.simulated_users,
                embedder=embedder,
            ),
        )
    part(
        "sycophancy",
        lambda: run_sycophancy(config, seed=seed, users_per_kind=sizes.sycophancy_users, embedder=embedder),
    )
    reports["_meta"] = {
        "quick": quick,
        "seed": seed,
        "seconds": timings,
        "prefeval": str(prefeval) if prefeval else None,
        "dsp": str(dsp) if dsp else None,
    }
    return reports


def write_report(reports: dict[str, Any], out: Path) -> Path:
    """The Markdown report and its plots, from the suite's reports; returns the report's path."""
    from prefmem.evals import report_plots
    from prefmem.evals.report_tables import (
        disagreement_section,
        prefeval_section,
        recall_section,
        stability_section,
        sycophancy_section,
    )

    meta = reports["_meta"]
    lines = [
        "# prefmem evaluation report",
        "",
        f"Mode: {'quick' if meta['quick'] else 'full'}; seed {meta['seed']}. "
        "Every figure comes from the JSON file of its part in this folder.",
        "",
        "| part | seconds |",
        "|---|---|",
        *(f"| {name} | {seconds} |" for name, seconds in meta["seconds"].items()),
        "",
    ]
    stability = reports["stability"]
    report_plots.kinds_confusion(stability["confusion"], out / "kinds_confusion.png")
    lines += stability_section(stability, "kinds_confusion.png", reports.get("stability_slips"))
    if "prefeval" in reports:
        report_plots.accuracy_vs_distractors(reports["prefeval"]["rows"], out / "prefeval_distractors.png")
        lines += prefeval_section(reports["prefeval"], "prefeval_distractors.png")
    lines += recall_section(reports["recall"])
    if "disagreement" in reports:
        report_plots.group_accuracy(reports["disagreement"]["per_user"], out / "disagreement_groups.png")
        lines += disagreement_section(reports["disagreement"], "disagreement_groups.png")
    sycophancy = reports["sycophancy"]
    drift = sycophancy["drift"]
    series = {
        f"{kind}, {fit}": [row[kind][fit] for row in drift]
        for kind in ("sycophant", "random")
        for fit in ("default", "no_shrinkage")
    }
    report_plots.coefficient_drift(series, [row["day"] for row in drift], out / "coefficient_drift.png")
    lines += sycophancy_section(sycophancy, "coefficient_drift.png")
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
