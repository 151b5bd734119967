"""What consolidation assumes and requires; config.yaml's `consolidation` section fills it in.

These dataclass defaults are the one place the defaults are written in code: the
configuration model (agent/config.py) takes its defaults from here, and config.yaml
documents them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ConsolidationRules:
    """The evidence model that decides a slot's kind, and how slots are grouped (see DESIGN)."""

    #: Independent occasions needed before anything but tentative is said of a slot.
    min_occasions: int = 2
    #: How often a genuine holder picks another option when asked (a slip).
    answer_slip_rate: float = 0.05
    #: How often a genuine holder volunteers the opposite of their view.
    statement_slip_rate: float = 0.02
    #: Prior weights of the accounts of a slot (renormalised over those that apply).
    prior_genuine: float = 0.4
    prior_non_attitude: float = 0.4
    prior_constructed: float = 0.1
    prior_changed: float = 0.1
    #: How much less likely a slot the user volunteered statements about is a non-attitude.
    volunteered_non_attitude: float = 0.01
    #: Posterior that a slot's view is held now (throughout, or since a change of mind)
    #: needed to promote it genuine.
    promote_posterior: float = 0.99
    #: Answers an undecided asked question may gather before it stops being re-asked.
    reask_max_answers: int = 24
    #: Whether a statement slot said on one occasion only is asked about ("Do you like X,
    #: as a rule?"); off, it stays tentative until the user speaks of it again.
    reask_said_once: bool = True
    #: Cosine similarity of topics above which statements join the same slot.
    slot_similarity: float = 0.7
    #: Average cosine similarity of whole statements above which statement slots with
    #: different topics are joined as paraphrases of one preference (above 1: never).
    paraphrase_similarity: float = 0.35
    #: Added to that similarity for two phrasings whose topics words link (ends of one
    #: scale, or a thing one names as absent): "mild food" and "the hotter the better".
    word_link_bonus: float = 0.15
    #: The weight of an end guessed from topic embeddings (a phrasing no word places on the
    #: scale): a slot genuine with guessed ends is weighed as this mixture of the reading as
    #: placed and the reading with the guessed phrasings turned round.
    guess_reliability: float = 0.85

    def __post_init__(self) -> None:
        for name in ("answer_slip_rate", "statement_slip_rate"):
            if not 0.0 < getattr(self, name) < 0.5:
                raise ValueError(f"{name} must be in (0, 0.5)")
        if self.prior_genuine <= 0 or self.prior_non_attitude <= 0:
            raise ValueError("prior_genuine and prior_non_attitude must be positive")
        if self.prior_constructed < 0 or self.prior_changed < 0:
            raise ValueError("prior_constructed and prior_changed must not be negative")
        if not 0.0 < self.volunteered_non_attitude <= 1.0:
            raise ValueError("volunteered_non_attitude must be in (0, 1]")
        if not 0.5 <= self.guess_reliability <= 1.0:
            raise ValueError("guess_reliability must be in [0.5, 1]")
        if not 0.5 < self.promote_posterior < 1.0:
            raise ValueError("promote_posterior must be in (0.5, 1)")


#: The names of the settings ConsolidationRules takes (the configuration passes exactly these).
RULE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ConsolidationRules))
