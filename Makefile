# Breachclock: `make run` to try it, `make test` to test it. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV_VERSION := 0.13.9
UV := $(TOOLS)/bin/uv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
# Where the links in e-mails point: the address `make run` serves, unless set (in the environment
# or as `make run PUBLIC_BASE_URL=...`), e.g. to the address a proxy in front of it answers at.
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)/

# Use the Python that is here; never download one.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint bench demo-passwords clean

$(UV):
	$(PYTHON) -c 'import sys; sys.exit("Breachclock needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.installed  ## the virtual environment, exactly as uv.lock says

run: install  ## migrate, load the demo data, start web + Celery worker + beat (Ctrl-C stops all three)
	$(MANAGE) migrate --noinput
	PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(MANAGE) load_demo --url http://127.0.0.1:$(PORT)/
	PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(BIN)/honcho -f Procfile start --port $(PORT)

demo-passwords: install  ## give the demo users new passwords and print them
	$(MANAGE) load_demo --reset-passwords

test: install  ## the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install  ## ruff, mypy and the import contracts (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

# The bench group (the yardsticks django-auditlog and docxtpl, and locust) is synced in for the run only: without the
# stamp, the next `make install` syncs the environment back to what uv.lock gives the app.
bench: | $(UV)  ## benchmarks; results go to docs/BENCHMARKS.md
	$(UV) sync --frozen --python $(PYTHON) --group bench
	rm -f $(VENV)/.installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(TOOLS)
