"""Learned base functions (PReF's factorization): K directions in reply-embedding space.

The seven interpretable base functions describe only part of what separates users'
tastes. PReF factorizes a population's pairwise feedback instead: every user's reward
is a combination of a few base functions shared by everyone. Here each learned
function is one direction b_k in the space of reply embeddings (the embedder the
reward already uses to measure relevance), read as

    phi_k(x, y) = tanh((b_k . e(y) - offset_k) / scale_k)

offset and scale are the mean and spread of b_k . e(y) over the training replies, so a
learned function reads like an interpretable one: about 0 for a typical reply, towards
+1 for replies with more of whatever the direction captures. Scoring a candidate costs
one small matrix product over the embeddings the reward computes anyway.

How the directions are found (`learn_functions`): every user with enough comparisons
gets an L2-regularised Bradley-Terry (logistic) weight vector over embedding
differences (preferred minus other); the K leading right singular vectors of the
stacked user vectors (not centred, so the direction everyone shares comes first) are
the base functions. A user's coefficients over them are then fitted like the others'
(Bayesian Bradley-Terry with the prior at the population), so a new user starts at
the population and moves with evidence. The population's coefficients on the learned
functions come from one fit on everyone's comparisons pooled.

The functions are cached in the data folder as one versioned pair of files (`.npz`
arrays, `.json` description and the replies each function scores highest and lowest,
for `prefmem reward explain`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from prefmem.agent.reward.coefficients import fit_differences, sigmoid
from prefmem.memory.errors import DataFolderError

Array = NDArray[np.float64]

FORMAT_VERSION = 1
#: The cache's file stem inside the data folder's models/ folder (`.npz` and `.json`).
FILE_STEM = f"reward_functions.v{FORMAT_VERSION}"
#: Replies shown per end of each function by `prefmem reward explain`.
EXAMPLES_PER_END = 3
EXAMPLE_CHARS = 240


@dataclass(frozen=True)
class LearnedFunctions:
    """K learned base functions: directions (K, D), their offset and scale, the population's coefficients."""

    directions: Array
    offset: Array
    scale: Array
    population: Array
    embedding_model: str
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        count = self.directions.shape[0]
        if self.directions.ndim != 2 or count == 0:
            raise ValueError("learned functions need a (K, D) array of directions with K >= 1")
        for name in ("offset", "scale", "population"):
            if getattr(self, name).shape != (count,):
                raise ValueError(f"learned functions: {name} needs one value per function")
        if np.any(self.scale <= 0):
            raise ValueError("learned functions: every scale must be positive")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f"learned_{k + 1}" for k in range(self.directions.shape[0]))

    @property
    def dimension(self) -> int:
        return int(self.directions.shape[1])

    def values(self, vectors: Array) -> Array:
        """phi_k for each row of a (n, D) array of reply embeddings: shape (n, K), in (-1, 1)."""
        projected = np.asarray(vectors, dtype=np.float64) @ self.directions.T
        return np.asarray(np.tanh((projected - self.offset) / self.scale), dtype=np.float64)

    # -- the cache -------------------------------------------------------------------
    def save(self, folder: Path) -> Path:
        """Write `<folder>/FILE_STEM.npz` and `.json` (arrays first, so a reader never sees half)."""
        folder.mkdir(parents=True, exist_ok=True)
        arrays = folder / f"{FILE_STEM}.npz"
        partial = folder / f"{FILE_STEM}.partial.npz"
        np.savez(
            partial,
            directions=self.directions,
            offset=self.offset,
            scale=self.scale,
            population=self.population,
        )
        partial.replace(arrays)
        described = {"format_version": FORMAT_VERSION, "embedding_model": self.embedding_model, **self.meta}
        text = folder / f"{FILE_STEM}.json"
        staged = folder / f"{FILE_STEM}.partial.json"
        staged.write_text(json.dumps(described, indent=2) + "\n", encoding="utf-8")
        staged.replace(text)
        return arrays

    @classmethod
    def load(cls, folder: Path) -> LearnedFunctions | None:
        """The cached functions in `folder`, or None when there are none; a damaged cache raises."""
        arrays, text = folder / f"{FILE_STEM}.npz", folder / f"{FILE_STEM}.json"
        if not arrays.exists() or not text.exists():
            return None
        try:
            described = json.loads(text.read_text(encoding="utf-8"))
            with np.load(arrays) as stored:
                loaded = {key: np.asarray(stored[key], dtype=np.float64) for key in stored.files}
            return cls(
                directions=loaded["directions"],
                offset=loaded["offset"],
                scale=loaded["scale"],
                population=loaded["population"],
                embedding_model=str(described["embedding_model"]),
                meta={k: v for k, v in described.items() if k not in ("format_version", "embedding_model")},
            )
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as error:
            raise DataFolderError(
                f"the learned reward functions in {folder} are unreadable ({error}); "
                "run `prefmem train-reward` again"
            ) from None


