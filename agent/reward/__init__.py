"""The reward scorer: shared base functions, user coefficients and preference-conditioned terms."""
