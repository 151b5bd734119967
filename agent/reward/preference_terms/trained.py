"""A trainable c(p, x, y): a small network over preference x response interaction features.

The network sees only `features.interaction_features` (closeness of each candidate to
the preference's wanted part, avoided part and whole statement, each centred across
the candidates) and has no bias terms, so with no preference every input is 0 and so
is every score: it can learn how to weigh what the preference says, never an artifact
of the options alone. It is trained with a listwise loss (softmax over the candidates,
the honouring one as target) and stored as plain arrays (`weights.npz`) next to a
`meta.json` that records what it was trained on; inference needs numpy only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.reward.preference_terms.base import ScorerExample, Scores, centred, neutral, no_preference
from prefmem.agent.reward.preference_terms.features import FEATURES, Features, interaction_features
from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.errors import ModelUnavailableError

WEIGHTS_FILE = "weights.npz"
META_FILE = "meta.json"


def trained_scorer_dir(data_path: Path) -> Path:
    """Where trained weights are cached inside a data folder."""
    return Path(data_path) / "models" / "preference_scorer"


@dataclass
class TrainingReport:
    """What a training run did: examples, topics, final loss and accuracy on its own examples."""

    examples: int
    topics: list[str]
    epochs: int
    final_loss: float
    train_accuracy: float
    sources: list[str] = field(default_factory=list)


class TrainedPreferenceScorer:
    """A bias-free two-layer network over interaction features; `train`, `save`, `load`, `score`."""

    name = "trained-polarity-mlp-v1"

    def __init__(
        self,
        embedder: Embedder,
        first: NDArray[np.float64],
        second: NDArray[np.float64],
        *,
        scale: float = 1.0,
        meta: dict[str, Any] | None = None,
    ) -> None:
        if first.ndim != 2 or first.shape[1] != len(FEATURES) or second.shape != (first.shape[0],):
            raise ValueError(
                f"weights of shape {first.shape} and {second.shape} do not fit {len(FEATURES)} features"
            )
        self.embedder = embedder
        self.first = first  # (hidden, features)
        self.second = second  # (hidden,)
        self.scale = scale
        self.meta: dict[str, Any] = meta or {}
        self.report: TrainingReport | None = None

    @staticmethod
    def exists(folder: Path) -> bool:
        """Whether `folder` holds a complete trained scorer (both files), so `auto` can use it."""
        return (Path(folder) / WEIGHTS_FILE).is_file() and (Path(folder) / META_FILE).is_file()

    def _raw(self, features: Features) -> NDArray[np.float64]:
        return np.asarray(np.tanh(features @ self.first.T) @ self.second, dtype=np.float64)

    def score(self, preference: str, prompt: str, responses: Sequence[str]) -> Scores:
        """One value in [-1, 1] per response; all zeros with no preference."""
        if no_preference(preference) or not responses:
            return neutral(responses)
        features = interaction_features(self.embedder, preference, responses)
        return centred(self._raw(features), scale=self.scale)

    @classmethod
    def train(
        cls,
        examples: Sequence[ScorerExample],
        embedder: Embedder,
        *,
        hidden: int = 16,
        epochs: int = 300,
        learning_rate: float = 0.02,
        weight_decay: float = 1e-3,
        seed: int = 0,
        sources: Sequence[str] = (),
        progress: Callable[[int, int], None] | None = None,
    ) -> TrainedPreferenceScorer:
        """A scorer fitted to examples by a listwise softmax loss (full batch, Adam); see `.report`."""
        import torch

        if not examples:
            raise ValueError("no training examples")
        blocks = []
        for number, example in enumerate(examples, start=1):
            blocks.append(interaction_features(embedder, example.preference, example.responses))
            if progress is not None:
                progress(number, len(examples))
        torch.manual_seed(seed)
        width = max(len(block) for block in blocks)
        inputs = torch.zeros((len(blocks), width, len(FEATURES)), dtype=torch.float32)
        mask = torch.full((len(blocks), width), float("-inf"))
        for row, block in enumerate(blocks):
            inputs[row, : len(block)] = torch.from_numpy(block.astype(np.float32))
            mask[row, : len(block)] = 0.0
        targets = torch.tensor([example.best for example in examples])
        first = torch.nn.Parameter(torch.randn(hidden, len(FEATURES)) * 0.5)
        second = torch.nn.Parameter(torch.randn(hidden) * 0.1)
        optimiser = torch.optim.Adam([first, second], lr=learning_rate, weight_decay=weight_decay)
        loss = torch.tensor(0.0)
        for _ in range(epochs):
            optimiser.zero_grad()
            logits = torch.tanh(inputs @ first.T) @ second + mask
            loss = torch.nn.functional.cross_entropy(logits, targets)
            loss.backward()
            optimiser.step()
        with torch.no_grad():
            logits = torch.tanh(inputs @ first.T) @ second + mask
            accuracy = float((logits.argmax(dim=1) == targets).float().mean())
        scorer = cls(embedder, first.detach().double().numpy(), second.detach().double().numpy())
        raw = np.concatenate([scorer._raw(block) - scorer._raw(block).mean() for block in blocks])
        # Scores this far from the candidates' mean map to tanh(1): a quarter of training scores go further.
        scorer.scale = float(np.percentile(np.abs(raw), 75)) or 1.0
        topics = sorted({example.topic for example in examples if example.topic})
        scorer.report = TrainingReport(
            len(examples), topics, epochs, float(loss.detach()), accuracy, list(sources)
        )
        scorer.meta = {
            "name": cls.name,
            "features": list(FEATURES),
            "hidden": hidden,
            "scale": scorer.scale,
            "embedder": embedder.name,
            "training": scorer.report.__dict__,
        }
        return scorer

    def save(self, folder: Path) -> Path:
        """Write `weights.npz` and `meta.json` into `folder` (created if needed); returns the folder."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / WEIGHTS_FILE, first=self.first, second=self.second)
        (folder / META_FILE).write_text(json.dumps(self.meta, indent=2), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: Path, embedder: Embedder) -> TrainedPreferenceScorer:
        """A scorer from a folder written by `save`; raises ModelUnavailableError if it is incomplete."""
        folder = Path(folder)
        if not cls.exists(folder):
            raise ModelUnavailableError(
                f"no trained preference scorer in {folder} (run `prefmem train-scorer`)"
            )
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            with np.load(folder / WEIGHTS_FILE) as arrays:
                first, second = np.asarray(arrays["first"]), np.asarray(arrays["second"])
        except (OSError, ValueError, KeyError) as error:
            raise ModelUnavailableError(
                f"cannot read the trained preference scorer in {folder}: {error}"
            ) from None
        if list(meta.get("features", [])) != list(FEATURES):
            raise ModelUnavailableError(
                f"the preference scorer in {folder} was trained on other features: retrain"
            )
        try:
            return cls(
                embedder,
                first.astype(np.float64),
                second.astype(np.float64),
                scale=float(meta.get("scale", 1.0)),
                meta=meta,
            )
        except ValueError as error:
            raise ModelUnavailableError(f"the preference scorer in {folder} is damaged: {error}") from None

    @property
    def synthetic_only(self) -> bool:
        """Whether the weights saw only the project's synthetic data (no data set the user supplied)."""
        sources = [str(source) for source in self.meta.get("training", {}).get("sources", [])]
        return sources == ["synthetic"]

    @property
    def training_topics(self) -> list[str]:
        """The topics the loaded or trained weights saw (for refusing to report on them)."""
        training = self.meta.get("training", {})
        return [str(topic) for topic in training.get("topics", [])]
