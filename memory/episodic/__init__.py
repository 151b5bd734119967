"""The episodic store: every interaction and piece of feedback, embedded, per user."""

from memory.episodic.base import EpisodicStore, ForgetReport, RecallMode
from memory.episodic.in_memory import InMemoryEpisodicStore

__all__ = ["EpisodicStore", "ForgetReport", "InMemoryEpisodicStore", "RecallMode"]
