"""The ``datastore_fault_proxy`` pytest fixture (registered by ``compat.testing.plugin``)."""

import pytest

from compat.testing import _current
from compat.testing.fault_proxy import DatastoreFaultProxy


def _forget_state():
    """Drop cached clients and read-only state, so the next use sees the current environment."""
    _current.forget_cached_clients()
    try:
        from compat import capabilities
    except ImportError:  # pragma: no cover - capabilities is part of the package
        return
    capabilities.reset()


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
