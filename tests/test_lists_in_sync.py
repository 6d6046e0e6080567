"""Lists kept in two places agree: what the codemods assume of the shim is what the shim provides.

* ``codemods.framework.names.LEGACY_DB_PUBLIC`` (legacy ``db``'s public
  names, what ``from google.appengine.ext.db import *`` brings in; ``db2ndb``
  expands star imports with it) against what ``compat.db`` exports;
* the legacy modules ``db2ndb --to compat`` rewrites (rules DB001, DB013,
  DB017) against the aliases ``compat.install()`` serves: both must send a
  legacy module to the same shim module, and a module only install() serves
  is listed with the reason;
* the version: one, in ``compat/_version.py``.
"""

import types

import codemods
import compat
from codemods.framework.names import LEGACY_DB_PUBLIC
from codemods.rules import db001_imports, db013_capabilities, db017_other_apis
from compat import db
from compat.install import ALIASES

#: legacy db names compat.db does not offer, and why (docs/differences.md)
NOT_IN_COMPAT = {
    "Index": "index definitions only came from db.get_indexes(), which Cloud Datastore does not offer",
}
#: legacy modules compat.install() serves that db2ndb does not rewrite (their imports stay legacy ones)
INSTALL_ONLY = {
    "google.appengine.api.memcache": "not a datastore API: db2ndb leaves memcache code alone",
    "google.appengine.ext.testbed": "test files: legacy test suites run on compat's testbed stand-in through install()",
    "google.appengine.datastore.datastore_stub_util": "test files, with the testbed",
}
#: names compat.db adds to legacy's (the N+1 helpers, docs/queries.md)
COMPAT_EXTENSIONS = {"count_dereferences", "prefetch_references", "warn_on_dereferences"}


def _public_names(module):
    return {name for name in dir(module)
            if not name.startswith("_") and not isinstance(getattr(module, name), types.ModuleType)}


def test_compat_db_offers_every_legacy_public_name():
    missing = LEGACY_DB_PUBLIC - _public_names(db) - set(NOT_IN_COMPAT)
    assert not missing, "compat.db lacks legacy names db2ndb relies on: %s" % sorted(missing)
    provided = set(NOT_IN_COMPAT) & _public_names(db)
    assert not provided, "compat.db now offers %s: take them out of NOT_IN_COMPAT" % sorted(provided)


def test_compat_db_adds_only_its_documented_extensions():
    extra = _public_names(db) - LEGACY_DB_PUBLIC
    assert extra == COMPAT_EXTENSIONS, (
        "compat.db exports names legacy db did not have: %s (add them to LEGACY_DB_PUBLIC if legacy had "
        "them, else to COMPAT_EXTENSIONS)" % sorted(extra ^ COMPAT_EXTENSIONS))


def test_the_codemod_and_install_send_each_legacy_module_to_the_same_shim_module():
    rewritten = {**db001_imports.COMPAT_MODULES, **db013_capabilities._MODULES, **db017_other_apis._MODULES}
    served = {legacy: shim for legacy, shim in ALIASES.items() if legacy not in INSTALL_ONLY}
    assert rewritten == served
    assert set(INSTALL_ONLY) <= set(ALIASES), "INSTALL_ONLY names a module install() no longer serves"


def test_one_version_everywhere():
    from importlib import metadata

    assert codemods.__version__ == compat.__version__ == metadata.version("appengine-db-compat")
