# The README's commands. Every target creates .venv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BEAM_VENV ?= .venv-beam
PYTEST_ARGS ?=
# The oldest releases of the declared dependency ranges (pyproject.toml): the
# compat tests also run on them, in a venv of their own.
OLDEST_VENV ?= .venv-oldest
OLDEST_PINS ?= google-cloud-ndb==2.3.0 google-cloud-datastore==2.21.0

.PHONY: demo test test-oldest lint bench docs docs-serve install emulator clean golden golden-testbed published-tests real-apps

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The optional Apache Beam extra pins protobuf to an older major version, so its
# tests run in a venv of their own.
$(BEAM_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BEAM_VENV)
	$(BEAM_VENV)/bin/python -m pip install -q --upgrade pip
	$(BEAM_VENV)/bin/python -m pip install -q -e '.[test,beam]'
	touch $@

# `pip install .` (no extras) first: the shim alone must import without the
# codemods' dependencies; then the codemods extra and pytest.
$(OLDEST_VENV)/.installed: pyproject.toml
	rm -rf $(OLDEST_VENV)
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install -q . $(OLDEST_PINS)
	PYTHONWARNINGS=ignore::FutureWarning $(OLDEST_VENV)/bin/python scripts/check_packaging.py shim
	$(OLDEST_VENV)/bin/python -m pip install -q '.[codemods]' 'pytest>=7' $(OLDEST_PINS)
	PYTHONWARNINGS=ignore::FutureWarning $(OLDEST_VENV)/bin/python scripts/check_packaging.py codemods
	touch $@

emulator:
	bash scripts/install-emulator.sh

# The legacy oracle: appengine-python-standard (the legacy db for Python 3, with
# testbed) in a venv of its own; nothing in compat or codemods ever imports it.
LEGACY_VENV ?= .venv-legacy
# Every differential suite: a folder holding programs/ and golden/.
GOLDEN_SUITES ?= $(patsubst %/programs,%,$(wildcard tests/*/*/programs tests/*/programs))

$(LEGACY_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(LEGACY_VENV)
	$(LEGACY_VENV)/bin/python -m pip install -q --upgrade pip
	$(LEGACY_VENV)/bin/python -m pip install -q appengine-python-standard fissix pytz
	touch $@

## make golden: run every differential program on the legacy SDK (testbed) and
## rewrite its golden file (one JSON per program, next to the programs); also
## the legacy testbed suite's recorded outcomes (golden-testbed). Every golden
## file of the project comes from this one target.
golden: $(LEGACY_VENV)/.installed golden-testbed
	@for suite in $(GOLDEN_SUITES); do \
	  echo "== $$suite"; \
	  $(LEGACY_VENV)/bin/python tests/oracle/legacy.py $$suite/programs $$suite/golden || exit 1; \
	done

## make test: the whole suite against a real Datastore emulator (newest
## google-cloud-ndb), the compat tests on the oldest supported google-cloud-ndb,
## then the Beam pipeline tests in their own venv.
test: install emulator $(BEAM_VENV)/.installed test-oldest
	$(PY) -m pytest $(PYTEST_ARGS)
	$(BEAM_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/compat/tz/test_migrate_beam.py

## make lint: ruff (its default rules) over the whole checkout, mypy over compat and codemods
## (settings of both in pyproject.toml).
lint: install
	$(PY) -m ruff check .
	$(PY) -m mypy

## make published-tests CHECKOUT=/path/to/appengine-python-standard: the legacy SDK's own
## ext/db tests (polymodel, metadata, stats) against compat on the emulator (needs a checkout
## of GoogleCloudPlatform/appengine-python-standard; CI has no GitHub access, so not in `make test`).
published-tests: install emulator
	$(PY) scripts/published_tests/run.py $(CHECKOUT)

## make real-apps: db2ndb on whole public Python 2 App Engine apps (bench/real_apps.json),
## both targets, every bar of issue 14; rewrites the table in docs/codemods.md. Apps come from
## git mirrors (REAL_APPS_MIRROR=DIR holding owner+name/repo) or are cloned from GitHub into
## .real-apps/; without either (CI has no GitHub access) it says so and audits nothing.
REAL_APPS_MIRROR ?= /work/.mirror
real-apps: install emulator
	$(PY) bench/real_apps.py $(if $(wildcard $(REAL_APPS_MIRROR)),--mirror $(REAL_APPS_MIRROR)) --docs docs/codemods.md $(REAL_APPS_ARGS)

## make test-oldest: the compat tests on the oldest google-cloud-ndb / -datastore
## the package declares (and the packaging checks when the venv is built).
test-oldest: emulator $(OLDEST_VENV)/.installed
	PYTHONWARNINGS=ignore::FutureWarning $(OLDEST_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/compat tests/test_import_graph.py

## make golden-testbed: run tests/compat/testbed/legacy_suite on the real legacy SDK
## (its own venv, .venv-legacy) and record the outcomes it is held to.
golden-testbed: $(LEGACY_VENV)/.installed
	$(LEGACY_VENV)/bin/python -m pip install -q pytest
	$(PYTHON) scripts/legacy_testbed_golden.py $(abspath $(LEGACY_VENV))/bin/python

## make demo: the end-to-end demo on an embedded default.
demo: install emulator
	$(PY) examples/demo.py

## make bench: the shim vs raw google-cloud-datastore and google-cloud-ndb (profiles in
## bench/profiles/, chart in docs/images/), the codemod vs libcst floors;
## writes docs/performance.md (benchmarks never fail on timing).
bench: install emulator
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) bench/run_all.py

## make docs: build the documentation site into site/ (strict: broken links fail).
docs: install
	$(VENV)/bin/mkdocs build --strict

docs-serve: install
	$(VENV)/bin/mkdocs serve

clean:
	rm -rf $(VENV) $(BEAM_VENV) $(LEGACY_VENV) build dist *.egg-info site .pytest_cache
