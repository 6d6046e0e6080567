"""The low-level Datastore v1 client (``google.cloud.datastore_v1``), emulator aware.

The migration talks protobuf to Datastore directly so that nothing is
re-encoded: what it does not change goes back exactly as it was read.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

import grpc
from google.cloud.datastore_v1.services.datastore import DatastoreClient
from google.cloud.datastore_v1.services.datastore.transports.grpc import DatastoreGrpcTransport

from compat import _discovery

def make_client(environ: Optional[Mapping[str, str]] = None) -> Any:
    """A ``DatastoreClient``: insecure channel to ``DATASTORE_EMULATOR_HOST`` if set, else ADC."""
    host = _discovery.emulator_host(environ)
    if host:
        channel = grpc.insecure_channel(host)
        return DatastoreClient(transport=DatastoreGrpcTransport(channel=channel))
    return DatastoreClient()

