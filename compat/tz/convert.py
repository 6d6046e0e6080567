"""Conversions between naive UTC, aware instants and wall-clock times.

Every conversion goes through ``astimezone`` (and pytz's ``localize`` for the
UTC anchor), so pytz zones, ``zoneinfo`` zones and fixed offsets behave the
same. Nothing here attaches a zone with ``replace(tzinfo=...)``: with a pytz
zone that picks the zone's first historical offset (``+09:19`` for
Asia/Tokyo), the bug the legacy seed notes' advice leads to.

Wall-clock times that are ambiguous or missing (daylight-saving changes)
follow one documented rule, the one of PEP 495's ``fold=0`` and of
``java.time``:

* **ambiguous** (clocks turned back; 01:30 happens twice): the **earlier**
  instant, i.e. the offset in force before the change (2021-11-07 01:30 in
  New York is 01:30-04:00);
* **missing** (clocks turned forward; 02:30 never happens): **shifted forward
  by the length of the gap**, i.e. read with the offset in force before the
  change (2021-03-14 02:30 in New York becomes 03:30-04:00).

``strict=True`` raises :class:`~compat.tz.errors.AmbiguousTimeError` or
:class:`~compat.tz.errors.NonExistentTimeError` instead.
"""

from __future__ import annotations

import datetime
import zoneinfo as _zoneinfo
from typing import Optional

import pytz

from compat.tz.errors import AmbiguousTimeError, NonExistentTimeError
from compat.tz.zones import UTC, fixed_offset, zone_name

# Offsets in the world span -12:00..+14:00 and a change moves them by at most
# a day (Samoa, 2011), so every offset a wall time can have in a zone is in
# force within this distance of "the wall time read as UTC".
_PROBE = datetime.timedelta(hours=36)
_PROBES = (-_PROBE, -datetime.timedelta(hours=12), datetime.timedelta(0),
           datetime.timedelta(hours=12), _PROBE)
_EPOCH = datetime.datetime(1970, 1, 1)


def _utc_anchor(naive_utc: datetime.datetime) -> datetime.datetime:
    """An aware UTC datetime for a naive UTC one (pytz's localize: never replace)."""
    return pytz.utc.localize(naive_utc)


def _strip(aware: datetime.datetime) -> datetime.datetime:
    """The naive wall time of an aware datetime, as a plain ``datetime``."""
    return datetime.datetime(aware.year, aware.month, aware.day, aware.hour,
                             aware.minute, aware.second, aware.microsecond)


def is_aware(value: datetime.datetime) -> bool:
    """True when ``value`` (a datetime) knows its offset from UTC."""
    return value.tzinfo is not None and value.utcoffset() is not None


def to_utc_naive(value: datetime.datetime, assume: Optional[datetime.tzinfo] = None,
                 strict: bool = False) -> datetime.datetime:
    """The naive UTC datetime for ``value`` -- what Datastore stores.

    An aware value is converted with ``astimezone`` (legacy ``db``'s
    ``DatetimeToTimestamp`` does the same). A naive value is taken as a wall
    time in ``assume`` (localised with :func:`localize`); without ``assume``
    it is an error, because a naive value has no instant.
    """
    _require_datetime(value)
    if not is_aware(value):
        if assume is None:
            raise ValueError(
                "%r is naive: say which zone it is in (assume=...) or pass an aware datetime" % (value,)
            )
        value = localize(value, assume, strict=strict)
    return _strip(value.astimezone(UTC))


def from_utc_naive(value: datetime.datetime, tz: datetime.tzinfo = UTC) -> datetime.datetime:
    """The aware datetime, in zone ``tz``, for a naive UTC ``value`` (as Datastore returns it)."""
    _require_datetime(value)
    if is_aware(value):
        raise ValueError("%r is already aware; from_utc_naive() expects naive UTC" % (value,))
    return _utc_anchor(value).astimezone(tz)


def to_zone(value: datetime.datetime, tz: datetime.tzinfo) -> datetime.datetime:
    """``value`` (aware) expressed in zone ``tz`` -- the same instant (``astimezone``)."""
    _require_datetime(value)
    if not is_aware(value):
        raise ValueError("%r is naive; use localize() or from_utc_naive() first" % (value,))
    return value.astimezone(tz)


def wall_clock(value: datetime.datetime, tz: datetime.tzinfo) -> datetime.datetime:
    """The naive wall-clock time in zone ``tz`` of the aware ``value``.

    This is how apps that followed the seed notes stored Japan time:
    ``wall_clock(aware, JST)``. Inverse of :func:`localize`.
    """
    return _strip(to_zone(value, tz))


