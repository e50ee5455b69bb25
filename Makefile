# The two entry points the README documents: `make run` and `make test`.
# Both build the virtual environment themselves, so a fresh clone needs only Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint typecheck test-sqlite test-postgres bench load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/taskhaven serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test-sqlite: $(STAMP)
	TASKHAVEN_TEST_DATABASE=sqlite $(BIN)/pytest -n 2

test-postgres: $(STAMP)
	TASKHAVEN_TEST_DATABASE=$(TEST_PG_URL) $(BIN)/pytest -n 2

test: lint typecheck test-sqlite test-postgres

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Real server processes on loopback sockets, driven by wrk (needs `wrk` installed) and
# bench/loadgen.py; PostgreSQL at $(TEST_PG_URL) (LOAD_ARGS=--no-postgres for SQLite only).
load: $(STAMP)
	$(BIN)/python bench/load.py --postgres $(TEST_PG_URL) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) build src/*.egg-info
