"""The report's plots: each function takes an evaluation's JSON report and writes one PNG.

matplotlib runs headless (the Agg backend) and is imported only here, so nothing else
pays for it. Every function returns the path it wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

KIND_ORDER = ("genuine", "tentative", "constructed", "non_attitude", "superseded", "momentary")


def accuracy_vs_distractors(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """PrefEval accuracy against distractor turns, one line per memory condition (forms pooled)."""
    pooled: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for row in rows:
        cell = pooled[str(row["memory"])][int(row["distractors"])]
        cell[0] += float(row["accuracy"]) * int(row["n"])
        cell[1] += int(row["n"])
    figure, axes = plt.subplots(figsize=(6.5, 4))
    for memory, by_count in sorted(pooled.items()):
        counts = sorted(by_count)
        accuracy = [by_count[c][0] / by_count[c][1] if by_count[c][1] else 0.0 for c in counts]
        axes.plot([str(c) for c in counts], accuracy, marker="o", label=memory)
    axes.axhline(0.25, color="grey", linestyle=":", label="chance (4 options)")
    axes.set_xlabel("distractor turns after the preference")
    axes.set_ylabel("accuracy")
    axes.set_ylim(0, 1)
    axes.set_title("PrefEval multiple choice: accuracy by memory condition")
    axes.legend(fontsize="small")
    return _save(figure, path)


def kinds_confusion(confusion: Mapping[str, Mapping[str, int]], path: Path) -> Path:
    """The confusion matrix of preference kinds (true kind by row, consolidated kind by column)."""
    truths = [kind for kind in KIND_ORDER if kind in confusion]
    labels = sorted({label for row in confusion.values() for label in row}, key=_kind_rank)
    matrix = [[int(confusion[t].get(label, 0)) for label in labels] for t in truths]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    axes.set_yticks(range(len(truths)), truths)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            axes.text(j, i, str(value), ha="center", va="center", fontsize="small")
    axes.set_xlabel("consolidated as")
    axes.set_ylabel("simulated truth")
    axes.set_title("Consolidation on simulated users: kinds")
    return _save(figure, path)


def group_accuracy(per_user: Mapping[str, Mapping[str, float]], path: Path) -> Path:
    """Per-group accuracy under one aggregate reward vs per-user rewards."""
    users = sorted(per_user)
    figure, axes = plt.subplots(figsize=(6.5, 4))
    width = 0.38
    positions = range(len(users))
    for offset, key, label in ((-width / 2, "aggregate", "aggregate"), (width / 2, "personal", "per-user")):
        heights = [per_user[u][key] for u in users]
        axes.bar([p + offset for p in positions], heights, width, label=label)
    axes.set_xticks(list(positions), users, rotation=20, ha="right")
    axes.set_ylabel("pairwise accuracy on held-out queries")
    axes.set_ylim(0, 1)
    axes.set_title("Disagreement: each group's satisfaction")
    axes.legend(fontsize="small")
    return _save(figure, path)


def coefficient_drift(series: Mapping[str, Sequence[float]], days: Sequence[int], path: Path) -> Path:
    """Distance of per-user coefficients from the population over simulated days, one line per setting."""
    figure, axes = plt.subplots(figsize=(6.5, 4))
    for label, values in series.items():
        axes.plot(list(days), list(values), label=label)
    axes.set_xlabel("simulated day")
    axes.set_ylabel("distance of lambda_u from the population")
    axes.set_title("Coefficient drift over simulated days, sycophantic and random users")
    axes.legend(fontsize="small")
    return _save(figure, path)


def _kind_rank(label: str) -> int:
    return KIND_ORDER.index(label) if label in KIND_ORDER else len(KIND_ORDER)


def _save(figure: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
