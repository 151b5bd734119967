"""Text embedders: one base class, one module per backend."""

from memory.embeddings.base import Embedder
from memory.embeddings.fake import HashingEmbedder

__all__ = ["Embedder", "HashingEmbedder"]
