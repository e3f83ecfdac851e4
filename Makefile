# `make setup` installs everything in .venv (then run .venv/bin/bitel-mock, or `source
# .venv/bin/activate` for bitel-mock on PATH); every target below sets up first.
# `make run` sets everything up and starts the emulator on 127.0.0.1:8080;
# `make test` sets everything up and runs the whole test suite;
# `make bench` measures the emulator against a bare Flask echo (gunicorn, granian) and WireMock.
# `make fuzz` throws schemathesis cases and raw-socket junk at a served emulator: no 5xx, no HTML.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
STORE ?= sqlite:///bitel-mock.sqlite3
WORKERS ?= 2
USAGE = echo "bitel-mock is installed in $(VENV): run $(BIN)/bitel-mock --help (or 'source $(BIN)/activate' to put bitel-mock on PATH)"

.PHONY: run test lint format setup clean bench mutation docs fuzz

$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@
	@$(USAGE)

setup: $(INSTALLED)
	@$(USAGE)

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
	sh benchmarks/install_tools.sh $(BIN)
	$(BIN)/python benchmarks/run.py

fuzz: $(INSTALLED)
	$(BIN)/python benchmarks/fuzz.py

# `make docs` rewrites the tables of docs/ generated from the command's own options.
docs: $(INSTALLED)
	$(BIN)/python -m tests.docs.settings_table

# `make mutation` mutates the domain, the HTTP layer and the CLI with mutmut (settings in
# pyproject.toml) and runs the fast tests (unit, api, property) against every mutant, in a
# copy of the tree laid out as installed: bitel_mock/ (from mock_server/) holding client/ and
# contracts/. MUTANTS='bitel_mock.domain.*' runs a subset; `mutmut show NAME` in
# build/mutation shows a mutant.
MUTATION_DIR ?= build/mutation
MUTANTS ?=

mutation: $(INSTALLED)
	rm -rf $(MUTATION_DIR)
	mkdir -p $(MUTATION_DIR)
	cp -R mock_server $(MUTATION_DIR)/bitel_mock
	cp -R client $(MUTATION_DIR)/bitel_mock/client
	cp -R contracts $(MUTATION_DIR)/bitel_mock/contracts
	cp -R tests pyproject.toml $(MUTATION_DIR)/
	find $(MUTATION_DIR) -name __pycache__ -prune -exec rm -rf {} +
	cd $(MUTATION_DIR) && $(abspath $(BIN))/mutmut run $(MUTANTS)
	cd $(MUTATION_DIR) && $(abspath $(BIN))/mutmut results --all true > results.txt
	@echo "mutants by status:" && sed 's/.*: //' $(MUTATION_DIR)/results.txt | sort | uniq -c
	@grep -E ': (survived|timeout|suspicious|no tests)$$' $(MUTATION_DIR)/results.txt || true

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
