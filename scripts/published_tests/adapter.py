"""The harness adapter: what the legacy SDK's own ``ext/db`` tests import around ``db``, on the emulator.

The published tests (GoogleCloudPlatform/appengine-python-standard,
``tests/google/appengine/ext/db/*_test.py``) import ``db``, ``polymodel``,
``metadata`` and ``stats`` - served by compat through ``compat.install()`` -
and a test harness around them. This module provides only that harness:

* ``apiproxy_stub_map.APIProxyStubMap().RegisterStub('datastore_v3', stub)``
  and ``DatastoreFileStub(...).Clear()`` **wipe the emulator** (a fresh stub
  meant an empty datastore); consistency and id policies are accepted and
  ignored (the emulator runs strongly consistent);
* ``full_app_id.put(app)`` is accepted (the emulator's project is used);
* ``datastore.Entity`` / ``datastore.Put``, the low-level API the tests use to
  write fixtures, write through google-cloud-datastore in the current
  namespace (``unindexed_properties`` honoured);
* ``absltest`` (``TestCase``, ``main``) and ``mox`` (``Mox``) when the real
  packages are not installed: ``unittest`` and an inert ``Mox``.

Nothing here changes what ``db`` does.
"""

import sys
import types
import unittest

_PROJECT = None
_EMULATOR = None


def _module(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    module.__compat_alias__ = True
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, module)
    return module


class _DatastoreStub:
    """A registered datastore stub: the emulator, wiped."""

    def __init__(self, app_id=None, *paths, **options):
        self.app_id = app_id

    def Clear(self):  # noqa: N802 - the legacy harness's name
        _EMULATOR.reset()

    def SetAutoIdPolicy(self, policy):  # noqa: N802
        """Accepted; Cloud Datastore allocates scattered ids whatever the policy."""

    def SetConsistencyPolicy(self, policy):  # noqa: N802
        """Accepted; the emulator runs strongly consistent."""


class _APIProxyStubMap:
    def __init__(self):
        self._stubs = {}

    def RegisterStub(self, service, stub):  # noqa: N802
        if service == "datastore_v3":
            _EMULATOR.reset()
        self._stubs[service] = stub

    def GetStub(self, service):  # noqa: N802
        return self._stubs.get(service)


class _Entity(dict):
    """Legacy ``datastore.Entity(kind, unindexed_properties=...)``: a dict of property values."""

    def __init__(self, kind, parent=None, _app=None, name=None, id=None, unindexed_properties=(),  # noqa: A002
                 namespace=None, **_ignored):
        super().__init__()
        self.kind = kind
        self.parent = parent
        self.name = name
        self.id = id
        self.unindexed_properties = tuple(unindexed_properties)
        self.namespace = namespace


def _put(entities):
    """Legacy ``datastore.Put``: write the entities through google-cloud-datastore, in the current namespace."""
    from google.cloud import datastore as cloud_datastore

    from compat import namespace_manager

    single = isinstance(entities, _Entity)
    client = cloud_datastore.Client(project=_PROJECT)
    keys = []
    for entity in ([entities] if single else entities):
        namespace = entity.namespace if entity.namespace is not None else namespace_manager.get_namespace()
        path = list(entity.parent._ds.flat_path) if entity.parent is not None else []
        path.append(entity.kind)
        if entity.name is not None or entity.id is not None:
            path.append(entity.name if entity.name is not None else entity.id)
        stored = cloud_datastore.Entity(client.key(*path, namespace=namespace or None),
                                        exclude_from_indexes=entity.unindexed_properties)
        stored.update(entity)
        client.put(stored)
        keys.append(stored.key)
    return keys[0] if single else keys


class _Mox:
    """Inert ``mox.Mox`` (the published tests create one and never use it with db)."""

    def UnsetStubs(self):  # noqa: N802
        pass

    def VerifyAll(self):  # noqa: N802
        pass


def install(emulator):
    """Serve the harness modules the published tests import (after ``compat.install()``)."""
    global _EMULATOR, _PROJECT
    _EMULATOR = emulator
    _PROJECT = emulator.project
    _module("google.appengine.api.apiproxy_stub_map", APIProxyStubMap=_APIProxyStubMap,
            apiproxy=_APIProxyStubMap())
    _module("google.appengine.api.datastore_file_stub", DatastoreFileStub=_DatastoreStub)
    _module("google.appengine.api.full_app_id", put=lambda app_id: None, get=lambda: "s~" + _PROJECT)
    _module("google.appengine.api.datastore", Entity=_Entity, Put=_put)
    if "google.appengine.datastore" not in sys.modules:
        package = _module("google.appengine.datastore")
        package.__path__ = []
    _module("google.appengine.datastore.datastore_stub_util", SEQUENTIAL=1, SCATTERED=2,
            PseudoRandomHRConsistencyPolicy=lambda *args, **kwargs: None)
    try:
        import absl.testing.absltest  # noqa: F401
    except ImportError:
        _module("absl").__path__ = []
        _module("absl.testing").__path__ = []
        _module("absl.testing.absltest", TestCase=unittest.TestCase, main=unittest.main)
    try:
        import mox  # noqa: F401
    except ImportError:
        _module("mox", Mox=_Mox)
