"""The write monitor: combines every source into one answer and guards the write path.

Sources, most authoritative first:

1. the per-process override (``COMPAT_READ_ONLY=on|off``);
2. planned maintenance (the Datastore switch entity and the optional file);
3. observed failures (the :class:`~compat.capabilities.breaker.WriteBreaker`);
4. the optional active probe, which feeds the breaker.

The most severe answer wins. :meth:`WriteMonitor.check_write` is what
compat.db and the ndb interceptor call before a write RPC;
:meth:`WriteMonitor.record_write_result` is what they call after it.

One process-wide default monitor is built lazily from the environment
(:func:`get_monitor`); :func:`configure` replaces it, :func:`reset` rebuilds it.
"""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any, Callable, Optional, Sequence, Union

from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities import status as _status
from compat.capabilities.breaker import BreakerState, WriteBreaker
from compat.capabilities.classify import Signal
from compat.capabilities.maintenance import (
    CachedMaintenance,
    DatastoreMaintenanceStore,
    FileMaintenanceStore,
    Maintenance,
    MaintenanceError,
)
from compat.capabilities.probe import WriteProbe
from compat.capabilities.settings import Settings


def _utc_from_timestamp(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


class WriteMonitor:
    """Answers "are datastore writes enabled?" and refuses writes while they are not.

    Args:
        settings: a :class:`~compat.capabilities.settings.Settings`
            (default: from the environment).
        clock: monotonic clock for the breaker, caches and probe.
        wall_clock: seconds since the epoch, for maintenance windows.
        stores: the maintenance stores to read (default: built from ``settings``);
            pass ``()`` for none.
    """

    def __init__(self, settings: Optional[Settings] = None, clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time,
                 stores: Optional[Sequence[Union[DatastoreMaintenanceStore, FileMaintenanceStore]]] = None) -> None:
        self.settings = settings if settings is not None else Settings.from_environment()
        self._clock = clock
        self._wall_clock = wall_clock
        s = self.settings
        self.breaker = WriteBreaker(cooldown=s.cooldown, max_cooldown=s.max_cooldown,
                                    unavailable_for=s.unavailable_for, trial_timeout=s.trial_timeout,
                                    clock=clock)
        if stores is None:
            stores = []
            if s.maintenance_file:
                stores.append(FileMaintenanceStore(s.maintenance_file))
            if s.maintenance_store == "datastore":
                stores.append(DatastoreMaintenanceStore(
                    project=s.maintenance_project, namespace=s.maintenance_namespace,
                    database=s.maintenance_database))
        self.maintenance = [CachedMaintenance(store, ttl=self._ttl_for(store), clock=clock)
                            for store in stores]
        self.probe = None
        if s.probe_interval:
            self.probe = WriteProbe(self.breaker, s.probe_interval, timeout=s.probe_timeout,
                                    project=s.maintenance_project, namespace=s.maintenance_namespace,
                                    database=s.maintenance_database, clock=clock)
        self._override_lock = threading.Lock()

    def _ttl_for(self, store: Union[DatastoreMaintenanceStore, FileMaintenanceStore]) -> float:
        # A local file is cheap to stat; re-read it often. The entity costs an RPC.
        if isinstance(store, FileMaintenanceStore):
            return min(1.0, self.settings.maintenance_cache_seconds)
        return self.settings.maintenance_cache_seconds

    # -- override ---------------------------------------------------------------------

    def set_override(self, mode: Optional[str], message: Optional[str] = None) -> None:
        """Force writes ``'on'`` (disabled), ``'off'`` (ignore planned maintenance) or None (auto).

        This is ``COMPAT_READ_ONLY`` set at run time, for this process only --
        also the replacement for the legacy testbed's
        ``capability_stub.SetPackageEnabled('datastore_v3', False)``.
        """
        settings = Settings(override=mode)  # validates the value
        with self._override_lock:
            self.settings.override = settings.override
            self.settings.override_message = message

    # -- status ------------------------------------------------------------------------

    def now(self) -> datetime.datetime:
        """The wall-clock time the monitor works with (aware UTC datetime)."""
        return _utc_from_timestamp(self._wall_clock())

    def planned(self) -> list[Maintenance]:
        """The maintenance declarations currently known (not yet over), from every store."""
        now = self.now()
        found = []
        for cache in self.maintenance:
            declaration, _ = cache.get()
            if declaration is not None and declaration.phase(now) != "over":
                found.append(declaration)
        return found

    def _planned_statuses(self, now: datetime.datetime) -> list[_status.CapabilityStatus]:
        statuses = []
        for cache in self.maintenance:
            declaration, error = cache.get()
            if isinstance(error, MaintenanceError):
                # The declaration exists but is broken: someone wants maintenance; fail closed.
                statuses.append(_status.CapabilityStatus(
                    summary_status=_status.DISABLED,
                    admin_messages=(self.settings.default_message,),
                    reasons=("planned:%s:invalid" % cache.store.source,),
                ))
            elif declaration is not None:
                statuses.append(declaration.status(now))
        return statuses

    def _breaker_status(self) -> _status.CapabilityStatus:
        state = self.breaker.state
        if state is not BreakerState.OPEN:
            return _status.CapabilityStatus()
        return _status.CapabilityStatus(
            summary_status=_status.DISABLED,
            admin_messages=(self.settings.default_message,),
            retry_after=self.breaker.retry_after(),
            reasons=("breaker",),
        )

    def write_status(self, probe: bool = True) -> _status.CapabilityStatus:
        """The combined :class:`~compat.capabilities.status.CapabilityStatus` of datastore writes.

        With ``probe=True`` (status queries) a due active probe runs first.
        """
        override, message = self.settings.override, self.settings.override_message
        if override == "on":
            forced = _status.CapabilityStatus(
                summary_status=_status.DISABLED,
                admin_messages=(message or self.settings.default_message,),
                reasons=("override",),
            )
            return _status.combine([forced, self._breaker_status()])
        if probe and self.probe is not None:
            self.probe.maybe_run()
        statuses = [] if override == "off" else self._planned_statuses(self.now())
        statuses.append(self._breaker_status())
        return _status.combine(statuses)

    def writes_enabled(self) -> bool:
        """True when datastore writes are expected to work right now."""
        return self.write_status().enabled

    def retry_after(self, status: Optional[_status.CapabilityStatus] = None) -> float:
        """Seconds a client should wait before retrying a write (for ``Retry-After``)."""
        status = status if status is not None else self.write_status(probe=False)
        if status.retry_after is not None:
            return status.retry_after
        return self.settings.default_retry_after

    def maintenance_notice(self, within: Optional[float] = None) -> Optional[str]:
        """The admin message while writes are disabled or maintenance is scheduled, else None.

        ``within``: only announce scheduled maintenance starting in at most
        this many seconds (default: any declared future window).
        """
        status = self.write_status()
        if status.summary_status == _status.DISABLED:
            return status.admin_message or self.settings.default_message
        if status.summary_status == _status.SCHEDULED_FUTURE:
            if within is None or (status.time_until_scheduled is not None
                                  and status.time_until_scheduled <= within):
                return status.admin_message or None
        return None

    # -- the write path ----------------------------------------------------------------

    def check_write(self) -> None:
        """Raise CapabilityDisabledError at once if a write RPC must not be sent now.

        Legacy: put, delete and run_in_transaction raised
        ``apiproxy_errors.CapabilityDisabledError`` during read-only windows.
        In half-open state the first caller becomes the breaker's trial write.
        """
        status = self.write_status(probe=False)
        if status.summary_status == _status.DISABLED:
            raise self.disabled_error(status)
        if not self.breaker.allow():
            # Half-open with a trial already in flight.
            raise self.disabled_error(_status.CapabilityStatus(
                summary_status=_status.DISABLED,
                admin_messages=(self.settings.default_message,),
                retry_after=self.breaker.retry_after(),
                reasons=("breaker",),
            ))

    def record_write_result(self, error: Optional[BaseException] = None) -> Optional[CapabilityDisabledError]:
        """Record the outcome of a write RPC (``error`` is None on success).

        Returns a :class:`CapabilityDisabledError` to raise instead of
        ``error`` when the error means "writes are refused" (so the write that
        discovered read-only mode fails like every later one), else None.
        """
        signal = self.breaker.record(error)
        if signal is Signal.REFUSED or (signal is Signal.UNAVAILABLE
                                        and self.breaker.state is BreakerState.OPEN):
            replacement = self.disabled_error(self._breaker_status() if self.breaker.state
                                              is BreakerState.OPEN else None)
            replacement.__cause__ = error
            return replacement
        return None

    def disabled_error(self, status: Optional[_status.CapabilityStatus] = None) -> CapabilityDisabledError:
        """A CapabilityDisabledError describing ``status`` (message, ``retry_after``, ``reasons``)."""
        status = status or _status.CapabilityStatus(
            summary_status=_status.DISABLED, admin_messages=(self.settings.default_message,),
            reasons=("breaker",))
        message = status.admin_message or self.settings.default_message
        error = CapabilityDisabledError(
            "Datastore writes are disabled (read-only mode; %s): %s"
            % (", ".join(status.reasons) or "unknown source", message)
        )
        error.admin_message = message
        error.retry_after = status.retry_after if status.retry_after is not None \
            else self.settings.default_retry_after
        error.reasons = status.reasons
        return error

    # -- housekeeping ------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the maintenance stores at the next query (after ``set``/``clear``)."""
        for cache in self.maintenance:
            cache.invalidate()

    def __repr__(self) -> str:
        return "<WriteMonitor breaker=%s stores=%s override=%s>" % (
            self.breaker.state.value, [c.store.source for c in self.maintenance], self.settings.override)


# -- the process-wide default ----------------------------------------------------------

_default_lock = threading.Lock()
_default: Optional[WriteMonitor] = None


def get_monitor() -> WriteMonitor:
    """The process-wide :class:`WriteMonitor`, built from the environment on first use."""
    global _default
    monitor = _default
    if monitor is None:
        with _default_lock:
            if _default is None:
                _default = WriteMonitor()
            monitor = _default
    return monitor


def set_monitor(monitor: Optional[WriteMonitor]) -> Optional[WriteMonitor]:
    """Install ``monitor`` as the process-wide default (returns the previous one)."""
    global _default
    with _default_lock:
        previous, _default = _default, monitor
    return previous


def configure(clock: Callable[[], float] = time.monotonic, wall_clock: Callable[[], float] = time.time,
              stores: Optional[Sequence[Union[DatastoreMaintenanceStore, FileMaintenanceStore]]] = None,
              **settings: Any) -> WriteMonitor:
    """Build and install a new default monitor: environment settings, then ``settings``.

    Example: ``configure(cooldown=10, probe_interval=60, maintenance_namespace='ops')``.
    """
    monitor = WriteMonitor(Settings.from_environment(**settings), clock=clock,
                           wall_clock=wall_clock, stores=stores)
    set_monitor(monitor)
    return monitor


def reset() -> None:
    """Forget all state: the next query builds a fresh default monitor from the environment.

    Also drops cached Datastore clients, so a changed ``DATASTORE_EMULATOR_HOST``
    is picked up. The pytest fixtures call this around each test.
    """
    from compat.capabilities._clients import forget_clients

    set_monitor(None)
    forget_clients()
