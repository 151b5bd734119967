"""prefmem's memory layer: records, embeddings and the episodic store.

Nothing here knows about the assistant or the evaluations; `agent/` builds on it.
"""
