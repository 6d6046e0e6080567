"""Running a differential program on our side, against the emulator.

Three modes, one per way a user runs legacy code after the migration:

* ``ndb``: the text converted by ``db2ndb --to ndb``, run on google-cloud-ndb
  inside ``client.context(cache_policy=False)`` (legacy ``db`` had no cache;
  docs/codemods.md recommends this context for converted code);
* ``compat``: the text converted by ``db2ndb --to compat``, run on the shim;
* ``install``: the original text, unconverted, after ``compat.install()``.

Each run starts from an empty emulator and leaves the model registries (ndb's
``Model._kind_map``, compat's kind and PolyModel class maps) as it found them,
so programs that reuse a kind name do not see each other's classes.
"""

import contextlib
from pathlib import Path

from oracle import program
from oracle.observe import Allocations

MODES = ("ndb", "compat", "install")


@contextlib.contextmanager
def isolated_registries():
    """Restore ndb's and compat's kind registries after a program defined its models."""
    from google.cloud import ndb

    from compat.db import _kinds, polymodel

    saved = [(registry, dict(registry)) for registry in (ndb.Model._kind_map, _kinds._kind_map, polymodel._class_map)]
    try:
        yield
    finally:
        for registry, content in saved:
            registry.clear()
            registry.update(content)


@contextlib.contextmanager
def watched_allocations():
    """An ``Allocations`` filled with the ids the emulator allocates meanwhile.

    google-cloud-ndb reaches Datastore through ``google.cloud.ndb._datastore_api.make_call``,
    the shim through it or through ``compat.db._rpc.call`` (its direct calls); their
    Commit responses carry a key for each mutation that allocated one, their
    AllocateIds responses the keys.
    """
    from google.cloud.ndb import _datastore_api

    from compat.db import _rpc

    allocations = Allocations()
    make_call = _datastore_api.make_call
    direct_call = _rpc.call

    def record_response(response):
        for result in getattr(response, "mutation_results", ()):
            if result.key.path:
                allocations.add(result.key.path[-1].id)
        for key in getattr(response, "keys", ()):
            allocations.add(key.path[-1].id)

    def record(future):
        if future.exception() is None:
            record_response(future.result())

    def watched(rpc_name, request, *args, **kwargs):
        future = make_call(rpc_name, request, *args, **kwargs)
        if rpc_name in ("commit", "allocate_ids"):
            future.add_done_callback(record)
        return future

    def watched_direct(client, rpc_name, request, *args, **kwargs):
        response = direct_call(client, rpc_name, request, *args, **kwargs)
        if rpc_name in ("commit", "allocate_ids"):
            record_response(response)
        return response

    _datastore_api.make_call = watched
    _rpc.call = watched_direct
    try:
        yield allocations
    finally:
        _datastore_api.make_call = make_call
        _rpc.call = direct_call


def read_stored(emulator):
    """Every entity of the default namespace, raw through google-cloud-datastore, in stored form."""
    from google.cloud import datastore

    from oracle.observe import _FlatKey, v1_stored_form

    client = _datastore_clients.get(emulator.project)
    if client is None:
        client = _datastore_clients[emulator.project] = datastore.Client(project=emulator.project)
    out = []
    for entity in client.query().fetch():
        if entity.key.kind.startswith("__"):
            continue
        meanings = getattr(entity, "_meanings", {})
        props = {name: v1_stored_form(value, meanings.get(name, (None, None))[0])
                 for name, value in entity.items()}
        out.append((_FlatKey(entity.key.flat_path, entity.key.namespace), props, set(entity.exclude_from_indexes)))
    return out


_datastore_clients = {}


def run_program(mode, name, path, original, emulator, ndb_client=None):
    """Run one program in ``mode`` on an empty emulator; return its observations.

    ``path`` is the converted program for ``ndb``/``compat`` and the original
    for ``install`` (a module file or a package folder); ``original`` is the
    original program; ``ndb_client`` is required for ``ndb``.
    """
    if mode not in MODES:
        raise ValueError("unknown mode %r (one of %s)" % (mode, ", ".join(MODES)))
    emulator.reset()
    path = Path(path)

    def stored():
        return read_stored(emulator)

    module_name = "differential_%s_%s" % (mode, name)
    if mode == "install":
        import compat

        compat.install()  # before the registries are saved: the modules it imports keep their kinds
        try:
            with isolated_registries(), watched_allocations() as allocations:
                return program.run(module_name, Path(original), program.legacy_text, allocations, stored)
        finally:
            compat.uninstall()
    with isolated_registries(), watched_allocations() as allocations:
        if mode == "ndb":
            with ndb_client.context(cache_policy=False):
                return program.run(module_name, path, program.plain_text, allocations, stored)
        return program.run(module_name, path, program.plain_text, allocations, stored)
