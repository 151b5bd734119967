"""The thresholds consolidation uses; config.yaml's `consolidation` section fills them in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsolidationRules:
    """Every threshold that decides a slot's kind (see DESIGN: consolidation rules)."""

    #: Independent occasions needed before anything can be genuine.
    min_occasions: int = 2
    #: Share of signals (per occasion-weighted vote) that must agree for "consistent".
    agreement: float = 0.8
    #: Elicited answers: the chance of reaching this agreement by answering at random
    #: must be below this, or the answers may be a non-attitude that happened to repeat.
    max_chance_probability: float = 0.25
    #: Statements only (volunteered, never elicited): below `agreement`, the share of
    #: occasions that still makes a slot genuine when the latest occasion agrees and no
    #: two dissenting occasions follow each other (above 1: never).
    statement_majority: float = 0.66
    #: Occasions (at least) before a low-agreement slot is called a non-attitude
    #: rather than left tentative.
    non_attitude_occasions: int = 3
    #: Signals needed in each condition to compare conditions (constructed preferences).
    min_per_condition: int = 2
    #: Occasions each run needs for a change of mind (superseded) to be recognised.
    min_run_occasions: int = 3
    #: The same for slots made only of statements: nobody volunteers views at random, so
    #: two occasions of each side are a change of mind, not the A A B B of random answers.
    statement_run_occasions: int = 2
    #: Cosine similarity of topics above which statements join the same slot.
    slot_similarity: float = 0.7
    #: Average cosine similarity of whole statements above which statement slots with
    #: different topics are joined as paraphrases of one preference (above 1: never).
    paraphrase_similarity: float = 0.35
    #: Added to that similarity for two phrasings whose topics words link (ends of one
    #: scale, or a thing one names as absent): "mild food" and "the hotter the better".
    word_link_bonus: float = 0.15
