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
``migrated()``          the convention of values already migrated to UTC

A ``stored_as=`` DateTimeProperty also reads the per-entity migration marker
of ``compat-tz-migrate`` (:mod:`compat.tz.marker`) through the model's entity
hooks, so an app can keep running while its data is migrated: a value the
marker certifies as UTC is read (and written back) as UTC, every other value
as wall-clock time. See docs/timezones.md, "Migrating a live app".
"""

from __future__ import annotations

from typing import Any, Optional

import datetime

from compat.db._values import date_to_datetime, naive_utc, time_to_datetime
from compat.db.errors import BadValueError
from compat.db.properties.base import AUTO_UPDATE_UNCHANGED, Property
from compat.tz import conventions as _conventions
from compat.tz import marker as _marker
from compat.tz.zones import ZoneLike


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _same_instant(value, loaded):
    """True when an in-memory (aware) value is the loaded stored timestamp (both None included)."""
    if value is None or loaded is None:
        return value is loaded
    if value.tzinfo is None:
        return False
    if loaded.tzinfo is None:  # naive UTC, as compat's own put left it in the instance's entity
        loaded = loaded.replace(tzinfo=datetime.timezone.utc)
    return value == loaded


#: compat.tz.marker.DEFAULT_MARKER, the migration command's default ``--marker``.
DEFAULT_MIGRATION_MARKER = "compat_tz_migrated"


class _TimeZonePaths:
    """The time-zone side of the three properties (compat.tz owns this part).

    ``self._tz`` is the property's ``compat.tz`` Convention, resolved once; it
    follows :func:`compat.tz.set_default_timezone` by itself, so ``_convention``
    answers None (legacy path) or the convention at every call. compat.tz's
    errors become ``BadValueError`` naming the property.

    The migration marker: ``_entity_trigger`` (the marker's name) makes the
    model call ``_load_from_entity`` / ``_store_to_entity`` for entities that
    carry it (and ``_store_to_entity`` for every put with
    ``_entity_trigger_always``, i.e. ``migrate_writes=True``). Loading acts
    only while the property's convention stores wall-clock time
    (``stored_as``); writing also certifies UTC writes with ``migrate_writes``.
    """

    _reads_migration_marker = True  # DateTimeProperty; dates and times are never migrated
    _entity_trigger = None
    _entity_trigger_always = False

    def _init_tz(self, tzinfo, naive, stored_as, migration_marker=DEFAULT_MIGRATION_MARKER,
                 migrate_writes=False):
        self.tzinfo = tzinfo
        self.naive = naive
        self.stored_as = stored_as
        try:
            self._tz = _conventions.resolve(tzinfo=tzinfo, naive=naive, stored_as=stored_as)
        except (ValueError, TypeError) as error:
            raise BadValueError("Property %s: %s" % (self.name or type(self).__name__, error)) from None
        label = self.name or type(self).__name__
        if not self._reads_migration_marker:
            if migrate_writes or migration_marker != DEFAULT_MIGRATION_MARKER:
                raise BadValueError("Property %s: %s takes no migration_marker / migrate_writes (dates and "
                                    "times of day are not moved by compat-tz-migrate)"
                                    % (label, type(self).__name__))
            return
        if migration_marker is not None and (not isinstance(migration_marker, str) or not migration_marker):
            raise BadValueError("Property %s: migration_marker must be the marker property's name "
                                "(default %r) or None, not %r" % (label, DEFAULT_MIGRATION_MARKER, migration_marker))
        if migrate_writes and migration_marker is None:
            raise BadValueError("Property %s: migrate_writes=True needs a migration_marker to record the "
                                "converted values in" % label)
        self.migration_marker = migration_marker
        self.migrate_writes = bool(migrate_writes)
        self._entity_trigger = migration_marker
        self._entity_trigger_always = self.migrate_writes

    # -- the per-entity migration marker (called by the model's entity hooks) ----

    def _load_from_entity(self, entity, values):
        """Read the value as UTC when the entity's marker certifies that it was migrated.

        Any other value keeps the wall-clock reading ``make_value_from_datastore``
        gave: no entry (not migrated yet), or an entry whose digest does not
        match (written after the migration by something that did not update
        the marker: its convention is unknown, and the declared one is used).
        """
        name = self.name
        if values.get(name) is None:
            return
        convention = self._tz
        migrated = convention.migrated()
        if migrated is convention:
            return  # stores UTC anyway
        marker = _marker  # local name: the hot path reads it once
        texts = marker.entry_texts_shared(entity[self._entity_trigger])
        text = texts.get(name) if texts else None
        if text is None or marker.entry_digest(text) != marker.digest_of(entity[name]):
            return
        values[name] = migrated.from_storage(entity[name])

    def _store_to_entity(self, model_instance, loaded, entity):
        """Write UTC and update the marker where the stored entity is (or is to become) migrated.

        ``entity`` holds the property's stored form already (wall clock with
        ``stored_as``). With ``stored_as`` it is replaced by the UTC form, and
        this property's marker entry by the new value's digest, when the
        loaded entity's entry matched (migrated), when it did not match but
        the app changed the value (its instant is known now), or, with
        ``migrate_writes=True``, when there was no entry. A value without
        entry (not migrated, default) or with a mismatched entry that the app
        left alone is written in wall-clock time as before: nothing compat
        writes is ever shifted by the migration a second time. A property
        storing UTC with ``migrate_writes=True`` certifies what it writes with
        an entry (for apps still reading through ``stored_as``).
        """
        marker = _marker  # local name: the hot path reads it once
        name, marker_name = self.name, self._entity_trigger
        text = None
        if loaded is not None and marker_name in loaded:
            texts = marker.entry_texts_shared(loaded[marker_name])
            if texts is None:
                return  # not a list of strings: left as it is (the migration reports the entity as failed)
            text = texts.get(name)
        convention = self._tz
        migrated = convention.migrated()
        if migrated is convention:  # stores UTC
            if not self._entity_trigger_always:
                return
            stored = entity.get(name)
            stored_digest = marker.digest_of(stored)
            if text is not None and marker.entry_digest(text) == stored_digest:
                new_text = text
            elif stored is None and text is None:
                return
            else:
                new_text = marker.format_entry(name, "UTC", stored_digest)
            self._write_marker_entry(model_instance, entity, marker, new_text)
            return
        value = self.__get__(model_instance, type(model_instance))
        if text is None:  # not migrated
            if not self._entity_trigger_always or value is None:
                return
            new_text = None
        else:
            loaded_value = loaded.get(name)
            loaded_digest = marker.digest_of(loaded_value)
            if marker.entry_digest(text) == loaded_digest:  # migrated
                new_text = text if _same_instant(value, loaded_value) else None
            elif marker.digest_of(entity.get(name)) == loaded_digest:
                return  # changed since migration by someone else, unknown convention, untouched: kept as read
            else:
                new_text = None  # changed since migration, and now by the app: its instant is known
        if new_text is None:
            stored = None if value is None else self._tz_apply(migrated.to_storage, value)
            new_text = marker.format_entry(name, marker.zone_label(convention.stored_as), marker.digest_of(stored))
        else:
            stored = loaded_value  # the very timestamp that was read (aware UTC); written back as it is
        entity[name] = stored
        self._write_marker_entry(model_instance, entity, marker, new_text)

    def _write_marker_entry(self, model_instance, entity, marker, new_text):
        """Set this property's entry in the marker of the entity being written."""
        name, marker_name = self.name, self._entity_trigger
        current = marker.entry_texts_shared(entity.get(marker_name))
        if current is None:
            raise BadValueError("Property %s: the migration marker %s must be a list of strings, not %r"
                                % (name, marker_name, entity.get(marker_name)))
        if current.get(name) == new_text:
            return
        current = dict(current)
        current[name] = new_text
        strings = list(current.values())
        entity[marker_name] = strings
        entity.exclude_from_indexes.add(marker_name)
        entity._meanings.pop(marker_name, None)
        dynamic = model_instance.__dict__.get("_dynamic_properties")
        if dynamic is not None:  # Expando: the marker is a dynamic property; keep it in step
            dynamic[marker_name] = list(strings)

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
            (e.g. ``compat.tz.JST`` for apps that stored Japan time). Entities
            that ``compat-tz-migrate`` has converted are recognised by their
            marker and read (and written back) as UTC.
        migration_marker: name of the migration's marker property (``--marker``;
            default ``compat_tz_migrated``), or None to ignore markers.
        migrate_writes: write every put of this property as UTC with a marker
            entry (for migrating a live app). With ``stored_as`` the app thus
            migrates what it writes (default False: unmigrated entities stay
            wall clock); storing UTC, it certifies its writes for instances
            still reading through ``stored_as``.
    """

    data_type: type = datetime.datetime

    def __init__(self, verbose_name: Optional[str] = None, auto_now: bool = False, auto_now_add: bool = False,
                 tzinfo: Optional[ZoneLike] = None, naive: Optional[str] = None, stored_as: Optional[ZoneLike] = None,
                 migration_marker: Optional[str] = DEFAULT_MIGRATION_MARKER, migrate_writes: bool = False,
                 **kwds: Any) -> None:
        super().__init__(verbose_name, **kwds)
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add
        self._init_tz(tzinfo, naive, stored_as, migration_marker, migrate_writes)

    def validate(self, value: Any) -> Any:
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

    def default_value(self) -> Any:
        if self.auto_now or self.auto_now_add:
            return self._current()
        return Property.default_value(self)

    def get_updated_value_for_datastore(self, model_instance: Any) -> Any:
        if self.auto_now:
            return self._to_stored_form(self._current())
        return AUTO_UPDATE_UNCHANGED

    def get_value_for_datastore(self, model_instance: Any) -> Any:
        return self._to_stored_form(self.__get__(model_instance, type(model_instance)))

    def _to_stored_form(self, value):
        if value is None:
            return None
        convention = self._convention()
        if convention is not None:
            return self._tz_apply(convention.to_storage, value)
        return value

    def make_value_from_datastore(self, value: Any) -> Any:
        if value is None:
            return None
        convention = self._convention()
        if convention is not None:
            return convention.from_storage(value)
        return value

    @staticmethod
    def now() -> datetime.datetime:
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
    _reads_migration_marker = False

    @staticmethod
    def now() -> datetime.date:  # type: ignore[override]  # legacy's DateProperty.now() gives a date
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

    def get_updated_value_for_datastore(self, model_instance: Any) -> Any:
        if self.auto_now:
            return date_to_datetime(self._current())
        return AUTO_UPDATE_UNCHANGED

    def _to_stored_form(self, value):
        if value is None:
            return None
        return date_to_datetime(value)

    def make_value_from_datastore(self, value: Any) -> Any:
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
    _reads_migration_marker = False

    @staticmethod
    def now() -> datetime.time:  # type: ignore[override]  # legacy's TimeProperty.now() gives a time
        """The current UTC time of day (legacy's static ``now()``)."""
        return _utcnow().time()

    def _current(self):
        convention = self._convention()
        if convention is not None:
            return convention.to_time(convention.now())
        return self.now()

    def empty(self, value: Any) -> bool:
        return value is None

    def _check_type(self, value):
        if isinstance(value, datetime.datetime):
            convention = self._convention()
            if convention is None:
                raise BadValueError("Property %s must be a %s, but was %r" % (self.name, self.data_type.__name__, value))
            return self._tz_apply(convention.to_time, value)
        if value and not isinstance(value, datetime.time):  # legacy skipped the check of falsy values
            raise BadValueError("Property %s must be a %s, but was %r" % (self.name, self.data_type.__name__, value))
        if isinstance(value, datetime.time) and value.tzinfo is not None:
            convention = self._convention()
            if convention is not None:  # aware mode refuses a time of day with a zone
                return self._tz_apply(convention.to_time, value)
        return value

    def get_updated_value_for_datastore(self, model_instance: Any) -> Any:
        if self.auto_now:
            return time_to_datetime(self._current())
        return AUTO_UPDATE_UNCHANGED

    def _to_stored_form(self, value):
        if value is None:
            return None
        return time_to_datetime(value)

    def make_value_from_datastore(self, value: Any) -> Any:
        if value is None:
            return None
        return naive_utc(value).time()
