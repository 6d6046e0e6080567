"""google-cloud-datastore clients for the maintenance switch and the write probe.

These read and write a couple of well-known entities outside any ndb context
(middleware and templates call us outside one), so they use the plain
``google.cloud.datastore`` client. Clients are cached per environment: when
``DATASTORE_EMULATOR_HOST`` changes (a test points it at the fault proxy) a new
client is built.
"""

import os
import threading

from google.api_core import retry as core_retry

_lock = threading.Lock()
_clients = {}

NO_RETRY = core_retry.Retry(predicate=lambda error: False)
"""A retry policy that never retries: our own RPCs must answer fast or not at all."""


def default_project():
    """The project the application's own clients would use, from the environment.

    ``DATASTORE_PROJECT_ID`` (exported by the emulator tooling), then
    ``DATASTORE_DATASET``, then ``GOOGLE_CLOUD_PROJECT``; None lets
    google-cloud-datastore find it (metadata server, credentials).
    """
    for name in ("DATASTORE_PROJECT_ID", "DATASTORE_DATASET", "GOOGLE_CLOUD_PROJECT"):
        value = os.environ.get(name)
        if value:
            return value
    return None


def datastore_client(project=None, namespace=None, database=None):
    """A cached ``google.cloud.datastore.Client`` for the current environment."""
    from google.cloud import datastore

    project = project or default_project()
    cache_key = (os.environ.get("DATASTORE_EMULATOR_HOST"), project, namespace, database)
    with _lock:
        client = _clients.get(cache_key)
        if client is None:
            client = datastore.Client(project=project, namespace=namespace, database=database)
            _clients[cache_key] = client
        return client


def forget_clients():
    """Drop every cached client (tests, or after the environment changed)."""
    with _lock:
        _clients.clear()
