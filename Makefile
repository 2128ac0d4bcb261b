# CS Ledger — developer entry points. Every target works from a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Two stamps: `make run` installs the runtime only; `make test` and the other developer
# targets install the dev extras too. Each is redone when pyproject.toml changes.
STAMP  := $(VENV)/.installed-dev
RUNTIME_STAMP := $(VENV)/.installed-runtime
LINTED := src tests bench

.PHONY: install test coverage lint typecheck docs run bench bench-smoke churn-figures browser screenshots clean

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP) $(RUNTIME_STAMP)

install: $(STAMP)

# The suite runs on every core (pytest-xdist; PYTEST_WORKERS=0 for one process): each test
# has its own store, so tests are independent. docs/architecture.md, "Tests".
PYTEST_WORKERS ?= auto
test: $(STAMP) browser
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The suite with line and branch coverage of src/ (terminal summary, HTML in .coverage-html/).
coverage: $(STAMP) browser
	$(BIN)/python -m pytest -q --cov=src --cov-branch --cov-report=term:skip-covered \
		--cov-report=html:.coverage-html $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy
	$(BIN)/lint-imports

# The event catalogue is generated from the code (a test fails when it drifts).
docs: $(RUNTIME_STAMP)
	$(BIN)/python -m cs_store.catalogue > docs/events.md.tmp || { rm -f docs/events.md.tmp; exit 1; }
	mv docs/events.md.tmp docs/events.md

# Loads the demo into the default data dir if it is empty; prints the demo users' tokens.
.PHONY: demo
demo: $(RUNTIME_STAMP)
	$(BIN)/cs-ledger demo --if-empty --train-model

run: demo
	@echo "Boards (sign in with a token above): http://127.0.0.1:8000/app/"
	@echo "API docs: http://127.0.0.1:8000/docs"
	$(BIN)/cs-ledger serve --host 127.0.0.1 --port 8000

# Benchmarks (docs/performance.md): SQLite, and PostgreSQL when CS_LEDGER_TEST_POSTGRES_URL
# is set. BENCH_EVENTS scales the log (default 1,000,000 events; 100000 for a quick run).
bench: $(STAMP)
	$(BIN)/python -m bench.run

# docs/models.md's figures: the churn model's holdout AUC on the demo beside the seed formula's.
churn-figures: $(STAMP)
	$(BIN)/python -m bench.churn_figures --customers 1000

# The benchmark tests alone (they also run in `make test`): a whole tiny `bench.run` included.
bench-smoke: $(STAMP)
	$(BIN)/python -m pytest -q tests/bench

# Debian's chromium for the browser tests of the boards (tests/boards/test_browser.py):
# Playwright drives /usr/bin/chromium; nothing is downloaded but the distribution's package.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium; }

# docs/img/*.png: a screenshot of each board, from a small demo (docs/ui.md).
# (A CJK font so the Chinese labels render: Debian's fonts-wqy-microhei.)
screenshots: $(STAMP) browser
	@fc-list | grep -qi wqy || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y fonts-wqy-microhei
	$(BIN)/python -m bench.screenshots docs/img

clean:
	rm -rf $(VENV) .cs-ledger .cs-ledger-bench .pytest_cache .mypy_cache .ruff_cache
