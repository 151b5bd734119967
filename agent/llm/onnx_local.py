"""The local chat model run by onnxruntime-genai instead of transformers.

A model as small as the packaged SmolLM2-135M spends most of each new token in
Python and in the launching of a few hundred small torch operations, not in arithmetic.
onnxruntime-genai runs the whole decoding step in native code over weights stored as
8-bit integers (perplexity on plain English 20.9, against 20.8 for the GGUF file's
weights in float32). On two CPU cores a token takes about 7 ms against 40 to 55 ms with
transformers.

The first start builds the model once, after the GGUF file has been converted into a
transformers folder (transformers_local.py): onnxruntime-genai's own builder runs in a
child process and writes an ONNX folder next to that folder in the cache. Candidates
share one reading of the prompt: after each reply the generator is taken back to the
prompt (`_rewind`) and samples the next one from its end.

Thread count and spinning are settings of this model's own onnxruntime session, so
nothing process-wide changes when it loads.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prefmem.agent.config import LLMConfig
from prefmem.agent.llm.base import ChatMessage
from prefmem.agent.llm.transformers_local import (
    PACKAGED,
    LocalTransformersChatModel,
    _resolve,
    _Source,
    ends_sentence,
    install_folder,
)
from prefmem.memory.errors import BackendError, ConfigError, ModelUnavailableError

#: The values llm.engine may take.
ENGINES = ("auto", "onnxruntime", "transformers")
#: How the built model stores its weights (onnxruntime-genai's builder precision). 4-bit
#: weights were 30% faster per token, but the builder's symmetric 4-bit grid does not hold
#: the packaged file's asymmetric one: perplexity on plain English rose from 20.8 to 26.1,
#: against 20.9 in 8-bit.
PRECISION = "int8"
#: Written last into a built folder; a folder without it is never used.
BUILD_MARKER = "prefmem-onnx.json"
#: Bump when the build recipe changes, so older builds are redone.
BUILD_FORMAT = 1
#: The longest a build may take before it counts as failed.
BUILD_TIMEOUT_S = 1800

_DEFAULTS = LLMConfig()


def _source_fingerprint(source: _Source) -> dict[str, Any]:
    """What identifies the weights a build was made from: the file's or folder's name and size."""
    path = source.path
    size = (
        path.stat().st_size
        if path.is_file()
        else sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
    )
    return {"format": BUILD_FORMAT, "precision": PRECISION, "source": path.name, "source_bytes": size}


def build_is_valid(folder: Path, source: _Source) -> bool:
    """True when `folder` is a finished build of `source` (its marker exists and matches)."""
    try:
        recorded = json.loads((folder / BUILD_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded == _source_fingerprint(source)


def run_builder(transformers_folder: Path, out: Path, scratch: Path) -> None:
    """Build an ONNX folder for onnxruntime-genai from a transformers folder, in a child process.

    The builder is a command-line program of the onnxruntime-genai package; a child process
    keeps its imports, thread settings and memory out of this one. It never goes online.
    """
    command = [
        sys.executable, "-m", "onnxruntime_genai.models.builder",
        "-i", str(transformers_folder), "-o", str(out), "-p", PRECISION, "-e", "cpu", "-c", str(scratch),
    ]  # fmt: skip
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, env=environment, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ModelUnavailableError(f"building the onnxruntime model failed: {error}") from None
    if done.returncode != 0 or not (out / "genai_config.json").is_file():
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise ModelUnavailableError(f"building the onnxruntime model failed: {reason}")


class LocalOnnxChatModel(LocalTransformersChatModel):
    """The local chat model on onnxruntime-genai, or on transformers where it cannot run.

    engine `onnxruntime` insists on onnxruntime-genai (loading fails with the reason if the
    model cannot be built for it); `auto` falls back to transformers, saying why, as does a
    missing onnxruntime-genai package. Prompt fitting and the chat template are
    transformers' (the tokenizer of the converted folder), so both engines read the same
    prompt.
    """

    def __init__(
        self,
        model: str = PACKAGED,
        *,
        cache_dir: Path,
        engine: str = _DEFAULTS.engine,
        threads: int = _DEFAULTS.threads,
        spin: bool = _DEFAULTS.spin,
        temperature: float = _DEFAULTS.temperature,
        top_p: float = _DEFAULTS.top_p,
        max_new_tokens: int = _DEFAULTS.max_new_tokens,
        dtype: str = _DEFAULTS.dtype,
        sentence_stop_after: int = _DEFAULTS.sentence_stop_after,
        on_status: Callable[[str], None] | None = None,
    ) -> None:
        if engine not in ENGINES:
            raise ConfigError(f"llm.engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if threads < 0:
            raise ConfigError("llm.threads must be at least 0")
        super().__init__(
            model,
            cache_dir=cache_dir,
            temperature=temperature,
            top_p=top_p,
            max_new_tokens=max_new_tokens,
            dtype=dtype,
            sentence_stop_after=sentence_stop_after,
            on_status=on_status,
        )
        self.requested_engine = engine
        #: The engine that runs the model: known once it is loaded.
        self.engine: str | None = "transformers" if engine == "transformers" else None
        self.threads = threads
        self.spin = spin
        self._onnx: Any = None
        self._onnx_context = 0

    # -- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        """Load the model, building it for onnxruntime-genai first if needed (see the class)."""
        with self._lock:
            if self._onnx is not None or self._model is not None:
                return
            if self.requested_engine == "transformers":
                super().load()
                return
            # A missing or unreadable model is an error whatever runs it; only what is
            # onnxruntime's own (the package, the build, the session) falls back.
            source = _resolve(self.model)
            folder = self._converted(source) if source.is_gguf else source.path
            try:
                self._load_onnx(source, folder)
            except ModelUnavailableError as error:
                if self.requested_engine == "onnxruntime":
                    raise
                self._status(f"{error}; running the chat model with transformers instead")
                super().load()
                self.engine = "transformers"

    def _load_onnx(self, source: _Source, folder: Path) -> None:
        try:
            import onnxruntime_genai as og
            import transformers
        except ImportError as error:
            raise ModelUnavailableError(
                f"the onnxruntime engine needs onnxruntime-genai ({error}); "
                "install it with `pip install onnxruntime-genai`"
            ) from None
        built = self._built(source, folder)
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
            config = og.Config(str(built))
            config.clear_providers()  # the CPU
            config.overlay(json.dumps({"model": {"decoder": {"session_options": self._session_options()}}}))
            model = og.Model(config)
            context = json.loads((built / "genai_config.json").read_text(encoding="utf-8"))["model"]
        except (OSError, ValueError, KeyError, RuntimeError) as error:
            raise ModelUnavailableError(f"cannot load the onnxruntime model from {built}: {error}") from None
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        self._tokenizer = tokenizer
        self._onnx = model
        self._onnx_context = int(context.get("context_length") or 2048)
        self.engine = "onnxruntime"
        self.dtype = PRECISION

    def _session_options(self) -> dict[str, Any]:
        """This model's own onnxruntime session settings: threads, and whether idle ones spin."""
        options: dict[str, Any] = {"session.intra_op.allow_spinning": "1" if self.spin else "0"}
        if self.threads:
            options["intra_op_num_threads"] = self.threads
        return options

    def _built(self, source: _Source, folder: Path) -> Path:
        """The cached ONNX build of a transformers folder, building it first if there is none."""
        target = self.cache_dir / f"{folder.name}.onnx-{PRECISION}"
        if build_is_valid(target, source):
            return target
        self._status(f"building {source.display} for onnxruntime (first run only, about 10 s)")
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=self.cache_dir))
        try:
            work.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
            out = work / "model"
            self._build(folder, out, work / "scratch")
            (out / BUILD_MARKER).write_text(json.dumps(_source_fingerprint(source)), encoding="utf-8")
            install_folder(out, target, lambda: build_is_valid(target, source))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return target

    #: How a build is made (a static method, so that tests can stand in for it).
    _build = staticmethod(run_builder)

    def _context_length(self) -> int:
        return self._onnx_context if self._onnx is not None else super()._context_length()

    # -- generation ----------------------------------------------------------------------------

    def _prompt(
        self, messages: Sequence[ChatMessage], temperature: float | None, max_new_tokens: int | None
    ) -> tuple[list[int], int, dict[str, Any]]:
        """The prompt's token ids (fitted to the context), the new-token budget and the search options."""
        if not messages:
            raise ValueError("the conversation has no messages")
        temperature = self.temperature if temperature is None else temperature
        new_tokens = min(max_new_tokens or self.max_new_tokens, max(1, self._onnx_context // 2))
        ids = [int(token) for token in self._fit(messages, self._onnx_context - new_tokens)["input_ids"][0]]
        search: dict[str, Any] = (
            {"do_sample": True, "temperature": temperature, "top_p": self.top_p}
            if temperature > 0
            else {"do_sample": False}
        )
        search["max_length"] = len(ids) + new_tokens
        return ids, new_tokens, search

    def _generator(self, ids: list[int], search: dict[str, Any]) -> Any:
        """A generator that has read the prompt: all but its last token, then that token alone.

        Read this way, a fresh prompt and one rewound to (`_rewind`) leave the same state: the
        8-bit arithmetic of one token and of many differs in the last bits, enough to change
        a greedy reply after a few words.
        """
        import onnxruntime_genai as og

        try:
            params = og.GeneratorParams(self._onnx)
            params.set_search_options(**search)
            generator = og.Generator(self._onnx, params)
            if len(ids) > 1:
                generator.append_tokens(ids[:-1])
            generator.append_tokens(ids[-1:])
        except RuntimeError as error:
            raise BackendError(f"chat model {self.name} failed: {error}") from error
        return generator

    def _rewind(self, generator: Any, ids: list[int]) -> None:
        """Take the generator back to the end of the prompt, keeping its reading of the prompt.

        It rewinds to just before the prompt's last token and reads that token again, so the
        next token is sampled from the prompt's own last step (a rewind to the prompt's end
        would sample it from the step before, the previous reply's last).
        """
        try:
            generator.rewind_to(len(ids) - 1)
            generator.append_tokens(ids[-1:])
        except RuntimeError as error:
            raise BackendError(f"chat model {self.name} failed: {error}") from error

    def _tokens(self, generator: Any, new_tokens: int) -> Iterator[int]:
        """The new tokens of one reply as they are sampled.

        It ends at the end-of-text token, at `new_tokens`, or past `sentence_stop_after`
        tokens at the first token that ends a sentence.
        """
        count = 0
        try:
            while count < new_tokens and not generator.is_done():
                generator.generate_next_token()
                token = int(generator.get_next_tokens()[0])
                count += 1
                yield token
                stop_after = self.sentence_stop_after
                if stop_after and count >= stop_after and ends_sentence(self._tokenizer.decode([token])):
                    return
        except RuntimeError as error:
            raise BackendError(f"chat model {self.name} failed: {error}") from error

    def _text(self, tokens: Sequence[int]) -> str:
        return str(self._tokenizer.decode(list(tokens), skip_special_tokens=True))

    def generate(
        self,
        messages: Sequence[ChatMessage],
        *,
        n: int = 1,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> list[str]:
        if n < 1:
            raise ValueError("n must be at least 1")
        self.load()
        if self._onnx is None:
            return super().generate(messages, n=n, temperature=temperature, max_new_tokens=max_new_tokens)
        with self._lock:
            ids, new_tokens, search = self._prompt(messages, temperature, max_new_tokens)
            generator = self._generator(ids, search)
            replies: list[str] = []
            # Greedy decoding is deterministic, so n candidates are one reply repeated.
            for index in range(n if search["do_sample"] else 1):
                if index:
                    self._rewind(generator, ids)
                replies.append(self._text(list(self._tokens(generator, new_tokens))).strip())
        return replies if len(replies) == n else replies[:1] * n

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> Iterator[str]:
        """One reply, piece by piece as it is sampled.

        Sampling runs in its own thread, which holds the model's lock for its duration; the
        caller may read the pieces from any thread, and may stop reading early.
        """
        self.load()
        if self._onnx is None:
            return super().stream(messages, temperature=temperature, max_new_tokens=max_new_tokens)
        return self._stream_onnx(messages, temperature, max_new_tokens)

    def _stream_onnx(
        self, messages: Sequence[ChatMessage], temperature: float | None, max_new_tokens: int | None
    ) -> Iterator[str]:
        if not messages:
            raise ValueError("the conversation has no messages")
        pieces: queue.Queue[str | BaseException | None] = queue.Queue()
        stopped = threading.Event()

        def run() -> None:
            try:
                with self._lock:
                    ids, new_tokens, search = self._prompt(messages, temperature, max_new_tokens)
                    generator = self._generator(ids, search)
                    tokens: list[int] = []
                    shown = ""
                    for token in self._tokens(generator, new_tokens):
                        if stopped.is_set():
                            break
                        tokens.append(token)
                        text = self._text(tokens)
                        # A piece that ends inside a character waits for the token that completes it.
                        if not text.endswith("\ufffd") and len(text) > len(shown):
                            pieces.put(text[len(shown) :])
                            shown = text
                pieces.put(None)
            except BaseException as error:  # handed to the reader, which raises it
                pieces.put(error)

        worker = threading.Thread(target=run, name="prefmem-generate", daemon=True)
        worker.start()
        started = False
        try:
            while (piece := pieces.get()) is not None:
                if isinstance(piece, BaseException):
                    if isinstance(piece, BackendError):
                        raise piece
                    raise BackendError(f"chat model {self.name} failed: {piece}") from piece
                text = piece if started else piece.lstrip()
                if text:
                    started = True
                    yield text
        finally:
            stopped.set()
            worker.join()
