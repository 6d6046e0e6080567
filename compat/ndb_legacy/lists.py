"""``db.ListProperty`` / ``db.StringListProperty`` as repeated ndb properties with legacy's list semantics."""

from __future__ import annotations

import datetime
from typing import Any, Optional

from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat.ndb_legacy.properties import (
    _INT64_MAX, _INT64_MIN, DateProperty, DateTimeProperty, FloatProperty, GeoPtProperty, StringProperty,
)
from compat.ndb_legacy.values import GeoPt


class _LegacyList:
    """Mixin of a repeated property with legacy ``ListProperty`` semantics.

    * ``default=`` gives each new entity its own copy of the list (ndb
      refuses ``default`` with ``repeated=True``); an entity loaded without
      the property gets it too, as legacy's constructor did.
    * ``required=True`` refuses None only (an empty list is a value), as in
      legacy; ndb's repeated properties refuse None anyway.
    * An empty list is not written at all: legacy stored no property, ndb
      an empty array.
    * The value must be a ``list`` (a tuple is refused) whose items are
      instances of the item type, with legacy's messages.
    """

    _item_type = None  # the Python type every item must be an instance of (None: the item property checks)

    def __init__(self, name=None, *, default=None, required=False, **kwargs):
        super().__init__(name, repeated=True, **kwargs)
        self._list_default = list(default) if default else None

    def _set_value(self, entity, value):
        if value is not None and not isinstance(value, list):
            raise exceptions.BadValueError("Property %s must be a list" % self._name)
        if value and self._item_type is not None:
            for item in value:
                if not isinstance(item, self._item_type):
                    if self._item_type is int:
                        raise exceptions.BadValueError("Items in the %s list must all be integers." % self._name)
                    raise exceptions.BadValueError(
                        "Items in the %s list must all be %s instances" % (self._name, self._item_type.__name__))
        super()._set_value(entity, value)

    def _retrieve_value(self, entity, default=None):
        if self._list_default is not None and self._name not in entity._values:
            self._store_value(entity, list(self._list_default))
        return super()._retrieve_value(entity, default)

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        if not prefix and not repeated and not self._get_value(entity):
            return ()
        return super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)


class _ListInteger(ndb.IntegerProperty):
    """An item of ``ListProperty(int)``: any int (a bool too), out of the 64-bit range an OverflowError at ``put()``.

    Legacy checked list items by type only (the bounds of a scalar
    IntegerProperty were checked on assignment) and failed when it encoded
    the entity.
    """

    def _to_base_type(self, value):
        if not isinstance(value, bool) and not _INT64_MIN <= value <= _INT64_MAX:
            raise OverflowError("%d is out of bounds for int64" % value)


#: a list's item type -> the property that stores each item
_ITEM_PROPERTIES = {
    int: _ListInteger, float: FloatProperty, bool: ndb.BooleanProperty, str: ndb.StringProperty,
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
    checked = None
    if isinstance(item_type, type) and issubclass(item_type, ndb.Property):
        base = item_type
    else:
        checked = item_type
        base = _ITEM_PROPERTIES.get(item_type)
        if base is None:
            raise TypeError("ListProperty: unsupported item type %r" % (item_type,))
    if issubclass(base, StringProperty):
        base = ndb.StringProperty  # list items were never checked for newlines
    if base is ndb.StringProperty and kwargs.get("indexed") is False:
        base = ndb.TextProperty  # unindexed strings, as db stored them (ndb refuses StringProperty(indexed=False))
        del kwargs["indexed"]
    cls = _LIST_CLASSES.get((base, checked))
    if cls is None:
        cls = _LIST_CLASSES[base, checked] = type(
            "List" + base.__name__.lstrip("_"), (_LegacyList, base), {"__module__": __name__, "_item_type": checked})
    if verbose_name is not None:
        kwargs["verbose_name"] = verbose_name
    return cls(default=default, required=required, **kwargs)


def StringListProperty(verbose_name: Optional[str] = None, **kwargs):
    """``db.StringListProperty(...)``: ``ListProperty(str, ...)``."""
    return ListProperty(str, verbose_name, **kwargs)
