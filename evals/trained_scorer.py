"""Training the preference term on another PrefEval-layout folder, into an evaluation's data folder.

The evaluation then loads it through the configuration (`reward.preference_scorer:
trained`), exactly as a user's `prefmem train-scorer` run would be loaded, so what is
measured is what ships.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefmem.agent.factory import Runtime
from prefmem.agent.reward.preference_terms.trained import TrainedPreferenceScorer, trained_scorer_dir
from prefmem.evals.prefeval_data import examples


def train_into(runtime: Runtime, train_data: Path, *, seed: int) -> dict[str, Any]:
    """Train the scorer on every multiple-choice item of `train_data`; save it in the runtime's folder."""
    started = time.perf_counter()
    training = examples(train_data, seed=seed)
    scorer = TrainedPreferenceScorer.train(
        training, runtime.embedder, seed=seed, sources=[f"prefeval-layout:{Path(train_data).name}"]
    )
    scorer.save(trained_scorer_dir(runtime.data_path))
    report = dict(scorer.report.__dict__) if scorer.report is not None else {}
    return {**report, "seconds": round(time.perf_counter() - started, 1)}
