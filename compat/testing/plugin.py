"""pytest plugin: a real Cloud Datastore emulator for the test session.

Installed with the package and registered through the ``pytest11`` entry point,
so any suite that installs ``appengine-db-compat`` gets these fixtures:

``datastore_emulator`` (session)
    The running :class:`~compat.testing.emulator.Emulator`: ``host``,
    ``project`` and ``reset()``. Started once per session on a free loopback
    port, unless ``DATASTORE_EMULATOR_HOST`` is already set, in which case that
    emulator is used and left running. ``DATASTORE_EMULATOR_HOST`` and
    ``DATASTORE_PROJECT_ID`` are exported while it is up.
``ndb_client`` (session)
    A ``google.cloud.ndb.Client`` for the emulator's project.
``ndb_context`` (function)
    An ndb context entered for the test (in-context cache off, as legacy db had none).
``clean_datastore`` (function)
    Wipes every entity before the test, so tests do not see each other's data.
``datastore_fault_proxy`` (function)
    A gRPC fault-injection proxy in front of the emulator, exported as
    ``DATASTORE_EMULATOR_HOST`` for the test (see ``compat.testing.fault_proxy``).

Every test that uses one of these fixtures (directly or through another
fixture) is marked ``emulator``: ``pytest -m "not emulator"`` runs the
others, without Java or the emulator.

Settings (``pytest.ini`` / ``pyproject.toml`` ``[tool.pytest.ini_options]``):
``datastore_project`` (default ``compat-test``) and
``datastore_start_timeout`` in seconds (default 60).
"""

import os
import sys

import pytest

from compat import _context, capabilities
from compat.testing.emulator import (
    DEFAULT_PROJECT,
    DEFAULT_START_TIMEOUT,
    Emulator,
    EmulatorError,
    EmulatorNotInstalled,
)
from compat.testing import _current
from compat.testing.fault_proxy import DatastoreFaultProxy


def pytest_addoption(parser):
    parser.addini("datastore_project", "Project id for the Datastore emulator.", default=DEFAULT_PROJECT)
    parser.addini(
        "datastore_start_timeout",
        "Seconds to wait for the Datastore emulator's health check.",
        default=str(DEFAULT_START_TIMEOUT),
    )


EMULATOR_FIXTURES = frozenset(["datastore_emulator", "ndb_client", "ndb_context", "clean_datastore",
                               "datastore_fault_proxy"])
"""The fixtures that need the emulator; a test using any of them is marked ``emulator``."""


def pytest_collection_modifyitems(config, items):
    """Mark ``emulator`` every test that needs it.

    A test needs it when its fixtures (all of them, transitively) include an
    emulator fixture, or when its module uses the testbed stand-in
    (``compat.testing.testbed``, also as ``google.appengine.ext.testbed``
    after ``compat.install()``), whose datastore stub is the emulator.
    """
    testbed = sys.modules.get("compat.testing.testbed")
    modules = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module not in modules:
            modules[module] = testbed is not None and any(value is testbed for value in vars(module).values())
        if EMULATOR_FIXTURES.intersection(getattr(item, "fixturenames", ())) or modules.get(module):
            item.add_marker("emulator")


def _start_or_adopt(config):
    adopted = Emulator.from_environment()
    if adopted is not None:
        return adopted
    project = config.getini("datastore_project") or DEFAULT_PROJECT
    timeout = float(config.getini("datastore_start_timeout") or DEFAULT_START_TIMEOUT)
    try:
        return Emulator.start(project=project, timeout=timeout)
    except EmulatorNotInstalled as error:
        pytest.exit(str(error), returncode=pytest.ExitCode.INTERNAL_ERROR)
    except EmulatorError as error:
        pytest.exit("Could not start the Cloud Datastore emulator: %s" % error,
                    returncode=pytest.ExitCode.INTERNAL_ERROR)


class _SessionEmulator:
    """The session's emulator, started on first use (a fixture or the testbed stand-in), stopped at the end."""

    def __init__(self, config):
        self._config = config
        self._emulator = None
        self._exported = None

    def get(self):
        if self._emulator is None:
            emulator = _start_or_adopt(self._config)
            exported = emulator.exported()
            exported.__enter__()
            self._emulator, self._exported = emulator, exported
            _forget_cached_clients()
        return self._emulator

    def close(self):
        emulator, self._emulator = self._emulator, None
        if emulator is None:
            return
        try:
            self._exported.__exit__(None, None, None)
        finally:
            emulator.stop()  # a no-op for an adopted emulator
            _forget_cached_clients()


_SESSION_KEY = pytest.StashKey[_SessionEmulator]()


def pytest_configure(config):
    config.addinivalue_line("markers", "emulator: the test needs the Cloud Datastore emulator (Java); "
                                       "set by compat's plugin on every test that uses its fixtures")
    holder = _SessionEmulator(config)
    config.stash[_SESSION_KEY] = holder
    _current.set_provider(holder.get)


def pytest_unconfigure(config):
    holder = config.stash.get(_SESSION_KEY, None)
    if holder is not None:
        _current.set_provider(None)
        holder.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """After the test's own teardown (fixtures included): deactivate any testbed it left active."""
    yield
    testbed = sys.modules.get("compat.testing.testbed")
    if testbed is not None:
        testbed.deactivate_leftovers()


@pytest.fixture(scope="session")
def datastore_emulator(request):
    """The session's Cloud Datastore emulator (started once, stopped at the end)."""
    return request.config.stash[_SESSION_KEY].get()


@pytest.fixture(scope="session")
def ndb_client(datastore_emulator):
    """A google-cloud-ndb client bound to the emulator's project."""
    from google.cloud import ndb

    return ndb.Client(project=datastore_emulator.project)


@pytest.fixture
def ndb_context(ndb_client):
    """An ndb context for one test, with the in-context cache off."""
    with ndb_client.context(cache_policy=False) as context:
        yield context


@pytest.fixture
def clean_datastore(datastore_emulator):
    """Wipe the emulator before the test; yields the emulator."""
    datastore_emulator.reset()
    yield datastore_emulator


@pytest.fixture
def datastore_fault_proxy(datastore_emulator):
    """A :class:`~compat.testing.fault_proxy.DatastoreFaultProxy` in front of the session emulator.

    For the test, ``DATASTORE_EMULATOR_HOST`` points at the proxy, so clients
    built during the test (``ndb.Client()``, compat.db's lazily built client,
    ``google.cloud.datastore.Client()``) go through it. compat's cached client
    and the read-only monitor (breaker state, maintenance cache) are reset
    before and after, so each test starts with writes enabled. Afterwards the
    proxy is stopped and the variable restored.
    """
    proxy = DatastoreFaultProxy(datastore_emulator.host)
    proxy.project = datastore_emulator.project
    with proxy, proxy.exported():
        _forget_state()
        try:
            yield proxy
        finally:
            proxy.allow_all()
    _forget_state()


def _forget_cached_clients():
    """Drop compat's lazily built client so it picks up the emulator's environment."""
    _context.reset_client()


def _forget_state():
    """Drop cached clients and read-only state, so the next use sees the current environment."""
    _forget_cached_clients()
    capabilities.reset()


def pytest_report_header(config):
    host = os.environ.get("DATASTORE_EMULATOR_HOST")
    if host:
        return "datastore emulator: reusing %s (DATASTORE_EMULATOR_HOST)" % host
    return "datastore emulator: started on demand (project %s)" % (
        config.getini("datastore_project") or DEFAULT_PROJECT
    )
