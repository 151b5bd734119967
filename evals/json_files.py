"""Reading the evaluation data sets' JSON files, with errors that name the file and the reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prefmem.memory.errors import InvalidInputError


def read_json(path: Path) -> Any:
    """The parsed content of a JSON file; InvalidInputError naming the file if it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInputError(f"{path} is not valid JSON: {error}") from error
