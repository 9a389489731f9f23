# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test venv migrate seed serve openapi lint clean bench bench-quick

$(BIN)/qbank: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "qbank needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(BIN)/qbank

migrate: venv
	$(BIN)/qbank db upgrade

seed: migrate
	$(BIN)/qbank import seeds/*.txt

run: seed
	$(BIN)/qbank keys bootstrap --url http://$(HOST):$(PORT)
	$(BIN)/qbank serve --host $(HOST) --port $(PORT)

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench-quick: venv
	$(BIN)/python bench/run.py

bench: venv
	$(BIN)/python bench/run.py --full

openapi: venv
	$(BIN)/qbank openapi -o openapi.yaml

lint: venv
	$(BIN)/python -m ruff check app tests migrations

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
