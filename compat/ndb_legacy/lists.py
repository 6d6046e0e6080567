"""``db.ListProperty`` / ``db.StringListProperty`` as repeated ndb properties with legacy's list semantics."""

from __future__ import annotations

import datetime
from typing import Any, Optional

from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat.ndb_legacy.properties import (
    _INT64_MAX, _INT64_MIN, DateTimeProperty, _ReservedNames, FloatProperty, GeoPtProperty, StringProperty,
)
from compat.ndb_legacy.values import GeoPt


class _LegacyList(_ReservedNames):
    """Mixin of a repeated property with legacy ``ListProperty`` semantics.

    * ``default=`` gives each new entity its own copy of the list (ndb
      refuses ``default`` with ``repeated=True``); an entity loaded without
      the property gets it too, as legacy's constructor did.
    * The value must be a ``list`` (legacy refused tuples and sets, which ndb
      accepts) and is never None (a list property was always required in
      legacy; an empty list is a value).
    * Each item must be an instance of the item type, checked as legacy
      checked it (``isinstance``: a bool is an int, a datetime is a date),
      on assignment and again at ``put()`` (items appended in place).
    * An empty list is not written at all: legacy stored no property, ndb
      an empty array.
    * Reserved attribute names fail when the class is defined (ReservedWordError).
    """

    #: the Python types an item must be an instance of (None: the item property alone decides)
    _legacy_item_types: Optional[tuple] = None
    _legacy_item_name = ""

    def __init__(self, name=None, *, default=None, required=False, **kwargs):
        super().__init__(name, repeated=True, **kwargs)
        self._list_default = list(default) if default else None

    def _set_value(self, entity, value):
        if value is None:
            raise exceptions.BadValueError("Property %s is required" % self._name)
        if not isinstance(value, list):
            raise exceptions.BadValueError("Property %s must be a list" % self._name)
        super()._set_value(entity, value)

    def _validate(self, value):
        types = self._legacy_item_types
        if types is not None and not isinstance(value, types):
            if types == (int,):
                raise exceptions.BadValueError("Items in the %s list must all be integers." % self._name)
            raise exceptions.BadValueError(
                "Items in the %s list must all be %s instances" % (self._name, self._legacy_item_name))

    def _retrieve_value(self, entity, default=None):
        if self._list_default is not None and self._name not in entity._values:
            self._store_value(entity, list(self._list_default))
        return super()._retrieve_value(entity, default)

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        if not prefix and not repeated and not self._get_value(entity):
            return ()
        return super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)


class _IntegerItem(ndb.Property):
    """An item of ``ListProperty(int)``: any int, a bool kept as a bool (legacy stored it as a boolean).

    The 64-bit bounds are checked at ``put()`` (OverflowError), as legacy
    checked them when encoding the entity, not on assignment.
    """

    def _validate(self, value):
        if not isinstance(value, int):
            raise exceptions.BadValueError("Items in the %s list must all be integers." % self._name)

    def _to_base_type(self, value):
        if not isinstance(value, bool) and not _INT64_MIN <= value <= _INT64_MAX:
            raise OverflowError("%d is out of bounds for int64" % value)


class _BytesItem(ndb.Property):
    """An item of ``ListProperty(bytes)``: a ``str`` is encoded (UTF-8), stored as legacy stored bytes.

    Legacy wrote such items as (indexed) strings, ASCII only (a non-ASCII
    byte fails at ``put()`` with UnicodeDecodeError), and read them back as
    ``bytes``.
    """

    def _validate(self, value):
        if isinstance(value, str):
            return value.encode("utf-8")
        if not isinstance(value, bytes):
            raise exceptions.BadValueError("Item in the %s list can not be converted to byte." % self._name)

    def _to_base_type(self, value):
        return value.decode("ascii")

    def _from_base_type(self, value):
        if isinstance(value, str):
            return value.encode("utf-8")


#: a list's item type -> the property that stores each item
_ITEM_PROPERTIES = {
    int: _IntegerItem, float: FloatProperty, bool: ndb.BooleanProperty, str: StringProperty,
    bytes: _BytesItem, datetime.datetime: DateTimeProperty, datetime.date: ndb.DateProperty,
    datetime.time: ndb.TimeProperty, ndb.Key: ndb.KeyProperty, ndb.GeoPt: GeoPtProperty, GeoPt: GeoPtProperty,
    ndb.User: ndb.UserProperty,
}
#: item types legacy checked with isinstance (the value types of property classes are plain values after db2ndb)
_CHECKED_TYPES = {float, bool, str, datetime.datetime, datetime.date, datetime.time, ndb.Key, ndb.GeoPt, GeoPt,
                  ndb.User}
_LIST_CLASSES: dict = {}


def ListProperty(item_type: Any, verbose_name: Optional[str] = None, *, default=None, required=False, **kwargs):
    """``db.ListProperty(item_type, ...)``: a repeated ndb property with legacy list semantics.

    ``item_type`` is a Python type (``int``, ``str``, ``datetime.datetime``,
    ``ndb.Key`` ...) or a property class (``TextProperty``,
    ``EmailProperty`` ...). ``default=[...]``, ``required=True``, the item
    checks and an empty list behave as in legacy (see :class:`_LegacyList`).
    """
    if isinstance(item_type, type) and issubclass(item_type, ndb.Property):
        base = item_type
    else:
        base = _ITEM_PROPERTIES.get(item_type)
        if base is None:
            raise TypeError("ListProperty: unsupported item type %r" % (item_type,))
    if base is ndb.StringProperty:
        base = StringProperty  # items unchecked for newlines and length, indexed=False allowed, as in db
    checked = (ndb.GeoPt,) if item_type is GeoPt else (item_type,) if item_type in _CHECKED_TYPES else None
    cls = _LIST_CLASSES.get((base, checked))
    if cls is None:
        name = "List%s%d" % (base.__name__, len(_LIST_CLASSES))  # unique: ndb caches methods by class name
        attrs = {"__module__": __name__, "_legacy_item_types": checked,
                 "_legacy_item_name": getattr(item_type, "__name__", "")}
        cls = _LIST_CLASSES[(base, checked)] = type(name, (_LegacyList, base), attrs)
    if verbose_name is not None:
        kwargs["verbose_name"] = verbose_name
    return cls(default=default, required=required, **kwargs)


def StringListProperty(verbose_name: Optional[str] = None, **kwargs):
    """``db.StringListProperty(...)``: ``ListProperty(str, ...)``."""
    return ListProperty(str, verbose_name, **kwargs)
