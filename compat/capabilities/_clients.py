"""google-cloud-datastore clients for the maintenance switch and the write probe.

These read and write a couple of well-known entities outside any ndb context
(middleware and templates call us outside one), so they use the plain
``google.cloud.datastore`` client. Clients are cached per environment: when
``DATASTORE_EMULATOR_HOST`` changes (a test points it at the fault proxy) a new
client is built.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

from google.api_core import retry as core_retry

from compat import _discovery

_lock = threading.Lock()
_clients: dict = {}

NO_RETRY = core_retry.Retry(predicate=lambda error: False)
"""A retry policy that never retries: our own RPCs must answer fast or not at all."""


def datastore_client(project: Optional[str] = None, namespace: Optional[str] = None,
                     database: Optional[str] = None) -> Any:
    """A cached ``google.cloud.datastore.Client`` for the current environment."""
    from google.cloud import datastore

    project = project or _discovery.configured_project()  # None: the client asks the default credentials
    cache_key = (_discovery.emulator_host(), project, namespace, database)
    with _lock:
        client = _clients.get(cache_key)
        if client is None:
            client = datastore.Client(project=project, namespace=namespace, database=database)
            _clients[cache_key] = client
        return client


def forget_clients() -> None:
    """Drop every cached client (tests, or after the environment changed)."""
    with _lock:
        _clients.clear()
