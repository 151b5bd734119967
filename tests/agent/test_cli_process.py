"""The command line, and only it, makes process-wide settings: offline and quiet libraries,
torch's threads, and filling freed memory for the stores it opens."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from prefmem.agent.cli.process import apply_torch_threads, quiet_offline_libraries
from prefmem.agent.config import Config, RuntimeConfig

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUIET = ("HF_HUB_OFFLINE", "TRANSFORMERS_VERBOSITY", "HF_HUB_DISABLE_PROGRESS_BARS")


@pytest.fixture
def transformers_logging() -> Iterator[None]:
    """Put transformers' verbosity and progress bars back as they were."""
    import transformers

    level = transformers.utils.logging.get_verbosity()
    bars = transformers.utils.logging.is_progress_bar_enabled()
    yield
    transformers.utils.logging.set_verbosity(level)
    if bars:
        transformers.utils.logging.enable_progress_bar()


@pytest.fixture
def torch_threads() -> Iterator[int]:
    import torch

    threads = torch.get_num_threads()
    yield threads
    torch.set_num_threads(threads)


def test_the_command_line_quiets_libraries_and_keeps_the_hub_offline(
    monkeypatch: pytest.MonkeyPatch, transformers_logging: None
) -> None:
    import transformers

    for name in QUIET:
        monkeypatch.delenv(name, raising=False)
    transformers.utils.logging.set_verbosity_warning()
    quiet_offline_libraries()
    assert {name: os.environ.get(name) for name in QUIET} == {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_VERBOSITY": "error",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }
    # transformers was imported already, so the variables came too late: set directly
    assert logging.getLogger("transformers").level == logging.ERROR
    assert not transformers.utils.logging.is_progress_bar_enabled()


def test_a_users_own_environment_wins(monkeypatch: pytest.MonkeyPatch, transformers_logging: None) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    for name in QUIET[1:]:
        monkeypatch.delenv(name, raising=False)
    quiet_offline_libraries()
    assert os.environ["HF_HUB_OFFLINE"] == "0"


def test_torch_threads_apply_to_a_loaded_torch(torch_threads: int) -> None:
    import torch

    apply_torch_threads(Config(runtime=RuntimeConfig(torch_threads=0)))
    assert torch.get_num_threads() == torch_threads  # 0: torch's default stays
    wanted = 1 if torch_threads != 1 else 2
    apply_torch_threads(Config(runtime=RuntimeConfig(torch_threads=wanted)))
    assert torch.get_num_threads() == wanted


def test_torch_threads_apply_before_torch_loads(tmp_path: Path) -> None:
    # a fresh process: the setting is read before torch is imported, without importing it
    script = (
        "import sys\n"
        "from prefmem.agent.cli.process import apply_torch_threads\n"
        "from prefmem.agent.config import Config, RuntimeConfig\n"
        "apply_torch_threads(Config(runtime=RuntimeConfig(torch_threads=1)))\n"
        "assert 'torch' not in sys.modules\n"
        "import torch\n"
        "print(torch.get_num_threads())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def _wait_policy_after_apply(tmp_path: Path, env_policy: str | None, setting: str) -> str:
    """OMP_WAIT_POLICY in a fresh process after the command line applied `setting`, torch unloaded."""
    script = (
        "import os, sys\n"
        "from prefmem.agent.cli.process import apply_torch_threads\n"
        "from prefmem.agent.config import Config, RuntimeConfig\n"
        f"apply_torch_threads(Config(runtime=RuntimeConfig(omp_wait_policy={setting})))\n"
        "assert 'torch' not in sys.modules\n"
        "print(os.environ.get('OMP_WAIT_POLICY', '-'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if env_policy is not None:
        env["OMP_WAIT_POLICY"] = env_policy
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_idle_torch_threads_sleep_unless_the_user_chose_otherwise(tmp_path: Path) -> None:
    assert RuntimeConfig().omp_wait_policy == "passive"
    assert _wait_policy_after_apply(tmp_path, None, "'passive'") == "PASSIVE"
    assert _wait_policy_after_apply(tmp_path, None, "'active'") == "ACTIVE"
    assert _wait_policy_after_apply(tmp_path, None, "None") == "-"
    assert _wait_policy_after_apply(tmp_path, "ACTIVE", "'passive'") == "ACTIVE"
