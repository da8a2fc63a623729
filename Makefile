# relcrm: `make run` to try it, `make test` to test it. Needs only Python >= 3.11 and make.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
# Local runs are development runs unless the environment says otherwise.
export DEBUG ?= true
# The port of the web process of `make run` (honcho hands it to the Procfile as $PORT).
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test setup bench lint format typecheck messages lock clean

help:
	@echo "make run    - setup, then start web + worker + beat on :$(PORT) (make run PORT=8080)"
	@echo "make setup  - install, migrate, compile translations, install the schedule, load demo data"
	@echo "make test   - run the whole test suite (PYTEST_ARGS=... for pytest's arguments)"
	@echo "make bench  - print the benchmark figures"
	@echo "make lint / format / typecheck / messages / lock / clean"

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compiletranslations
	$(BIN)/python manage.py sync_schedules
	$(BIN)/python manage.py demo

run: setup
	$(BIN)/honcho start --procfile Procfile --port $(PORT)

test: $(VENV)/.dev
	$(BIN)/python manage.py compiletranslations
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	@for script in bench/*.py; do \
		case $$script in */__init__.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(VENV)/.dev
	$(BIN)/mypy .

# Refresh the German catalog after changing user-facing strings (needs GNU gettext).
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages --locale de --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'
	$(BIN)/python manage.py compiletranslations

# Re-pin the dependencies from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 -o requirements.txt
	uv pip compile pyproject.toml --python-version 3.11 --extra dev -o requirements-dev.txt

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
