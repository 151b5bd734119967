"""The reward settings elicitation and coefficient fitting read, with their defaults.

They come from the `reward:` section of config.yaml when the configuration has one;
any key it lacks keeps the default here, so these commands work with older configs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.reward.coefficients import DEFAULT_POPULATION


@dataclass(frozen=True)
class RewardSettings:
    """Population coefficients, the prior's strength, and the elicitation's size and stability rules."""

    population_coefficients: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_POPULATION))
    prior_strength: float = 1.0
    elicitation_questions: int = 10
    reask_share: float = 0.3
    stability_agreement: float = 0.75
    stability_min_votes: int = 2

    @classmethod
    def from_config(cls, config: Any) -> RewardSettings:
        """Read the `reward` section of a Config if it has one (missing keys keep their defaults)."""
        section = getattr(config, "reward", None)
        defaults = cls()
        if section is None:
            return defaults
        values = {name: getattr(section, name, getattr(defaults, name)) for name in cls.__dataclass_fields__}
        values["population_coefficients"] = {
            **DEFAULT_POPULATION,
            **dict(values["population_coefficients"] or {}),
        }
        return cls(**values)