@dataclass(frozen=True)
class UserPairs:
    """One user's comparisons as reply embeddings: row i of `preferred` won over row i of `other`."""

    user_id: str
    preferred: Array
    other: Array

    @property
    def differences(self) -> Array:
        return np.asarray(self.preferred - self.other, dtype=np.float64)


def user_direction(differences: Array, *, l2: float, iterations: int = 30) -> Array:
    """An L2-regularised Bradley-Terry weight vector over embedding differences (Newton's method)."""
    size = differences.shape[1]
    weights = np.zeros(size, dtype=np.float64)
    eye = np.eye(size)
    for _ in range(iterations):
        p = sigmoid(differences @ weights)
        gradient = l2 * weights - differences.T @ (1.0 - p)
        hessian = l2 * eye + (differences * (p * (1.0 - p))[:, None]).T @ differences
        step = np.linalg.solve(hessian, gradient)
        weights = weights - step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return weights


def _examples(values: Array, texts: Sequence[str]) -> list[dict[str, list[str]]]:
    """For each function, the distinct training replies it scores highest and lowest."""
    shown = []
    for column in values.T:
        order = np.argsort(-column, kind="stable")
        shown.append(
            {
                "highest": [texts[i][:EXAMPLE_CHARS] for i in order[:EXAMPLES_PER_END]],
                "lowest": [texts[i][:EXAMPLE_CHARS] for i in order[::-1][:EXAMPLES_PER_END]],
            }
        )
    return shown


def learn_functions(
    users: Sequence[UserPairs],
    *,
    replies: Array,
    reply_texts: Sequence[str],
    count: int,
    embedding_model: str,
    l2: float = 1.0,
    min_pairs: int = 5,
    prior_strength: float = 1.0,
    source: Mapping[str, Any] | None = None,
) -> LearnedFunctions:
    """At most `count` base functions from the users' comparisons (see the module docstring).

    `replies` (n, D) are the embeddings of the distinct replies seen in training, with
    their texts: they set each function's offset and scale and the explain examples.
    Users with fewer than `min_pairs` comparisons do not shape the directions, but their
    comparisons still count towards the population's coefficients.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    shaping = [user for user in users if len(user.preferred) >= min_pairs]
    if not shaping:
        raise ValueError(f"no user has {min_pairs} or more comparisons to learn reward functions from")
    stacked = np.asarray([user_direction(user.differences, l2=l2) for user in shaping], dtype=np.float64)
    _, singular, right = np.linalg.svd(stacked, full_matrices=False)
    rank = int(np.sum(singular > 1e-6 * singular[0])) if singular.size and singular[0] > 0 else 0
    if rank == 0:
        raise ValueError("the comparisons carry no direction to learn: every user's fit is zero")
    kept = min(count, rank)
    directions = right[:kept].copy()
    # orient each direction so that the users' weights lean positive on it on average
    leaning = stacked @ directions.T
    directions *= np.where(leaning.mean(axis=0) < 0, -1.0, 1.0)[:, None]
    projected = np.asarray(replies, dtype=np.float64) @ directions.T
    offset = projected.mean(axis=0)
    scale = np.maximum(projected.std(axis=0), 1e-6)
    values = np.tanh((projected - offset) / scale)

    def read(vectors: Array) -> Array:
        return np.asarray(np.tanh((vectors @ directions.T - offset) / scale), dtype=np.float64)

    pooled = np.concatenate([read(u.preferred) - read(u.other) for u in users])
    names = [f"learned_{k + 1}" for k in range(kept)]
    population = fit_differences(
        pooled, population_mean=np.zeros(kept), prior_strength=prior_strength, names=names
    ).mean
    meta: dict[str, Any] = {
        "functions": kept,
        "users": len(users),
        "users_shaping": len(shaping),
        "comparisons": int(sum(len(u.preferred) for u in users)),
        "singular_values": [round(float(s), 6) for s in singular[:kept]],
        "l2": l2,
        "source": dict(source or {}),
        "examples": _examples(values, reply_texts),
    }
    return LearnedFunctions(
        directions=directions,
        offset=offset,
        scale=scale,
        population=np.asarray(population, dtype=np.float64),
        embedding_model=embedding_model,
        meta=meta,
    )
