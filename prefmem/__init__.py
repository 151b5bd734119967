"""prefmem: memory-augmented personalization that keeps only the preferences that stay stable.

The Python API is `Memory` (see `prefmem.api`): add interactions and feedback, recall,
consolidate, list and edit preferences, rerank candidate replies, forget a user::

    from prefmem import Memory

    with Memory(data_dir="memory") as memory:
        memory.add("ada", "I like short answers")
        print(memory.recall("ada", "how long should answers be?"))

The layers live in subpackages: `prefmem.memory` (records, stores, consolidation),
`prefmem.agent` (configuration, chat models, reward, the assistant and the command line)
and `prefmem.evals` (evaluations and benchmarks).
"""

from prefmem.agent.config import Config
from prefmem.api import Memory
from prefmem.memory.errors import PrefmemError, UnknownPreferenceError, UnknownUserError, UsageError

__all__ = ["Config", "Memory", "PrefmemError", "UnknownPreferenceError", "UnknownUserError", "UsageError"]
