# LeadTracker — `make run` to try it, `make test` to test it. Everything installs itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install assets lint format bench loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP) assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end assets come from the npm registry (package-lock.json) and are served by WhiteNoise.
# Chart.js's source map goes too: production's manifest storage follows its sourceMappingURL.
assets: node_modules/.package-lock.json
	mkdir -p leadtracker/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/chart.js/dist/chart.umd.min.js leadtracker/static/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js.map leadtracker/static/vendor/

run: install
	$(BIN)/leadtracker migrate --no-input -v 0
	$(BIN)/leadtracker demo
	@echo "Starting the web server and the worker at http://127.0.0.1:8000 (Ctrl+C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/leadtracker worker & \
	  $(BIN)/leadtracker runserver 127.0.0.1:8000

test: install
	bash scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench

# Not part of `make test`: 200 phones syncing and 20 managers on dashboards for 5 minutes against
# `leadtracker serve` and the local PostgreSQL (LOADTEST_DATABASE_URL); figures in docs/performance.md.
loadtest: install
	$(BIN)/python scripts/loadtest.py

clean:
	rm -rf $(VENV) node_modules leadtracker/static/vendor staticfiles
