"""prefmem: memory-augmented personalization that keeps only the preferences that stay stable.

The layers live in subpackages: `prefmem.memory` (records, stores, consolidation),
`prefmem.agent` (configuration, chat models, reward, the assistant and the command line)
and `prefmem.evals` (evaluations and benchmarks).
"""

__all__: list[str] = []
