"""The local chat model on onnxruntime-genai: its settings, the build cache, the fallback to
transformers, and real replies from the packaged model."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from local_model_cache import Converted

from prefmem.agent.config import Config
from prefmem.agent.factory import build_llm
from prefmem.agent.llm import onnx_local
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.onnx_local import BUILD_MARKER, LocalOnnxChatModel, build_is_valid
from prefmem.agent.llm.transformers_local import (
    LocalTransformersChatModel,
    _Source,
    ends_sentence,
    packaged_gguf,
)
from prefmem.memory.errors import ConfigError, ModelUnavailableError

QUESTION = [ChatMessage("system", "You are a helpful assistant."), ChatMessage("user", "Name three colours.")]


def test_bad_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"llm\.engine must be one of auto, onnxruntime, transformers"):
        LocalOnnxChatModel(cache_dir=tmp_path, engine="llama")
    with pytest.raises(ConfigError, match=r"llm\.threads"):
        LocalOnnxChatModel(cache_dir=tmp_path, threads=-1)


def test_the_factory_builds_the_engine_the_configuration_names(tmp_path: Path) -> None:
    def built(**llm: object) -> object:
        return build_llm(Config.model_validate({"data_dir": str(tmp_path), "llm": llm}))

    default = built()
    assert isinstance(default, LocalOnnxChatModel) and default.requested_engine == "auto"
    assert default.engine is None  # decided when it loads
    plain = built(engine="transformers")
    assert type(plain) is LocalTransformersChatModel and plain.engine == "transformers"
    strict = built(engine="onnxruntime", threads=1, spin=True)
    assert isinstance(strict, LocalOnnxChatModel)
    assert strict._session_options() == {"session.intra_op.allow_spinning": "1", "intra_op_num_threads": 1}
    assert default._session_options() == {"session.intra_op.allow_spinning": "0"}


@dataclass
class FakeBuilder:
    """A stand-in for onnxruntime-genai's builder that records its calls."""

    calls: list[Path] = field(default_factory=list)
    fail: bool = False

    def __call__(self, transformers_folder: Path, out: Path, scratch: Path) -> None:
        self.calls.append(transformers_folder)
        if self.fail:
            raise ModelUnavailableError("building the onnxruntime model failed: unsupported architecture")
        out.mkdir(parents=True)
        (out / "genai_config.json").write_text('{"model": {"context_length": 64}}', encoding="utf-8")


@pytest.fixture
def fake_builder(monkeypatch: pytest.MonkeyPatch) -> FakeBuilder:
    builder = FakeBuilder()
    monkeypatch.setattr(LocalOnnxChatModel, "_build", staticmethod(builder))
    return builder


def _weights(tmp_path: Path, content: bytes = b"weights") -> tuple[_Source, Path]:
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(content)
    folder = tmp_path / "cache" / "tiny"
    folder.mkdir(parents=True, exist_ok=True)
    return _Source(gguf, True, "tiny"), folder


def test_a_build_is_made_once_and_redone_when_the_weights_change(
    fake_builder: FakeBuilder, tmp_path: Path
) -> None:
    source, folder = _weights(tmp_path)
    statuses: list[str] = []
    model = LocalOnnxChatModel(str(source.path), cache_dir=tmp_path / "cache", on_status=statuses.append)

    built = model._built(source, folder)
    assert built == tmp_path / "cache" / f"tiny.onnx-{onnx_local.PRECISION}"
    assert build_is_valid(built, source) and (built / "genai_config.json").is_file()
    assert any("building tiny for onnxruntime" in s and "first run only" in s for s in statuses)
    assert model._built(source, folder) == built
    assert fake_builder.calls == [folder]

    source.path.write_bytes(b"other, longer weights")
    model._built(source, folder)
    assert len(fake_builder.calls) == 2
    # Nothing half-made is left beside the finished folders.
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["tiny", built.name]


