# Two commands for a fresh machine (see README.md):
#   make serve   set up, build the default course into site/ and serve it with live reload
#   make test    set up (Python packages, and Chromium for the browser tests) and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup chromium build serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

chromium:
	@command -v /usr/bin/chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

build: setup
	$(BIN)/course build

serve: build
	$(BIN)/course serve

lint: setup
	$(BIN)/ruff check builder tests bench
	$(BIN)/mypy
	$(BIN)/course schema --check

test: setup chromium lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
