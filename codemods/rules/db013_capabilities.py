"""DB013: the Capabilities API and CapabilityDisabledError move to the shim's read-only API."""

from __future__ import annotations

import libcst as cst

from codemods.framework.imports import alias_name
from codemods.framework.options import TARGET_COMPAT, TARGET_NDB
from codemods.framework.rule import Rule
from codemods.rules._import_rewriter import classify_import_from, merge_targets, rebuild, split_module

_MODULES = {
    "google.appengine.api.capabilities": "compat.capabilities",
    "google.appengine.runtime.apiproxy_errors": "compat.apiproxy_errors",
}


class CapabilitiesRule(Rule):
    """DB013 read-only mode: Capabilities and CapabilityDisabledError come from the shim.

        from google.appengine.api import capabilities         from compat import capabilities
        from google.appengine.runtime import apiproxy_errors  from compat import apiproxy_errors
        from google.appengine.runtime.apiproxy_errors import CapabilityDisabledError
                             from compat.apiproxy_errors import CapabilityDisabledError

    Cloud NDB has no Capabilities API and never raises
    CapabilityDisabledError. The shim's ``compat.capabilities.CapabilitySet``
    answers ``is_enabled()`` from the datastore's read-only (maintenance)
    state and ``compat.apiproxy_errors.CapabilityDisabledError`` is what
    writes raise then, so ``CapabilitySet('datastore_v3', ['write'])`` checks
    and ``except CapabilityDisabledError`` handlers keep working unchanged,
    for both ``--to ndb`` and ``--to compat``.
    """

    TODOS = ("`import google.appengine.api.capabilities` used with its dotted name: import it as a name.",)
    ID = "DB013"
    TITLE = "capabilities / apiproxy_errors -> compat.capabilities / compat.apiproxy_errors"
    TARGETS = frozenset({TARGET_NDB, TARGET_COMPAT})

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
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                if alias_name(alias) in _MODULES and alias.asname is not None and len(statement.names) == 1:
                    module, last = split_module(_MODULES[alias_name(alias)])
                    self.converted()
                    binding = alias.asname.name.value
                    return rebuild(updated_node, statement, [], merge_targets([(module, last, binding)]))
                if alias_name(alias) in _MODULES:
                    self.todo(f"`import {alias_name(alias)}`: import it as `from {_MODULES[alias_name(alias)].rpartition('.')[0]} import {_MODULES[alias_name(alias)].rpartition('.')[2]}` and drop the package prefix from its uses.")
        return updated_node
