"""prefmem's agent layer: configuration, chat models, the assistant and the command line."""
