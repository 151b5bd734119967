"""The semantic store: consolidated preferences, persisted, with their history."""
