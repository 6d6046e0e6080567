"""DB018: legacy test suites keep their testbed: testbed, datastore_stub_util and memcache move to the shim's."""

from __future__ import annotations

import libcst as cst

from codemods.framework.imports import alias_name
from codemods.framework.options import TARGET_COMPAT, TARGET_NDB
from codemods.framework.rule import Rule
from codemods.rules._import_rewriter import classify_import_from, merge_targets, rebuild, split_module

_MODULES = {
    "google.appengine.ext.testbed": "compat.testing.testbed",
    "google.appengine.datastore.datastore_stub_util": "compat.testing.datastore_stub_util",
    "google.appengine.api.memcache": "compat.memcache",
}


class LegacyTestbedRule(Rule):
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
    TODOS = ("`import google.appengine.ext.testbed` used with its dotted name: import it as a name.",)

    def leave_SimpleStatementLine(self, original_node, updated_node):
        if len(updated_node.body) != 1:
            return updated_node
        statement = updated_node.body[0]
        if isinstance(statement, cst.ImportFrom):
            legacy, others = classify_import_from(statement, _MODULES)
            if not legacy:
                return updated_node
            self.converted(len(legacy))
            return rebuild(updated_node, statement, others, merge_targets([(m, n, b) for _, m, n, b in legacy]))
        if isinstance(statement, cst.Import) and len(statement.names) == 1:
            alias = statement.names[0]
            name = alias_name(alias)
            if name in _MODULES and alias.asname is not None:
                module, last = split_module(_MODULES[name])
                self.converted()
                return rebuild(updated_node, statement, [], merge_targets([(module, last, alias.asname.name.value)]))
            if name in _MODULES:
                module, last = split_module(_MODULES[name])
                self.todo(f"`import {name}`: import it as `from {module} import {last}` and drop the package prefix.")
        return updated_node
