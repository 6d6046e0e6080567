"""The low-level Datastore v1 client (``google.cloud.datastore_v1``), emulator aware.

The migration talks protobuf to Datastore directly so that nothing is
re-encoded: what it does not change goes back exactly as it was read.
"""

import os

import grpc
from google.cloud.datastore_v1.services.datastore import DatastoreClient
from google.cloud.datastore_v1.services.datastore.transports.grpc import DatastoreGrpcTransport

EMULATOR_HOST = "DATASTORE_EMULATOR_HOST"


def make_client(environ=None):
    """A ``DatastoreClient``: insecure channel to ``DATASTORE_EMULATOR_HOST`` if set, else ADC."""
    environ = os.environ if environ is None else environ
    host = environ.get(EMULATOR_HOST)
    if host:
        channel = grpc.insecure_channel(host)
        return DatastoreClient(transport=DatastoreGrpcTransport(channel=channel))
    return DatastoreClient()


def default_project(environ=None):
    """The project from the environment (emulator or gcloud settings) or application default credentials."""
    environ = os.environ if environ is None else environ
    for name in ("DATASTORE_PROJECT_ID", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT"):
        if environ.get(name):
            return environ[name]
    try:
        import google.auth

        return google.auth.default()[1]
    except Exception:  # no credentials at all: the caller reports it
        return None
