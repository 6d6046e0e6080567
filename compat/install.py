"""``compat.install()``: make unmodified legacy imports resolve to compat.

After ``install()``::

    from google.appengine.ext import db                  # -> compat.db
    from google.appengine.ext.db import polymodel        # -> compat.db.polymodel
    from google.appengine.ext.db import metadata, stats  # -> compat.db.metadata, compat.db.stats
    from google.appengine.api import users               # -> compat.users
    from google.appengine.api import namespace_manager   # -> compat.namespace_manager
    from google.appengine.api import capabilities        # -> compat.capabilities
    from google.appengine.runtime import apiproxy_errors # -> compat.apiproxy_errors
    from google.appengine.api import datastore_errors    # -> compat.db.errors
    from google.appengine.api import datastore_types     # -> compat.datastore_types
    from google.appengine.api import memcache            # -> compat.memcache (in-process)
    from google.appengine.ext import testbed             # -> compat.testing.testbed (legacy tests)
    from google.appengine.datastore import datastore_stub_util  # -> compat.testing.datastore_stub_util

It refuses (RuntimeError) when the real App Engine SDK is already imported,
since two ``db`` implementations in one process would write different data.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

# legacy module name -> compat module name
ALIASES = {
    "google.appengine.ext.db": "compat.db",
    "google.appengine.ext.db.polymodel": "compat.db.polymodel",
    "google.appengine.ext.db.metadata": "compat.db.metadata",
    "google.appengine.ext.db.stats": "compat.db.stats",
    "google.appengine.api.users": "compat.users",
    "google.appengine.api.namespace_manager": "compat.namespace_manager",
    "google.appengine.api.datastore_errors": "compat.db.errors",
    "google.appengine.api.datastore_types": "compat.datastore_types",
    "google.appengine.api.capabilities": "compat.capabilities",
    "google.appengine.runtime.apiproxy_errors": "compat.apiproxy_errors",
    "google.appengine.api.memcache": "compat.memcache",
    # legacy test suites
    "google.appengine.ext.testbed": "compat.testing.testbed",
    "google.appengine.datastore.datastore_stub_util": "compat.testing.datastore_stub_util",
}
_PACKAGES = ("google.appengine", "google.appengine.ext", "google.appengine.api", "google.appengine.runtime",
             "google.appengine.datastore")
_MARK = "__compat_alias__"


def _is_ours(module: Any) -> bool:
    return getattr(module, _MARK, False) or getattr(module, "__name__", "").startswith("compat")


def _refuse_real_sdk() -> None:
    for name, module in list(sys.modules.items()):
        if (name == "google.appengine" or name.startswith("google.appengine.")) and not _is_ours(module):
            raise RuntimeError(
                "compat.install(): the real App Engine SDK is already imported (%s from %s). "
                "Remove it from sys.path, or import compat.install() before anything imports it."
                % (name, getattr(module, "__file__", "?"))
            )


def install() -> types.ModuleType:
    """Alias the legacy App Engine module names to compat's modules (idempotent)."""
    _refuse_real_sdk()
    import google

    for package in _PACKAGES:
        if package not in sys.modules:
            module = types.ModuleType(package)
            module.__path__ = []
            setattr(module, _MARK, True)
            sys.modules[package] = module
        parent, _, child = package.rpartition(".")
        setattr(sys.modules[parent] if parent != "google" else google, child, sys.modules[package])
    for legacy, ours in ALIASES.items():
        module = importlib.import_module(ours)
        sys.modules[legacy] = module
        parent, _, child = legacy.rpartition(".")
        setattr(sys.modules[parent], child, module)
    return sys.modules["google.appengine.ext.db"]


def uninstall() -> None:
    """Remove the aliases (for tests)."""
    for legacy in list(ALIASES) + list(reversed(_PACKAGES)):
        module = sys.modules.get(legacy)
        if module is not None and _is_ours(module):
            del sys.modules[legacy]
    import google

    if hasattr(google, "appengine") and _is_ours(google.appengine):
        del google.appengine
