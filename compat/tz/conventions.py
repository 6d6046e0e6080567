"""Storage conventions: how a date/time property turns values into stored timestamps and back.

This is the interface ``compat.db``'s ``DateTimeProperty``, ``DateProperty``
and ``TimeProperty`` call (``resolve(tzinfo=, naive=, stored_as=)``), and the
query layer calls :meth:`Convention.to_storage` on filter values, so filters
compare against stored data in the same convention.

Three conventions (see docs/timezones.md):

legacy (no arguments, no global default)
    Exactly legacy ``db``: an aware value is converted to UTC and stored
    naive, a naive value is stored as it is, values come back naive UTC.
aware (``tzinfo=``, or :func:`compat.tz.set_default_timezone`)
    Values come back aware in that zone; any aware value is stored as its
    UTC instant; a naive value follows the ``naive`` policy.
wall clock (``stored_as=``)
    Existing data holds naive wall-clock times of that zone (e.g. Japan time
    written by apps that followed the seed notes). Values load as the right
    instant (aware), writes and filter values keep that convention until the
    data is migrated with ``compat-tz-migrate``.

In aware and wall-clock mode an aware value that got a pytz zone through
``replace(tzinfo=)`` (``+09:19`` for Asia/Tokyo) is read as the wall-clock
time it was meant to be (:func:`compat.tz.convert.repair_pytz_replace`);
legacy mode stores it as legacy ``db`` did, 19 minutes early.

Naive-input policy, ``naive=``:

``"utc"`` (the default for UTC storage)
    a naive value is UTC -- what it always meant in legacy ``db`` (whose
    servers ran on UTC, so ``now()`` and ``utcnow()`` agreed) and in ndb;
    unmodified code that assigns ``datetime.utcnow()`` keeps working.
``"local"`` (the default with ``stored_as=``)
    a naive value is a wall-clock time in the property's zone -- what it
    meant in data stored as wall-clock time, so unmodified code that writes
    Japan time keeps writing the same values.
``"reject"``
    raise :class:`~compat.tz.errors.NaiveDatetimeError`.
"""

from __future__ import annotations

import datetime
from typing import Optional, Union

from compat.tz import convert, settings
from compat.tz.errors import NaiveDatetimeError
from compat.tz.zones import UTC, ZoneLike, is_utc, optional_zone, zone_name

__all__ = ["Convention", "resolve", "LEGACY"]


class _Rules:
    """The effective settings of a convention at one moment (after the global default)."""

    __slots__ = ("zone", "naive", "stored_as", "strict", "migrated")

    def __init__(self, zone, naive, stored_as, strict):
        self.zone = zone
        self.naive = naive
        self.stored_as = stored_as
        self.strict = strict
        self.migrated = None  # the UTC-storage twin, built on first use


