"""Evaluations and benchmarks; they drive `memory/` and `agent/` through their public APIs."""
