"""The Python API on its own: remember, recall, consolidate, inspect, rerank, forget.

Runs offline in a few seconds with the hashing embedder (no model to load); drop the
`embedder=` argument to use the packaged sentence-transformers model instead, which
understands paraphrases. Usage: python examples/python_api.py [DATA_FOLDER]
(default: a temporary folder, removed afterwards).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prefmem import Memory


def main(data_dir: Path) -> None:
    start = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)
    with Memory(data_dir=data_dir, embedder={"backend": "hashing"}) as memory:
        # What the user said over three days (an app would call add() after every exchange).
        for day in range(3):
            moment = start + timedelta(days=day)
            memory.add("sam", "Honestly I adore birdwatching at dawn", "Lovely!", timestamp=moment)
            memory.add("sam", "What should I pack for a day hike?", "Water and a map.", timestamp=moment)
        # Their explicit reactions: a choice between two replies, and a thumbs up.
        offered = ["A long list of ideas", "Birds at 6am"]
        memory.feedback("sam", "Plans for Saturday?", options=offered, chosen=1)
        memory.feedback("sam", "Any tips?", response="Bring binoculars.", value=1)

        for episode in memory.recall("sam", "birdwatching", k=2):
            print(f"recalled {episode.score:.2f}: {episode.interaction.user_text}")

        summary = memory.consolidate()
        print(f"consolidated {summary.users_processed} user(s): {summary.kinds}")
        for preference in memory.preferences("sam"):
            print(f"{preference.kind:>12}  {preference.statement}  (stability {preference.stability:.2f})")
        genuine = memory.preferences("sam", kinds=["genuine"])[0]
        why = memory.explain("sam", genuine.id)
        print(f"why: {why.preference.reason}; {len(why.evidence)} records of evidence")
        memory.confirm("sam", genuine.id)

        ranking = memory.rerank(
            "sam", "What could I do tomorrow morning?", ["Go birdwatching at dawn.", "Sleep in late."]
        )
        for candidate in ranking.candidates:
            print(f"rerank {candidate.score:+.3f}: {candidate.text}")

        removed = memory.forget("sam")
        print(f"forgot sam: {removed.interactions} interactions, {removed.preferences} preferences")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory(prefix="prefmem-example-") as folder:
            main(Path(folder))
