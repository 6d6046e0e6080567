"""Ready-made zones and :func:`zone`, which accepts any kind of zone.

Legacy ``db`` shipped no zone classes at all (the seed notes tell apps to
write their own ``UTC``/``JST`` ``tzinfo`` subclasses). Here ``UTC`` is the
standard library's ``datetime.timezone.utc`` and ``JST`` is the IANA zone
``Asia/Tokyo`` as a :class:`zoneinfo.ZoneInfo`. ZoneInfo zones have no
``+09:19`` trap: ``datetime(..., tzinfo=JST)`` is correct, unlike the same
call with ``pytz.timezone('Asia/Tokyo')``, which silently picks Tokyo's
local mean time of 1887. pytz zones, ``ZoneInfo`` zones,
``datetime.timezone`` offsets and hand-written ``tzinfo`` subclasses are all
accepted everywhere in compat.tz.
"""

from __future__ import annotations

import datetime
import zoneinfo as _zoneinfo
from typing import Optional, Union

import pytz

from compat.tz.errors import UnknownTimeZoneError

#: A zone argument: an IANA name (``"Asia/Tokyo"``) or any ``tzinfo`` (pytz, zoneinfo, ``datetime.timezone``).
ZoneLike = Union[str, datetime.tzinfo]

UTC = datetime.timezone.utc
"""Coordinated Universal Time (``datetime.timezone.utc``)."""

JST = _zoneinfo.ZoneInfo("Asia/Tokyo")
"""Japan time, the IANA zone ``Asia/Tokyo`` (UTC+09:00 since 1951; no DST today)."""

_ZERO = datetime.timedelta(0)
_UTC_NAMES = frozenset(["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Z", "GMT", "Etc/GMT"])


def zone(name_or_tzinfo: Union[ZoneLike, bytes]) -> datetime.tzinfo:
    """Return a ``tzinfo`` for an IANA name or any ``tzinfo`` object.

    ``zone("Asia/Tokyo")`` gives a :class:`zoneinfo.ZoneInfo`; ``zone("UTC")``
    gives :data:`UTC`. A ``tzinfo`` (pytz, zoneinfo, ``datetime.timezone`` or
    a hand-written subclass such as the legacy apps' ``class JST(tzinfo)``)
    is returned unchanged after checking that it can give a UTC offset.

    Raises:
        UnknownTimeZoneError: an unknown zone name (also a ``pytz.UnknownTimeZoneError``).
        TypeError: anything that is neither a string nor a ``tzinfo``.
    """
    if isinstance(name_or_tzinfo, datetime.tzinfo):
        _check_usable(name_or_tzinfo)
        return name_or_tzinfo
    if isinstance(name_or_tzinfo, bytes):
        name_or_tzinfo = name_or_tzinfo.decode("ascii")
    if not isinstance(name_or_tzinfo, str):
        raise TypeError(
            "expected a time-zone name such as 'Asia/Tokyo' or a tzinfo object "
            "(pytz, zoneinfo or datetime.timezone), got %r" % (name_or_tzinfo,)
        )
    name = name_or_tzinfo.strip()
    if name in _UTC_NAMES or name.upper() == "UTC":
        return UTC
    try:
        return _zoneinfo.ZoneInfo(name)
    except (ValueError, _zoneinfo.ZoneInfoNotFoundError):
        pass
    try:  # pytz may know a name the system database lacks
        return pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        raise UnknownTimeZoneError(
            "unknown time zone %r: use an IANA name such as 'Asia/Tokyo', "
            "'America/New_York' or 'UTC'" % (name,)
        ) from None


def optional_zone(name_or_tzinfo: Optional[ZoneLike]) -> Optional[datetime.tzinfo]:
    """:func:`zone`, passing ``None`` through (for optional arguments)."""
    return None if name_or_tzinfo is None else zone(name_or_tzinfo)


def is_utc(tz: datetime.tzinfo) -> bool:
    """True when ``tz`` is UTC under any of its spellings (no offset, ever)."""
    if tz is UTC or tz is pytz.utc:
        return True
    key = getattr(tz, "key", None) or getattr(tz, "zone", None)
    if key in _UTC_NAMES:
        return True
    return fixed_offset(tz) == _ZERO


def fixed_offset(tz: datetime.tzinfo) -> Optional[datetime.timedelta]:
    """The offset of a zone that has a single one (``timezone``, pytz UTC/static zones), else None.

    Zones with a history of offsets (pytz ``DstTzInfo``, ``ZoneInfo``) answer
    ``utcoffset(None)`` with None, so they are never taken for fixed ones.
    """
    try:
        offset = tz.utcoffset(None)
    except Exception:  # a hand-written tzinfo that needs a datetime
        return None
    return offset if isinstance(offset, datetime.timedelta) else None


def zone_name(tz: Optional[datetime.tzinfo]) -> str:
    """A readable name for messages: the IANA key when there is one."""
    return getattr(tz, "key", None) or getattr(tz, "zone", None) or str(tz)


def _check_usable(tz: datetime.tzinfo) -> None:
    probe = pytz.utc.localize(datetime.datetime(2000, 1, 1))
    try:
        probe.astimezone(tz)
    except Exception as error:
        raise TypeError(
            "%r cannot convert datetimes (its utcoffset/fromutc failed: %s)" % (tz, error)
        ) from None
