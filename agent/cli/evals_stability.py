"""What `prefmem eval stability` prints: the headline figures of a stability report."""

from __future__ import annotations

from typing import Any

from prefmem.agent.cli.context import console


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_stability(report: dict[str, Any]) -> None:
    """The simulated run: stance-checked recall beside the kind-only one, false promotion, leaks."""
    console.print(
        f"{report['users']} users, {report['slots']} slots ({report['bank']} bank, slips {report['slips']}, "
        f"non-attitudes {report['non_attitudes']}, {report['questions_asked']} questions asked again): "
        f"recall of genuine {_figure(report['recall_genuine'])} on the true side "
        f"({_figure(report['recall_genuine_unchecked'])} by kind only), "
        f"false promotion {_figure(report['false_promotion'])}, "
        f"momentary leak {_figure(report['momentary_leak'])}"
    )
    by_slips = report["recall_genuine_by_slips"]
    if by_slips["with_slips"]["slots"]:
        console.print(
            "recall of genuine where no occurrence slipped "
            f"{_figure(by_slips['clean']['recall'])} ({by_slips['clean']['slots']} slots), "
            f"where some slipped {_figure(by_slips['with_slips']['recall'])} "
            f"({by_slips['with_slips']['slots']} slots)"
        )
    console.print(
        "recall of genuine if every signal were read and grouped right (the rules' ceiling) "
        f"{_figure(report['recall_genuine_ceiling'])}"
    )


def print_prefeval_stability(report: dict[str, Any]) -> None:
    """The PrefEval run: recall (stance-checked by the scorer), tentative accuracy, reading per form."""
    rates = ", ".join(
        f"{form} {_figure(row['read'])} of {row['shown']}" for form, row in report["reading_rate"].items()
    )
    left_out = ", ".join(report["left_out_tuning_topics"]) or "none"
    console.print(
        f"{report['users']} users ({report['users_repeated']} showing their preference in three forms, "
        f"{report['users_once']} once) on {len(report['topics'])} topics; "
        f"left out as tuning topics: {left_out}"
    )
    console.print(
        f"recall of genuine {_figure(report['recall_genuine'])} with the statement picking the aligned "
        f"option ({_figure(report['recall_genuine_unchecked'])} by kind only; the PrefEval preference "
        f"itself picks it {_figure(report['stance_check_reference'])}), "
        f"once shown: kept tentative {_figure(report['tentative_accuracy'])}, "
        f"false promotion {_figure(report['false_promotion'])}"
    )
    console.print(f"forms read: {rates}")
