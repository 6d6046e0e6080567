"""``CapabilitySet``: the legacy ``google.appengine.api.capabilities`` query object.

Legacy code asked::

    CapabilitySet('datastore_v3', capabilities=['write']).is_enabled()

to show a maintenance notice before a user pressed "post". Off App Engine
there is no capability service, so the answer for datastore writes comes from
the :class:`~compat.capabilities.monitor.WriteMonitor` (declared maintenance,
observed failures, optional probe). Everything else -- datastore reads and the
other legacy packages -- reports ENABLED, as App Engine's own documentation
says the service did for everything but datastore writes.
"""

from __future__ import annotations

import warnings
from typing import Any, Iterable, Optional, TYPE_CHECKING

if TYPE_CHECKING:
    from compat.capabilities.monitor import WriteMonitor

from compat.capabilities import status as _status

# Packages and capabilities of the legacy capability service (its dev stub's table).
KNOWN_CAPABILITIES = {
    "blobstore": frozenset(("*",)),
    "datastore_v3": frozenset(("*", "write")),
    "images": frozenset(("*",)),
    "mail": frozenset(("*",)),
    "memcache": frozenset(("*",)),
    "taskqueue": frozenset(("*",)),
    "urlfetch": frozenset(("*",)),
    "xmpp": frozenset(("*",)),
}

# datastore_v3 RPC method names (legacy ``methods=[...]``) and the capability each needs.
DATASTORE_METHODS = {
    "put": "write", "delete": "write", "commit": "write", "begintransaction": "write",
    "touch": "write", "addactions": "write",
    "createindex": "write", "updateindex": "write", "deleteindex": "write",
    "get": "*", "runquery": "*", "next": "*", "count": "*", "explain": "*",
    "deletecursor": "*", "rollback": "*", "getschema": "*", "allocateids": "*",
    "getindices": "*",
}


class UnknownCapabilityError(Exception):
    """An unknown package, capability or method was requested."""


def _names(value: Any, argument: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        raise TypeError("CapabilitySet %s must be a list of names, not the string %r; "
                        "write %s=[%r]" % (argument, value, argument, value))
    names = list(value)
    for name in names:
        if not isinstance(name, str):
            raise TypeError("CapabilitySet %s must contain strings, got %r" % (argument, name))
    return names


class CapabilitySet:
    """One or more capabilities of a package, queried together (legacy semantics).

    Args:
        package: legacy package name, e.g. ``'datastore_v3'``.
        capabilities: capability names, e.g. ``['write']``; ``'*'`` (the whole
            package) is always included, as in legacy.
        methods: legacy RPC method names (``['Put', 'Delete']``); for
            ``datastore_v3`` each maps to the capability it needs.
        stub_map: accepted for signature compatibility and ignored.
        monitor: the :class:`~compat.capabilities.monitor.WriteMonitor` to ask
            (default: the process-wide one, looked up at each query).

    Unknown names raise :class:`UnknownCapabilityError` from the query methods,
    as the legacy docstrings promised.
    """

    def __init__(self, package: str, capabilities: Optional[Iterable[str]] = None,
                 methods: Optional[Iterable[str]] = None, stub_map: Any = None,
                 monitor: Optional[WriteMonitor] = None) -> None:
        if not isinstance(package, str):
            raise TypeError("CapabilitySet package must be a string, got %r" % (package,))
        self._package = package
        self._capabilities = ["*"] + _names(capabilities, "capabilities")
        self._methods = _names(methods, "methods")
        self._monitor = monitor

    @property
    def package(self) -> str:
        """The package name."""
        return self._package

    @property
    def capabilities(self) -> tuple[str, ...]:
        """The capabilities queried, ``'*'`` first."""
        return tuple(self._capabilities)

    @property
    def methods(self) -> tuple[str, ...]:
        """The method names queried."""
        return tuple(self._methods)

    def _required(self) -> set[str]:
        """The set of capability names this query needs; UnknownCapabilityError if any is unknown."""
        known = KNOWN_CAPABILITIES.get(self._package)
        if known is None:
            raise UnknownCapabilityError(
                "Unknown capability package %r; known packages: %s"
                % (self._package, ", ".join(sorted(KNOWN_CAPABILITIES))))
        required = set()
        for capability in self._capabilities:
            if capability not in known:
                raise UnknownCapabilityError(
                    "Unknown capability %r for package %r; known: %s"
                    % (capability, self._package, ", ".join(sorted(known))))
            required.add(capability)
        for method in self._methods:
            if self._package == "datastore_v3":
                needed = DATASTORE_METHODS.get(method.lower())
                if needed is None:
                    raise UnknownCapabilityError(
                        "Unknown datastore_v3 method %r; known: %s"
                        % (method, ", ".join(sorted(DATASTORE_METHODS))))
                required.add(needed)
        return required

    def status(self) -> _status.CapabilityStatus:
        """The :class:`~compat.capabilities.status.CapabilityStatus` of these capabilities.

        Not in legacy: one call that gives the summary status, the admin
        message, ``time_until_scheduled`` and ``retry_after`` together.
        """
        required = self._required()
        if self._package == "datastore_v3" and "write" in required:
            from compat.capabilities.monitor import get_monitor

            return (self._monitor or get_monitor()).write_status()
        return _status.CapabilityStatus()

    def is_enabled(self) -> bool:
        """True if calls needing these capabilities are expected to succeed.

        Legacy: True for the summary statuses DEFAULT, ENABLED, SCHEDULED_FUTURE
        and SCHEDULED_NOW -- so scheduled maintenance that has not started yet
        still reads as enabled.
        """
        return self.status().enabled

    def will_remain_enabled_for(self, time: float = 60) -> bool:
        """True if no downtime is scheduled within ``time`` seconds. DEPRECATED, as in legacy.

        Emits the legacy DeprecationWarning. Unlike legacy (where it was "never
        fully implemented"), ``time_until_scheduled`` is real here: a declared
        maintenance window starting within ``time`` seconds answers False.
        """
        warnings.warn("will_remain_enabled_for() is deprecated: use is_enabled instead.",
                      DeprecationWarning, stacklevel=2)
        status = self.status()
        summary = status.summary_status
        if summary in (_status.DEFAULT, _status.ENABLED):
            return True
        if summary == _status.SCHEDULED_FUTURE:
            if status.time_until_scheduled is None:
                return True
            return status.time_until_scheduled >= time
        return False  # SCHEDULED_NOW, DISABLED, UNKNOWN

    def admin_message(self) -> str:
        """The distinct administrator messages, joined by two spaces ('' when none)."""
        return self.status().admin_message

    def __repr__(self) -> str:
        parts = [repr(self._package)]
        if self._capabilities[1:]:
            parts.append("capabilities=%r" % (self._capabilities[1:],))
        if self._methods:
            parts.append("methods=%r" % (self._methods,))
        return "CapabilitySet(%s)" % ", ".join(parts)
