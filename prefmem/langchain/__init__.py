"""LangChain components over a `prefmem.Memory`.

- `PrefmemRetriever`: a `BaseRetriever` over one user's preferences and past exchanges;
- `PrefmemChatMessageHistory`: a `BaseChatMessageHistory` kept in the episodic store;
- `PersonalizedChatModel`: a `BaseChatModel` that personalizes any LangChain chat model
  (recall into the system prompt, best-of-N candidates reranked under the user's reward,
  the exchange remembered).

Importing this package loads nothing: each class (and LangChain itself) is imported on
first use, so `import prefmem.langchain` stays cheap and has no side effects.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prefmem.langchain.chat_model import PersonalizedChatModel
    from prefmem.langchain.history import PrefmemChatMessageHistory
    from prefmem.langchain.retriever import PrefmemRetriever

__all__ = ["PersonalizedChatModel", "PrefmemChatMessageHistory", "PrefmemRetriever"]

_HOMES = {
    "PersonalizedChatModel": "prefmem.langchain.chat_model",
    "PrefmemChatMessageHistory": "prefmem.langchain.history",
    "PrefmemRetriever": "prefmem.langchain.retriever",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
