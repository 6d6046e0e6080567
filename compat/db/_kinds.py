"""Model classes: the metaclass that configures their properties, and the registry of kinds.

Every module that needs to know "is this a model?" or "which class stores
this kind?" asks here, below ``model.py``: the mapping (``_mapper``), the
batch calls, queries and references import this module, never ``model``.

Behaviour reproduced from legacy ``db``:

* properties are declared as class attributes; the metaclass collects them
  (inherited ones too), refuses duplicates and reserved names, and registers
  the class under its kind (``class_for_kind``);
* ``class M(db.Model, map_kind=False)`` keeps a class out of the registry.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from compat.db.errors import DuplicatePropertyError, KindError, ReservedWordError
from compat.db.properties.base import Property
from compat.warnings import strict_warning

_kind_map: dict[str, PropertiedClass] = {}
_RESERVED_WORDS = frozenset(["key_name"])
_root: Optional[PropertiedClass] = None  # the first class built by PropertiedClass: db.Model
_model_attributes: frozenset = frozenset()  # dir(Model): legacy reserved every name Model has


def class_for_kind(kind: str) -> PropertiedClass:
    """The Model class registered for ``kind``; KindError if there is none."""
    try:
        return _kind_map[kind]
    except KeyError:
        raise KindError("No implementation for kind '%s'" % kind)


def check_reserved_word(attr_name: str) -> None:
    """Raise ReservedWordError for ``__x__`` names, ``key_name`` and Model's own attributes."""
    if attr_name.startswith("__") and attr_name.endswith("__"):
        raise ReservedWordError("Cannot define property.  All names both beginning and ending with '__' are reserved.")
    if attr_name in _RESERVED_WORDS or attr_name in _model_attributes:
        raise ReservedWordError(
            "Cannot define property using reserved word '%(attr_name)s'. If you would like to use this "
            "name in the datastore consider using a different name like %(attr_name)s_ and adding "
            "name='%(attr_name)s' to the parameter list of the property definition." % {"attr_name": attr_name}
        )


def is_model(value: object) -> bool:
    """True for an instance of a model class (``db.Model`` or a subclass)."""
    return isinstance(type(value), PropertiedClass)


def is_model_class(value: object) -> bool:
    """True for ``db.Model`` and its subclasses."""
    return isinstance(value, PropertiedClass)


def root_class() -> Optional[PropertiedClass]:
    """``db.Model`` itself (a ReferenceProperty without ``reference_class`` refers to it)."""
    return _root


def _initialize_properties(model_class, name, bases, dct):
    model_class._properties = {}
    property_source = {}
    defined = set()

    def source_of(attr, cls):
        for candidate in cls.mro():
            if attr in candidate.__dict__:
                return candidate

    for base in bases:
        base_properties = getattr(base, "_properties", None)
        if not base_properties:
            continue
        keys = set(base_properties)
        for duplicate in defined & keys:
            old = property_source[duplicate] = source_of(duplicate, property_source[duplicate])
            new = source_of(duplicate, base)
            if old is not new:
                raise DuplicatePropertyError("Duplicate property, %s, is inherited from both %s and %s."
                                             % (duplicate, old.__name__, new.__name__))
        keys -= defined
        if keys:
            defined |= keys
            property_source.update(dict.fromkeys(keys, base))
            model_class._properties.update(base_properties)

    for attr_name, attr in list(dct.items()):
        if isinstance(attr, Property):
            check_reserved_word(attr_name)
            if attr_name in defined:
                raise DuplicatePropertyError("Duplicate property: %s" % attr_name)
            defined.add(attr_name)
            model_class._properties[attr_name] = attr
            attr.__property_config__(model_class, attr_name)

    stored_names = {}
    for attr_name, prop in model_class._properties.items():
        other = stored_names.get(prop.name)
        if other is not None and other is not prop:  # legacy accepted it; the values share one stored property
            strict_warning("Properties %s and %s of %s are both stored as %r: they overwrite each other"
                           % (other, attr_name, name, prop.name), stacklevel=5)
        stored_names[prop.name] = prop
    model_class._all_properties = frozenset(prop.name for prop in model_class._properties.values())
    model_class._unindexed_properties = frozenset(
        prop.name for prop in model_class._properties.values() if not prop.indexed
    )
    # Fast paths: stored name -> property, and a stable iteration order.
    model_class._by_stored_name = stored_names
    model_class._property_list = tuple(sorted(model_class._properties.values(), key=lambda p: p.creation_counter))
    model_class._entity_hooks = _collect_entity_hooks(model_class._property_list)


def _collect_entity_hooks(properties):
    """``((trigger, props, always), ...)``: properties whose stored form depends on another stored property.

    A property with ``_entity_trigger`` (a stored name: compat.tz's migration
    marker) is given the whole entity: ``_load_from_entity(entity, values)``
    after loading, when the entity holds the trigger, and
    ``_store_to_entity(instance, loaded, entity)`` when writing, when the
    loaded entity holds it (or always, with ``_entity_trigger_always``).
    Other properties pay nothing.
    """
    groups = {}
    for prop in properties:
        trigger = getattr(prop, "_entity_trigger", None)
        if trigger:
            groups.setdefault(trigger, []).append(prop)
    return tuple((trigger, tuple(props), tuple(p for p in props if getattr(p, "_entity_trigger_always", False)))
                 for trigger, props in groups.items())


class PropertiedClass(type):
    """Metaclass of Model: configures properties and registers the kind.

    ``class M(db.Model, map_kind=False)`` keeps a class out of the kind registry.
    """

    kind: Callable[[], str]  # db.Model's classmethod: every class made here has it

    def __new__(mcs, name: str, bases: tuple[type, ...], dct: dict[str, Any], map_kind: bool = True,
                **kwargs: Any) -> PropertiedClass:
        return super().__new__(mcs, name, bases, dct, **kwargs)

    def __init__(cls, name: str, bases: tuple[type, ...], dct: dict[str, Any], map_kind: bool = True,
                 **kwargs: Any) -> None:
        global _root, _model_attributes
        super().__init__(name, bases, dct, **kwargs)
        _initialize_properties(cls, name, bases, dct)
        if _root is None:  # db.Model: every name it has is reserved in its subclasses (legacy: dir(Model))
            _root = cls
            _model_attributes = frozenset(dir(cls))
        if map_kind:
            _kind_map[cls.kind()] = cls
