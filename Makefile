# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make demo   creates .venv, loads the demo force into ./citizenfocus.sqlite3 and serves it
#   make test   creates .venv with the test tools and runs the tests
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PIP = $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test lint install install-dev serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: $(BIN)/python requirements.lock pyproject.toml
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(PIP) install -r requirements-dev.lock
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

demo: install
	$(BIN)/citizenfocus demo

serve: install
	$(BIN)/citizenfocus serve

test: install-dev
	CITIZENFOCUS_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

bench: install-dev
	$(BIN)/python benchmarks/import_survey.py
	$(BIN)/python benchmarks/board_suite.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
