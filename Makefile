# Tumbuh: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: test lint typecheck pytest venv clean docs-cli bench demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

RUNTIME_STAMP := $(VENV)/.installed-runtime

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

## make demo: virtualenv, install, the demo city on SQLite (once), demo users, then serve
## on http://127.0.0.1:8000 (Ctrl+C stops it; run again to restart in seconds).
demo: $(RUNTIME_STAMP)
	$(BIN)/tumbuh demo setup
	@echo "Tumbuh demo: http://127.0.0.1:8000"
	$(BIN)/tumbuh serve --host 127.0.0.1 --port 8000

## make test: install the dev dependencies, then run every check CI runs.
test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

## make docs-cli: regenerate docs/cli.md from the commands' --help.
docs-cli: $(STAMP)
	$(BIN)/python -m tumbuh.docs_cli > docs/cli.md

## make bench: run every benchmark script and print its figures.
bench: $(STAMP)
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
