"""Planned maintenance declared by an operator: the "planned" source.

An operator declares a read-only window -- an admin message and optionally a
start and an end -- *before* writes go off. Every instance sees it without a
deploy because it lives in places all of them can read even while writes are
disabled:

* :class:`DatastoreMaintenanceStore`: one well-known entity
  (kind ``_CompatMaintenance``, name ``datastore_v3.write``), read with a short
  cache. Reads keep working during a read-only window, so instances keep
  seeing it; the operator writes it beforehand (``python -m compat.capabilities set``).
* :class:`FileMaintenanceStore`: a JSON file named by ``COMPAT_READ_ONLY_FILE``,
  for one host or a shared volume; re-read when it changes.
* The ``COMPAT_READ_ONLY`` environment variable, a per-process override
  (see :mod:`compat.capabilities.settings`).

A declaration before its start reports ``SCHEDULED_FUTURE`` (with
``time_until_scheduled``), during its window ``DISABLED``, after its end nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import os
import re
import socket
import threading
import time
from typing import Any, Callable, Optional, Union

from compat.capabilities import status as _status

log = logging.getLogger(__name__)

MAINTENANCE_KIND = "_CompatMaintenance"
"""Kind of the maintenance switch entity (a leading underscore, outside ``__x__`` reserved kinds)."""
MAINTENANCE_NAME = "datastore_v3.write"
"""Key name of the maintenance switch entity: the capability it disables."""
DEFAULT_CACHE_SECONDS = 30.0
DEFAULT_READ_TIMEOUT = 2.0

UTC = datetime.timezone.utc
_RELATIVE = re.compile(r"^\+?\s*(\d+(?:\.\d+)?)\s*([smhd])$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class MaintenanceError(ValueError):
    """A maintenance declaration or a time given for one is invalid."""


def _as_utc(value, field):
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        raise MaintenanceError("maintenance %s must be a datetime, got %r" % (field, value))
    if value.tzinfo is None or value.utcoffset() is None:
        raise MaintenanceError(
            "maintenance %s %s has no time zone; give an aware datetime (e.g. with tzinfo=UTC)"
            % (field, value.isoformat())
        )
    return value.astimezone(UTC)


@dataclasses.dataclass(frozen=True)
class Maintenance:
    """A declared read-only window for datastore writes.

    Attributes:
        message: the admin message shown to users (legacy ``admin_message()``).
        start: when writes go off (aware datetime); None means "already".
        end: when writes come back; None means "until cleared".
        source: where the declaration came from (``datastore``, ``file``, ``env``).
        updated_at, updated_by: who declared it, for ``status`` output.
    """

    message: str
    start: Optional[datetime.datetime] = None
    end: Optional[datetime.datetime] = None
    source: str = "datastore"
    updated_at: Optional[datetime.datetime] = None
    updated_by: Optional[str] = None

    def __post_init__(self) -> None:
        if not isinstance(self.message, str) or not self.message.strip():
            raise MaintenanceError("maintenance needs a non-empty admin message for users")
        object.__setattr__(self, "start", _as_utc(self.start, "start"))
        object.__setattr__(self, "end", _as_utc(self.end, "end"))
        object.__setattr__(self, "updated_at", _as_utc(self.updated_at, "updated_at"))
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise MaintenanceError(
                "maintenance end %s is not after its start %s"
                % (self.end.isoformat(), self.start.isoformat())
            )

    def phase(self, now: datetime.datetime) -> str:
        """``'scheduled'``, ``'active'`` or ``'over'`` at wall-clock time ``now`` (aware)."""
        if self.end is not None and now >= self.end:
            return "over"
        if self.start is not None and now < self.start:
            return "scheduled"
        return "active"

    def status(self, now: datetime.datetime) -> _status.CapabilityStatus:
        """This declaration as a :class:`~compat.capabilities.status.CapabilityStatus` at ``now``."""
        phase = self.phase(now)
        reason = "planned:%s" % self.source
        if phase == "over":
            return _status.CapabilityStatus()
        if phase == "scheduled":
            assert self.start is not None  # phase() says scheduled only before a start
            return _status.CapabilityStatus(
                summary_status=_status.SCHEDULED_FUTURE,
                admin_messages=(self.message,),
                time_until_scheduled=(self.start - now).total_seconds(),
                reasons=(reason,),
            )
        retry_after = (self.end - now).total_seconds() if self.end is not None else None
        return _status.CapabilityStatus(
            summary_status=_status.DISABLED,
            admin_messages=(self.message,),
            retry_after=retry_after,
            reasons=(reason,),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the file format of :class:`FileMaintenanceStore`)."""
        data = {"message": self.message}
        for field in ("start", "end", "updated_at"):
            value = getattr(self, field)
            if value is not None:
                data[field] = value.isoformat()
        if self.updated_by:
            data["updated_by"] = self.updated_by
        return data

    @classmethod
    def from_json(cls, data: Any, source: str = "file") -> Maintenance:
        """Parse the dict written by :meth:`to_json`; MaintenanceError names what is wrong."""
        if not isinstance(data, dict):
            raise MaintenanceError("a maintenance declaration must be a JSON object, got %r" % (data,))
        unknown = set(data) - {"message", "start", "end", "updated_at", "updated_by"}
        if unknown:
            raise MaintenanceError("unknown maintenance field(s): %s" % ", ".join(sorted(unknown)))
        values = {}
        for field in ("start", "end", "updated_at"):
            if data.get(field) is not None:
                values[field] = parse_timestamp(data[field], field)
        return cls(message=data.get("message", ""), updated_by=data.get("updated_by"),
                   source=source, **values)


