# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make demo   creates .venv, loads the demo force into ./citizenfocus.sqlite3 and serves it
#   make test   creates .venv with the test tools and runs the tests
# Another port or address: make demo PORT=8080, make serve HOST=0.0.0.0 PORT=8080
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# Not quiet: the first install takes minutes, and each package pip collects is a line of progress.
PIP = $(BIN)/python -m pip --disable-pip-version-check
INSTALL = $(PIP) install --progress-bar on
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint install install-dev serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: $(BIN)/python requirements.lock pyproject.toml
	@echo "== Installing citizenfocus and its packages into $(VENV) (a few minutes the first time)"
	$(INSTALL) -r requirements.lock
	$(INSTALL) --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	@echo "== Installing the test tools into $(VENV)"
	$(INSTALL) -r requirements-dev.lock
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

demo: install
	$(BIN)/citizenfocus demo --port $(PORT)

# Plain HTTP on a laptop: cookies not marked HTTPS-only (production sets nothing, and gets them).
serve: install
	SECURE_COOKIES=$${SECURE_COOKIES:-0} $(BIN)/citizenfocus serve --host $(HOST) --port $(PORT)

test: install-dev
	CITIZENFOCUS_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

bench: install-dev
	$(BIN)/python benchmarks/import_survey.py
	$(BIN)/python benchmarks/board_suite.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
