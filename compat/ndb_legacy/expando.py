"""``db.Expando`` over ndb: dynamic properties as legacy stored and read them.

ndb's Expando differs from legacy's on dynamic (undeclared) attributes:

* assigning an attribute that already holds a value sets a plain Python
  attribute (google-cloud-ndb keeps the old value for the next ``put()``);
  legacy stored the new value, of whatever type;
* keys read back as ``google.cloud.datastore`` keys, and datetimes as aware
  ``DatetimeWithNanoseconds``; legacy gave ``db.Key`` and naive UTC
  datetimes (an aware value was stored as UTC);
* a :class:`Text` value (``db.Text``) is stored unindexed with meaning 15,
  as legacy stored it; a plain ``str`` stays an indexed string;
* an attribute stored as null (``e.note = None``) is skipped when ndb
  loads the entity (the attribute is gone); legacy read it back as None.

:class:`Expando` is ``ndb.Expando`` with those fixed;
:func:`dynamic_properties` is ``e.dynamic_properties()``; :class:`Text` (in
:mod:`~compat.ndb_legacy.values`) is ``db.Text``.
"""

from __future__ import annotations

import contextvars
import datetime
from typing import Any, List

from google.cloud import ndb
from google.cloud.datastore import key as ds_key
from google.cloud.ndb import exceptions

from compat.ndb_legacy import _ndb
from compat.ndb_legacy.properties import MEANING_TEXT, naive_utc
from compat.ndb_legacy.values import Text


class _Dynamic(ndb.GenericProperty):
    """A dynamic attribute of an :class:`Expando`: legacy's stored forms, legacy's values back."""

    def _to_base_type(self, value):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return naive_utc(value)

    def _from_base_type(self, value):
        if isinstance(value, ds_key.Key):
            return _ndb.ndb_key(value)
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                return naive_utc(value)
            if type(value) is not datetime.datetime:
                return datetime.datetime(value.year, value.month, value.day, value.hour, value.minute,
                                         value.second, value.microsecond)

    def _to_datastore(self, entity, data, prefix="", repeated=False):
        keys = super()._to_datastore(entity, data, prefix=prefix, repeated=repeated)
        for key in keys:
            value = data.get(key)
            items = value if isinstance(value, list) else [value]
            if items and all(isinstance(item, Text) for item in items):
                data.setdefault("_meanings", {})[key] = (MEANING_TEXT, value)
        return keys


#: the stored name of the dynamic value ndb is loading (set by Expando._code_name_from_stored_name)
_LOADING: contextvars.ContextVar = contextvars.ContextVar("ndb_legacy_expando_loading", default=None)
#: the class attribute through which ndb hands a loaded dynamic value to :class:`_Loaded` (answered by the
#: metaclass, so ndb's property registry never sees it)
_LOADER = "__ndb_legacy_dynamic__"


class _Loaded(ndb.Property):
    """Receives a dynamic value while ndb loads an :class:`Expando`, null values included.

    google-cloud-ndb sets each undeclared stored value as an attribute but
    skips nulls; ``Expando._code_name_from_stored_name`` sends every
    undeclared name here instead (ndb calls it right before it stores that
    name's value), and this sets the attribute as ndb would, None too.
    """

    def _from_datastore(self, ds_entity, value):
        # repeated, so ndb wrapped a list item by item, and a single value as a list of one: unwrap that
        if isinstance(value, list) and len(value) == 1 and not isinstance(ds_entity.get(_LOADING.get()), list):
            return value[0]
        return value

    def _store_value(self, entity, value):
        setattr(entity, _LOADING.get(), value)


_LOADED = _Loaded(repeated=True)


class _ExpandoMeta(ndb.MetaModel):  # type(ndb.Expando)
    """ndb's model metaclass, plus the one class attribute :class:`_Loaded` is reached by."""

    def __getattr__(cls, name):
        if name == _LOADER:
            return _LOADED
        raise AttributeError(name)


class Expando(ndb.Expando, metaclass=_ExpandoMeta):
    """``db.Expando``: dynamic attributes stored and read back as legacy did (see the module docstring).

    An entity made with keyword values checks its ``required`` properties
    there, as legacy's constructor did (``BadValueError('Property name is
    required')``); one made with none (``Bag()``, which is also how ndb builds
    an entity it loads) is checked at ``put()``, as ndb does.
    """

    @classmethod
    def _code_name_from_stored_name(cls, name):
        code = super()._code_name_from_stored_name(name)
        if "." in name or isinstance(getattr(cls, code, None), ndb.Property):
            return code
        _LOADING.set(name)  # an undeclared name: its value (None too) goes through _Loaded
        return _LOADER

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if kwargs:
            for prop in type(self)._properties.values():
                if prop._required and not prop._repeated and prop._get_value(self) in (None, ""):
                    raise exceptions.BadValueError("Property %s is required" % prop._name)

    def __setattr__(self, name, value):
        if (name.startswith("_") or "." in name or isinstance(value, (ndb.Model, dict))
                or isinstance(getattr(type(self), name, None), (ndb.Property, property))):
            return super().__setattr__(name, value)
        self._clone_properties()
        values = value if isinstance(value, (list, tuple)) else [value]
        text = bool(values) and all(isinstance(item, Text) for item in values)
        prop = _Dynamic(name, repeated=isinstance(value, (list, tuple)), indexed=self._default_indexed and not text,
                        write_empty_list=self._write_empty_list_for_dynamic_properties)
        prop._code_name = name
        self._properties[name] = prop  # a new value replaces the attribute, whatever its type
        prop._set_value(self, value)


def dynamic_properties(entity: ndb.Model) -> List[str]:
    """``entity.dynamic_properties()``: the names of its attributes the class does not declare."""
    return [name for name in entity._properties if name not in type(entity)._properties]