def parse_timestamp(text: Any, field: str = "time") -> datetime.datetime:
    """Parse an ISO 8601 timestamp that names its time zone (``Z`` or ``+09:00``)."""
    if not isinstance(text, str):
        raise MaintenanceError("maintenance %s must be an ISO 8601 string, got %r" % (field, text))
    try:
        value = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise MaintenanceError(
            "maintenance %s %r is not an ISO 8601 timestamp (e.g. 2030-05-01T02:00:00Z)" % (field, text)
        ) from None
    return _as_utc(value, field)


def parse_when(text: Optional[str], now: datetime.datetime, field: str = "time") -> datetime.datetime:
    """Parse an operator's time: ``now``, a relative ``+30m`` / ``2h`` / ``90s`` / ``1d``, or ISO 8601."""
    text = (text or "").strip()
    if text.lower() == "now":
        return now
    match = _RELATIVE.match(text)
    if match:
        return now + datetime.timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])
    return parse_timestamp(text, field)


def parse_duration(text: Optional[str]) -> datetime.timedelta:
    """Parse ``30m`` / ``2h`` / ``90s`` / ``1d`` into a timedelta."""
    match = _RELATIVE.match((text or "").strip())
    if not match:
        raise MaintenanceError("duration %r is not like 90s, 30m, 2h or 1d" % (text,))
    return datetime.timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])


def operator_name() -> str:
    """``user@host`` of whoever runs the CLI, recorded with a declaration."""
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
    return "%s@%s" % (user, socket.gethostname())


# -- stores ------------------------------------------------------------------------------


class DatastoreMaintenanceStore:
    """The maintenance switch kept in one Datastore entity every instance can read.

    Args:
        project, namespace, database: where the entity lives (defaults: the
            application's project from the environment, the default namespace
            and database).
        timeout: seconds for each read or write RPC (never retried).
    """

    source = "datastore"

    def __init__(self, project: Optional[str] = None, namespace: Optional[str] = None,
                 database: Optional[str] = None, timeout: float = DEFAULT_READ_TIMEOUT) -> None:
        self.project = project
        self.namespace = namespace
        self.database = database
        self.timeout = timeout

    def _client(self):
        from compat.capabilities._clients import datastore_client

        return datastore_client(self.project, self.namespace, self.database)

    def _key(self, client):
        return client.key(MAINTENANCE_KIND, MAINTENANCE_NAME)

    def read(self) -> Optional[Maintenance]:
        """The current declaration, or None. Raises the transport error if the read fails."""
        from compat.capabilities._clients import NO_RETRY

        client = self._client()
        entity = client.get(self._key(client), retry=NO_RETRY, timeout=self.timeout)
        if entity is None:
            return None
        return Maintenance(
            message=entity.get("message") or "",
            start=entity.get("start"),
            end=entity.get("end"),
            source=self.source,
            updated_at=entity.get("updated_at"),
            updated_by=entity.get("updated_by"),
        )

    def write(self, maintenance: Maintenance) -> None:
        """Store ``maintenance`` (do it before writes go off)."""
        from google.cloud import datastore

        from compat.capabilities._clients import NO_RETRY

        client = self._client()
        entity = datastore.Entity(self._key(client), exclude_from_indexes=("message", "updated_by"))
        entity.update({
            "message": maintenance.message,
            "start": maintenance.start,
            "end": maintenance.end,
            "updated_at": maintenance.updated_at,
            "updated_by": maintenance.updated_by,
        })
        client.put(entity, retry=NO_RETRY, timeout=self.timeout)

    def clear(self) -> None:
        """Delete the declaration."""
        from compat.capabilities._clients import NO_RETRY

        client = self._client()
        client.delete(self._key(client), retry=NO_RETRY, timeout=self.timeout)

    def describe(self) -> str:
        """Where the switch lives, for messages."""
        return "Datastore entity %s/%s (project %s, namespace %r, database %r)" % (
            MAINTENANCE_KIND, MAINTENANCE_NAME, self.project or "<from environment>",
            self.namespace or "", self.database or "(default)")