class Convention:
    """How one property stores and returns datetimes; build it with :func:`resolve`.

    Arguments left as None follow the global default of
    :func:`compat.tz.set_default_timezone` at the time of use; with no default
    and no arguments the convention is legacy ``db``'s.
    """

    def __init__(self, tzinfo: Optional[ZoneLike] = None, naive: Optional[str] = None,
                 stored_as: Optional[ZoneLike] = None, strict: bool = False) -> None:
        settings.check_naive_policy(naive)
        self._tzinfo = optional_zone(tzinfo)
        self._stored_as = optional_zone(stored_as)
        if self._stored_as is not None and is_utc(self._stored_as):
            self._stored_as = UTC  # "stored as UTC" is the standard storage
        self._naive = naive
        self._strict = bool(strict)
        self._cache = (None, None)
        if naive == "local" and self._tzinfo is None and self._stored_as is None:
            if settings.get_default_timezone() is None and settings.default_settings()[2] is None:
                raise ValueError(
                    "naive='local' needs a zone: pass tzinfo=... or stored_as=... "
                    "(or set compat.tz.set_default_timezone first)"
                )

    # -- effective settings -------------------------------------------------

    def _rules(self):
        default_tz, default_naive, default_stored, generation = settings.default_settings()
        cached_generation, rules = self._cache
        if cached_generation == generation:
            return rules
        stored_as = self._stored_as if self._stored_as is not None else default_stored
        if stored_as is not None and is_utc(stored_as):
            stored_as = None
        tz = next((z for z in (self._tzinfo, default_tz, stored_as) if z is not None), None)
        naive = self._naive or default_naive or ("local" if stored_as is not None else "utc")
        if naive == "local" and tz is None:
            raise ValueError(
                "naive='local' needs a zone: pass tzinfo=... or stored_as=... to the property"
            )
        rules = _Rules(tz, naive, stored_as, self._strict)
        self._cache = (generation, rules)
        return rules

    @property
    def aware(self) -> bool:
        """True when values come back aware (``tzinfo=``, ``stored_as=`` or a global default)."""
        return self._rules().zone is not None

    @property
    def legacy(self) -> bool:
        """True when this convention is legacy ``db``'s right now (no zone, no global default)."""
        return self._rules().zone is None

    @property
    def tzinfo(self) -> Optional[datetime.tzinfo]:
        """The zone values come back in, or None in legacy mode."""
        return self._rules().zone

    @property
    def stored_as(self) -> Optional[datetime.tzinfo]:
        """The wall-clock zone of the stored data, or None for UTC storage."""
        return self._rules().stored_as

    @property
    def naive(self) -> str:
        """The effective naive-input policy: ``"utc"``, ``"local"`` or ``"reject"``."""
        return self._rules().naive

    def migrated(self) -> Convention:
        """The convention of this property's values once migrated to UTC.

        Same zone, naive policy and strictness, but stored as UTC: what a
        ``stored_as=`` property uses for entities whose migration marker says
        the value is already UTC (:mod:`compat.tz.marker`). A convention that
        stores UTC already returns itself.
        """
        rules = self._rules()
        if rules.stored_as is None:
            return self
        twin = rules.migrated
        if twin is None:
            twin = rules.migrated = Convention(tzinfo=rules.zone, naive=rules.naive, stored_as=UTC,
                                               strict=rules.strict)
        return twin

    # -- the interface compat.db calls ------------------------------------------

    def to_storage(self, value: Optional[datetime.datetime]) -> Optional[datetime.datetime]:
        """The naive datetime to write as the Datastore timestamp (Datastore takes it as UTC).

        Legacy: an aware value becomes naive UTC (``DatetimeToTimestamp``), a
        naive one is stored unchanged. Aware mode: the value's UTC instant.
        Wall-clock mode: the value's wall-clock time in ``stored_as``.
        Also used on query filter values.
        """
        if value is None:
            return None
        if not isinstance(value, datetime.datetime):
            raise TypeError("expected a datetime.datetime, got %r" % (value,))
        rules = self._rules()
        if not convert.is_aware(value):
            if rules.naive == "utc":
                if rules.stored_as is None:
                    return convert._strip(value)
                return convert.wall_clock(convert.from_utc_naive(value), rules.stored_as)
            if rules.naive == "reject":
                raise self._naive_error(value, rules)
            instant = convert.localize(value, rules.zone, strict=rules.strict)
        elif rules.zone is not None:
            instant = convert.repair_pytz_replace(value)
        else:
            instant = value  # legacy: stored as legacy db stored it, +09:19 included
        if rules.stored_as is None:
            return convert.to_utc_naive(instant)
        return convert.wall_clock(instant, rules.stored_as)

    def normalize(self, value: Optional[datetime.datetime]) -> Optional[datetime.datetime]:
        """The in-memory form of an assigned datetime: what it will read back as.

        Legacy: unchanged (legacy ``db`` keeps an assigned aware value aware
        until the entity is reloaded). Aware mode: the same instant, aware in
        the property's zone; a naive value is read by the naive policy (and
        refused at assignment with ``naive="reject"``).
        """
        if value is None:
            return None
        if not isinstance(value, datetime.datetime):
            raise TypeError("expected a datetime.datetime, got %r" % (value,))
        rules = self._rules()
        if rules.zone is None:
            return value
        if convert.is_aware(value):
            return convert.repair_pytz_replace(value).astimezone(rules.zone)
        if rules.naive == "utc":
            return convert.from_utc_naive(convert._strip(value), rules.zone)
        if rules.naive == "reject":
            raise self._naive_error(value, rules)
        return convert.localize(convert._strip(value), rules.zone, strict=rules.strict)

    def from_storage(self, stored: Union[datetime.datetime, int, None]) -> Optional[datetime.datetime]:
        """What the app sees for a stored timestamp (naive, UTC as far as Datastore knows).

        Legacy: the naive value itself. Aware mode: the instant, aware in the
        property's zone. Wall-clock mode: the stored wall time read in
        ``stored_as`` (DST rule of :func:`compat.tz.localize`, never raising),
        then expressed in the property's zone. An aware ``stored`` (as
        google-cloud-datastore returns) is first made naive UTC; an ``int`` is
        microseconds since the epoch (projection queries).
        """
        if stored is None:
            return None
        if isinstance(stored, int) and not isinstance(stored, bool):
            stored = convert.from_microseconds(stored)
        elif not isinstance(stored, datetime.datetime):
            raise TypeError("a stored timestamp must be a datetime, got %r" % (stored,))
        elif convert.is_aware(stored):
            stored = convert._strip(stored.astimezone(UTC))
        else:
            stored = convert._strip(stored)
        rules = self._rules()
        if rules.zone is None:
            return stored
        if rules.stored_as is None:
            return convert.from_utc_naive(stored, rules.zone)
        instant = convert.localize(stored, rules.stored_as)
        return instant if rules.zone is rules.stored_as else instant.astimezone(rules.zone)

    def now(self) -> datetime.datetime:
        """The value for ``auto_now``/``auto_now_add``: naive UTC (legacy) or aware in the zone.

        ``to_storage(now())`` stores the same instant, to the microsecond.
        """
        return convert.now(self._rules().zone)

    def to_date(self, value: Union[datetime.date, None]) -> Optional[datetime.date]:
        """The calendar date a ``DateProperty`` stores for ``value``.

        A ``date`` is kept. A datetime gives its date in the property's zone in
        aware mode (00:30 JST on 2 Jan is 2 Jan, although it is 1 Jan in UTC);
        in legacy mode the UTC date. Naive datetimes follow the naive policy.
        Whether a DateProperty accepts datetimes at all is the property's call
        (legacy ``db`` refuses them).
        """
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return self._in_zone(value).date()
        if isinstance(value, datetime.date):
            return value
        raise TypeError("expected a datetime.date or datetime.datetime, got %r" % (value,))

    def to_time(self, value: Union[datetime.datetime, datetime.time, None]) -> Optional[datetime.time]:
        """The time of day a ``TimeProperty`` stores for ``value`` (naive, microseconds kept).

        A naive ``time`` is kept. An aware ``time`` keeps its wall-clock time
        in legacy mode (as legacy ``db`` did) and is refused in aware mode (a
        time of day with a zone has no single offset across DST; pass a
        datetime). A datetime gives its time of day in the property's zone in
        aware mode, the UTC time of day in legacy mode.
        """
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return self._in_zone(value).time()
        if isinstance(value, datetime.time):
            if value.tzinfo is not None:
                if self.aware:
                    raise ValueError(
                        "%r is a time of day with a zone; in aware mode pass a datetime "
                        "(its time of day in %s is stored) or a naive time"
                        % (value, zone_name(self.tzinfo))
                    )
                return datetime.time(value.hour, value.minute, value.second, value.microsecond)
            return value
        raise TypeError("expected a datetime.time or datetime.datetime, got %r" % (value,))

    # -- helpers ------------------------------------------------------------

    def _in_zone(self, value):
        """``value`` as a naive wall time in the property's zone (UTC in legacy mode)."""
        rules = self._rules()
        target = rules.zone or UTC
        if convert.is_aware(value):
            if rules.zone is not None:
                value = convert.repair_pytz_replace(value)
            return convert.wall_clock(value, target)
        if rules.naive == "reject":
            raise self._naive_error(value, rules)
        if rules.naive == "local" or rules.zone is None:
            return convert._strip(value)
        return convert.wall_clock(convert.from_utc_naive(value), target)

    @staticmethod
    def _naive_error(value, rules):
        return NaiveDatetimeError(
            "%r is naive and this property rejects naive datetimes (naive='reject'); "
            "pass an aware datetime, e.g. localize(value, %s)" % (value, zone_name(rules.zone))
        )

    def __repr__(self):
        try:
            rules = self._rules()
        except ValueError as error:
            return "<Convention invalid: %s>" % error
        if rules.zone is None:
            return "<Convention legacy (naive UTC)>"
        stored = "UTC" if rules.stored_as is None else "wall clock %s" % zone_name(rules.stored_as)
        return "<Convention aware %s, stored %s, naive=%r>" % (zone_name(rules.zone), stored, rules.naive)


def resolve(tzinfo: Optional[ZoneLike] = None, naive: Optional[str] = None, stored_as: Optional[ZoneLike] = None,
            strict: bool = False) -> Convention:
    """The :class:`Convention` for a property's ``tzinfo=``, ``naive=`` and ``stored_as=``.

    Args:
        tzinfo: zone (name or any tzinfo) values come back in; None follows
            the global default, or ``stored_as``, or legacy (naive UTC).
        naive: ``"utc"``, ``"local"`` or ``"reject"``; None follows the
            global default, else ``"local"`` with ``stored_as`` and ``"utc"`` otherwise.
        stored_as: zone whose naive wall time the existing data holds
            (``compat.tz.JST`` for Japan-time data); None (or UTC) for UTC storage.
        strict: raise on ambiguous or missing wall-clock times when writing
            naive local values (reads never raise).
    """
    return Convention(tzinfo=tzinfo, naive=naive, stored_as=stored_as, strict=strict)


LEGACY = Convention()
"""A convention with no arguments: legacy db's, unless a global default is set."""
