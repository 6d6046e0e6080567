"""Legacy ``db`` scalar properties as ndb properties: legacy's validation, stored forms and meanings.

Each class reproduces the ``db`` property of the same name; stored values are
what legacy ``db`` stored (docs/storage.md), so a Python 2 app and the
converted app can share one Datastore.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional
from urllib.parse import urlsplit

from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat.ndb_legacy import _ndb
from compat.ndb_legacy.values import (
    IM, Category, Email, GeoPt, Link, PhoneNumber, PostalAddress, Rating, Text,
)

# legacy's meanings (entity_pb's GD_* / TEXT / ... codes) for the value types ndb stores as plain values
_MEANING_CATEGORY = 1
_MEANING_LINK = 2
_MEANING_EMAIL = 8
_MEANING_IM = 10
_MEANING_PHONE = 11
_MEANING_ADDRESS = 12
_MEANING_RATING = 13
MEANING_TEXT = _MEANING_TEXT = 15

_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1
_MAX_STRING_CHARACTERS = 1500


class _Meaning:
    """Mixin: write legacy's meaning code with every non-null value (also each item of a list)."""

    _meaning: int = 0

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        keys = super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)
        for key in keys:
            value = data.get(key)
            if value is not None and value != []:
                data.setdefault("_meanings", {})[key] = (self._meaning, value)
        return keys


class ReservedWordError(exceptions.Error):
    """``db.ReservedWordError``: a model attribute named like a ``db.Model`` method, ``key_name`` or ``__x__``."""


#: attribute names legacy refused for properties (``db.Model``'s public attributes and ``key_name``)
_RESERVED_WORDS = frozenset([
    "key_name", "all", "delete", "dynamic_properties", "entity_type", "fields", "from_entity", "get", "get_by_id",
    "get_by_key_name", "get_or_insert", "gql", "has_key", "instance_properties", "is_saved", "key", "kind",
    "parent", "parent_key", "properties", "put", "save", "to_xml",
])


class _ReservedNames:
    """Mixin: a property whose attribute name legacy reserved fails when the class is defined, as in legacy.

    Legacy raised ``ReservedWordError`` for a property named ``key_name``,
    like a ``db.Model`` method (``kind``, ``parent``, ``put`` ...) or
    ``__x__``; ndb accepts most of these names.
    """

    def _fix_up(self, cls, code_name):
        if code_name.startswith("__") and code_name.endswith("__"):
            raise ReservedWordError(
                "Cannot define property.  All names both beginning and ending with '__' are reserved.")
        if code_name in _RESERVED_WORDS:
            raise ReservedWordError(
                "Cannot define property using reserved word '%(name)s'. If you would like to use this name in the "
                "datastore consider using a different name like %(name)s_ and adding name='%(name)s' to the "
                "parameter list of the property definition." % {"name": code_name})
        super()._fix_up(cls, code_name)


class _Assigned(_ReservedNames):
    """Mixin: legacy's rules for an assigned value that is "empty" (None, or falsy for most types).

    An empty value of a ``required`` property raises ``Property x is
    required`` when it is assigned (also at construction; ndb checks only
    None, only at ``put()``). Only the date and time properties take any
    other empty value without a type check (legacy's ``if value and not
    isinstance(...)``: ``DateTimeProperty`` takes ``0``); the others check
    it (a StringProperty refuses ``0``, ``False`` and ``[]``, as legacy did).
    """

    _empty_is_none = False  # IntegerProperty, FloatProperty: only None is empty (0 is a value)
    _empty_unchecked = False  # DateProperty, DateTimeProperty: an empty value is stored without a type check

    def _set_value(self, entity, value):
        if not self._repeated and (value is None if self._empty_is_none else not value):
            if self._required:
                raise exceptions.BadValueError("Property %s is required" % self._name)
            if value is not None and self._empty_unchecked:
                self._store_value(entity, value)
                return
        super()._set_value(entity, value)


class _NullIndexed:
    """Mixin for unindexed properties: None is stored as an indexed null, as legacy stored it (ndb excludes it)."""

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        keys = super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)
        if not self._repeated and not repeated:
            excluded = data["_exclude_from_indexes"]
            for key in keys:
                if data.get(key) is None and key in excluded:
                    excluded.remove(key)
        return keys


