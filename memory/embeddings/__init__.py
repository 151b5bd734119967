"""Text embedders: one base class, one module per backend."""

from prefmem.memory.embeddings.base import Embedder
from prefmem.memory.embeddings.fake import HashingEmbedder

__all__ = ["Embedder", "HashingEmbedder"]
