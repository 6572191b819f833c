# Aduan — the two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit install migrate bench clean bytecode

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# An editable install leaves our own modules uncompiled, and where PYTHONDONTWRITEBYTECODE is
# set every `aduan serve` compiled them again (a third of a second of its start-up). Only
# changed files are compiled again; a stale .pyc is ignored, never used.
bytecode: $(BIN)/python
	$(BIN)/python -m compileall -q bot core storage > /dev/null

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/aduan db upgrade

run: $(STAMP) bytecode
	$(BIN)/aduan serve

lint: $(STAMP)
	$(BIN)/ruff check bot core storage tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

# The whole suite: lint, types, then tests on SQLite and (when reachable or TEST_POSTGRES_URL
# is set) on PostgreSQL. CI sets REQUIRE_POSTGRES=1 so a missing server fails the run.
test: lint typecheck
	$(BIN)/python -m tests.run_suites

# Quick regression guard (issue 19): 40 Telegram citizens through the webhook, raw capacity;
# prints "CPU per update" (see bench/RESULTS.md for the figure it should stay near).
bench: $(STAMP)
	$(BIN)/python -m bench.telegram_webhook --citizens 40 --concurrency 20 --warmup 10 --rate 100000 \
		--chat-rate 100000
	$(BIN)/python -m bench.webchat_intake

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
