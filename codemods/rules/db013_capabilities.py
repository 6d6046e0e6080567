"""DB013: the Capabilities API and CapabilityDisabledError move to the shim's read-only API."""

from __future__ import annotations

from codemods.framework.options import TARGET_COMPAT, TARGET_NDB
from codemods.rules._import_rewriter import ModuleMoveRule

_MODULES = {
    "google.appengine.api.capabilities": "compat.capabilities",
    "google.appengine.runtime.apiproxy_errors": "compat.apiproxy_errors",
}


class CapabilitiesRule(ModuleMoveRule):
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
    MODULES = _MODULES
