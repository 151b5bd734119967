"""Asking any LangChain chat model for an answer in a pydantic schema.

Models that support `with_structured_output` are called that way; others are asked for
JSON (with a hint of its shape) and the first JSON object in their reply is parsed. An
answer that cannot be read is None, for the caller to count and skip; a provider's own
errors (network, quota, bad key) become `BackendError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from prefmem.memory.errors import BackendError

Answer = TypeVar("Answer", bound=BaseModel)
Messages = Sequence[tuple[str, str]]

_JSON = re.compile(r"\{.*\}", re.DOTALL)


class StructuredAsker(Generic[Answer]):
    """Asks a chat model for answers in `schema`.

    `json_hint` shows the answer's shape to models without structured output; `role`
    names the model in provider errors ("the extraction model failed: ...").
    """

    def __init__(self, chat_model: Any, schema: type[Answer], *, json_hint: str, role: str) -> None:
        self._model = chat_model
        self._schema = schema
        self._json_hint = json_hint
        self._role = role
        try:
            self._structured: Any = chat_model.with_structured_output(schema)
        except (NotImplementedError, AttributeError, ValueError):
            self._structured = None

    def ask(self, messages: Messages) -> Answer | None:
        """The model's answer, or None when its reply cannot be read as the schema."""
        try:
            if self._structured is not None:
                answer = self._structured.invoke(list(messages))
                return answer if isinstance(answer, self._schema) else self._schema.model_validate(answer)
            reply = self._model.invoke([*messages, ("system", f"Answer with JSON only: {self._json_hint}")])
            found = _JSON.search(str(getattr(reply, "content", reply)))
            return self._schema.model_validate(json.loads(found.group(0))) if found else None
        except (ValidationError, json.JSONDecodeError, TypeError):
            return None
        except Exception as error:  # a provider's own errors: network, quota, bad key...
            raise BackendError(f"{self._role} failed: {error}") from error