def localize(value: datetime.datetime, tz: datetime.tzinfo, strict: bool = False) -> datetime.datetime:
    """Attach zone ``tz`` to the naive wall-clock time ``value``, the DST-safe way.

    Works the same for pytz, zoneinfo and fixed-offset zones. Ambiguous
    times get the earlier instant and missing times are shifted forward by the
    gap (see the module docstring); ``strict=True`` raises instead.
    The result's ``tzinfo`` is ``tz`` (normalised, for pytz).
    """
    _require_datetime(value)
    if is_aware(value):
        raise ValueError("%r is already aware; localize() takes a naive wall-clock time" % (value,))
    offset = fixed_offset(tz)
    if offset is not None:
        return _utc_anchor(value - offset).astimezone(tz)
    if isinstance(tz, _zoneinfo.ZoneInfo):
        return _localize_pep495(value, tz, strict)
    instants = _instants_with_wall_time(value, tz)
    if len(instants) == 1:
        return instants[0].astimezone(tz)
    if instants:
        if strict:
            raise AmbiguousTimeError(
                "%s happens %d times in %s (clocks were turned back); pass an aware "
                "datetime or use strict=False to take the earlier one"
                % (value.isoformat(), len(instants), zone_name(tz))
            )
        return instants[0].astimezone(tz)
    if strict:
        raise NonExistentTimeError(
            "%s does not exist in %s (clocks were turned forward); pass an aware "
            "datetime or use strict=False to shift it forward by the gap"
            % (value.isoformat(), zone_name(tz))
        )
    before = _offset_at(value - _PROBE, tz)
    return _utc_anchor(value - before).astimezone(tz)


def is_pytz_replace_trap(value: datetime.datetime) -> bool:
    """True for an aware datetime that got a pytz zone by ``replace(tzinfo=)`` or the constructor.

    Such a value carries the zone's first historical offset (Asia/Tokyo's
    local mean time, ``+09:19``) although that offset was not in force at
    its date: pytz's own ``normalize`` would move it to another offset.
    """
    tzinfo = value.tzinfo
    if not isinstance(tzinfo, pytz.tzinfo.DstTzInfo):
        return False
    return tzinfo.normalize(value).utcoffset() != value.utcoffset()


def repair_pytz_replace(value: datetime.datetime) -> datetime.datetime:
    """Read a ``replace(tzinfo=pytz_zone)`` value as the wall-clock time it was meant to be.

    ``datetime(2024, 1, 1, 12).replace(tzinfo=pytz.timezone("Asia/Tokyo"))``
    is 12:00+09:19; this returns 12:00+09:00, the value everybody meant.
    Any other value is returned unchanged.
    """
    if not is_pytz_replace_trap(value):
        return value
    assert value.tzinfo is not None  # a pytz trap has its zone
    return localize(_strip(value), value.tzinfo)


def _localize_pep495(value, tz, strict):
    """ZoneInfo fast path: PEP 495's ``fold=0`` offset is exactly the rule above."""
    if value.fold:
        value = value.replace(fold=0)
    first = tz.utcoffset(value)
    if strict:
        second = tz.utcoffset(value.replace(fold=1))
        if first > second:
            raise AmbiguousTimeError(
                "%s happens 2 times in %s (clocks were turned back); pass an aware "
                "datetime or use strict=False to take the earlier one" % (value.isoformat(), zone_name(tz)))
        if first < second:
            raise NonExistentTimeError(
                "%s does not exist in %s (clocks were turned forward); pass an aware "
                "datetime or use strict=False to shift it forward by the gap" % (value.isoformat(), zone_name(tz)))
    return _utc_anchor(value - first).astimezone(tz)


def now(tz: Optional[datetime.tzinfo] = None) -> datetime.datetime:
    """The current time: naive UTC when ``tz`` is None (legacy ``utcnow()``), else aware in ``tz``.

    Uses ``datetime.now(timezone.utc)``, not the deprecated ``utcnow()``.
    """
    current = datetime.datetime.now(UTC)
    if tz is None:
        return _strip(current)
    return current.astimezone(tz)


def from_microseconds(value: int) -> datetime.datetime:
    """Naive UTC datetime for microseconds since the epoch (projection-query values)."""
    return _EPOCH + datetime.timedelta(microseconds=value)


def _offset_at(naive_utc, tz):
    try:
        return _utc_anchor(naive_utc).astimezone(tz).utcoffset()
    except OverflowError:
        return None


def _instants_with_wall_time(value, tz):
    """Every instant (aware UTC, earliest first) whose wall time in ``tz`` is ``value``."""
    early, late = _offset_at(value - _PROBE, tz), _offset_at(value + _PROBE, tz)
    if early is not None and early == late:
        offsets = [early]  # no change nearby: the common case, two conversions
    else:
        offsets = []
        for delta in _PROBES:
            found = _offset_at(value + delta, tz)
            if found is not None and found not in offsets:
                offsets.append(found)
    instants = []
    for offset in offsets:
        try:
            candidate = _utc_anchor(value - offset)
            if _strip(candidate.astimezone(tz)) == value and candidate not in instants:
                instants.append(candidate)
        except OverflowError:
            continue
    if not instants and len(offsets) == 1:
        # Only one offset seen but it does not fit: search properly.
        return _instants_with_wall_time_slow(value, tz)
    return sorted(instants)


def _instants_with_wall_time_slow(value, tz):
    instants = []
    for delta in _PROBES:
        offset = _offset_at(value + delta, tz)
        if offset is None:
            continue
        candidate = _utc_anchor(value - offset)
        if _strip(candidate.astimezone(tz)) == value and candidate not in instants:
            instants.append(candidate)
    return sorted(instants)


def _require_datetime(value):
    if not isinstance(value, datetime.datetime):
        raise TypeError("expected a datetime.datetime, got %r" % (value,))
