"""compat.ndb_legacy: the few legacy ``db`` behaviours google-cloud-ndb cannot spell in plain ndb.

``db2ndb --to ndb`` converts legacy code to idiomatic google-cloud-ndb. Where
plain ndb would behave differently from legacy ``db`` -- refuse a value
legacy accepted, accept a value legacy refused, or store an entity legacy
would have stored otherwise -- the converted code uses the small pieces
below instead. They are ordinary ndb properties and functions: they need an
ndb context like any ndb code, never the shim (this module imports only
google-cloud-ndb and the standard library), and they store exactly what
legacy ``db`` stored, so a Python 2 app and the converted app can share one
Datastore (docs/storage.md lists the stored forms, docs/codemods.md what
db2ndb emits).

Properties (each reproduces the legacy property of the same name):

* :class:`StringProperty` -- single-line unless ``multiline=True``;
* :class:`IntegerProperty` -- 64-bit bounds, booleans refused;
* :class:`RatingProperty` -- 0-100, stored with meaning 13;
* :class:`EmailProperty`, :class:`LinkProperty`, :class:`CategoryProperty`,
  :class:`PhoneNumberProperty`, :class:`PostalAddressProperty`,
  :class:`IMProperty` -- text only, stored with their GD meanings;
* :class:`TextProperty` -- stored with meaning 15 (``db.Text``);
* :class:`DateProperty` -- refuses datetimes;
* :class:`DateTimeProperty` -- aware values of any zone are stored as UTC
  and read back naive UTC; ``auto_now`` / ``auto_now_add`` values exist from
  the first read, as legacy filled them in at construction;
* :class:`GeoPtProperty` -- also takes ``"lat,lon"`` strings;
* :func:`ListProperty` / :func:`StringListProperty` -- ``default=`` (copied
  per entity) and ``required=`` accepted, and an empty list is not written
  at all (ndb writes ``[]``).

Functions: :func:`transaction` (``db.run_in_transaction``: a
``Rollback`` returns None), :func:`key_order` (legacy's ordering of keys, for
``sorted``), :func:`not_equal` (legacy's ``!=``: ``< OR >``, which the
emulator and old Datastore versions answer), :func:`cursor_string`.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from google.cloud import ndb
from google.cloud.ndb import exceptions

__all__ = [
    "StringProperty", "IntegerProperty", "RatingProperty", "EmailProperty", "LinkProperty",
    "CategoryProperty", "PhoneNumberProperty", "PostalAddressProperty", "IMProperty", "TextProperty",
    "DateProperty", "DateTimeProperty", "GeoPtProperty", "ListProperty", "StringListProperty",
    "transaction", "key_order", "not_equal", "cursor_string",
]

# legacy's meanings (entity_pb's GD_* / TEXT / ... codes) for the value types ndb stores as plain values
_MEANING_CATEGORY = 1
_MEANING_LINK = 2
_MEANING_EMAIL = 8
_MEANING_IM = 10
_MEANING_PHONE = 11
_MEANING_ADDRESS = 12
_MEANING_RATING = 13
_MEANING_TEXT = 15

_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1
_IM_PROTOCOLS = ("sip", "xmpp", "unknown")


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


class StringProperty(ndb.StringProperty):
    """``db.StringProperty``: a value with a newline is refused unless ``multiline=True``.

    Legacy raised ``BadValueError('Property title is not multi-line')`` on
    assignment; ndb's StringProperty accepts newlines. Items of a list
    (``StringListProperty``) were never checked, nor are they here.
    """

    def __init__(self, name=None, *, multiline=False, **kwargs):
        super().__init__(name, **kwargs)
        self._multiline = multiline

    def _validate(self, value):
        if not self._multiline and not self._repeated and isinstance(value, str) and "\n" in value:
            raise exceptions.BadValueError("Property %s is not multi-line" % self._name)


class IntegerProperty(ndb.IntegerProperty):
    """``db.IntegerProperty``: values must fit in 64 bits, and a bool is not an int.

    ndb stores ``True`` as 1 and sends out-of-range values to the server.
    """

    def _validate(self, value):
        if isinstance(value, bool):
            raise exceptions.BadValueError("Property %s must be an int or long, not a bool" % self._name)
        if isinstance(value, int) and not _INT64_MIN <= value <= _INT64_MAX:
            raise exceptions.BadValueError("Property %s must fit in 64 bits" % self._name)


class RatingProperty(_Meaning, IntegerProperty):
    """``db.RatingProperty``: an integer from 0 to 100, stored with meaning 13 (GD_RATING)."""

    _meaning = _MEANING_RATING

    def _validate(self, value):
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= 100:
            raise exceptions.BadValueError("Rating must be between 0 and 100, was %r" % (value,))


class _TextValue(_Meaning, ndb.StringProperty):
    """Base of the legacy text value types: a non-empty ``str``, stored with a meaning."""

    _what = "value"

    def _validate(self, value):
        if not isinstance(value, str):
            raise exceptions.BadValueError(
                "%s should be a string; received %r (a %s):" % (self._what, value, type(value).__name__)
            )
        if not value:
            raise exceptions.BadValueError("%s must not be empty." % self._what)


class EmailProperty(_TextValue):
    """``db.EmailProperty``: a non-empty string, stored with meaning 8 (GD_EMAIL)."""

    _meaning, _what = _MEANING_EMAIL, "email"


class CategoryProperty(_TextValue):
    """``db.CategoryProperty``: a non-empty string, stored with meaning 1 (ATOM_CATEGORY)."""

    _meaning, _what = _MEANING_CATEGORY, "tag"


class PhoneNumberProperty(_TextValue):
    """``db.PhoneNumberProperty``: a non-empty string, stored with meaning 11 (GD_PHONENUMBER)."""

    _meaning, _what = _MEANING_PHONE, "phone"


class PostalAddressProperty(_TextValue):
    """``db.PostalAddressProperty``: a non-empty string, stored with meaning 12 (GD_POSTALADDRESS)."""

    _meaning, _what = _MEANING_ADDRESS, "address"


class LinkProperty(_TextValue):
    """``db.LinkProperty``: a full URL (scheme and host), stored with meaning 2 (ATOM_LINK)."""

    _meaning, _what = _MEANING_LINK, "link"

    def _validate(self, value):
        if not isinstance(value, str) or not value:
            return  # _TextValue names the problem
        parts = urlsplit(value)
        if not parts.scheme or not parts.netloc:
            raise exceptions.BadValueError("Invalid URL: %s" % value)


class IMProperty(_TextValue):
    """``db.IMProperty``: ``"protocol address"`` (sip, xmpp, unknown or a URL), stored with meaning 10 (GD_IM)."""

    _meaning, _what = _MEANING_IM, "IM"

    def _validate(self, value):
        if not isinstance(value, str) or not value:
            return  # _TextValue names the problem
        protocol, _, address = value.partition(" ")
        if not address or not (protocol in _IM_PROTOCOLS or "://" in protocol or "." in protocol):
            raise exceptions.BadValueError('Expected string of format "protocol address"; received %s' % value)


class TextProperty(_Meaning, ndb.TextProperty):
    """``db.TextProperty``: unindexed text stored with meaning 15, as ``db.Text`` was (ndb writes none)."""

    _meaning = _MEANING_TEXT


class DateProperty(ndb.DateProperty):
    """``db.DateProperty``: a ``datetime`` is refused (ndb's DateProperty accepts it and keeps the time)."""

    def _validate(self, value):
        if isinstance(value, datetime.datetime):
            raise exceptions.BadValueError("Property %s must be a date, not a datetime" % self._name)


class DateTimeProperty(ndb.DateTimeProperty):
    """``db.DateTimeProperty``: aware values of any zone accepted, stored as UTC, read back naive UTC.

    Legacy converted an aware value to UTC when storing it (pytz, zoneinfo
    or any offset; compat.tz's conventions are the same) and always returned
    naive UTC from Datastore; a naive value is taken as UTC. ndb's
    DateTimeProperty refuses aware values (without ``tzinfo=``) or returns
    aware ones (with it). ``auto_now`` / ``auto_now_add``: legacy filled the
    value in when the entity was made; here it is filled in at the first
    read, so it is never None before the first ``put()``.
    """

    def __init__(self, name=None, **kwargs):
        super().__init__(name, tzinfo=datetime.timezone.utc, **kwargs)

    def _from_base_type(self, value):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return _naive_utc(value)

    def _retrieve_value(self, entity, default=None):
        if (self._auto_now or self._auto_now_add) and self._name not in entity._values:
            self._store_value(entity, self._now())
        return super()._retrieve_value(entity, default)


class GeoPtProperty(ndb.GeoPtProperty):
    """``db.GeoPtProperty``: also takes a ``"lat,lon"`` string, as ``db.GeoPt`` did."""

    def _validate(self, value):
        if isinstance(value, str):
            try:
                lat, lon = (float(part) for part in value.split(","))
            except ValueError:
                raise exceptions.BadValueError('Expected a "lat,long" formatted string; received %s' % value)
            return ndb.GeoPt(lat, lon)


def _naive_utc(value: datetime.datetime) -> datetime.datetime:
    utc = value.astimezone(datetime.timezone.utc)
    return datetime.datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond)


