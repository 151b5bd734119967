"""The report's sections: Markdown tables written from each evaluation's JSON report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

Lines = list[str]


def _pct(value: float | None) -> str:
    return "n/a" if value is None or value != value else f"{100 * value:.1f}%"


def _table(header: list[str], rows: list[list[str]]) -> Lines:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _ceiling_lines(report: dict[str, Any]) -> Lines:
    """How much of the genuine recall the labelling rules allow at all (reports from before it had none)."""
    ceiling = report.get("recall_genuine_ceiling")
    if ceiling is None:
        return []
    rest = (
        ""
        if ceiling >= 1
        else ": the rest is lost to slips that leave too little agreement, whatever the reading"
    )
    return [
        f"Read and grouped perfectly (signals taken from the truth), the labelling rules would call "
        f"{_pct(ceiling)} of the genuine preferences genuine{rest}.",
        "",
    ]


def _slips(report: dict[str, Any]) -> Any:
    """The report's slips (reports from before the rename call them noise)."""
    return report.get("slips", report.get("noise"))


def _slips_lines(report: dict[str, Any] | None) -> Lines:
    """The robustness run with slips (report folders from before it have none)."""
    if report is None:
        return []
    slips = _slips(report)
    return [
        f"With slips {slips} (a genuine preference's occurrence says otherwise "
        f"{_pct(slips)} of the time): recall of genuine {_pct(report['recall_genuine'])}, "
        f"false promotion {_pct(report['false_promotion'])}; read and grouped perfectly, the rules "
        f"would call {_pct(report.get('recall_genuine_ceiling'))} of the genuine preferences genuine.",
        "",
    ]


def stability_section(report: dict[str, Any], plot: str, with_slips: dict[str, Any] | None = None) -> Lines:
    """Consolidation on simulated users: recall and precision per kind, false promotion.

    `with_slips` is the same evaluation run with slips, summed up in one paragraph when given.
    """
    rows = [
        [kind, str(values["support"]), _pct(values.get("recall")), _pct(values.get("precision"))]
        for kind, values in report["per_kind"].items()
    ]
    return [
        "## Consolidation on simulated users",
        "",
        f"{report['users']} users, {report['slots']} slots, slips {_slips(report)}. Recall of genuine "
        f"preferences {_pct(report['recall_genuine'])}, false promotion {_pct(report['false_promotion'])}, "
        f"one-off requests leaking into preferences {_pct(report['momentary_leak'])}.",
        "",
        *_ceiling_lines(report),
        *_slips_lines(with_slips),
        *_table(["true kind", "slots", "recall", "precision"], rows),
        f"![confusion matrix of kinds]({plot})",
        "",
    ]


def prefeval_section(report: dict[str, Any], plot: str) -> Lines:
    """PrefEval: accuracy per memory condition and distractor count (forms pooled), then per form."""
    pooled: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in report["rows"]:
        cell = pooled[(row["memory"], int(row["distractors"]))]
        cell[0] += row["accuracy"] * row["n"]
        cell[1] += row["n"]
    memories = sorted({memory for memory, _ in pooled}, key=_memory_rank)
    counts = sorted({count for _, count in pooled})
    table = [[memory, *(_pct(_mean(pooled[(memory, c)])) for c in counts)] for memory in memories]
    detail = [
        [
            row["memory"],
            str(row["distractors"]),
            row["form"],
            str(row["n"]),
            f"{_pct(row['accuracy'])} [{_pct(row['ci_low'])}, {_pct(row['ci_high'])}]",
        ]
        for row in sorted(report["rows"], key=_row_order)
    ]
    return [
        "## PrefEval multiple choice (4 options, chance 25%)",
        "",
        f"Topics reported: {', '.join(report.get('topics', []))} ({len(report.get('files_used', []))} "
        "files, listed in prefeval.json). Left out because the offline scorer and the statement "
        f"extractor were tuned on them: {', '.join(report.get('left_out_tuning_topics', [])) or 'none'}. "
        f"Preference scorer {report.get('preference_scorer')}; at most {report.get('limit') or 'all'} "
        "items per topic.",
        "",
        "Accuracy by distractor turns, forms pooled:",
        "",
        *_table(["memory", *(f"{c} distractors" for c in counts)], table),
        f"![accuracy vs distractors]({plot})",
        "",
        "<details><summary>Per form, with 95% Wilson intervals</summary>",
        "",
        *_table(["memory", "distractors", "form", "n", "accuracy [95% CI]"], detail),
        "</details>",
        "",
    ]