class StringProperty(_Assigned, ndb.StringProperty):
    """``db.StringProperty``: single-line unless ``multiline=True``, 1500 characters, ``indexed=False`` allowed.

    Legacy raised ``BadValueError('Property title is not multi-line')`` on
    assignment (ndb's StringProperty accepts newlines), refused ``bytes`` and
    counted the 1500-character limit of an indexed value in characters. An
    unindexed string (``indexed=False``, which ndb's StringProperty refuses)
    is stored excluded from indexes, a :class:`~compat.ndb_legacy.values.Text`
    value with meaning 15, as legacy stored ``db.Text`` values there. Items
    of a list (``StringListProperty``) were never checked, nor are they here.
    """

    def __init__(self, name: Optional[str] = None, *, multiline: bool = False, indexed: bool = True,
                 **kwargs: Any) -> None:
        ndb.TextProperty.__init__(self, name, **kwargs)  # ndb.StringProperty refuses indexed=False
        self._multiline = multiline
        self._legacy_indexed = bool(indexed)

    @property
    def _indexed(self):
        return self._legacy_indexed

    def _validate(self, value):
        if self._repeated:
            return
        if not isinstance(value, str):
            raise exceptions.BadValueError(
                "Property %s must be a str or unicode instance, not a %s" % (self._name, type(value).__name__))
        if self._legacy_indexed and len(value) > _MAX_STRING_CHARACTERS:
            raise exceptions.BadValueError(
                "Property %s is %d bytes long; it must be %d or less." % (self._name, len(value), _MAX_STRING_CHARACTERS))
        if not self._multiline and "\n" in value:
            raise exceptions.BadValueError("Property %s is not multi-line" % self._name)

    def _to_base_type(self, value):
        return None  # (ndb's own checks stop here: legacy's replace them; the server's byte limit applies at put)

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        keys = super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)
        for key in keys:
            if isinstance(data.get(key), Text):
                data.setdefault("_meanings", {})[key] = (_MEANING_TEXT, data[key])
        return keys

    def _from_datastore(self, ds_entity, value):
        # a value stored as db.Text (meaning 15) reads back as Text, so a re-put stores it so again
        meaning = getattr(ds_entity, "_meanings", {}).get(self._name)
        if meaning and meaning[0] == _MEANING_TEXT and isinstance(value, _ndb.BaseValue) and isinstance(value.b_val, str):
            value = _ndb.BaseValue(Text(value.b_val))
        return super()._from_datastore(ds_entity, value)


class IntegerProperty(_Assigned, ndb.IntegerProperty):
    """``db.IntegerProperty``: values must fit in 64 bits, and a bool is not an int.

    ndb stores ``True`` as 1 and sends out-of-range values to the server.
    """

    _empty_is_none = True

    def _validate(self, value):
        if isinstance(value, bool):
            raise exceptions.BadValueError("Property %s must be an int or long, not a bool" % self._name)
        if isinstance(value, int) and not _INT64_MIN <= value <= _INT64_MAX:
            raise exceptions.BadValueError("Property %s must fit in 64 bits" % self._name)


class FloatProperty(_Assigned, ndb.FloatProperty):
    """``db.FloatProperty``: an int (or bool) is refused, as legacy did; ndb converts it to float."""

    _empty_is_none = True

    def _validate(self, value):
        if isinstance(value, (int, bool)):
            raise exceptions.BadValueError("Property %s must be a float" % self._name)


