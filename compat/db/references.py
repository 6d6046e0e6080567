"""ReferenceProperty, SelfReferenceProperty, the ``<kind>_set`` back-references, and prefetching.

Reading a reference dereferences it lazily with one get and caches the
instance on the referring entity; a target that no longer exists raises
ReferencePropertyResolveError. ``get_value_for_datastore`` gives the Key
without a get. Declaring a reference adds a back-reference collection to the
referenced class (``collection_name``, default ``<model>_set``) that returns a
Query for the referring entities. :func:`prefetch_references` resolves the
references of many entities with one batch get (the cure for N+1 reads; the
counting and the opt-in warning are in ``compat.db.query.references``).
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from compat.db import _mapper, batch
from compat.db._kinds import is_model, is_model_class, root_class
from compat.db.errors import (
    BadArgumentError, BadValueError, ConfigurationError, DuplicatePropertyError, KindError,
    ReferencePropertyResolveError, ReferenceValueError,
)
from compat.db.keys import Key, Keyed, is_ndb_key
from compat.db.properties.base import Property
from compat.db.query import references as _counting
from compat.db.query.query import Query

_SELF_REFERENCE: Any = object()


class ReferenceProperty(Property):
    """A many-to-one reference to an entity of ``reference_class`` (stored as a key)."""

    reference_class: Any  # the model class (db.Model's subclass) referred to
    data_type: Any

    def __init__(self, reference_class: Optional[type] = None, verbose_name: Optional[str] = None,
                 collection_name: Optional[str] = None, **attrs: Any) -> None:
        super().__init__(verbose_name, **attrs)
        self.collection_name = collection_name
        if reference_class is None:
            reference_class = root_class()
        if not (is_model_class(reference_class) or reference_class is _SELF_REFERENCE):
            raise KindError("reference_class must be Model or _SELF_REFERENCE")
        self.reference_class = self.data_type = reference_class

    def __property_config__(self, model_class: type, property_name: str) -> None:
        super().__property_config__(model_class, property_name)
        self._resolved_attr = "_RESOLVED%s" % self._attr
        if self.reference_class is _SELF_REFERENCE:
            self.reference_class = self.data_type = model_class
        if self.collection_name is None:
            self.collection_name = "%s_set" % model_class.__name__.lower()
        existing = getattr(self.reference_class, self.collection_name, None)
        if existing is not None:
            if not (isinstance(existing, _ReverseReferenceProperty)
                    and existing._prop_name == property_name
                    and existing._model.__name__ == model_class.__name__
                    and existing._model.__module__ == model_class.__module__):
                raise DuplicatePropertyError("Class %s already has property %s "
                                             % (self.reference_class.__name__, self.collection_name))
        setattr(self.reference_class, self.collection_name, _ReverseReferenceProperty(model_class, property_name))

    def __get__(self, model_instance: Any, model_class: Any) -> Any:
        if model_instance is None:
            return self
        values = model_instance.__dict__
        key = values.get(self._attr)
        if key is None:
            return None
        resolved = values.get(self._resolved_attr)
        if resolved is not None:
            return resolved
        _counting.record_dereference(key)
        instance = batch.get(key)
        if instance is None:
            raise ReferencePropertyResolveError("ReferenceProperty failed to be resolved: %s" % key.to_path())
        values[self._resolved_attr] = instance
        return instance

    def __set__(self, model_instance: Any, value: Any) -> None:
        value = self.validate(value)
        values = model_instance.__dict__
        if value is None:
            values[self._attr] = None
            values[self._resolved_attr] = None
        elif isinstance(value, Key):
            values[self._attr] = value
            values[self._resolved_attr] = None
        else:
            values[self._attr] = value.key()
            values[self._resolved_attr] = value

    def get_value_for_datastore(self, model_instance: Any) -> Any:
        """The referenced Key (no datastore get)."""
        return model_instance.__dict__.get(self._attr)

    def validate(self, value: Any) -> Any:
        if isinstance(value, Key):
            return value
        value = _accept_ndb_key(value)
        if isinstance(value, Key):
            return value
        if value is not None and not is_model(value):
            raise ReferenceValueError("Property %s must be a %s instance or a Key, not a %s (%r object has no "
                                      "attribute 'has_key')" % (self.name, self.reference_class.kind(),
                                                                type(value).__name__, type(value).__name__))
        if value is not None and not value.has_key():
            raise BadValueError("%s instance must have a complete key before it can be stored as a reference"
                                % self.reference_class.kind())
        value = super().validate(value)
        if value is not None and not isinstance(value, self.reference_class):
            raise KindError("Property %s must be an instance of %s" % (self.name, self.reference_class.kind()))
        return value

    def _check_type(self, value):
        value = _accept_ndb_key(value)
        if isinstance(value, Key):
            return value
        if is_model(value):
            if not value.has_key():
                raise BadValueError("%s instance must have a complete key before it can be used in a filter"
                                    % value.kind())
            return value.key()
        raise BadValueError("Filter on reference property %s needs a Key or a model instance, not a %s"
                            % (self.name, type(value).__name__))

    def _filter_value(self, value):
        if value is None:
            return None
        return self._check_type(value)


def _accept_ndb_key(value):
    if is_ndb_key(value):
        return Key.from_ndb(value)
    return value


Reference = ReferenceProperty


def SelfReferenceProperty(verbose_name: Optional[str] = None, collection_name: Optional[str] = None,
                          **attrs: Any) -> ReferenceProperty:
    """A ReferenceProperty to the model that declares it."""
    if "reference_class" in attrs:
        raise ConfigurationError("Do not provide reference_class to self-reference.")
    return ReferenceProperty(_SELF_REFERENCE, verbose_name, collection_name, **attrs)


SelfReference = SelfReferenceProperty


class _ReverseReferenceProperty(Property):
    """The back-reference collection: a Query for the entities referring to this one."""

    def __init__(self, model: Any, prop: str) -> None:  # the referring model class
        self.__model = model
        self.__property = prop

    @property
    def _model(self):
        return self.__model

    @property
    def _prop_name(self):
        return self.__property

    def __get__(self, model_instance: Any, model_class: Any) -> Any:
        if model_instance is None:
            return self
        return Query(self.__model).filter(self.__property + " =", model_instance.key())

    def __set__(self, model_instance: Any, value: Any) -> None:
        raise BadValueError("Virtual property is read-only")


def prefetch_references(entities: Iterable[Keyed], *property_names: str) -> list[Any]:
    """Resolve the ReferenceProperty values of ``entities`` with one batch get; return the entities as a list.

    ``property_names`` are attribute (or stored) names of ReferenceProperty
    properties; none means every ReferenceProperty of each entity's class.
    References already resolved are not fetched again. A target that does not
    exist is left unresolved, so reading it raises ReferencePropertyResolveError
    as usual. Each referring entity gets its own instance of the target, as
    separate gets would have given.
    """
    entities = [entity for entity in entities if entity is not None]
    wanted = []
    keys: dict[Any, Any] = {}
    for entity in entities:
        for prop in _reference_properties(type(entity), property_names, ReferenceProperty):
            values = entity.__dict__
            key = values.get(prop._attr)
            if key is None or values.get(prop._resolved_attr) is not None:
                continue
            wanted.append((entity, prop, key))
            keys.setdefault(key, None)
    if not keys:
        return entities
    unique = list(keys)
    for key, target in zip(unique, batch.get(unique)):
        keys[key] = target
    handed_out = set()
    for entity, prop, key in wanted:
        target = keys[key]
        if target is None:
            continue
        if key in handed_out:
            target = _mapper.fresh_copy(target)
        handed_out.add(key)
        entity.__dict__[prop._resolved_attr] = target
    return entities


def _reference_properties(model_class, property_names, reference_type):
    if not property_names:
        return [prop for prop in model_class._properties.values() if isinstance(prop, reference_type)]
    found = []
    for name in property_names:
        prop = model_class._properties.get(name) or model_class._by_stored_name.get(name)
        if prop is None:
            raise BadArgumentError("%s has no property %r" % (model_class.__name__, name))
        if not isinstance(prop, reference_type):
            raise BadArgumentError("%s.%s is a %s, not a ReferenceProperty"
                                   % (model_class.__name__, name, type(prop).__name__))
        found.append(prop)
    return found