def recall_section(report: dict[str, Any]) -> Lines:
    """Recall comparison on simulated users: each measure per memory condition."""
    rows_by_measure: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in report["rows"]:
        rows_by_measure[row["measure"]][row["memory"]] = row
    memories = sorted({row["memory"] for row in report["rows"]}, key=_memory_rank)
    table = [
        [measure, *(_pct(by_memory.get(m, {}).get("rate")) for m in memories)]
        for measure, by_memory in rows_by_measure.items()
    ]
    return [
        "## Memory conditions on simulated users",
        "",
        f"{report['users']} simulated users. `following`: the reply of the user's genuine stance is "
        "picked; `momentary-leak`: a one-off request's side is picked; `*-flip`: the pick differs from "
        "the no-memory pick because of a one-off or unstable signal.",
        "",
        *_table(["measure", *memories], table),
    ]


def _ci(interval: Sequence[float] | None) -> str:
    return "" if not interval else f" [{_pct(interval[0])}, {_pct(interval[1])}]"


def _cold_start_lines(curve: Mapping[str, Any] | None) -> Lines:
    """One line per population: the worst-off new user's held-out accuracy after each count of answers."""
    if not curve:
        return []
    lines = []
    for variant, block in curve["variants"].items():
        steps = ", ".join(
            f"{count}: {_pct(block['worst_user'][str(count)]['accuracy'])}" for count in curve["counts"]
        )
        lines += [f"Cold start ({variant}), worst-off new user by answers given: {steps}.", ""]
    return lines


def disagreement_section(report: dict[str, Any], plot: str) -> Lines:
    """Disagreement: per-group accuracy under one aggregate reward vs per-user rewards."""
    rows = [
        [user, _pct(values["aggregate"]), _pct(values["personal"])]
        for user, values in sorted(report["per_user"].items())
    ]
    worst = report["worst_group"]
    lines = [
        "## Disagreement (DSP: four users who disagree)",
        "",
        f"Files: {', '.join(Path(f).name for f in report.get('files_used', []))}; "
        f"{report['n_train']} queries build the "
        f"histories, {report['n_test']} are held out. Worst-off user: aggregate "
        f"{_pct(worst['aggregate'])}{_ci(worst.get('aggregate_ci'))}, "
        f"per-user {_pct(worst['personal'])}{_ci(worst.get('personal_ci'))} "
        "(bootstrap 95% intervals over held-out queries).",
        "",
        *_cold_start_lines(report.get("cold_start")),
        *_table(["user", "aggregate", "per-user"], rows),
        f"![per-group accuracy]({plot})",
        "",
    ]
    simulated = report.get("simulated")
    if simulated:
        sim = simulated["worst_group"]
        lines += [
            f"Simulated 51/49 population: worst-off group aggregate {_pct(sim['aggregate'])}, "
            f"per-user {_pct(sim['personal'])}.",
            "",
        ]
    return lines


def sycophancy_section(report: dict[str, Any], plot: str) -> Lines:
    """Sycophancy: flip rates by protection setting, the base's own rates, drift."""
    settings = sorted({name for rates in report["flip_rate"].values() for name in rates})
    rows = [
        [label, *(_pct(rates.get(name)) for name in settings)] for label, rates in report["flip_rate"].items()
    ]
    base = report.get("shared_base", {})
    base_rows = [
        [label, _pct(values.get("agreeing_rate")), _pct(values.get("control_correct_rate"))]
        for label, values in base.items()
    ]
    return [
        "## Sycophancy and echo chamber",
        "",
        "How often personalization flips the choice away from the shared base's, for simulated users "
        "who always pick the agreeable reply (columns: which protections are kept).",
        "",
        *_table(["guard", *settings], rows),
        "The shared base alone: how often it picks the agreeing reply on probes where agreeing is wrong, "
        "and how often it is right on control probes where the user is right.",
        "",
        *_table(["guard", "base agrees (wrong)", "controls right"], base_rows),
        f"![coefficient drift]({plot})",
        "",
    ]


def _mean(cell: list[float]) -> float | None:
    return cell[0] / cell[1] if cell[1] else None


def _row_order(row: dict[str, Any]) -> tuple[int, int, str]:
    return (_memory_rank(row["memory"]), int(row["distractors"]), str(row["form"]))


def _memory_rank(memory: str) -> int:
    order = (
        "baseline-longest",
        "baseline-shared-base",
        "none",
        "episodic-similarity",
        "episodic-recency",
        "semantic",
        "both",
    )
    return order.index(memory) if memory in order else len(order)
