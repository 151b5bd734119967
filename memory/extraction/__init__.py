"""Signal extraction: turning stored interactions and feedback into preference signals."""
