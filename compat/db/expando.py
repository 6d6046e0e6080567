"""``db.Expando``: models that take any attribute as a dynamic property.

As in legacy ``db``: assigning an attribute that is not a declared property
(and does not start with ``_``) creates a dynamic property, which must be of a
datastore type (TypeError otherwise); dynamic properties can be deleted; on
put, stored properties that are no longer present are removed. A dynamic
value loaded from the datastore and not changed is written back exactly as
it was stored (meaning and index flag included).
"""

from __future__ import annotations

import datetime
from typing import Any, Optional, Union

from google.cloud.datastore.entity import Entity as _DsEntity

from compat import users
from compat.db import _values, types
from compat.db.errors import BadValueError
from compat.db.keys import Key
from compat.db.model import Model, check_reserved_word

_ALLOWED_DYNAMIC_TYPES = frozenset([
    bytes, str, bool, int, float, Key, datetime.datetime, datetime.date, datetime.time,
    types.Blob, types.ByteString, types.Text, users.User, types.Category, types.Link, types.Email,
    types.GeoPt, types.IM, types.PhoneNumber, types.PostalAddress, types.Rating, types.BlobKey,
    list, tuple, type(None), _DsEntity,
])

# What legacy's put (datastore_types.ValidateProperty) accepted as a value or list item: dates and
# times could be assigned to an Expando but failed at put, as did nested lists.
_STORABLE_DYNAMIC_TYPES = _ALLOWED_DYNAMIC_TYPES - frozenset([datetime.date, datetime.time, list, tuple])


def _check_storable(name, value):
    """Legacy put-time check of a dynamic value: BadValueError for tuples, dates, times and nested lists."""
    if type(value) is tuple:
        raise BadValueError("May not use tuple property value; property %s is %r." % (name, value))
    items = value if type(value) is list else (value,)
    for item in items:
        if type(item) not in _STORABLE_DYNAMIC_TYPES:
            raise BadValueError("Unsupported type for property %s: %s" % (name, type(item)))


def _loaded_unchanged(entity, name, value):
    """True when ``value`` is what loading the stored ``entity[name]`` gave (same types, equal values)."""
    if name not in entity:
        return False
    stored = entity[name]
    if stored is value:
        return True
    meaning = entity._meanings.get(name)
    loaded = _values.from_datastore(stored, meaning[0] if meaning else None, name in entity.exclude_from_indexes)
    return _same_value(loaded, value)


def _same_value(loaded, value):
    if type(loaded) is not type(value):
        return False
    if type(value) is list:
        return len(loaded) == len(value) and all(map(_same_value, loaded, value))
    if type(value) is users.User:
        return (loaded.email(), loaded.auth_domain(), loaded.user_id(), loaded.federated_identity()) == (
            value.email(), value.auth_domain(), value.user_id(), value.federated_identity())
    return loaded == value


class Expando(Model):
    """A model whose instances can carry properties that are not declared."""

    _dynamic_properties = None
    _has_dynamic_properties = True

    def __init__(self, parent: Union[Model, Key, None] = None, key_name: Optional[str] = None,
                 _app: Union[str, tuple[str, str], None] = None, **kwds: Any) -> None:
        self.__dict__["_dynamic_properties"] = {}
        super().__init__(parent, key_name, _app, **kwds)

    def _unknown_keywords(self, kwds):
        for name, value in kwds.items():
            if hasattr(getattr(type(self), name, None), "__set__"):
                check_reserved_word(name)
            else:
                setattr(self, name, value)

    def __setattr__(self, key, value):
        if key[:1] == "_":
            if key[:2] == "__" and key[-2:] == "__" and len(key) > 3:
                check_reserved_word(key)  # legacy checked every name: ``__x__`` is reserved
            super().__setattr__(key, value)
            return
        if not hasattr(getattr(type(self), key, None), "__set__"):
            check_reserved_word(key)
            if type(value) not in _ALLOWED_DYNAMIC_TYPES:
                raise TypeError("Expando cannot accept values of type '%s'." % type(value).__name__)
            dynamic = self.__dict__.get("_dynamic_properties")
            if dynamic is None:
                dynamic = self.__dict__["_dynamic_properties"] = {}
            dynamic[key] = value
        else:
            super().__setattr__(key, value)

    def __getattribute__(self, key):
        if not key.startswith("_"):
            dynamic = object.__getattribute__(self, "__dict__").get("_dynamic_properties")
            if dynamic is not None and key in dynamic:
                return self.__getattr__(key)
        return super().__getattribute__(key)

    def __getattr__(self, key):
        dynamic = self.__dict__.get("_dynamic_properties")
        if dynamic is not None and key in dynamic:
            return dynamic[key]
        return getattr(super(), key)

    def __delattr__(self, key):
        dynamic = self.__dict__.get("_dynamic_properties")
        if dynamic and key in dynamic:
            del dynamic[key]
        else:
            object.__delattr__(self, key)

    def dynamic_properties(self) -> list[str]:
        """Names of this instance's dynamic properties."""
        dynamic = self.__dict__.get("_dynamic_properties")
        return [] if dynamic is None else list(dynamic.keys())

    def _to_entity(self, entity):
        super()._to_entity(entity)
        dynamic = self.__dict__.get("_dynamic_properties") or {}
        for name, value in dynamic.items():
            entity[name] = value
        keep = set(dynamic) | self._all_properties
        for name in list(entity.keys()):
            if name not in keep:
                del entity[name]

    def _write_dynamic(self, entity):
        dynamic = self.__dict__.get("_dynamic_properties") or {}
        meanings = entity._meanings
        for name, value in dynamic.items():
            if _loaded_unchanged(entity, name, value):
                continue  # loaded and unchanged: keep it exactly as stored (meaning and index flag)
            _check_storable(name, value)
            stored, meaning, raw = _values.to_datastore(value)
            entity[name] = stored
            if meaning is None:
                meanings.pop(name, None)
            else:
                meanings[name] = (meaning, stored)
            _values.set_index_flags(entity, name, raw)
        keep = set(dynamic) | self._all_properties
        for name in list(entity.keys()):
            if name not in keep:
                del entity[name]
                meanings.pop(name, None)
                _values.set_index_flags(entity, name, False)

    @classmethod
    def _load_entity_values(cls, entity):
        values = super()._load_entity_values(entity)
        meanings = entity._meanings
        exclude = entity.exclude_from_indexes
        for name, stored in entity.items():
            if name not in values and name not in cls._by_stored_name:
                meaning = meanings.get(name)
                values[str(name)] = _values.from_datastore(stored, meaning[0] if meaning else None,
                                                           _values.excluded(entity, name, exclude))
        return values
