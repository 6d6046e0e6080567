"""``google.appengine.ext.db.metadata``: the datastore's metadata as read-only models.

Cloud Datastore answers the same metadata queries legacy App Engine did, on
the same reserved kinds, so these models read them directly:

* ``__namespace__``: one entity per namespace in use; its key has the
  namespace as name, or the id 1 (``Namespace.EMPTY_NAMESPACE_ID``) for the
  default namespace;
* ``__kind__``: one entity per kind of the current namespace, keyed by name;
* ``__property__``: one entity per *indexed* property of a kind, keyed
  ``(__kind__, kind, __property__, name)``, with ``property_representation``
  listing the stored value types (``INT64``, ``STRING``, ``NULL`` ...).

Entities of these kinds cannot be written (the datastore refuses reserved
kinds). Ranges are half-open: ``start`` included, ``end`` excluded.

Entity-group versions (``__entity_group__`` entities with ``__version__``)
are answered where the backend still keeps them (the emulator does); where
it refuses the lookup, :func:`get_entity_group_version` raises
:class:`EntityGroupVersionUnavailable` instead of a bare BadRequestError
(see docs/differences.md).
"""

from __future__ import annotations

from typing import Optional, Union, cast

from compat.db.batch import get
from compat.db.errors import BadRequestError
from compat.db.keys import Key
from compat.db.model import Model
from compat.db.query.query import Query
from compat.db.properties import IntegerProperty, StringListProperty

__all__ = [
    "BaseMetadata", "EntityGroup", "EntityGroupVersionUnavailable", "Kind", "Namespace", "Property",
    "get_entity_group_version", "get_kinds", "get_namespaces", "get_properties_of_kind",
    "get_representations_of_kind",
]


class BaseMetadata(Model, map_kind=False):
    """Base of the metadata models: the stored kind is ``KIND_NAME``."""

    KIND_NAME = "__BaseMetadata__"

    @classmethod
    def kind(cls) -> str:
        """The reserved kind these entities live in."""
        return cls.KIND_NAME


class Namespace(BaseMetadata):
    """A namespace in use (a ``__namespace__`` query result)."""

    KIND_NAME = "__namespace__"
    EMPTY_NAMESPACE_ID = 1

    @property
    def namespace_name(self) -> str:
        """The namespace this entity stands for (``''`` for the default namespace)."""
        return self.key_to_namespace(self.key())

    @classmethod
    def key_for_namespace(cls, namespace: Optional[str]) -> Key:
        """The ``__namespace__`` key of ``namespace`` (the id 1 for the default namespace)."""
        return Key.from_path(cls.KIND_NAME, namespace or cls.EMPTY_NAMESPACE_ID)

    @classmethod
    def key_to_namespace(cls, key: Key) -> str:
        """The namespace a ``__namespace__`` key stands for."""
        return key.name() or ""


class Kind(BaseMetadata):
    """A kind of the current namespace (a ``__kind__`` query result)."""

    KIND_NAME = "__kind__"

    @property
    def kind_name(self) -> Optional[str]:
        """The kind this entity stands for."""
        return self.key_to_kind(self.key())

    @classmethod
    def key_for_kind(cls, kind: str) -> Key:
        """The ``__kind__`` key of ``kind``."""
        return Key.from_path(cls.KIND_NAME, kind)

    @classmethod
    def key_to_kind(cls, key: Key) -> Optional[str]:
        """The kind a ``__kind__`` key stands for."""
        return key.name()


class Property(BaseMetadata):
    """An indexed property of a kind (a ``__property__`` query result), with its value representations."""

    KIND_NAME = "__property__"

    property_representation = StringListProperty()

    @property
    def property_name(self) -> Optional[str]:
        """The property this entity stands for."""
        return self.key_to_property(self.key())

    @property
    def kind_name(self) -> Optional[str]:
        """The kind the property belongs to."""
        return self.key_to_kind(self.key())

    @classmethod
    def key_for_kind(cls, kind: str) -> Key:
        """The parent key of the ``__property__`` keys of ``kind`` (its ``__kind__`` key)."""
        return Kind.key_for_kind(kind)

    @classmethod
    def key_for_property(cls, kind: str, property_: str) -> Key:
        """The ``__property__`` key of ``property_`` of ``kind``."""
        return Key.from_path(Kind.KIND_NAME, kind, cls.KIND_NAME, property_)

    @classmethod
    def key_to_kind(cls, key: Key) -> Optional[str]:
        """The kind a ``__property__`` key (or its ``__kind__`` parent) stands for."""
        if key.kind() == Kind.KIND_NAME:
            return key.name()
        parent = key.parent()
        assert parent is not None  # a __property__ key is the child of its __kind__ key
        return parent.name()

    @classmethod
    def key_to_property(cls, key: Key) -> Optional[str]:
        """The property a ``__property__`` key stands for; None for a ``__kind__`` key."""
        return None if key.kind() == Kind.KIND_NAME else key.name()