class FileMaintenanceStore:
    """The maintenance switch kept in a JSON file (``COMPAT_READ_ONLY_FILE``).

    A missing file declares nothing. A file that exists but cannot be parsed
    raises :class:`MaintenanceError` from :meth:`read`; the monitor then
    treats writes as disabled (the file exists only because someone wants
    maintenance) and logs the error.
    """

    source = "file"

    def __init__(self, path: str) -> None:
        self.path = os.fspath(path)

    def read(self) -> Optional[Maintenance]:
        """The declaration in the file, or None when there is no file."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
        except ValueError as error:
            raise MaintenanceError("maintenance file %s is not valid JSON: %s" % (self.path, error)) from None
        try:
            return Maintenance.from_json(data, source=self.source)
        except MaintenanceError as error:
            raise MaintenanceError("maintenance file %s: %s" % (self.path, error)) from None

    def write(self, maintenance: Maintenance) -> None:
        """Write the declaration atomically (rename over the old file)."""
        temporary = "%s.tmp-%d" % (self.path, os.getpid())
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(maintenance.to_json(), handle, indent=2)
            handle.write("\n")
        os.replace(temporary, self.path)

    def clear(self) -> None:
        """Remove the file (no error if it is already gone)."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def describe(self) -> str:
        """Where the switch lives, for messages."""
        return "file %s" % self.path


class CachedMaintenance:
    """Read a store at most once per ``ttl`` seconds, from any thread.

    A failed read keeps the last known declaration (and logs a warning); it is
    retried after ``ttl`` too, so a broken datastore is not hammered. Only one
    thread refreshes at a time; the others use the cached value meanwhile.
    """

    def __init__(self, store: Union[DatastoreMaintenanceStore, FileMaintenanceStore], ttl: float = DEFAULT_CACHE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.ttl = float(ttl)
        self._clock = clock
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._value: Optional[Maintenance] = None
        self._error: Optional[Exception] = None
        self._fetched_at: Optional[float] = None

    def invalidate(self) -> None:
        """Forget the cached value: the next :meth:`get` reads the store."""
        with self._lock:
            self._fetched_at = None

    def get(self) -> tuple[Optional[Maintenance], Optional[Exception]]:
        """``(declaration or None, error or None)``, refreshed when older than ``ttl``."""
        with self._lock:
            fresh = self._fetched_at is not None and self._clock() - self._fetched_at < self.ttl
            if fresh:
                return self._value, self._error
        if not self._refreshing.acquire(blocking=self._fetched_at is None):
            with self._lock:  # someone else is refreshing: use what we have
                return self._value, self._error
        try:
            with self._lock:  # a concurrent refresh may have just finished
                if self._fetched_at is not None and self._clock() - self._fetched_at < self.ttl:
                    return self._value, self._error
            value = self._value
            error: Optional[Exception] = None
            try:
                value = self.store.read()
            except MaintenanceError as problem:
                error = problem
                log.error("Cannot parse the maintenance declaration: %s", problem)
            except Exception as problem:  # transport errors: keep the last known value
                error = problem
                log.warning("Cannot read the maintenance switch (%s): %s; keeping the last known value",
                            self.store.describe(), problem)
            with self._lock:
                if isinstance(error, MaintenanceError):
                    self._value = None
                else:
                    self._value = value
                self._error = error
                self._fetched_at = self._clock()
                return self._value, self._error
        finally:
            self._refreshing.release()
