"""Consolidation: group a user's signals into slots and decide what kind of preference each is."""
