"""Preference-conditioned terms c(p, x, y): how well a response honours one preference statement.

`base` holds the interface; `offline`, `trained` and `llm_judge` are the backends.
"""
