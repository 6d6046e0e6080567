"""Settings of read-only detection, from keyword arguments and the environment.

Operators need a few switches without touching code, so these environment
variables are read when the default monitor is built (``configure()`` and
``reset()`` rebuild it):

``COMPAT_READ_ONLY``
    ``on`` -- this process treats datastore writes as disabled;
    ``off`` -- this process ignores declared maintenance (a migration job that
    must write during the window; the breaker still protects it);
    ``auto`` or unset -- the normal combination of sources.
``COMPAT_READ_ONLY_MESSAGE``
    The admin message for ``COMPAT_READ_ONLY=on``.
``COMPAT_READ_ONLY_FILE``
    Path of a JSON maintenance declaration (see :class:`FileMaintenanceStore`).
``COMPAT_MAINTENANCE_STORE``
    ``datastore`` (default) reads the maintenance entity; ``none`` never does.
``COMPAT_MAINTENANCE_NAMESPACE``
    Namespace of the maintenance entity (default: the default namespace).
``COMPAT_WRITE_PROBE_SECONDS``
    Run the active write probe at most this often (0, the default, turns it off).
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Mapping, Optional

from compat.capabilities import breaker as _breaker
from compat.capabilities import maintenance as _maintenance

OVERRIDE_VALUES = {
    "": None, "auto": None,
    "on": "on", "1": "on", "true": "on", "yes": "on",
    "off": "off", "0": "off", "false": "off", "no": "off",
}

DEFAULT_MESSAGE = "The datastore is temporarily read-only: changes cannot be saved right now. Please try again later."
"""Admin message when a source has none of its own (breaker, probe, ``COMPAT_READ_ONLY=on``)."""
DEFAULT_RETRY_AFTER = 120.0


def parse_override(value: Any, name: str = "COMPAT_READ_ONLY") -> Optional[str]:
    """``'on'``, ``'off'`` or None from a user-supplied override value."""
    if value is None:
        return None
    key = str(value).strip().lower()
    if key not in OVERRIDE_VALUES:
        raise ValueError("%s=%r is not understood; use on, off or auto" % (name, value))
    return OVERRIDE_VALUES[key]


@dataclasses.dataclass
class Settings:
    """Everything that tunes read-only detection (see docs/read-only.md).

    Attributes:
        override: ``'on'``, ``'off'`` or None (``COMPAT_READ_ONLY``).
        override_message: admin message for ``override='on'``.
        maintenance_store: ``'datastore'`` or ``'none'``.
        maintenance_project, maintenance_namespace, maintenance_database:
            where the maintenance entity lives.
        maintenance_file: path of a JSON declaration, or None.
        maintenance_cache_seconds: how stale a read of the switch may be.
        cooldown, max_cooldown, unavailable_for, trial_timeout: the breaker's timing.
        probe_interval: seconds between active write probes; 0 disables the probe.
        probe_timeout: deadline of one probe write.
        default_message: admin message when a source has none of its own.
        default_retry_after: ``Retry-After`` when no source knows when writes return.
    """

    override: Optional[str] = None
    override_message: Optional[str] = None
    maintenance_store: str = "datastore"
    maintenance_project: Optional[str] = None
    maintenance_namespace: Optional[str] = None
    maintenance_database: Optional[str] = None
    maintenance_file: Optional[str] = None
    maintenance_cache_seconds: float = _maintenance.DEFAULT_CACHE_SECONDS
    cooldown: float = _breaker.DEFAULT_COOLDOWN
    max_cooldown: float = _breaker.DEFAULT_MAX_COOLDOWN
    unavailable_for: float = _breaker.DEFAULT_UNAVAILABLE_FOR
    trial_timeout: float = _breaker.DEFAULT_TRIAL_TIMEOUT
    probe_interval: float = 0.0
    probe_timeout: float = 2.0
    default_message: str = DEFAULT_MESSAGE
    default_retry_after: float = DEFAULT_RETRY_AFTER

    def __post_init__(self) -> None:
        self.override = parse_override(self.override, "override")
        if self.maintenance_store not in ("datastore", "none"):
            raise ValueError("maintenance_store=%r is not understood; use 'datastore' or 'none'"
                             % (self.maintenance_store,))
        for name in ("maintenance_cache_seconds", "probe_interval", "probe_timeout", "default_retry_after"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError("%s must be a number of seconds >= 0, got %r" % (name, value))

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None, **overrides: Any) -> Settings:
        """Settings from ``COMPAT_*`` environment variables, then keyword ``overrides``."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if "COMPAT_READ_ONLY" in environ:
            values["override"] = parse_override(environ["COMPAT_READ_ONLY"])
        if environ.get("COMPAT_READ_ONLY_MESSAGE"):
            values["override_message"] = environ["COMPAT_READ_ONLY_MESSAGE"]
        if environ.get("COMPAT_READ_ONLY_FILE"):
            values["maintenance_file"] = environ["COMPAT_READ_ONLY_FILE"]
        if environ.get("COMPAT_MAINTENANCE_STORE"):
            values["maintenance_store"] = environ["COMPAT_MAINTENANCE_STORE"].strip().lower()
        if environ.get("COMPAT_MAINTENANCE_NAMESPACE"):
            values["maintenance_namespace"] = environ["COMPAT_MAINTENANCE_NAMESPACE"]
        if environ.get("COMPAT_WRITE_PROBE_SECONDS"):
            raw = environ["COMPAT_WRITE_PROBE_SECONDS"]
            try:
                values["probe_interval"] = float(raw)
            except ValueError:
                raise ValueError("COMPAT_WRITE_PROBE_SECONDS=%r is not a number of seconds" % raw) from None
        unknown = set(overrides) - {field.name for field in dataclasses.fields(cls)}
        if unknown:
            raise TypeError("unknown read-only setting(s): %s" % ", ".join(sorted(unknown)))
        values.update(overrides)
        return cls(**values)
