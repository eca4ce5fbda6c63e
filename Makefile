# ClearCourse: `make run` serves the app on http://127.0.0.1:8000; `make test` runs every check.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/clearcourse_test

.PHONY: run serve test lint test-sqlite test-e2e test-postgres build install install-dev browser fonts services bench clean

$(BIN)/activate: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(BIN)/activate requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(BIN)/activate

install-dev: $(VENV)/.dev-installed

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

build: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

## The app: install, build the PWA, migrate the SQLite file under instance/, serve with the scheduler.
run: install build fonts
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/python -m backend.serve --host $(HOST) --port $(PORT)

serve:
	$(BIN)/python -m backend.serve --host $(HOST) --port $(PORT)

## Everything CI runs: lint, unit + API + reminder tests on SQLite, browser tests, then again on PostgreSQL.
test: install-dev build browser fonts services lint test-sqlite test-e2e test-postgres

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/python scripts/i18n-check

test-sqlite: install-dev
	$(BIN)/pytest -q -p no:cacheprovider -m "not e2e"

# Browser tests in their own run: Playwright's sync API keeps an event loop in the main thread.
test-e2e: install-dev build browser
	$(BIN)/pytest -q -p no:cacheprovider -m e2e tests/e2e

test-postgres: install-dev services
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -p no:cacheprovider -m "not e2e" tests/api tests/reminders

# The report PDF embeds DejaVu Sans from Debian's fonts-dejavu-core (see backend/record/pdf_font.py).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || scripts/install-apt-packages fonts-dejavu-core

browser:
	@command -v chromium >/dev/null || scripts/install-apt-packages chromium

services:
	scripts/ensure-services

## Benchmarks (results: bench/RESULTS.md). The PWA's first-load weight is printed by `make build`.
bench: install-dev build services
	@command -v wrk >/dev/null || scripts/install-apt-packages wrk
	$(BIN)/python bench/api_cost.py
	$(BIN)/python bench/push_fanout.py
	$(BIN)/python bench/claim_cost.py --postgres
	$(BIN)/python bench/serving.py
	$(BIN)/python bench/first_load.py
	$(BIN)/python bench/reminder_cost.py --postgres
	$(BIN)/python bench/worst_get.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache .ruff_cache