class RatingProperty(_Meaning, IntegerProperty):
    """``db.RatingProperty``: an integer from 0 to 100, stored with meaning 13 (GD_RATING)."""

    _meaning = _MEANING_RATING

    def _validate(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            if not 0 <= value <= 100:
                raise exceptions.BadValueError("Rating must be between 0 and 100, was %r" % (value,))
            return Rating(value)

    def _from_base_type(self, value):
        if isinstance(value, int) and type(value) is not Rating:
            return Rating(value)


class _TextValue(_Assigned, _Meaning, ndb.StringProperty):
    """Base of the legacy text value types: a non-empty ``str``, stored with a meaning, read back as its type."""

    _value_type: type[str] = str

    def _from_base_type(self, value):
        if isinstance(value, str) and type(value) is not self._value_type:
            return self._value_type(value)

    def _validate(self, value):
        if type(value) is not self._value_type:
            return self._value_type(value)  # db coerced to its value type, which checked (values.py)


class EmailProperty(_TextValue):
    """``db.EmailProperty``: a non-empty string, stored with meaning 8 (GD_EMAIL)."""

    _meaning = _MEANING_EMAIL
    _value_type = Email


class CategoryProperty(_TextValue):
    """``db.CategoryProperty``: a non-empty string, stored with meaning 1 (ATOM_CATEGORY)."""

    _meaning = _MEANING_CATEGORY
    _value_type = Category


class PhoneNumberProperty(_TextValue):
    """``db.PhoneNumberProperty``: a non-empty string, stored with meaning 11 (GD_PHONENUMBER)."""

    _meaning = _MEANING_PHONE
    _value_type = PhoneNumber


class PostalAddressProperty(_TextValue):
    """``db.PostalAddressProperty``: a non-empty string, stored with meaning 12 (GD_POSTALADDRESS)."""

    _meaning = _MEANING_ADDRESS
    _value_type = PostalAddress


class LinkProperty(_TextValue):
    """``db.LinkProperty``: a full URL (scheme and host), stored with meaning 2 (ATOM_LINK)."""

    _meaning = _MEANING_LINK
    _value_type = Link

    def _validate(self, value):
        if not isinstance(value, str) or not value:
            return  # the value type names the problem
        parts = urlsplit(value)
        if parts.scheme and not parts.netloc:  # a file: URL, which db.Link took
            raise exceptions.BadValueError("Property %s must be a full URL ('%s')" % (self._name, value))


class IMProperty(_TextValue):
    """``db.IMProperty``: ``"protocol address"`` (sip, xmpp, unknown or a URL), stored with meaning 10 (GD_IM)."""

    _meaning = _MEANING_IM
    _value_type = IM


class TextProperty(_Assigned, _NullIndexed, _Meaning, ndb.TextProperty):
    """``db.TextProperty``: unindexed text stored with meaning 15, as ``db.Text`` was (ndb writes none).

    None is stored as an indexed null, as legacy stored it.
    """

    _meaning = _MEANING_TEXT


class DateProperty(_Assigned, ndb.DateProperty):
    """``db.DateProperty``: a ``datetime`` is refused (ndb's DateProperty accepts it and keeps the time)."""

    _empty_unchecked = True

    def _validate(self, value):
        if isinstance(value, datetime.datetime):
            raise exceptions.BadValueError("Property %s must be a date, not a datetime" % self._name)


class DateTimeProperty(_Assigned, ndb.DateTimeProperty):
    """``db.DateTimeProperty``: aware values of any zone accepted, stored as UTC, read back naive UTC.

    Legacy converted an aware value to UTC when storing it (pytz, zoneinfo
    or any offset; compat.tz's conventions are the same) and always returned
    naive UTC from Datastore; a naive value is taken as UTC. ndb's
    DateTimeProperty refuses aware values (without ``tzinfo=``) or returns
    aware ones (with it). ``auto_now`` / ``auto_now_add``: legacy filled the
    value in when the entity was made; here it is filled in at the first
    read, so it is never None before the first ``put()``.
    """

    _empty_unchecked = True

    def __init__(self, name: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(name, tzinfo=datetime.timezone.utc, **kwargs)

    def _from_base_type(self, value):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return naive_utc(value)

    def _retrieve_value(self, entity, default=None):
        if (self._auto_now or self._auto_now_add) and self._name not in entity._values:
            self._store_value(entity, self._now())
        return super()._retrieve_value(entity, default)


class GeoPtProperty(_Assigned, ndb.GeoPtProperty):
    """``db.GeoPtProperty``: also takes a ``"lat,lon"`` string; values answer ``lat`` / ``lon`` as db.GeoPt did."""

    def _validate(self, value):
        if isinstance(value, str):
            return GeoPt(value)
        if isinstance(value, ndb.GeoPt) and not isinstance(value, GeoPt):
            return GeoPt(value.latitude, value.longitude)

    def _from_base_type(self, value):
        if isinstance(value, ndb.GeoPt) and not isinstance(value, GeoPt):
            return GeoPt(value.latitude, value.longitude)


def naive_utc(value: datetime.datetime) -> datetime.datetime:
    utc = value.astimezone(datetime.timezone.utc)
    return datetime.datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond)
