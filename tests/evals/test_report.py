"""`prefmem eval report` end to end on tiny data folders: every part's JSON, the plots, the Markdown."""

from __future__ import annotations

import json
from pathlib import Path

from _dsp_fixture import write_dsp
from _prefeval_fixture import write_prefeval_folder
from typer.testing import CliRunner

from prefmem.agent.cli.app import app
from prefmem.agent.config import parse_config
from prefmem.evals.report import FULL, QUICK, SuiteSizes, run_suite, write_report

TINY = SuiteSizes(
    stability_users=4,
    prefeval_limit=1,
    distractors=(0, 2),
    recall_users=3,
    dsp_limit=8,
    simulated_users=4,
    sycophancy_users=1,
)


def test_the_suite_writes_every_part_the_plots_and_a_readable_report(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}})
    prefeval = write_prefeval_folder(tmp_path / "prefeval", ["music_taste", "food_taste"])
    dsp = write_dsp(tmp_path / "dsp")
    out = tmp_path / "report"
    messages: list[str] = []
    reports = run_suite(config, out, quick=True, prefeval=prefeval, dsp=dsp, say=messages.append, sizes=TINY)
    path = write_report(reports, out)
    for part in ("stability", "stability_slips", "prefeval", "recall", "disagreement", "sycophancy"):
        assert json.loads((out / f"{part}.json").read_text()) is not None
        assert any(message.startswith(f"{part}: done") for message in messages)
    for plot in ("kinds_confusion", "prefeval_distractors", "disagreement_groups", "coefficient_drift"):
        assert (out / f"{plot}.png").read_bytes()[:4] == b"\x89PNG"
    text = path.read_text()
    for heading in ("Consolidation on simulated users", "PrefEval", "Disagreement", "Sycophancy"):
        assert heading in text
    assert "Worst-off user" in text and "Cold start (shared)" in text and "distractors" in text
    assert "Read and grouped perfectly" in text  # the rules' ceiling beside the measured recall
    assert reports["stability"]["slips"] == 0.0 and reports["stability_slips"]["slips"] == 0.05
    assert "With slips 0.05 (a genuine preference's occurrence says otherwise 5.0% of the time)" in text


def test_parts_without_data_are_skipped_and_missing_folders_refused(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path / "unused"), "embedder": {"backend": "hashing"}})
    reports = run_suite(config, tmp_path / "out", quick=True, sizes=TINY)
    assert set(reports) == {"stability", "stability_slips", "recall", "sycophancy", "_meta"}
    assert "PrefEval" not in write_report(reports, tmp_path / "out").read_text()
    # a folder from before slips: no stability_slips part, and the knob was called noise
    old = {name: report for name, report in reports.items() if name != "stability_slips"}
    old["stability"] = {("noise" if k == "slips" else k): v for k, v in reports["stability"].items()}
    old["stability"]["noise"] = 0.05
    (tmp_path / "old").mkdir()
    text = write_report(old, tmp_path / "old").read_text()
    assert "slips 0.05. Recall of genuine" in text and "With slips" not in text
    settings = tmp_path / "fast.yaml"
    settings.write_text("embedder: {backend: hashing}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["--config", str(settings), "eval", "report", "--prefeval", str(tmp_path / "nope")]
    )
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_quick_sizes_are_smaller_than_full() -> None:
    assert QUICK.stability_users < FULL.stability_users and QUICK.recall_users < FULL.recall_users
    assert QUICK.prefeval_limit is not None and FULL.prefeval_limit is None
