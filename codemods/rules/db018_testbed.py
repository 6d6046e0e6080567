"""DB018: legacy test suites keep their testbed: testbed, datastore_stub_util and memcache move to the shim's."""

from __future__ import annotations

from codemods.framework.options import TARGET_COMPAT, TARGET_NDB
from codemods.rules._import_rewriter import ModuleMoveRule

_MODULES = {
    "google.appengine.ext.testbed": "compat.testing.testbed",
    "google.appengine.datastore.datastore_stub_util": "compat.testing.datastore_stub_util",
    "google.appengine.api.memcache": "compat.memcache",
}


class LegacyTestbedRule(ModuleMoveRule):
    """DB018 tests: the testbed, consistency policies and memcache come from the shim.

        from google.appengine.ext import testbed           from compat.testing import testbed
        from google.appengine.datastore import datastore_stub_util
                                   from compat.testing import datastore_stub_util
        from google.appengine.api import memcache          from compat import memcache

    Converted code keeps its tests: ``compat.testing.testbed`` is the legacy
    ``Testbed`` on the Cloud Datastore emulator. ``init_datastore_v3_stub()``
    wipes the emulator, applies the consistency policy, and opens a
    google-cloud-ndb context for the test, so ndb code needs no
    ``client.context()`` in tests; ``init_memcache_stub()`` empties
    ``compat.memcache``, an in-process memcache with legacy's API (for
    production, move to Memorystore or ndb's global cache). Both targets:
    with ``--to compat`` nothing else imports ``google.appengine``.
    """

    ID = "DB018"
    TITLE = "testbed / datastore_stub_util / memcache -> compat.testing.testbed / ... / compat.memcache"
    TARGETS = frozenset({TARGET_NDB, TARGET_COMPAT})
    MODULES = _MODULES
    TODOS = ("`import google.appengine.ext.testbed` used with its dotted name: import it as a name.",)
