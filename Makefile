# Aduan — the two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
# Two environments: .venv serves (`make run`, `aduan …`, the benchmarks) and holds only what
# pyproject.toml's dependencies name; .venv-dev adds the test and lint tools. The test tools
# bring libraries the server would otherwise load without needing them (moto's cryptography:
# python-telegram-bot imports it when present, 10 MiB of a server's RSS, issue 19), and a
# runtime dependency that only a test tool installs would pass every test and fail in
# production.
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
DEV_VENV  := .venv-dev
DEV_BIN   := $(DEV_VENV)/bin
DEV_STAMP := $(DEV_VENV)/.installed

.PHONY: run test lint typecheck unit install install-dev migrate bench clean bytecode

CHECK_PYTHON := $(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'

$(BIN)/python:
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)

$(DEV_BIN)/python:
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(DEV_VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

$(DEV_STAMP): $(DEV_BIN)/python pyproject.toml
	$(DEV_BIN)/python -m pip install --quiet --upgrade pip
	$(DEV_BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

# An editable install leaves our own modules uncompiled, and where PYTHONDONTWRITEBYTECODE is
# set every `aduan serve` compiled them again (a third of a second of its start-up). Only
# changed files are compiled again; a stale .pyc is ignored, never used.
bytecode: $(BIN)/python
	$(BIN)/python -m compileall -q bot core storage > /dev/null

install: $(STAMP)

install-dev: $(DEV_STAMP)

migrate: $(STAMP)
	$(BIN)/aduan db upgrade

run: $(STAMP) bytecode
	$(BIN)/aduan serve

lint: $(DEV_STAMP)
	$(DEV_BIN)/ruff check bot core storage tests bench

typecheck: $(DEV_STAMP)
	$(DEV_BIN)/mypy

unit: $(DEV_STAMP)
	$(DEV_BIN)/pytest -q

# The whole suite: lint, types, then tests on SQLite and (when reachable or TEST_POSTGRES_URL
# is set) on PostgreSQL. CI sets REQUIRE_POSTGRES=1 so a missing server fails the run.
test: lint typecheck
	$(DEV_BIN)/python -m tests.run_suites

# Quick regression guard (issue 19): 40 Telegram citizens through the webhook, raw capacity;
# prints "CPU per update" (see bench/RESULTS.md for the figure it should stay near).
bench: $(STAMP)
	$(BIN)/python -m bench.telegram_webhook --citizens 40 --concurrency 20 --warmup 10 --rate 100000 \
		--chat-rate 100000
	$(BIN)/python -m bench.webchat_intake

clean:
	rm -rf $(VENV) $(DEV_VENV) .pytest_cache .mypy_cache .ruff_cache
