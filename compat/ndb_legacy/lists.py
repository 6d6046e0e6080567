"""``db.ListProperty`` / ``db.StringListProperty`` as repeated ndb properties with legacy's list semantics."""

from __future__ import annotations

import datetime
from typing import Any, Optional

from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat.ndb_legacy.properties import (
    _INT64_MAX, _INT64_MIN, DateTimeProperty, FloatProperty, GeoPtProperty, StringProperty, _ReservedNames,
)
from compat.ndb_legacy.values import GeoPt


class _LegacyList(_ReservedNames):
    """Mixin of a repeated property with legacy ``ListProperty`` semantics.

    * ``default=`` gives each new entity its own copy of the list (ndb
      refuses ``default`` with ``repeated=True``); an entity loaded without
      the property gets it too, as legacy's constructor did.
    * ``required=True`` refuses None only (an empty list is a value), as in
      legacy; ndb's repeated properties refuse None anyway.
    * An empty list is not written at all: legacy stored no property, ndb
      an empty array.
    * The value must be a ``list`` (a tuple is refused) whose items are
      instances of the item type, with legacy's messages (``isinstance``: a
      bool is an int, a datetime a date); items are checked on assignment
      and again at ``put()`` (items appended in place), as legacy did.
    * Reserved attribute names fail when the class is defined (ReservedWordError).
    """

    _item_type = None  # the Python type every item must be an instance of (None: the item property checks)

    def __init__(self, name=None, *, default=None, required=False, **kwargs):
        super().__init__(name, repeated=True, **kwargs)
        self._list_default = list(default) if default else None

    def _set_value(self, entity, value):
        if value is None:
            raise exceptions.BadValueError("Property %s is required" % self._name)  # a db list was always required
        if not isinstance(value, list):
            raise exceptions.BadValueError("Property %s must be a list" % self._name)
        super()._set_value(entity, value)

    def _validate(self, item):
        # called for each item, on assignment and at put()
        if self._item_type is not None and not isinstance(item, self._item_type):
            if self._item_type is int:
                raise exceptions.BadValueError("Items in the %s list must all be integers." % self._name)
            raise exceptions.BadValueError(
                "Items in the %s list must all be %s instances" % (self._name, self._item_type.__name__))

    def _retrieve_value(self, entity, default=None):
        if self._list_default is not None and self._name not in entity._values:
            self._store_value(entity, list(self._list_default))
        return super()._retrieve_value(entity, default)

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        if not prefix and not repeated and not self._get_value(entity):
            return ()
        return super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)


class _ListInteger(ndb.Property):
    """An item of ``ListProperty(int)``: any int, out of the 64-bit range an OverflowError at ``put()``.

    Legacy checked list items by type only (the bounds of a scalar
    IntegerProperty were checked on assignment) and failed when it encoded
    the entity. A bool stays a bool, stored as a boolean as legacy stored it
    (ndb's IntegerProperty would store 1).
    """

    def _validate(self, value):
        if not isinstance(value, int):
            raise exceptions.BadValueError("Items in the %s list must all be integers." % self._name)

    def _to_base_type(self, value):
        if not isinstance(value, bool) and not _INT64_MIN <= value <= _INT64_MAX:
            raise OverflowError("%d is out of bounds for int64" % value)


class _ListBytes(ndb.Property):
    """An item of ``ListProperty(bytes)``: a ``str`` is encoded (UTF-8); stored as legacy stored bytes.

    Legacy wrote such items as indexed strings, ASCII only (a non-ASCII
    byte fails at ``put()`` with UnicodeDecodeError), and read them back as
    ``bytes``; ndb's BlobProperty would store unindexed blobs.
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
    int: _ListInteger, float: FloatProperty, bool: ndb.BooleanProperty, str: ndb.StringProperty,
    bytes: _ListBytes, datetime.datetime: DateTimeProperty, datetime.date: ndb.DateProperty,
    datetime.time: ndb.TimeProperty, ndb.Key: ndb.KeyProperty, ndb.GeoPt: GeoPtProperty, GeoPt: GeoPtProperty, ndb.User: ndb.UserProperty,
}
_LIST_CLASSES: dict = {}


def ListProperty(item_type: Any, verbose_name: Optional[str] = None, *, default: Optional[list[Any]] = None,
                 required: bool = False, **kwargs: Any) -> ndb.Property:
    """``db.ListProperty(item_type, ...)``: a repeated ndb property with legacy list semantics.

    ``item_type`` is a Python type (``int``, ``str``, ``datetime.datetime``,
    ``ndb.Key`` ...) or a property class (``TextProperty``,
    ``EmailProperty`` ...). ``default=[...]``, ``required=True`` and an empty
    list behave as in legacy (see :class:`_LegacyList`).
    """
    checked = None
    if isinstance(item_type, type) and issubclass(item_type, ndb.Property):
        base = item_type
    else:
        checked = item_type if item_type not in (int, bytes) else None  # their item properties check (and convert)
        found = _ITEM_PROPERTIES.get(item_type)
        if found is None:
            raise TypeError("ListProperty: unsupported item type %r" % (item_type,))
        base = found
    if issubclass(base, StringProperty):
        base = ndb.StringProperty  # list items were never checked for newlines
    if base is ndb.StringProperty and kwargs.get("indexed") is False:
        base = ndb.TextProperty  # unindexed strings, as db stored them (ndb refuses StringProperty(indexed=False))
        del kwargs["indexed"]
    cls = _LIST_CLASSES.get((base, checked))
    if cls is None:
        cls = _LIST_CLASSES[base, checked] = type(
            # a name of its own: ndb caches a property class's methods by its name
            "List%s%d" % (base.__name__.lstrip("_"), len(_LIST_CLASSES)), (_LegacyList, base), {"__module__": __name__, "_item_type": checked})
    if verbose_name is not None:
        kwargs["verbose_name"] = verbose_name
    return cls(default=default, required=required, **kwargs)


def StringListProperty(verbose_name: Optional[str] = None, **kwargs: Any) -> ndb.Property:
    """``db.StringListProperty(...)``: ``ListProperty(str, ...)``."""
    return ListProperty(str, verbose_name, **kwargs)
