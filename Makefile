# Quai — the two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
APPS   := members coworking events incubator fabrique

.PHONY: run test bench install messages check clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev,embedded]'
	@touch $(STAMP)

install: $(STAMP)
	@if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then \
		npm install --no-audit --no-fund --silent || echo "npm install failed: accessibility checks will be skipped"; fi

## Start web + Celery worker + Celery beat with demo data (embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL).
run: install
	$(PY) -m quai.devstack run

## Install and run the whole test suite (unit, API, Celery, concurrency, browser).
test: install
	$(PY) -m quai.devstack test $(ARGS)

## Run the benchmarks and print a table (not part of `make test`).
bench: install
	$(PY) -m quai.devstack bench $(ARGS)

## Any manage.py command against the same stack: make manage ARGS="createsuperuser"
manage: install
	$(PY) -m quai.devstack manage $(ARGS)

## Refresh the French catalogues (needs GNU gettext). Shared templates and quai/ → locale/; each app → <app>/locale/.
messages: install
	$(VENV)/bin/django-admin makemessages -l fr --no-obsolete --no-location --ignore='.venv/*' --ignore='node_modules/*' \
		--ignore='var/*' --ignore='tests/*' --ignore='benchmarks/*' $(foreach app,$(APPS),--ignore='$(app)/*')
	@for app in $(APPS); do (cd $$app && mkdir -p locale && ../$(VENV)/bin/django-admin makemessages -l fr --no-obsolete --no-location); done

clean:
	rm -rf $(VENV) var
