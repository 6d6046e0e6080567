"""The google-cloud-ndb client and context behind every compat operation.

Legacy code never opens an ndb context, so compat supplies one:

* when the caller already runs inside an ndb context (``with client.context():``
  or an ndb transaction), compat uses it, so compat and ndb code share
  transactions and batches;
* otherwise each thread gets an *implicit* context of its own, built once
  from the shared client and entered only for the duration of each compat
  call (``Context.use()``), so it never blocks the caller from opening an ndb
  context of their own later ("Context is already created" cannot happen).

Implicit contexts have the in-context cache off: legacy ``db`` had none, and
ndb's cache would hand back unsaved modifications (python-ndb #888).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator

from google.cloud import ndb
from google.cloud.ndb import context as _ndb_context

from compat import _discovery
from compat._config import settings

_lock = threading.Lock()
_client = None
_generation = 0
_local = threading.local()


def _no_cache(_key):
    return False


def get_client() -> ndb.Client:
    """The ndb Client compat uses: ``compat.configure(client=...)`` or one built from the environment.

    Built lazily on first use, for the project and datastore ``compat._discovery``
    finds (``compat.configure(project=)``, DATASTORE_PROJECT_ID ...,
    DATASTORE_EMULATOR_HOST, default credentials).
    """
    global _client
    client = settings.client
    if client is not None:
        return client
    cached = _client
    if cached is not None and cached[0] == settings.generation:
        return cached[1]
    with _lock:
        if _client is None or _client[0] != settings.generation:
            # None: google-cloud-ndb asks the default credentials (step 3 of the discovery)
            _client = (settings.generation, ndb.Client(project=_discovery.configured_project()))
        return _client[1]


def project():
    """The project id compat works in (without a partition prefix): the configured one, else the client's."""
    return settings.project or get_client().project


def reset_client() -> None:
    """Forget the lazily built client and every thread's implicit context.

    Call after changing DATASTORE_EMULATOR_HOST / the project in the
    environment (the pytest plugin does this for you).
    """
    global _client, _generation
    with _lock:
        _client = None
        _generation += 1


def new_context(cache=False, **options):
    """A fresh ndb context on compat's client (cache off unless ``cache=True``)."""
    if not cache:
        options.setdefault("cache_policy", _no_cache)
    return _ndb_context.Context(get_client(), **options)


def _implicit_context():
    implicit = getattr(_local, "implicit", None)
    generation = (_generation, settings.generation)
    if implicit is None or implicit[0] != generation:
        implicit = (generation, new_context())
        _local.implicit = implicit
    return implicit[1]


def current():
    """The active ndb context, or None."""
    return _ndb_context.get_context(False)


def current_or_implicit():
    """The context a compat call runs in now: the active one, else this thread's implicit one (not entered)."""
    active = _ndb_context.get_context(False)
    return active if active is not None else _implicit_context()


@contextlib.contextmanager
def ensure():
    """Run the block inside an ndb context: the caller's if active, else this thread's implicit one."""
    active = _ndb_context.get_context(False)
    if active is not None:
        yield active
        return
    with _implicit_context().use() as implicit:
        yield implicit


@contextlib.contextmanager
def context(cache: bool = False, **options: Any) -> Iterator[Any]:
    """Give the block an ndb context of its own (one request, one job, one test).

    Nothing read or cached inside leaks to other blocks. Nests inside an active
    context. Pending asynchronous work is finished before the block exits.
    ``options`` are passed to google-cloud-ndb's ``Context`` (e.g.
    ``global_cache=RedisCache(...)``).
    """
    ctx = new_context(cache=cache, **options)
    with ctx.use():
        yield ctx
        ctx.eventloop.run()
