"""The `prefmem` command line: a thin layer over the agent and the evaluations."""
