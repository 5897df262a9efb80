# LeadTracker — `make run` to try it, `make test` to test it. Everything installs itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install assets agent-wheel messages lint format bench loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP) assets agent-wheel messages

# The Hindi catalogues: each .po compiled to the .mo Django reads, with Babel (no system gettext);
# only those whose .po changed. The .mo files are not committed: they are built from the .po.
messages: $(STAMP)
	$(BIN)/python -m leadtracker.lib.catalogues compile

# The device agent's wheel, which the server hands to phones (/agent/install.sh installs it):
# written into agent/dist/ from agent/'s source, with no network (phone_setup/wheel.py says why).
agent-wheel: $(STAMP)
	$(BIN)/python -m leadtracker.calls.phone_setup.wheel

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end assets come from the npm registry (package-lock.json) and are served by WhiteNoise.
# Chart.js's source map goes too: production's manifest storage follows its sourceMappingURL.
assets: node_modules/.package-lock.json
	mkdir -p leadtracker/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/chart.js/dist/chart.umd.min.js leadtracker/static/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js.map leadtracker/static/vendor/

# `make run PORT=8123` serves on another port; SITE_URL (the links in e-mails) follows it unless
# set. E-mails go to var/mail/ with one line each in the log (lib/mail.py), not printed whole,
# so the worker's reminders and digests do not drown the server's log; EMAIL_BACKEND overrides.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
EMAIL_BACKEND ?= leadtracker.lib.mail.SummaryBackend
RUN_ENV = PORT='$(PORT)' SITE_URL='$(SITE_URL)' EMAIL_BACKEND='$(EMAIL_BACKEND)'

run: install
	$(RUN_ENV) $(BIN)/leadtracker migrate --no-input -v 0
	$(RUN_ENV) $(BIN)/leadtracker demo
	@echo "Starting the web server and the worker at $(SITE_URL) (Ctrl+C stops both); e-mails are kept in var/mail/"
	@trap 'kill 0' EXIT INT TERM; \
	  $(RUN_ENV) $(BIN)/leadtracker worker & \
	  $(RUN_ENV) $(BIN)/leadtracker runserver 127.0.0.1:$(PORT)

test: install
	bash scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint leadtracker --check
	$(BIN)/djlint leadtracker --lint

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint leadtracker --reformat --warn

bench: install
	$(BIN)/python -m bench

# Not part of `make test`: 200 phones syncing and 20 managers on dashboards for 5 minutes against
# `leadtracker serve` and the local PostgreSQL (LOADTEST_DATABASE_URL); figures in docs/performance.md.
loadtest: install
	$(BIN)/python scripts/loadtest.py

clean:
	rm -rf $(VENV) node_modules leadtracker/static/vendor staticfiles
