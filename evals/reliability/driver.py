"""The work the kills check interrupts, as a child process: it prints `ACK <step>` (flushed) after
each step is committed, so whatever it acknowledged before dying must be found afterwards.

    python -m prefmem.evals.reliability.driver import CONFIG BATCHES   # Memory.add_events per batch
    python -m prefmem.evals.reliability.driver consolidate CONFIG USER...  # Memory.consolidate per user

BATCHES is a JSON file holding a list of batches, each a list of import events.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _acknowledge(step: object) -> None:
    sys.stdout.write(f"ACK {step}\n")
    sys.stdout.flush()


def main(arguments: list[str]) -> int:
    from prefmem.api import Memory

    if len(arguments) < 2 or arguments[0] not in ("import", "consolidate"):
        sys.stderr.write(__doc__ or "")
        return 2
    mode, config = arguments[0], Path(arguments[1])
    with Memory(config) as memory:
        if mode == "import":
            batches = json.loads(Path(arguments[2]).read_text(encoding="utf-8"))
            for number, batch in enumerate(batches):
                memory.add_events(batch)
                _acknowledge(number)
        else:
            for user in arguments[2:]:
                memory.consolidate(user, force=True)
                _acknowledge(user)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
