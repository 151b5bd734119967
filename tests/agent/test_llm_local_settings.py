"""Settings of the local model: its number format, and where a long reply stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from prefmem.agent.config import LLMConfig
from prefmem.agent.llm.transformers_local import LocalTransformersChatModel, attention_for
from prefmem.memory.cpu import cpu_flags, resolve_precision
from prefmem.memory.errors import ConfigError

CPUINFO = """processor\t: 0
vendor_id\t: SomeVendor
flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni
bogomips\t: 4800.00
"""


def test_cpu_flags_are_read_from_the_cpuinfo_list(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text(CPUINFO, encoding="utf-8")
    assert cpu_flags(info) == {"fpu", "sse2", "avx2", "avx512f", "avx512_bf16", "avx512_vnni"}
    assert cpu_flags(tmp_path / "missing") == frozenset()


def test_auto_takes_bfloat16_only_with_bfloat16_instructions() -> None:
    assert resolve_precision("auto", frozenset({"avx2", "avx512_bf16"})) == "bfloat16"
    assert resolve_precision("auto", frozenset({"amx_bf16"})) == "bfloat16"
    assert resolve_precision("auto", frozenset({"avx2", "avx512f"})) == "float32"
    assert resolve_precision("auto", frozenset()) == "float32"
    assert resolve_precision("float32", frozenset({"avx512_bf16"})) == "float32"
    assert resolve_precision("bfloat16", frozenset()) == "bfloat16"


def test_the_model_resolves_its_dtype_and_rejects_unknown_ones(tmp_path: Path) -> None:
    assert LLMConfig().dtype == "auto"
    model = LocalTransformersChatModel(cache_dir=tmp_path, dtype="float32")
    assert model.dtype == "float32"
    assert LocalTransformersChatModel(cache_dir=tmp_path).dtype in ("float32", "bfloat16")
    with pytest.raises(ConfigError, match=r"llm\.dtype"):
        LocalTransformersChatModel(cache_dir=tmp_path, dtype="int4")


def test_sentence_ends_are_recognised_with_closing_quotes_and_brackets() -> None:
    from prefmem.agent.llm.transformers_local import ends_sentence

    assert ends_sentence(".") and ends_sentence(" done!") and ends_sentence('?"') and ends_sentence(".) ")
    assert not ends_sentence(" and") and not ends_sentence(",") and not ends_sentence("")


def test_bfloat16_runs_plain_attention_and_float32_the_fused_one() -> None:
    assert attention_for("bfloat16") == "eager"
    assert attention_for("float32") == "sdpa"
