"""DateTimeProperty, DateProperty and TimeProperty.

Legacy behaviour (the default, unchanged for unmodified code): a datetime is
stored as a timestamp; an aware value is converted to UTC and comes back
naive UTC; a date is stored as midnight of that day, a time as 1970-01-01 at
that time of day; ``auto_now`` / ``auto_now_add`` use naive UTC now.

Time-zone-aware mode (``tzinfo=``, ``naive=``, ``stored_as=``, or the global
default of :mod:`compat.tz`) delegates every conversion to a
``compat.tz.conventions`` Convention object:

``to_storage(value)``   naive datetime written as the timestamp
``from_storage(value)`` what the application sees for a stored naive value
``now()``               value for auto_now / auto_now_add
``to_date(value)`` / ``to_time(value)``  DateProperty / TimeProperty given a datetime
``normalize(value)``    (optional) the in-memory form of an assigned value
"""

import datetime

from compat.db.errors import BadValueError
from compat.db.properties.base import AUTO_UPDATE_UNCHANGED, Property
from compat.db._values import date_to_datetime, naive_utc, time_to_datetime


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _tz_conventions():
    from compat.tz import conventions  # part of this distribution; imported lazily to keep imports light

    return conventions


class _TimeZonePaths:
    """The time-zone side of the three properties (compat.tz owns this part).

    ``self._tz`` is the property's ``compat.tz`` Convention, resolved once; it
    follows :func:`compat.tz.set_default_timezone` by itself, so ``_convention``
    answers None (legacy path) or the convention at every call. compat.tz's
    errors become ``BadValueError`` naming the property.
    """

    def _init_tz(self, tzinfo, naive, stored_as):
        self.tzinfo = tzinfo
        self.naive = naive
        self.stored_as = stored_as
        try:
            self._tz = _tz_conventions().resolve(tzinfo=tzinfo, naive=naive, stored_as=stored_as)
        except (ValueError, TypeError) as error:
            raise BadValueError("Property %s: %s" % (self.name or type(self).__name__, error)) from None

    def _convention(self):
        """The tz Convention in force for this property, or None for legacy behaviour."""
        tz = self._tz
        return None if tz.legacy else tz

    def _tz_apply(self, function, value):
        try:
            return function(value)
        except (ValueError, TypeError) as error:
            raise BadValueError("Property %s: %s" % (self.name, error)) from None

    def _to_filter_value(self, value):
        """A query filter or GQL ``DATETIME()``/``DATE()``/``TIME()`` operand in the stored convention.

        The same as ``_filter_value``: the value is type-checked, normalised
        and converted with the property's convention (``stored_as`` data is
        compared in its wall-clock time).
        """
        return self._filter_value(value)

    def _filter_value(self, value):
        # Date and time properties: a datetime operand is already a stored form
        # (legacy normalised dates to midnight and times to 1970-01-01, and GQL
        # DATE()/TIME() literals are such datetimes), so it is compared as it is,
        # as legacy did. Only an aware operand in aware mode goes through the
        # property's convention.
        if (self.data_type is not datetime.datetime and isinstance(value, datetime.datetime)
                and (value.tzinfo is None or self._convention() is None)):
            return value
        return super()._filter_value(value)