def test_a_failed_build_leaves_no_folder_and_auto_falls_back_to_transformers(
    fake_builder: FakeBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake_builder.fail = True
    source, folder = _weights(tmp_path)
    monkeypatch.setattr(onnx_local, "_resolve", lambda model: source)
    monkeypatch.setattr(LocalOnnxChatModel, "_converted", lambda self, source: folder)
    loaded: list[str] = []
    monkeypatch.setattr(LocalTransformersChatModel, "load", lambda self: loaded.append(self.name))

    strict = LocalOnnxChatModel(str(source.path), cache_dir=tmp_path / "cache", engine="onnxruntime")
    with pytest.raises(ModelUnavailableError, match="unsupported architecture"):
        strict.load()
    assert loaded == [] and strict.engine is None

    statuses: list[str] = []
    model = LocalOnnxChatModel(str(source.path), cache_dir=tmp_path / "cache", on_status=statuses.append)
    model.load()
    assert loaded == [model.name] and model.engine == "transformers"
    assert any("unsupported architecture" in s and "with transformers instead" in s for s in statuses)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["tiny"]


def test_the_real_builder_reports_why_it_failed(tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "config.json").write_text(
        '{"model_type": "no-such-architecture"}', encoding="utf-8"
    )
    with pytest.raises(ModelUnavailableError, match=r"building the onnxruntime model failed: .+"):
        onnx_local.run_builder(tmp_path / "model", tmp_path / "out", tmp_path / "scratch")
    assert not (tmp_path / "out" / "genai_config.json").exists()


@dataclass
class Built:
    model: LocalOnnxChatModel
    statuses: list[str]
    seconds: float


@pytest.fixture(scope="session")
def built_smollm(converted_smollm: Converted) -> Iterator[Built]:
    """The packaged model built for onnxruntime in the session's conversion cache, on two threads."""
    statuses: list[str] = []
    model = LocalOnnxChatModel(
        cache_dir=converted_smollm.cache, engine="onnxruntime", threads=2, on_status=statuses.append
    )
    start = time.perf_counter()
    model.load()
    yield Built(model, statuses, time.perf_counter() - start)


@pytest.mark.slow
def test_the_packaged_model_is_built_once_and_answers(built_smollm: Built) -> None:
    model = built_smollm.model
    assert model.engine == "onnxruntime" and model.dtype == onnx_local.PRECISION
    assert any("building" in s for s in built_smollm.statuses)
    assert not any("converting" in s for s in built_smollm.statuses)  # the conversion was reused
    folder = model.cache_dir / f"{packaged_gguf().stem}.onnx-{onnx_local.PRECISION}"
    assert json.loads((folder / BUILD_MARKER).read_text(encoding="utf-8"))["precision"] == "int8"

    sampled = model.generate(QUESTION, n=4, temperature=1.0, max_new_tokens=24)
    assert len(sampled) == 4 and all(sampled) and len(set(sampled)) >= 3
    greedy = model.generate(QUESTION, n=2, temperature=0, max_new_tokens=24)
    assert greedy[0] and greedy[0] == greedy[1]
    pieces = list(model.stream(QUESTION, temperature=0, max_new_tokens=24))
    assert len(pieces) > 1 and "".join(pieces) == greedy[0]

    before = _process_state()
    statuses: list[str] = []
    again = LocalOnnxChatModel(cache_dir=model.cache_dir, threads=1, spin=True, on_status=statuses.append)
    start = time.perf_counter()
    again.load()
    assert statuses == [] and again.engine == "onnxruntime"
    assert time.perf_counter() - start < built_smollm.seconds
    assert again.generate(QUESTION, n=2, max_new_tokens=4)
    assert _process_state() == before  # threads and spinning are the session's own settings


def _process_state() -> dict[str, object]:
    import torch

    loggers = ("onnxruntime", "transformers", "")
    return {
        "environ": dict(os.environ),
        "levels": {name: logging.getLogger(name).level for name in loggers},
        "torch_threads": torch.get_num_threads(),
    }


@pytest.mark.slow
def test_candidates_after_the_first_start_from_the_prompt_read_once(built_smollm: Built) -> None:
    model = built_smollm.model
    ids, new_tokens, search = model._prompt(QUESTION, 0, 20)
    generator = model._generator(ids, search)
    first = list(model._tokens(generator, new_tokens))
    model._rewind(generator, ids)
    second = list(model._tokens(generator, new_tokens))
    fresh = list(model._tokens(model._generator(ids, search), new_tokens))
    assert first and first == second == fresh


@pytest.mark.slow
def test_past_the_sentence_limit_each_reply_stops_at_its_sentence_end(built_smollm: Built) -> None:
    model = built_smollm.model
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


@pytest.mark.slow
def test_a_stream_read_only_in_part_frees_the_model(built_smollm: Built) -> None:
    model = built_smollm.model
    stream = model.stream(QUESTION, temperature=0, max_new_tokens=40)
    next(iter(stream))
    stream.close()  # type: ignore[attr-defined]
    assert model.generate(QUESTION, n=1, temperature=0, max_new_tokens=4)[0]


def test_a_missing_model_is_an_error_under_auto_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loaded: list[str] = []
    monkeypatch.setattr(LocalTransformersChatModel, "load", lambda self: loaded.append(self.name))
    with pytest.raises(ConfigError, match="chat model not found"):
        LocalOnnxChatModel(str(tmp_path / "nowhere.gguf"), cache_dir=tmp_path).load()
    assert loaded == []  # no fallback: transformers could not run it either
