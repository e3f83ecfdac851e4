# `make run` sets everything up and starts the emulator on 127.0.0.1:8080;
# `make test` sets everything up and runs the whole test suite;
# `make bench` measures the emulator against a bare Flask echo with wrk.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
STORE ?= sqlite:///bitel-mock.sqlite3
WORKERS ?= 2

.PHONY: run test lint format setup clean bench

$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

setup: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/bitel-mock serve --host $(HOST) --port $(PORT) --store $(STORE) --workers $(WORKERS) $(ARGS)

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(INSTALLED)
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
