"""`import prefmem.langchain` is cheap and quiet: LangChain and the components load on first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import prefmem.langchain

PROJECT_ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import os, sys
environment = dict(os.environ)
import prefmem.langchain as components
assert dict(os.environ) == environment
loaded = [name for name in sys.modules if name.startswith(("langchain", "prefmem.langchain."))]
assert loaded == [], loaded
from prefmem.langchain import PersonalizedChatModel
assert "prefmem.langchain.chat_model" in sys.modules
assert "prefmem.langchain.history" not in sys.modules
print(PersonalizedChatModel.__name__)
"""


def test_importing_the_package_loads_no_langchain(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=tmp_path,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "PersonalizedChatModel"


def test_the_exported_names_are_the_components() -> None:
    from langchain_core.chat_history import BaseChatMessageHistory
    from langchain_core.language_models import BaseChatModel
    from langchain_core.retrievers import BaseRetriever

    assert issubclass(prefmem.langchain.PersonalizedChatModel, BaseChatModel)
    assert issubclass(prefmem.langchain.PrefmemChatMessageHistory, BaseChatMessageHistory)
    assert issubclass(prefmem.langchain.PrefmemRetriever, BaseRetriever)
    assert set(prefmem.langchain.__all__) <= set(dir(prefmem.langchain))
    with pytest.raises(AttributeError):
        prefmem.langchain.Missing  # noqa: B018
