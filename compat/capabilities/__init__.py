"""Read-only (maintenance) mode detection: the legacy Capabilities API on Cloud Datastore.

``compat.install()`` makes this module importable as
``google.appengine.api.capabilities``, so legacy code keeps working::

    from google.appengine.api import capabilities
    if not capabilities.CapabilitySet('datastore_v3', capabilities=['write']).is_enabled():
        show_notice(...)

The answer for datastore writes combines planned maintenance declared by an
operator, failures observed on write RPCs (a circuit breaker) and an optional
active probe; see docs/read-only.md. Everything else reports ENABLED.

While writes are disabled, compat.db's put, delete and transactions -- and a
``google.cloud.ndb.Client`` passed to :func:`guard_ndb_client` -- raise
:class:`CapabilityDisabledError` at once, before any RPC.
"""

from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities.admin import clear_maintenance, declare_maintenance, read_maintenance
from compat.capabilities.capability_set import CapabilitySet, UnknownCapabilityError
from compat.capabilities.maintenance import Maintenance, MaintenanceError
from compat.capabilities.monitor import WriteMonitor, configure, get_monitor, reset, set_monitor
from compat.capabilities.ndb_guard import WriteGuardInterceptor, guard_ndb_client
from compat.capabilities.settings import Settings
from compat.capabilities.status import (
    DEFAULT,
    DISABLED,
    ENABLED,
    SCHEDULED_FUTURE,
    SCHEDULED_NOW,
    UNKNOWN,
    CapabilityStatus,
)
from compat.capabilities.wsgi import ReadOnlyMiddleware, maintenance_notice, requires_writes


class IsEnabledResponse:
    """The legacy ``IsEnabledResponse`` summary-status constants (no protobuf behind them)."""

    DEFAULT = DEFAULT
    ENABLED = ENABLED
    SCHEDULED_FUTURE = SCHEDULED_FUTURE
    SCHEDULED_NOW = SCHEDULED_NOW
    DISABLED = DISABLED
    UNKNOWN = UNKNOWN


class CapabilityConfig:
    """The legacy ``CapabilityConfig`` per-capability status constants."""

    DEFAULT = 0
    ENABLED = 1
    SCHEDULED = 2
    DISABLED = 3
    UNKNOWN = 4


READ_CAPABILITY = CapabilitySet("datastore_v3")
"""Legacy ``db.READ_CAPABILITY``: datastore reads (always enabled)."""
WRITE_CAPABILITY = CapabilitySet("datastore_v3", capabilities=["write"])
"""Legacy ``db.WRITE_CAPABILITY``: datastore writes."""


def write_status() -> CapabilityStatus:
    """The :class:`CapabilityStatus` of datastore writes (process-wide monitor)."""
    return get_monitor().write_status()


def writes_enabled() -> bool:
    """True when datastore writes are expected to work (``WRITE_CAPABILITY.is_enabled()``)."""
    return get_monitor().writes_enabled()


__all__ = [
    "CapabilityConfig",
    "CapabilityDisabledError",
    "CapabilitySet",
    "CapabilityStatus",
    "DEFAULT",
    "DISABLED",
    "ENABLED",
    "IsEnabledResponse",
    "Maintenance",
    "MaintenanceError",
    "READ_CAPABILITY",
    "ReadOnlyMiddleware",
    "SCHEDULED_FUTURE",
    "SCHEDULED_NOW",
    "Settings",
    "UNKNOWN",
    "UnknownCapabilityError",
    "WRITE_CAPABILITY",
    "WriteGuardInterceptor",
    "WriteMonitor",
    "clear_maintenance",
    "configure",
    "declare_maintenance",
    "get_monitor",
    "guard_ndb_client",
    "maintenance_notice",
    "read_maintenance",
    "requires_writes",
    "reset",
    "set_monitor",
    "write_status",
    "writes_enabled",
]
