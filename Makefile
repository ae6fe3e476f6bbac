# The two commands of the quick start: `make run` and `make test`.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test drill bench lint messages compilemessages install install-dev clean

$(VENV)/bin/python:
	"$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements/base.txt
	rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: requirements/base.txt requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Babel compiles the Dutch catalogue, so GNU gettext is not needed on the machine.
compilemessages: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

# Rewrites locale/nl/LC_MESSAGES/django.po from the sources (needs GNU gettext).
messages: $(VENV)/.installed
	$(MANAGE) makemessages --locale nl --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'staticfiles/*'

run: export PORTAL_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed compilemessages
	mkdir -p var
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) createcachetable
	DEBUG=1 $(MANAGE) seed_demo
	@echo ""
	@echo "Mijn organisatie runs on http://$(HOST):$(PORT)/  (demo logins, password demo-portal-2026):"
	@echo "  ruud.coon@example.com            Admin of Rode Lente and Rode Lente Services"
	@echo "  anne.vanamersfoort@example.com   Viewer of Rode Lente"
	@echo "  sanne.devries@example.com        Mijn support user of Rode Lente"
	@echo "  joost.bakker@example.com         Viewer of Rode Lente + Mijn support of Rode Lente Services"
	@echo "  marieke.jansen@example.com       Admin of Rode Lente (the second Admin)"
	@echo "  staff@example.com                vendor staff (Django admin at /admin/)"
	@echo "E-mails (welcome, password reset) are printed below by the task worker."
	@echo ""
	@# The e-mail worker runs beside the server and stops with it (Ctrl-C, or the server exiting);
	@# run_worker restarts it by itself when the database was away.
	DEBUG=1 $(MANAGE) run_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The browser tests need a Chromium: scripts/ensure-browser finds, installs or downloads one,
# or stops with a line saying what to install.
test: $(VENV)/.installed-dev compilemessages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	scripts/ensure-browser
	$(PY) -m pytest

# The outage drill (docs/operations.md "The outage drill"): a throwaway PostgreSQL cluster restarted and
# stopped under load; a few minutes, not part of `make test`. Report: drill/results/latest.md.
drill: $(VENV)/.installed compilemessages
	scripts/drill

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Every page under load against a throwaway PostgreSQL database on DATABASE_URL's server; see
# bench/README.md. Installs Debian's wrk when it is missing (needs root).
bench: $(VENV)/.installed compilemessages
	@command -v wrk >/dev/null || apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/portal"; exit 2; }
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var staticfiles
