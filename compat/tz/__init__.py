"""compat.tz: time-zone-aware datetimes for the legacy ``db`` API, and moving wall-clock data to UTC.

Legacy ``db`` drops the zone: aware values are stored as UTC and come back
naive. This package provides the ready zones :data:`UTC` and :data:`JST`,
:func:`zone` (accepting names, pytz, zoneinfo and ``datetime.timezone``),
DST-safe conversions, the storage conventions ``compat.db``'s date/time
properties use (:mod:`compat.tz.conventions`), the one global setting
:func:`set_default_timezone`, and the data migration ``compat-tz-migrate``
(:mod:`compat.tz.migrate`) with its per-entity marker (:mod:`compat.tz.marker`,
which ``stored_as=`` properties read so an app can run during a migration).
See docs/timezones.md.
"""

from compat.tz import marker
from compat.tz.conventions import Convention, resolve
from compat.tz.convert import (
    from_utc_naive,
    is_aware,
    localize,
    now,
    repair_pytz_replace,
    to_utc_naive,
    to_zone,
    wall_clock,
)
from compat.tz.errors import (
    AmbiguousTimeError,
    NaiveDatetimeError,
    NonExistentTimeError,
    TimeZoneError,
    UnknownTimeZoneError,
)
from compat.tz.settings import default_timezone, get_default_timezone, set_default_timezone
from compat.tz.zones import JST, UTC, zone

__all__ = [
    "UTC", "JST", "zone",
    "localize", "to_utc_naive", "from_utc_naive", "to_zone", "wall_clock", "now", "is_aware",
    "repair_pytz_replace",
    "Convention", "resolve", "marker",
    "set_default_timezone", "get_default_timezone", "default_timezone",
    "TimeZoneError", "UnknownTimeZoneError", "NaiveDatetimeError",
    "AmbiguousTimeError", "NonExistentTimeError",
]