# -- lists ----------------------------------------------------------------------------------------
class _LegacyList:
    """Mixin of a repeated property with legacy ``ListProperty`` semantics.

    * ``default=`` gives each new entity its own copy of the list (ndb
      refuses ``default`` with ``repeated=True``); an entity loaded without
      the property gets it too, as legacy's constructor did.
    * ``required=True`` refuses None only (an empty list is a value), as in
      legacy; ndb's repeated properties refuse None anyway.
    * An empty list is not written at all: legacy stored no property, ndb
      an empty array.
    """

    def __init__(self, name=None, *, default=None, required=False, **kwargs):
        super().__init__(name, repeated=True, **kwargs)
        self._list_default = list(default) if default else None

    def _retrieve_value(self, entity, default=None):
        if self._list_default is not None and self._name not in entity._values:
            self._store_value(entity, list(self._list_default))
        return super()._retrieve_value(entity, default)

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        if not prefix and not repeated and not self._get_value(entity):
            return ()
        return super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)


#: a list's item type -> the property that stores each item
_ITEM_PROPERTIES = {
    int: IntegerProperty, float: ndb.FloatProperty, bool: ndb.BooleanProperty, str: ndb.StringProperty,
    bytes: ndb.BlobProperty, datetime.datetime: DateTimeProperty, datetime.date: DateProperty,
    datetime.time: ndb.TimeProperty, ndb.Key: ndb.KeyProperty, ndb.GeoPt: GeoPtProperty, ndb.User: ndb.UserProperty,
}
_LIST_CLASSES: dict = {}


