# Kota Cerdas: every entry point. `make run` for a first look, `make test` for the whole suite, `make docs` for the docs.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
ADDR ?= 127.0.0.1:8000

.PHONY: schema run test install install-dev docs chromium lint migrations-check messages messages-check pytest clean multinode fuzz fuzz-install load faults bench

## The runtime installed: a virtualenv with the portal's Python packages (requirements.txt), and the front-end
## packages from npm. `make run` needs nothing more.
install: $(VENV)/.installed node_modules/.installed

## The runtime plus the tools of the tests, the lint and the docs (requirements-dev.txt).
install-dev: install $(VENV)/.dev-installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## First look: SQLite under var/, demo data, an administrator, the portal on http://$(ADDR)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py ensure_admin
	@echo "Kota Cerdas is on http://$(ADDR)/ (admin: http://$(ADDR)/admin/). Stop it with Ctrl+C."
	DJANGO_SECURE_COOKIES=false $(PY) manage.py runserver $(ADDR)

## The whole test suite, on the real PostgreSQL and Redis (override the URLs to point elsewhere).
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kotacerdas
test: export REDIS_URL ?= redis://127.0.0.1:6379/1
test: export DJANGO_SECRET_KEY ?= test-only-key-$(shell date +%s)-not-for-production-use
test: export DJANGO_STATICFILES_STORAGE = django.contrib.staticfiles.storage.StaticFilesStorage
test: install-dev fuzz-install chromium lint migrations-check messages-check docs pytest

## Debian's Chromium, which the browser tests (tests/browser/) drive through Playwright: never a downloaded
## browser build. Installed once (as root, from Debian's mirrors); a no-op when /usr/bin/chromium is there.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## The docs site (docs/, mkdocs.yml) into site/ (git-ignored): strict, so a broken link or a page left out of the
## navigation fails; open site/index.html, no server needed.
docs: $(VENV)/.dev-installed
	$(VENV)/bin/mkdocs build --strict --quiet --site-dir site
	@echo "The docs are in site/index.html"

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check:
	$(PY) manage.py makemigrations --check --dry-run

## Refresh the Indonesian catalog from the source strings, then compile it.
messages:
	$(PY) manage.py makemessages --locale id --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'site/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*' --ignore 'node_modules/*'

## Fails when a user-facing string has no Indonesian translation, or a translation is fuzzy.
messages-check: messages
	@for filter in --untranslated --only-fuzzy; do \
	  if msgattrib $$filter --no-obsolete locale/id/LC_MESSAGES/django.po | grep -q '^msgid "..*"'; then \
	    echo "locale/id/LC_MESSAGES/django.po has entries that are $$filter:"; \
	    msgattrib $$filter --no-obsolete locale/id/LC_MESSAGES/django.po; exit 1; fi; done

## In TEST_WORKERS processes (pytest-xdist; 1 for one process), each test sent on its own in collection order, so
## each worker runs the transactional and browser tests after its others, as one process does (docs/contributing/tests.md).
TEST_WORKERS ?= 2
pytest: $(VENV)/.dev-installed
	$(PY) -m pytest $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist load)

## Two nodes behind nginx on loopback, one killed under load (needs nginx: apt-get install nginx-light).
multinode: install
	$(PY) deploy/multinode.py

## The outside fuzzer: schemathesis (requirements-fuzz.txt) against /api/v1/schema/ on a live gunicorn, run as
## anonymous, staff and partner callers; 0 server errors and 0 answers that break the schema. FUZZ_ARGS=--bounded is CI's run.
fuzz: install fuzz-install
	$(PY) deploy/fuzz.py $(FUZZ_ARGS)

fuzz-install: $(VENV)/.fuzz-installed

$(VENV)/.fuzz-installed: requirements-fuzz.txt requirements-shapes.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -r requirements-fuzz.txt
	$(VENV)/bin/pip install --quiet --no-deps -r requirements-shapes.txt
	touch $@

## Load: wrk (apt-get install wrk), 64 connections for 60 s over the public pages and the API; req/s, p50, p99, errors.
load: install
	$(PY) deploy/load.py $(LOAD_ARGS)

## Faults on a PostgreSQL cluster and a Redis of its own (ports 5434, 6390): Redis stopped, broker away, database restarted.
faults: install
	$(PY) deploy/faults.py $(FAULTS_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles var site

## The performance benchmark: the portal against a bare Django project (bench/bare/) and its DRF and template
## peers, cold and warm, at 100 and 10,000 programs, and under 2, 10 and 30 posts/s, on PostgreSQL and Redis
## (needs wrk; about 30 minutes). Writes bench/results/latest.{md,json} after each step.
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

## The API contract: regenerate docs/api/openapi-v1.yaml from the code, deliberately (tests/test_api_contract.py
## fails while the two differ, and refuses a breaking change unless the version moves or CHANGELOG names it).
schema:
	$(PY) manage.py spectacular --lang en --validate --fail-on-warn --file docs/api/openapi-v1.yaml
