# The README's commands. Every target creates .venv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: demo test bench docs docs-serve install emulator clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

emulator:
	bash scripts/install-emulator.sh

## make test: the whole suite against a real Datastore emulator.
test: install emulator
	$(PY) -m pytest $(PYTEST_ARGS)

## make demo: the end-to-end demo on an embedded default.
demo: install emulator
	$(PY) examples/demo.py

## make docs: build the documentation site into site/ (strict: broken links fail).
docs: install
	$(VENV)/bin/mkdocs build --strict

docs-serve: install
	$(VENV)/bin/mkdocs serve

clean:
	rm -rf $(VENV) build dist *.egg-info site .pytest_cache