def ListProperty(item_type: Any, verbose_name: Optional[str] = None, *, default=None, required=False, **kwargs):
    """``db.ListProperty(item_type, ...)``: a repeated ndb property with legacy list semantics.

    ``item_type`` is a Python type (``int``, ``str``, ``datetime.datetime``,
    ``ndb.Key`` ...) or a property class (``TextProperty``,
    ``EmailProperty`` ...). ``default=[...]``, ``required=True`` and an empty
    list behave as in legacy (see :class:`_LegacyList`).
    """
    if isinstance(item_type, type) and issubclass(item_type, ndb.Property):
        base = item_type
    else:
        base = _ITEM_PROPERTIES.get(item_type)
        if base is None:
            raise TypeError("ListProperty: unsupported item type %r" % (item_type,))
    if issubclass(base, StringProperty):
        base = ndb.StringProperty  # list items were never checked for newlines
    if base is ndb.StringProperty and kwargs.get("indexed") is False:
        base = ndb.TextProperty  # unindexed strings, as db stored them (ndb refuses StringProperty(indexed=False))
        del kwargs["indexed"]
    cls = _LIST_CLASSES.get(base)
    if cls is None:
        cls = _LIST_CLASSES[base] = type("List" + base.__name__, (_LegacyList, base), {"__module__": __name__})
    if verbose_name is not None:
        kwargs["verbose_name"] = verbose_name
    return cls(default=default, required=required, **kwargs)


def StringListProperty(verbose_name: Optional[str] = None, **kwargs):
    """``db.StringListProperty(...)``: ``ListProperty(str, ...)``."""
    return ListProperty(str, verbose_name, **kwargs)


# -- functions ------------------------------------------------------------------------------------
def transaction(callback: Callable[[], Any], **options) -> Any:
    """``db.run_in_transaction``: ``ndb.transaction`` where raising ``ndb.Rollback`` returns None.

    Legacy rolled the transaction back and returned None when the function
    raised ``db.Rollback``; ``ndb.transaction`` rolls back and re-raises it.
    """
    try:
        return ndb.transaction(callback, **options)
    except exceptions.Rollback:
        return None


_TYPE_ORDER = {int: 0, str: 1}


def key_order(key: ndb.Key) -> tuple:
    """A sort key giving legacy ``db.Key`` ordering: path element by element, kind, then id before name.

    ``sorted(keys, key=key_order)``; ndb keys compare their pairs as tuples,
    so an integer id next to a string name raises TypeError.
    """
    out = []
    for kind, ident in key.pairs():
        out.append((kind, _TYPE_ORDER.get(type(ident), 2), ident if ident is not None else 0))
    return (key.app() or "", key.namespace() or "", tuple(out))


def not_equal(prop: ndb.Property, value: Any):
    """``prop != value`` as legacy ran it: ``prop < value OR prop > value`` (one query each, merged).

    ndb sends ``!=`` to the server as one NOT_EQUAL filter, which the
    Datastore emulator refuses and which means something else for list
    properties; legacy split it into two range queries.
    """
    return ndb.OR(prop < value, prop > value)


def cursor_string(cursor: Optional[ndb.Cursor]) -> Optional[str]:
    """The web-safe string of an ndb cursor (``q.cursor()`` of legacy), None when there is none."""
    return cursor.urlsafe().decode() if cursor else None
