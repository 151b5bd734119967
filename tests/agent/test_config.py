"""config.yaml: the documented defaults are the defaults used; bad files fail naming the key; precedence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from prefmem.agent.config import Config, find_config_file, load_config, parse_config
from prefmem.memory.errors import ConfigError, UsageError

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config.yaml"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with an empty home and no prefmem variables (also done by tests/conftest.py)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PREFMEM_CONFIG", raising=False)
    monkeypatch.delenv("PREFMEM_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return home


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the project's config.yaml ----------------------------------------------------------


def test_repo_config_is_exactly_the_defaults() -> None:
    assert REPO_CONFIG.is_file()
    assert load_config(REPO_CONFIG) == Config()


def test_repo_config_lists_every_setting() -> None:
    raw = yaml.safe_load(REPO_CONFIG.read_text(encoding="utf-8"))
    assert set(raw) == set(Config.model_fields)
    for name, field in Config.model_fields.items():
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            assert isinstance(raw[name], dict), name
            missing = set(section.model_fields) - set(raw[name])
            extra = set(raw[name]) - set(section.model_fields)
            assert not missing, f"{name}: {sorted(missing)} not documented in config.yaml"
            assert not extra, f"{name}: {sorted(extra)} are not settings"
    assert raw["episodic"]["server"] is None


def test_defaults_without_any_file() -> None:
    assert find_config_file() is None
    config = load_config()
    assert config == Config()
    assert config.data_path == Path("~/.local/share/prefmem").expanduser()


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(_write(tmp_path / "empty.yaml", "# nothing set\n")) == Config()


def test_partial_file_keeps_other_defaults(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path / "c.yaml", "llm: {backend: scripted, temperature: 0}\n"))
    assert config.llm.backend == "scripted"
    assert config.llm.temperature == 0.0
    assert config.llm.top_p == Config().llm.top_p
    assert config.embedder == Config().embedder


def test_chroma_server_section(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path / "c.yaml", "episodic:\n  server: {host: db.local, port: 8001}\n"))
    assert config.episodic.server is not None
    assert (config.episodic.server.host, config.episodic.server.port, config.episodic.server.ssl) == (
        "db.local",
        8001,
        False,
    )


# -- errors name the key ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("llm:\n  tempreature: 0.5\n", "llm.tempreature"),
        ("embeder:\n  backend: hashing\n", "embeder"),
        ("episodic:\n  server: {host: h, port: 1, tls: true}\n", "episodic.server.tls"),
    ],
)
def test_unknown_key_is_an_error_naming_the_dotted_key(tmp_path: Path, text: str, key: str) -> None:
    path = _write(tmp_path / "c.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{key}: unknown key" in message
    assert str(path) in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("episodic:\n  top_k: -1\n", "episodic.top_k"),
        ("episodic:\n  recall_mode: newest\n", "episodic.recall_mode"),
        ("llm:\n  backend: gpt\n", "llm.backend"),
        ("llm:\n  temperature: hot\n", "llm.temperature"),
        ("embedder:\n  batch_size: 0\n", "embedder.batch_size"),
        ("assistant:\n  system_prompt: ''\n", "assistant.system_prompt"),
        ("episodic:\n  server: {host: h, port: 70000}\n", "episodic.server.port"),
        ("runtime: 3\n", "runtime"),
        ("reward:\n  relevance_weight: .inf\n", "reward.relevance_weight"),
        ("episodic:\n  recency_half_life_days: .nan\n", "episodic.recency_half_life_days"),
        ("server:\n  trace_cache: 1000000000000000000000000\n", "server.trace_cache"),
        ("assistant:\n  max_message_chars: 10000000000\n", "assistant.max_message_chars"),
    ],
)
def test_bad_value_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path / "c.yaml", text))
    assert f": {key}: " in str(caught.value)
    assert "unknown key" not in str(caught.value)


def test_every_problem_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        text = "episodic: {top_k: -1, min_similarity: 5}\nllm: {colour: red}\n"
        load_config(_write(tmp_path / "c.yaml", text))
    message = str(caught.value)
    assert "episodic.top_k" in message
    assert "episodic.min_similarity" in message
    assert "llm.colour: unknown key" in message


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(_write(tmp_path / "c.yaml", text))


def test_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(_write(tmp_path / "c.yaml", "llm: [unclosed\n  backend: x\n"))


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_config_errors_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        parse_config({"nope": 1})
    assert parse_config(None) == Config()


# -- where the file comes from ------------------------------------------------------------


def test_precedence_of_config_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated: Path) -> None:
    explicit = _write(tmp_path / "explicit.yaml", "episodic: {top_k: 11}\n")
    from_env = _write(tmp_path / "env.yaml", "episodic: {top_k: 12}\n")
    local = _write(tmp_path / "config.yaml", "episodic: {top_k: 13}\n")
    user = _write(_isolated / ".config" / "prefmem" / "config.yaml", "episodic: {top_k: 14}\n")
    monkeypatch.setenv("PREFMEM_CONFIG", str(from_env))

    assert load_config(explicit).episodic.top_k == 11
    assert load_config().episodic.top_k == 12
    monkeypatch.delenv("PREFMEM_CONFIG")
    assert find_config_file() == Path("config.yaml")
    assert load_config().episodic.top_k == 13
    local.unlink()
    assert find_config_file() == user
    assert load_config().episodic.top_k == 14
    user.unlink()
    assert load_config().episodic.top_k == Config().episodic.top_k


def test_config_variable_pointing_nowhere_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "config.yaml", "episodic: {top_k: 13}\n")
    monkeypatch.setenv("PREFMEM_CONFIG", str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError, match=r"missing\.yaml"):
        load_config()


def test_data_dir_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "c.yaml", f"data_dir: {tmp_path / 'from-file'}\n")
    assert load_config(path).data_path == tmp_path / "from-file"

    monkeypatch.setenv("PREFMEM_DATA_DIR", str(tmp_path / "from-env"))
    assert load_config(path).data_path == tmp_path / "from-env"
    assert load_config(path, data_dir=tmp_path / "from-option").data_path == tmp_path / "from-option"

    monkeypatch.setenv("PREFMEM_DATA_DIR", "")
    assert load_config(path).data_path == tmp_path / "from-file"


def test_data_dir_expands_home(tmp_path: Path, _isolated: Path) -> None:
    config = load_config(_write(tmp_path / "c.yaml", "data_dir: ~/prefmem-data\n"))
    assert config.data_path == _isolated / "prefmem-data"


@pytest.mark.parametrize("inside", ["", "below"])
def test_a_data_dir_that_is_not_a_folder_is_refused(tmp_path: Path, inside: str) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    chosen = tmp_path / "a-file" / inside if inside else tmp_path / "a-file"
    with pytest.raises(ConfigError, match="a-file exists and is not a folder"):
        parse_config({"data_dir": str(chosen)})
    assert (
        parse_config({"data_dir": str(tmp_path / "new" / "folder")}).data_path == tmp_path / "new" / "folder"
    )
