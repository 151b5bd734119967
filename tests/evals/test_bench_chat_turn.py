"""bench chat-turn: medians over the timed turns, each stage, and the first text of every reply."""

from __future__ import annotations

from pathlib import Path

from prefmem.agent.config import parse_config
from prefmem.evals.bench_chat_turn import STAGES, bench_chat_turn


def test_the_bench_times_each_n_in_a_temporary_folder_and_leaves_the_data_folder_alone(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    config = parse_config(
        {"data_dir": str(data), "llm": {"backend": "scripted"}, "embedder": {"backend": "hashing"}}
    )
    figures = bench_chat_turn(config, sizes=(4, 1), turns=3)
    assert not data.exists()  # everything happened in a temporary folder
    assert list(figures["by_n"]) == ["4", "1"]
    for n, timing in figures["by_n"].items():
        assert timing["n"] == int(n) and len(timing["turns"]) == 3
        assert set(timing["stages_s"]) == set(STAGES)
        turns = sorted(turn["turn_s"] for turn in timing["turns"])
        assert timing["turn_s"] == round(turns[1], 3)  # the median of three
        for turn in timing["turns"]:
            assert 0 < turn["first_text_s"] <= turn["turn_s"]
            # best-of-4 shows the chosen reply at once; one candidate streams word by word
            assert (turn["streamed_pieces"] == 1 if n == "4" else turn["streamed_pieces"] > 1)
            assert turn["reply_chars"] > 0
    assert figures["cpu_count"] and figures["turns"] == 3
