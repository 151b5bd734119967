"""The episodic store: every interaction and piece of feedback, embedded, per user."""

from prefmem.memory.episodic.base import EpisodicStore, ForgetReport, RecallMode
from prefmem.memory.episodic.in_memory import InMemoryEpisodicStore

__all__ = ["EpisodicStore", "ForgetReport", "InMemoryEpisodicStore", "RecallMode"]
