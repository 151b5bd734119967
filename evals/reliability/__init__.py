"""The reliability suite (`prefmem check reliability`): isolation between users, kills at random
points, bad input, injected instructions, forgetting and load, each counted over its trials.

One module per check; `suite` runs them and `results` holds what they count. The checks drive
the product only through its public surfaces (`prefmem.Memory`, the `prefmem` command, the
HTTP server), so they measure what a user gets whatever the stores do inside.
"""
