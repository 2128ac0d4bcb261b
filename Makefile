# CS Ledger — developer entry points. Every target works from a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: install test lint typecheck run bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# Loads the demo into the default data dir if it is empty; prints the demo users' tokens.
.PHONY: demo
demo: $(STAMP)
	$(BIN)/cs-ledger demo --if-empty

run: demo
	@echo "API docs: http://127.0.0.1:8000/docs"
	$(BIN)/cs-ledger serve --host 127.0.0.1 --port 8000

clean:
	rm -rf $(VENV) .cs-ledger .pytest_cache .mypy_cache .ruff_cache
