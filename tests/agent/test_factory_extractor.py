"""Choosing the statement extractor by configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from prefmem.agent.config import parse_config
from prefmem.agent.factory import Runtime
from prefmem.memory.errors import ConfigError
from prefmem.memory.extraction.parsed import ParsedExtractor


def test_rules_is_the_default_extractor(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path)})
    assert isinstance(Runtime(config).extractor(), ParsedExtractor)


def test_llm_extractor_needs_a_langchain_model(tmp_path: Path) -> None:
    config = parse_config({"data_dir": str(tmp_path), "consolidation": {"extractor": "llm"}})
    with pytest.raises(ConfigError, match=r"llm\.backend: langchain"):
        Runtime(config).extractor()