class EntityGroupVersionUnavailable(BadRequestError, NotImplementedError):
    """The datastore keeps no entity-group versions (``__entity_group__.__version__``) here."""


class EntityGroup(BaseMetadata):
    """Legacy ``__entity_group__`` metadata: ``version`` increases on every change to the entity group."""

    KIND_NAME = "__entity_group__"
    ID = 1

    version = IntegerProperty(name="__version__")

    @classmethod
    def key_for_entity(cls, entity_or_key: Union[Model, Key]) -> Key:
        """The ``__entity_group__`` key of the entity group holding ``entity_or_key`` (an instance or Key)."""
        key = entity_or_key.key() if isinstance(entity_or_key, Model) else entity_or_key
        return Key.from_path(cls.KIND_NAME, cls.ID, parent=key.entity_group())


def _key_range(query: Query, start_key: Optional[Key], end_key: Optional[Key]) -> Query:
    if start_key is not None:
        query.filter("__key__ >=", start_key)
    if end_key is not None:
        query.filter("__key__ <", end_key)
    return query


def get_namespaces(start: Optional[str] = None, end: Optional[str] = None) -> list[str]:
    """The namespaces in use, sorted, within ``[start, end)`` (``''`` is the default namespace)."""
    query = _key_range(Namespace.all(),
                       None if start is None else Namespace.key_for_namespace(start),
                       None if end is None else Namespace.key_for_namespace(end))
    return [entity.namespace_name for entity in query.run()]


def get_kinds(start: Optional[str] = None, end: Optional[str] = None) -> list[str]:
    """The kinds of the current namespace, sorted, within ``[start, end)`` (``end=''``: none)."""
    if end == "":
        return []
    query = _key_range(Kind.all(), Kind.key_for_kind(start) if start else None,
                       None if end is None else Kind.key_for_kind(end))
    return [entity.kind_name for entity in query.run()]


def _property_query(kind: str, start: Optional[str], end: Optional[str], keys_only: bool) -> Query:
    query = Property.all(keys_only=keys_only).ancestor(Property.key_for_kind(kind))
    return _key_range(query, Property.key_for_property(kind, start) if start else None,
                      None if end is None else Property.key_for_property(kind, end))


def get_properties_of_kind(kind: str, start: Optional[str] = None, end: Optional[str] = None) -> list[str]:
    """The indexed properties of ``kind``, sorted, within ``[start, end)`` (unindexed ones are not listed)."""
    if end == "":
        return []
    return [cast(str, Property.key_to_property(key))  # a __property__ key: it names a property
            for key in _property_query(kind, start, end, True).run()]


def get_representations_of_kind(kind: str, start: Optional[str] = None,
                                end: Optional[str] = None) -> dict[str, list[str]]:
    """``{property: [representation, ...]}`` for the indexed properties of ``kind`` within ``[start, end)``."""
    if end == "":
        return {}
    return {entity.property_name: entity.property_representation
            for entity in _property_query(kind, start, end, False).run()}


def get_entity_group_version(entity_or_key: Union[Model, Key]) -> Optional[int]:
    """The version of the entity group holding ``entity_or_key``, or None if the group was never written.

    Read from the ``__entity_group__`` metadata entity, as legacy did. A
    backend that keeps no entity-group versions refuses the lookup; that is
    raised as EntityGroupVersionUnavailable (a BadRequestError and a
    NotImplementedError) naming the alternatives: compare the entities
    themselves, or keep a counter entity updated in the same transaction.
    """
    key = EntityGroup.key_for_entity(entity_or_key)
    try:
        group = get(key)
    except BadRequestError as error:
        raise EntityGroupVersionUnavailable(
            "get_entity_group_version(%r): this datastore keeps no entity-group versions (%s); compare the "
            "entities themselves or keep a version counter entity in the group (see docs/differences.md)."
            % (key, error)) from error
    return group.version if group is not None else None
