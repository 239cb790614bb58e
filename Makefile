# The two commands of the README: `make serve` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
DB ?= sqlite:///var/ajio-sim.sqlite3

.PHONY: serve test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	mkdir -p var
	$(BIN)/ajio-sim serve --host $(HOST) --port $(PORT) --db $(DB) --demo

# Style (ruff) and layering (import-linter, contracts in pyproject.toml) first: a violation fails the build.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var .pytest_cache
