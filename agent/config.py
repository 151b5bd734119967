"""Configuration: config.yaml validated into one pydantic model.

Where settings come from, first match wins: the `--config` option, the
`PREFMEM_CONFIG` variable, `config.yaml` in the current folder,
`~/.config/prefmem/config.yaml`, then the defaults below (which the project's
config.yaml documents one by one). The data folder can also be set by
`PREFMEM_DATA_DIR` or the global `--data-dir` option, which win over the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from prefmem.memory.consolidation.rules import RULE_NAMES, ConsolidationRules
from prefmem.memory.errors import ConfigError

DEFAULT_DATA_DIR = "~/.local/share/prefmem"
DEFAULT_SYSTEM_PROMPT = "You are a helpful, concise assistant."
_RULES = ConsolidationRules()


class _Section(BaseModel):
    # no infinities or NaNs: no setting means "unbounded", and NaN passes every comparison
    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


class EmbedderConfig(_Section):
    """How texts are embedded for recall."""

    backend: Literal["sentence-transformers", "hashing"] = "sentence-transformers"
    model: str = Field(default="packaged", min_length=1)
    batch_size: int = Field(default=64, ge=1, le=4096)


class LLMConfig(_Section):
    """Which chat model answers."""

    backend: Literal["local", "langchain", "scripted"] = "local"
    model: str = Field(default="packaged", min_length=1)
    provider: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    temperature: float = Field(default=0.3, ge=0.0, le=2.0)
    top_p: float = Field(default=0.9, gt=0.0, le=1.0)
    max_new_tokens: int = Field(default=160, ge=1, le=8192)
    dtype: Literal["auto", "float32", "bfloat16"] = "auto"
    engine: Literal["auto", "onnxruntime", "transformers"] = "auto"
    threads: int = Field(default=0, ge=0, le=1024)
    spin: bool = False
    sentence_stop_after: int = Field(default=80, ge=0, le=8192)


class ChromaServerConfig(_Section):
    """A Chroma server (`chroma run`) to use instead of the embedded store."""

    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    ssl: bool = False


class EpisodicConfig(_Section):
    """The episodic store and how it is recalled."""

    server: ChromaServerConfig | None = None
    recall_mode: Literal["similarity", "recency", "hybrid"] = "hybrid"
    top_k: int = Field(default=4, ge=0, le=100)
    min_similarity: float = Field(default=0.2, ge=-1.0, le=1.0)
    similarity_weight: float = Field(default=0.7, ge=0.0, le=1.0)
    recency_half_life_days: float = Field(default=7.0, gt=0.0, le=36_500.0)


class ConsolidationConfig(_Section):
    """Turning episodic records into preferences (see DESIGN: consolidation rules).

    The defaults of the evidence model and of grouping are ConsolidationRules' own
    (memory/consolidation/rules.py), the one place they are written in code.
    """

    extractor: Literal["parse", "llm"] = "parse"
    occasion: Literal["day", "session"] = "day"
    min_occasions: int = Field(default=_RULES.min_occasions, ge=1, le=1000)
    answer_slip_rate: float = Field(default=_RULES.answer_slip_rate, gt=0.0, lt=0.5)
    statement_slip_rate: float = Field(default=_RULES.statement_slip_rate, gt=0.0, lt=0.5)
    prior_genuine: float = Field(default=_RULES.prior_genuine, gt=0.0, le=1000.0)
    prior_non_attitude: float = Field(default=_RULES.prior_non_attitude, gt=0.0, le=1000.0)
    prior_constructed: float = Field(default=_RULES.prior_constructed, ge=0.0, le=1000.0)
    prior_changed: float = Field(default=_RULES.prior_changed, ge=0.0, le=1000.0)
    volunteered_non_attitude: float = Field(default=_RULES.volunteered_non_attitude, gt=0.0, le=1.0)
    promote_posterior: float = Field(default=_RULES.promote_posterior, gt=0.5, lt=1.0)
    reask_max_answers: int = Field(default=_RULES.reask_max_answers, ge=0, le=1000)
    reask_said_once: bool = _RULES.reask_said_once
    slot_similarity: float = Field(default=_RULES.slot_similarity, ge=0.0, le=1.0)
    paraphrase_similarity: float = Field(default=_RULES.paraphrase_similarity, ge=-1.0, le=1.01)
    word_link_bonus: float = Field(default=_RULES.word_link_bonus, ge=0.0, le=1.0)
    guess_reliability: float = Field(default=_RULES.guess_reliability, ge=0.5, le=1.0)
    every_n_interactions: int = Field(default=20, ge=0, le=1_000_000)

    def rules(self) -> ConsolidationRules:
        """The settings ConsolidationRules takes, as rules."""
        return ConsolidationRules(**self.model_dump(include=set(RULE_NAMES)))


class AssistantConfig(_Section):
    """The chat loop."""

    memory: Literal["episodic", "semantic", "both"] = "both"
    tentative_weight: float = Field(default=0.5, ge=0.0, le=1.0)

    system_prompt: str = Field(default=DEFAULT_SYSTEM_PROMPT, min_length=1)
    candidates: int = Field(default=4, ge=1, le=32)
    candidate_temperature: float = Field(default=0.8, ge=0.0, le=2.0)
    history_turns: int = Field(default=3, ge=0, le=50)
    max_message_chars: int = Field(default=4000, ge=1, le=1_000_000)
    max_memory_chars: int = Field(default=300, ge=20, le=100_000)
    reask_every: int = Field(default=0, ge=0, le=1_000_000)


class RewardConfig(_Section):
    """The reward that reranks candidates (see agent/reward/scorer.py for the formula)."""

    preference_scorer: Literal["auto", "offline", "trained", "llm"] = "auto"
    embedding_precision: Literal["auto", "float32", "bfloat16"] = "auto"
    relevance_weight: float = Field(default=1.0, ge=0.0, le=1000.0)
    personal_bound: float = Field(default=1.0, gt=0.0, le=1000.0)
    sycophancy_penalty: float = Field(default=2.5, ge=0.0, le=1000.0)
    max_preferences: int = Field(default=8, ge=0, le=100)
    relevance_margin: float = Field(default=0.2, ge=0.0, le=2.0)
    relevance_softness: float = Field(default=0.1, ge=0.0, le=10.0)
    population_coefficients: dict[str, float] = Field(default_factory=dict)
    prior_strength: float = Field(default=1.0, gt=0.0, le=1_000_000.0)
    stability_agreement: float = Field(default=0.75, gt=0.5, le=1.0)
    stability_min_votes: int = Field(default=2, ge=1, le=1000)
    elicitation_questions: int = Field(default=10, ge=1, le=100)
    reask_share: float = Field(default=0.3, ge=0.0, le=0.9)
    learned_functions: bool = True
    learned_count: int = Field(default=6, ge=1, le=64)
    learned_l2: float = Field(default=1.0, gt=0.0)


class ServerConfig(_Section):
    """`prefmem serve`: the OpenAI-compatible HTTP API (see agent/server)."""

    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8080, ge=1, le=65535)
    api_keys: dict[str, str] = Field(default_factory=dict)
    default_user: str | None = Field(default=None, min_length=1)
    model_name: str = Field(default="prefmem", min_length=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=1 << 30)
    max_n: int = Field(default=8, ge=1, le=32)
    trace: bool = False
    trace_cache: int = Field(default=256, ge=0, le=1_000_000)
    stream_rerank: bool = True
    write_behind: bool = True
    index_delay_ms: int = Field(default=1000, ge=0, le=60_000)
    consolidate_idle_s: float = Field(default=1.0, ge=0.0, le=86_400.0)
    consolidate_within_s: float = Field(default=60.0, ge=0.0, le=86_400.0)


class RuntimeConfig(_Section):
    """Process-wide settings: the command line applies them to its own process, the library never."""

    torch_threads: int = Field(default=0, ge=0, le=256)
    omp_wait_policy: Literal["passive", "active"] | None = "passive"


class Config(_Section):
    """Every prefmem setting. Unknown keys are errors, so a typo never passes silently."""

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    embedder: EmbedderConfig = EmbedderConfig()
    llm: LLMConfig = LLMConfig()
    episodic: EpisodicConfig = EpisodicConfig()
    consolidation: ConsolidationConfig = ConsolidationConfig()
    assistant: AssistantConfig = AssistantConfig()
    reward: RewardConfig = RewardConfig()
    server: ServerConfig = ServerConfig()
    runtime: RuntimeConfig = RuntimeConfig()

    @field_validator("data_dir")
    @classmethod
    def _a_folder(cls, value: Path) -> Path:
        """The data folder, or the nearest part of its path that exists, must be a folder."""
        path = value.expanduser()
        for part in (path, *path.parents):
            if part.exists():
                if not part.is_dir():
                    raise ValueError(f"{part} exists and is not a folder")
                break
        return value

    @property
    def data_path(self) -> Path:
        return self.data_dir.expanduser()


def _describe(error: ValidationError, source: str) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
        lines.append(f"{source}: {key}: {message}")
    return "\n".join(lines)


def parse_config(raw: Any, *, source: str = "config") -> Config:
    """Validate a mapping (e.g. parsed YAML) into a Config, or raise ConfigError naming the key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of settings")
    try:
        return Config.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_describe(error, source)) from None


def find_config_file(explicit: Path | None = None) -> Path | None:
    """The config file to read, by the precedence in this module's docstring (None: defaults)."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get("PREFMEM_CONFIG")
    if from_env:
        return Path(from_env)
    for candidate in (Path("config.yaml"), Path("~/.config/prefmem/config.yaml").expanduser()):
        if candidate.is_file():
            return candidate
    return None


def read_config_file(path: Path) -> Config:
    """Read and validate one config file (no search, no environment), or raise ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read config file {path}: {error}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    return parse_config(raw, source=str(path))


def load_config(path: Path | None = None, *, data_dir: Path | None = None) -> Config:
    """The command line's configuration: the file found by the precedence in this module's docstring
    (defaults if none), then `data_dir` (e.g. from --data-dir) or $PREFMEM_DATA_DIR over its data folder."""
    config_file = find_config_file(path)
    config = read_config_file(config_file) if config_file is not None else parse_config({}, source="defaults")
    chosen = data_dir or (
        Path(os.environ["PREFMEM_DATA_DIR"]) if os.environ.get("PREFMEM_DATA_DIR") else None
    )
    if chosen is not None:
        config = config.model_copy(update={"data_dir": chosen})
    return config
