"""Process-wide settings that only the command line may make.

The library never touches environment variables, logging levels, thread counts or
malloc: an application that imports prefmem keeps its own. The `prefmem` command owns
its process, so it sets them here:

- offline and quiet: the hub is never asked (models ship in Python packages), and
  transformers' warnings and progress bars would garble the command's own output;
- `runtime.torch_threads` and `runtime.omp_wait_policy` from config.yaml.
"""

from __future__ import annotations

import os
import sys

from prefmem.agent.config import Config

#: Environment for the libraries the command loads, set unless the user set them already.
_QUIET_OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def quiet_offline_libraries() -> None:
    """Keep the hub offline and transformers quiet (before they load, or now if they have)."""
    for name, value in _QUIET_OFFLINE.items():
        os.environ.setdefault(name, value)
    transformers = sys.modules.get("transformers")
    if transformers is not None:  # already imported: the variables above came too late
        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()


def apply_torch_threads(config: Config) -> None:
    """Apply runtime.torch_threads (0 leaves torch's default) and runtime.omp_wait_policy,
    without importing torch for them.

    Before torch loads, OMP_NUM_THREADS decides its thread count; once loaded, only
    `torch.set_num_threads` does. OMP_WAIT_POLICY is read once, when torch loads: set later it
    changes nothing, and one already in the environment is the user's choice and stays.
    """
    policy = config.runtime.omp_wait_policy
    if policy is not None and "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", policy.upper())
    threads = config.runtime.torch_threads
    if threads <= 0:
        return
    torch = sys.modules.get("torch")
    if torch is None:
        os.environ["OMP_NUM_THREADS"] = str(threads)
    else:
        torch.set_num_threads(threads)

