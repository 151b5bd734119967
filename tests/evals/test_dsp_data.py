"""The DSP loader reads any path, names the file and the reason when it cannot, and splits by seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _dsp_fixture import write_dsp

from prefmem.evals.dsp_data import STYLES, load_dsp, split_queries
from prefmem.memory.errors import InvalidInputError


def test_a_folder_and_a_file_both_load(tmp_path: Path) -> None:
    path = write_dsp(tmp_path / "dsp", 5)
    from_folder = load_dsp(tmp_path / "dsp")
    from_file = load_dsp(path)
    assert len(from_folder.queries) == len(from_file.queries) == 5
    assert from_folder.files == [path]
    assert set(from_folder.queries[0].responses) == set(STYLES)


def test_missing_data_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="nowhere"):
        load_dsp(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInputError, match="domain_specific_preference"):
        load_dsp(tmp_path / "empty")


def test_a_bad_file_is_named_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "domain_specific_preference.bad.json"
    bad.write_text("[{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"domain_specific_preference\.bad\.json is not valid JSON"):
        load_dsp(bad)
    bad.write_text(json.dumps([{"query": "q", "responses": {"academy": "a"}}]), encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"record 0 lacks a text response for business"):
        load_dsp(bad)


def test_a_query_with_a_blank_answer_is_skipped_and_listed(tmp_path: Path) -> None:
    path = write_dsp(tmp_path, 4)
    records = json.loads(path.read_text(encoding="utf-8"))
    records[2]["responses"]["normal"] = "  "
    path.write_text(json.dumps(records), encoding="utf-8")
    loaded = load_dsp(path)
    assert len(loaded.queries) == 3
    assert [q.index for q in loaded.queries] == [0, 1, 3]
    assert loaded.skipped == [f"{path.name}: record 2: blank answer for normal"]


def test_the_split_is_seeded_disjoint_and_capped(tmp_path: Path) -> None:
    queries = load_dsp(write_dsp(tmp_path, 12)).queries
    train, test = split_queries(queries, seed=1, limit=8)
    again = split_queries(queries, seed=1, limit=8)
    assert (train, test) == again
    assert len(train) + len(test) == 8
    assert not {q.index for q in train} & {q.index for q in test}
    other = split_queries(queries, seed=2, limit=8)
    assert [q.index for q in other[0]] != [q.index for q in train]
