"""``db.ListProperty`` / ``db.StringListProperty`` as repeated ndb properties with legacy's list semantics."""

from __future__ import annotations

import datetime
from typing import Any, Optional

from google.cloud import ndb

from compat.ndb_legacy.properties import (
    DateProperty, DateTimeProperty, FloatProperty, GeoPtProperty, IntegerProperty, StringProperty,
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
