"""Where compat finds its project and its datastore: one lookup for the shim, the read-only switch and the migration.

The project, in this order (the first one set wins):

1. ``compat.configure(project=...)``;
2. the environment: ``DATASTORE_PROJECT_ID`` (exported by the emulator
   tooling), ``DATASTORE_DATASET``, ``GOOGLE_CLOUD_PROJECT`` (App Engine,
   Cloud Run, Cloud Functions), ``GCLOUD_PROJECT``;
3. the project of the application default credentials.

The datastore: the emulator at ``DATASTORE_EMULATOR_HOST`` when it is set,
else Cloud Datastore with the default credentials. ``compat.db`` (through
google-cloud-ndb), ``compat.capabilities`` (the maintenance switch and the
write probe) and ``compat-tz-migrate`` all ask here.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

from compat._config import settings

PROJECT_VARIABLES = ("DATASTORE_PROJECT_ID", "DATASTORE_DATASET", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT")
EMULATOR_VARIABLE = "DATASTORE_EMULATOR_HOST"


def configured_project(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The project ``compat.configure()`` or the environment names (steps 1 and 2), or None."""
    if settings.project:
        return settings.project
    environ = os.environ if environ is None else environ
    for name in PROJECT_VARIABLES:
        value = environ.get(name)
        if value:
            return value
    return None


def default_project(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The project (steps 1 to 3), or None when nothing names one (no credentials either)."""
    project = configured_project(environ)
    if project:
        return project
    try:
        import google.auth  # asked only when nothing else names the project

        return google.auth.default()[1]
    except Exception:  # no credentials at all: the caller reports it
        return None


def emulator_host(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """``host:port`` of the emulator compat talks to, or None for Cloud Datastore."""
    environ = os.environ if environ is None else environ
    return environ.get(EMULATOR_VARIABLE) or None