class DateTimeProperty(_TimeZonePaths, Property):
    """A date and time (``datetime.datetime``).

    Args:
        auto_now: set to now on every put.
        auto_now_add: set to now when the instance is created.
        tzinfo: aware mode: values come back aware in this zone (compat extension).
        naive: aware mode: what a naive value means: ``"utc"``, ``"local"`` or ``"reject"``.
        stored_as: the zone existing values were stored in as naive wall-clock time
            (e.g. ``compat.tz.JST`` for apps that stored Japan time).
    """

    data_type = datetime.datetime

    def __init__(self, verbose_name=None, auto_now=False, auto_now_add=False,
                 tzinfo=None, naive=None, stored_as=None, **kwds):
        super().__init__(verbose_name, **kwds)
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add
        self._init_tz(tzinfo, naive, stored_as)

    def validate(self, value):
        value = super().validate(value)
        return self._check_type(value)

    def _check_type(self, value):
        if value and not isinstance(value, self.data_type):
            raise BadValueError("Property %s must be a %s, but was %r" % (self.name, self.data_type.__name__, value))
        if value is not None:
            convention = self._convention()
            if convention is not None:
                value = self._tz_apply(convention.normalize, value)
        return value

    def default_value(self):
        if self.auto_now or self.auto_now_add:
            return self._current()
        return Property.default_value(self)

    def get_updated_value_for_datastore(self, model_instance):
        if self.auto_now:
            return self._to_stored_form(self._current())
        return AUTO_UPDATE_UNCHANGED

    def get_value_for_datastore(self, model_instance):
        return self._to_stored_form(self.__get__(model_instance, type(model_instance)))

    def _to_stored_form(self, value):
        if value is None:
            return None
        convention = self._convention()
        if convention is not None:
            return self._tz_apply(convention.to_storage, value)
        return value

    def make_value_from_datastore(self, value):
        if value is None:
            return None
        convention = self._convention()
        if convention is not None:
            return convention.from_storage(value)
        return value

    @staticmethod
    def now():
        """Now as a naive UTC datetime (legacy's static ``now()``)."""
        return _utcnow()

    def _current(self):
        """The value auto_now / auto_now_add assign: legacy now() or the convention's."""
        convention = self._convention()
        if convention is not None:
            return convention.now()
        return self.now()


class DateProperty(DateTimeProperty):
    """A calendar date (``datetime.date``), stored as midnight UTC of that day.

    A datetime is refused, as in legacy; in aware mode a datetime is accepted
    and becomes its calendar date in the property's zone.
    """

    data_type = datetime.date

    @staticmethod
    def now():
        """Today's date in UTC (legacy's static ``now()``)."""
        return _utcnow().date()

    def _current(self):
        convention = self._convention()
        if convention is not None:
            return convention.to_date(convention.now())
        return self.now()

    def _check_type(self, value):
        if isinstance(value, datetime.datetime):
            convention = self._convention()
            if convention is None:
                raise BadValueError("Property %s must be a %s, not a datetime" % (self.name, self.data_type.__name__))
            return self._tz_apply(convention.to_date, value)
        if value and not isinstance(value, datetime.date):
            raise BadValueError("Property %s must be a %s, but was %r" % (self.name, self.data_type.__name__, value))
        return value

    def get_updated_value_for_datastore(self, model_instance):
        if self.auto_now:
            return date_to_datetime(self._current())
        return AUTO_UPDATE_UNCHANGED

    def _to_stored_form(self, value):
        if value is None:
            return None
        return date_to_datetime(value)

    def make_value_from_datastore(self, value):
        if value is None:
            return None
        return naive_utc(value).date()


class TimeProperty(DateTimeProperty):
    """A time of day (``datetime.time``), stored as 1970-01-01 at that time.

    Midnight is not empty. An aware time keeps its wall-clock value, as in
    legacy; in aware mode a datetime is accepted and becomes its time of day in
    the property's zone.
    """

    data_type = datetime.time

    @staticmethod
    def now():
        """The current UTC time of day (legacy's static ``now()``)."""
        return _utcnow().time()

    def _current(self):
        convention = self._convention()
        if convention is not None:
            return convention.to_time(convention.now())
        return self.now()

    def empty(self, value):
        return value is None

    def _check_type(self, value):
        if isinstance(value, datetime.datetime):
            convention = self._convention()
            if convention is None:
                raise BadValueError("Property %s must be a %s, but was %r" % (self.name, self.data_type.__name__, value))
            return self._tz_apply(convention.to_time, value)
        if value is not None and not isinstance(value, datetime.time):
            raise BadValueError("Property %s must be a %s, but was %r" % (self.name, self.data_type.__name__, value))
        if value is not None and value.tzinfo is not None:
            convention = self._convention()
            if convention is not None:  # aware mode refuses a time of day with a zone
                return self._tz_apply(convention.to_time, value)
        return value

    def get_updated_value_for_datastore(self, model_instance):
        if self.auto_now:
            return time_to_datetime(self._current())
        return AUTO_UPDATE_UNCHANGED

    def _to_stored_form(self, value):
        if value is None:
            return None
        return time_to_datetime(value)

    def make_value_from_datastore(self, value):
        if value is None:
            return None
        return naive_utc(value).time()
