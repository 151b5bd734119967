"""The distribution installs one import name, `prefmem`, and coexists with an app's own modules."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_prefmem_imports_beside_an_apps_own_memory_and_agent(tmp_path: Path) -> None:
    app = tmp_path / "app"
    (app / "agent").mkdir(parents=True)
    (app / "memory.py").write_text("OWNER = 'app'\n")
    (app / "agent" / "__init__.py").write_text("OWNER = 'app'\n")
    code = (
        "import agent, memory\n"
        "from prefmem.memory.models import Interaction\n"
        "from prefmem.agent.config import Config\n"
        "import prefmem.evals\n"
        "assert memory.OWNER == 'app' and agent.OWNER == 'app', 'the app lost its own modules'\n"
        "assert Interaction(user_id='u', user_text='hi').user_text == 'hi'\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=app, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_wheel_holds_exactly_one_top_level_package(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(PROJECT_ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("prefmem-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"prefmem"}
    for layer in ("agent", "memory", "evals"):
        assert f"prefmem/{layer}/__init__.py" in names
    assert "prefmem/agent/cli/app.py" in names
    for page in ("index.html", "app.css", "app.js"):  # the web page of `prefmem serve`
        assert f"prefmem/agent/server/static/{page}" in names
