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
* :class:`FloatProperty` -- ints refused;
* :class:`RatingProperty` -- 0-100, stored with meaning 13;
* :class:`EmailProperty`, :class:`LinkProperty`, :class:`CategoryProperty`,
  :class:`PhoneNumberProperty`, :class:`PostalAddressProperty`,
  :class:`IMProperty` -- text only, stored with their GD meanings;
* :class:`TextProperty` -- stored with meaning 15 (``db.Text``);
* :class:`DateProperty` -- refuses datetimes;
* :class:`DateTimeProperty` -- aware values of any zone are stored as UTC
  and read back naive UTC; ``auto_now`` / ``auto_now_add`` values exist from
  the first read, as legacy filled them in at construction;
* :class:`GeoPtProperty` -- also takes ``"lat,lon"`` strings; values are
  :class:`GeoPt` (ndb's, with legacy's ``lat`` / ``lon``);
* :class:`IM` -- ``db.IM``: a ``str`` with ``protocol`` and ``address``;
* :func:`ListProperty` / :func:`StringListProperty` -- ``default=`` (copied
  per entity) and ``required=`` accepted, and an empty list is not written
  at all (ndb writes ``[]``).

Functions: :func:`transaction` (``db.run_in_transaction``: a
``Rollback`` returns None, nesting raises BadRequestError),
:func:`get` / :func:`put` / :func:`delete` (db's one-or-many batch
functions, where the argument's shape is not known), :func:`key_order` (legacy's ordering of keys, for
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
    "StringProperty", "IntegerProperty", "FloatProperty", "GeoPt", "IM", "Email", "Link", "Category",
    "PhoneNumber", "PostalAddress", "Rating", "RatingProperty", "EmailProperty", "LinkProperty",
    "CategoryProperty", "PhoneNumberProperty", "PostalAddressProperty", "IMProperty", "TextProperty",
    "DateProperty", "DateTimeProperty", "GeoPtProperty", "ListProperty", "StringListProperty",
    "transaction", "run_in_transaction", "run_in_transaction_custom_retries", "get", "put", "delete",
    "key_order", "not_equal", "cursor_string",
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


class FloatProperty(ndb.FloatProperty):
    """``db.FloatProperty``: an int (or bool) is refused, as legacy did; ndb converts it to float."""

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


class _Text(str):
    """A legacy text value type: a non-empty string, checked when it is made (as db's were)."""

    _what = "value"

    def __new__(cls, value):
        if not isinstance(value, str):
            raise exceptions.BadValueError(
                "%s should be a string; received %r (a %s):" % (cls._what, value, type(value).__name__))
        if not value:
            raise exceptions.BadValueError("%s must not be empty." % cls._what)
        return super().__new__(cls, value)


class Email(_Text):
    """``db.Email``: the value type of EmailProperty (a ``str``)."""

    _what = "email"


class Link(_Text):
    """``db.Link``: the value type of LinkProperty (a ``str``), a full URL."""

    _what = "link"

    def __new__(cls, value):
        self = super().__new__(cls, value)
        parts = urlsplit(self)
        if not parts.scheme or not parts.netloc:
            raise exceptions.BadValueError("Invalid URL: %s" % value)
        return self


class Category(_Text):
    """``db.Category``: the value type of CategoryProperty (a ``str``)."""

    _what = "tag"


class PhoneNumber(_Text):
    """``db.PhoneNumber``: the value type of PhoneNumberProperty (a ``str``)."""

    _what = "phone"


class PostalAddress(_Text):
    """``db.PostalAddress``: the value type of PostalAddressProperty (a ``str``)."""

    _what = "address"


class Rating(int):
    """``db.Rating``: the value type of RatingProperty, an ``int`` from 0 to 100."""

    def __new__(cls, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise exceptions.BadValueError("rating should be an int; received %r" % (value,))
        if not 0 <= value <= 100:
            raise exceptions.BadValueError("Rating must be between 0 and 100, was %r" % (value,))
        return super().__new__(cls, value)


class _TextValue(_Meaning, ndb.StringProperty):
    """Base of the legacy text value types: a non-empty ``str``, stored with a meaning, read back as its type."""

    _what = "value"
    _value_type = str

    def _from_base_type(self, value):
        if isinstance(value, str) and type(value) is not self._value_type:
            return self._value_type(value)

    def _validate(self, value):
        if not isinstance(value, str):
            raise exceptions.BadValueError(
                "%s should be a string; received %r (a %s):" % (self._what, value, type(value).__name__)
            )
        if not value:
            raise exceptions.BadValueError("%s must not be empty." % self._what)
        if type(value) is not self._value_type:
            return self._value_type(value)


class EmailProperty(_TextValue):
    """``db.EmailProperty``: a non-empty string, stored with meaning 8 (GD_EMAIL)."""

    _meaning, _what = _MEANING_EMAIL, "email"
    _value_type = Email


class CategoryProperty(_TextValue):
    """``db.CategoryProperty``: a non-empty string, stored with meaning 1 (ATOM_CATEGORY)."""

    _meaning, _what = _MEANING_CATEGORY, "tag"
    _value_type = Category


class PhoneNumberProperty(_TextValue):
    """``db.PhoneNumberProperty``: a non-empty string, stored with meaning 11 (GD_PHONENUMBER)."""

    _meaning, _what = _MEANING_PHONE, "phone"
    _value_type = PhoneNumber


class PostalAddressProperty(_TextValue):
    """``db.PostalAddressProperty``: a non-empty string, stored with meaning 12 (GD_POSTALADDRESS)."""

    _meaning, _what = _MEANING_ADDRESS, "address"
    _value_type = PostalAddress


class LinkProperty(_TextValue):
    """``db.LinkProperty``: a full URL (scheme and host), stored with meaning 2 (ATOM_LINK)."""

    _meaning, _what = _MEANING_LINK, "link"
    _value_type = Link

    def _validate(self, value):
        if not isinstance(value, str) or not value:
            return  # _TextValue names the problem
        parts = urlsplit(value)
        if not parts.scheme or not parts.netloc:
            raise exceptions.BadValueError("Invalid URL: %s" % value)


class IM(str):
    """``db.IM``: an instant-messaging handle ``"protocol address"``, a ``str`` with ``protocol`` and ``address``."""

    def __new__(cls, protocol, address=None):
        text = protocol if address is None else "%s %s" % (protocol, address)
        if not isinstance(text, str):
            raise exceptions.BadValueError('Expected string of format "protocol address"; received %s' % (text,))
        name, _, rest = text.partition(" ")
        if not rest or not (name in _IM_PROTOCOLS or "://" in name or "." in name):
            raise exceptions.BadValueError('Expected string of format "protocol address"; received %s' % text)
        return super().__new__(cls, text)

    @property
    def protocol(self) -> str:
        return self.partition(" ")[0]

    @property
    def address(self) -> str:
        return self.partition(" ")[2]


class IMProperty(_TextValue):
    """``db.IMProperty``: ``"protocol address"`` (sip, xmpp, unknown or a URL), stored with meaning 10 (GD_IM)."""

    _meaning, _what = _MEANING_IM, "IM"
    _value_type = IM

    def _validate(self, value):
        if not isinstance(value, str) or not value:
            return  # _TextValue names the problem
        protocol, _, address = value.partition(" ")
        if not address or not (protocol in _IM_PROTOCOLS or "://" in protocol or "." in protocol):
            raise exceptions.BadValueError('Expected string of format "protocol address"; received %s' % value)
        return IM(str(value))


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


class GeoPt(ndb.GeoPt):
    """``db.GeoPt``: ndb's GeoPt that also answers ``lat`` / ``lon`` and takes a ``"lat,lon"`` string."""

    def __init__(self, lat, lon=None):
        if lon is None and isinstance(lat, str):
            try:
                lat, lon = (float(part) for part in lat.split(","))
            except ValueError:
                raise exceptions.BadValueError('Expected a "lat,long" formatted string; received %s' % lat)
        lat, lon = float(lat), float(lon)
        if not -90 <= lat <= 90:
            raise exceptions.BadValueError("Latitude must be between -90 and 90; received %f" % lat)
        if not -180 <= lon <= 180:
            raise exceptions.BadValueError("Longitude must be between -180 and 180; received %f" % lon)
        super().__init__(lat, lon)

    @property
    def lat(self) -> float:
        return self.latitude

    @property
    def lon(self) -> float:
        return self.longitude

    def __str__(self) -> str:
        return "%s,%s" % (self.latitude, self.longitude)


class GeoPtProperty(ndb.GeoPtProperty):
    """``db.GeoPtProperty``: also takes a ``"lat,lon"`` string; values answer ``lat`` / ``lon`` as db.GeoPt did."""

    def _validate(self, value):
        if isinstance(value, str):
            return GeoPt(value)
        if isinstance(value, ndb.GeoPt) and not isinstance(value, GeoPt):
            return GeoPt(value.latitude, value.longitude)

    def _from_base_type(self, value):
        if isinstance(value, ndb.GeoPt) and not isinstance(value, GeoPt):
            return GeoPt(value.latitude, value.longitude)


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
    int: IntegerProperty, float: FloatProperty, bool: ndb.BooleanProperty, str: ndb.StringProperty,
    bytes: ndb.BlobProperty, datetime.datetime: DateTimeProperty, datetime.date: DateProperty,
    datetime.time: ndb.TimeProperty, ndb.Key: ndb.KeyProperty, ndb.GeoPt: GeoPtProperty, GeoPt: GeoPtProperty, ndb.User: ndb.UserProperty,
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
    """``db.run_in_transaction``: ``ndb.transaction`` with legacy's two differences.

    Raising ``ndb.Rollback`` rolls back and returns None (ndb re-raises it),
    and a transaction started inside another raises ``BadRequestError``
    ("Nested transactions are not supported."), where ndb raises
    NotImplementedError.
    """
    if ndb.in_transaction():
        raise exceptions.BadRequestError("Nested transactions are not supported.")
    try:
        return ndb.transaction(callback, **options)
    except exceptions.Rollback:
        return None


def run_in_transaction(function: Callable, *args, **kwargs) -> Any:
    """``db.run_in_transaction(function, *args, **kwargs)`` (where it is used as a value)."""
    return transaction(lambda: function(*args, **kwargs))


def run_in_transaction_custom_retries(retries: int, function: Callable, *args, **kwargs) -> Any:
    """``db.run_in_transaction_custom_retries(retries, function, *args, **kwargs)`` (used as a value)."""
    return transaction(lambda: function(*args, **kwargs), retries=retries)


def _as_key(item):
    if isinstance(item, ndb.Key):
        return item
    if isinstance(item, ndb.Model):
        if item.key is None:
            raise exceptions.BadArgumentError("Entity has no key: it was never put()")
        return item.key
    if isinstance(item, (str, bytes)):
        return ndb.Key(urlsafe=item)
    raise exceptions.BadArgumentError("Expected a Key, an entity or an encoded key; received %r" % (item,))


def get(keys, model=None):
    """``db.get(keys)``: one key (or entity, or encoded key string) gives one entity or None, a list a list.

    With ``model`` it is ``Model.get(keys)``: a key of another kind raises
    ``KindError`` before anything is read, as legacy's check did.
    """
    many = isinstance(keys, (list, tuple))
    found = [_as_key(k) for k in (keys if many else [keys])]
    if model is not None:
        for key in found:
            if key.kind() != model._get_kind():
                raise ndb.KindError("Kind %r is not a subclass of kind %r" % (key.kind(), model._get_kind()))
    return ndb.get_multi(found) if many else found[0].get()


def put(models):
    """``db.put(models)``: one entity gives its key, a list of entities a list of keys."""
    if isinstance(models, (list, tuple)):
        return ndb.put_multi(list(models))
    return models.put()


def delete(models):
    """``db.delete(models)``: entities, keys or encoded key strings, one or a list."""
    if isinstance(models, (list, tuple)):
        ndb.delete_multi([_as_key(m) for m in models])
    else:
        _as_key(models).delete()


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
