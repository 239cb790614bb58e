# The two commands of the README: `make serve` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
DB ?= sqlite:///var/ajio-sim.sqlite3
# pytest-xdist processes for `make test`: 3 keep both cores of a 2-core machine busy (sampled from /proc/stat, an
# idle `.ci/run` keeps both at 97-100 % from start to end; `time`'s user figure misses the forkserver's children).
TEST_WORKERS ?= 3

# The pinned OpenAPI linters (spectral, redocly) of tests/contract/test_openapi_lint.py: npm ci when npm
# is there; without it those tests skip (and fail under CI=true; .ci/run installs Node first).
LINT_DIR := contracts/lint
LINT_STAMP := $(LINT_DIR)/node_modules/.installed

.PHONY: serve test lint install clean lint-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

$(LINT_STAMP): $(LINT_DIR)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(LINT_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the OpenAPI lint tests will skip (install Node.js and npm, then make lint-tools)"; fi

lint-tools: $(LINT_STAMP)

install: $(STAMP) $(LINT_STAMP)

serve: $(STAMP)
	mkdir -p var
	$(BIN)/ajio-sim serve --host $(HOST) --port $(PORT) --db $(DB) --demo

# Style (ruff) and layering (import-linter, contracts in pyproject.toml) first: a violation fails the build.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The tests start hundreds of ajio-sim and connector processes: their modules are compiled once here, so that
# none recompiles them where PYTHONDONTWRITEBYTECODE keeps Python from caching bytecode (0.3 s a process).
# The slowest tests are listed at the end (--durations): where `make test`'s time goes, in every CI log.
test: lint $(LINT_STAMP)
	$(BIN)/python -m compileall -q -j 0 simulator src contracts examples >/dev/null
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=15

clean:
	rm -rf $(VENV) var .pytest_cache $(LINT_DIR)/node_modules
