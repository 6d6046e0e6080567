"""``db.Model``: the superclass of legacy models and their class API.

The metaclass and the kind registry live in ``_kinds``, the conversion to
and from stored entities in ``_mapper``; ``put`` / ``get`` / ``delete`` go to
``batch``, ``all`` / ``gql`` to ``query``. Behaviour reproduced from legacy ``db``:

* the constructor takes ``parent``, ``key_name``, ``key=`` and property values
  by *stored* name, validating each (``required`` fails here, not at put);
* ``key()`` is a method raising NotSavedError for an unsaved entity without
  a key name; ``put()`` returns the key; ``is_saved()``, ``parent()``,
  ``parent_key()``, ``properties()``, ``kind()`` ... as legacy;
* an entity loaded from the datastore keeps every stored property it does
  not declare, with its meaning and index flag, and writes it back unchanged.
"""

from __future__ import annotations

from typing import Any, Iterable, NoReturn, Optional, TypeVar, Union, cast, overload

from google.cloud.datastore.entity import Entity as _DsEntity

from compat import namespace_manager
from compat.db import _mapper, batch, transactions
from compat.db._kinds import PropertiedClass, check_reserved_word, class_for_kind
from compat.db.errors import (
    BadArgumentError, BadKeyError, BadValueError, DerivedPropertyError, KindError, NotSavedError,
)
from compat.db.keys import Key, KeyLike, KeyOrEntity, is_ndb_key, project_of
from compat.db.properties.base import Property
from compat.db.query.gql_query import GqlQuery
from compat.db.query.query import Query
from compat.warnings import strict_warning

__all__ = ["Model", "PropertiedClass", "check_reserved_word", "class_for_kind"]

_M = TypeVar("_M", bound="Model")


def _is_str(value):
    return isinstance(value, str)


def _is_int(value):
    return isinstance(value, int)


class Model(metaclass=PropertiedClass):
    """The superclass of all legacy datastore models.

    ``Model(parent=None, key_name=None, **values)``; also ``key=Key``.
    Values are given by stored name and validated immediately.
    """

    _properties: dict[str, Property]  # set by PropertiedClass
    _key: Optional[Key] = None
    _key_name: Optional[str] = None
    _parent: Optional[Model] = None
    _parent_key: Optional[Key] = None
    _app: Optional[str] = None
    _namespace = ""
    _projection = None
    _has_dynamic_properties = False  # Expando: any attribute may be stored (filters and orders on any name)

    def __init__(self, parent: Union[Model, Key, None] = None, key_name: Optional[str] = None,
                 _app: Union[str, tuple[str, str], None] = None, _from_entity: Any = False, **kwds: Any) -> None:
        namespace = None
        if isinstance(_app, tuple):
            if len(_app) != 2:
                raise BadArgumentError("_app must have 2 values if type is tuple.")
            _app, namespace = _app
        if _app is not None and isinstance(_app, Key):
            raise BadArgumentError("_app should be a string; received Key('%s'): only pass 'key' as a keyword "
                                   "parameter." % _app)
        key = kwds.pop("key", None)
        if key is not None:
            if isinstance(key, (tuple, list)):
                key = Key.from_path(*key)
            elif isinstance(key, str):
                key = Key(encoded=key)
            elif is_ndb_key(key):
                key = Key.from_ndb(key)
            if not isinstance(key, Key):
                raise TypeError("Expected Key type; received %s (is %s)" % (key, type(key).__name__))
            if not key.has_id_or_name():
                raise BadKeyError("Key must have an id or name")
            assert key._ds is not None  # a complete key has one
            if key.kind() != self.kind():
                raise BadKeyError("Expected Key kind to be %s; received %s" % (self.kind(), key.kind()))
            if _app is not None and key.app() != _app and key._ds.project != project_of(_app):
                raise BadKeyError("Expected Key app to be %s; received %s" % (_app, key.app()))
            if namespace is not None and key.namespace() != namespace:
                raise BadKeyError("Expected Key namespace to be %s; received %s" % (namespace, key.namespace()))
            if key_name and key_name != key.name():
                raise BadArgumentError("Cannot use key and key_name at the same time with different values")
            if parent and _mapper.as_key(parent) != key.parent():
                raise BadArgumentError("Cannot use key and parent at the same time with different values")
            namespace = key.namespace()
            self._key = key
        else:
            if key_name == "":
                raise BadKeyError("Name cannot be empty.")
            if key_name is not None and not isinstance(key_name, str):
                raise BadKeyError("Name must be string type, not %s" % type(key_name).__name__)
            if parent is not None:
                if isinstance(parent, Model):
                    if not parent.has_key():
                        raise BadValueError("%s instance must have a complete key before it can be used as a "
                                            "parent." % parent.kind())
                    self._parent_key = parent.key()
                    self._parent = parent
                elif isinstance(parent, Key):
                    self._parent_key = parent  # an incomplete parent fails at put, as in legacy
                elif is_ndb_key(parent):
                    self._parent_key = Key.from_ndb(parent)
                else:
                    raise TypeError("Expected Model type; received %s (is %s)" % (parent, type(parent).__name__))
            self._key_name = key_name
        if self._parent_key is not None:
            if namespace is not None and self._parent_key.namespace() != namespace:
                raise BadArgumentError("Expected parent namespace to be %r; received %r"
                                       % (namespace, self._parent_key.namespace()))
            namespace = self._parent_key.namespace()
        if namespace is None:
            namespace = namespace_manager.get_namespace()
        self._app = _app
        self._namespace = namespace
        projection = None
        if isinstance(_from_entity, _DsEntity):
            self._entity = _from_entity
            projection = getattr(_from_entity, "_compat_projection", None)
            self._projection = projection
            self._key = None
            self._key_name = None
        elif isinstance(_from_entity, _mapper.LoadedProtobuf):
            self.__dict__["_stored"] = _from_entity  # decoded into an entity only if something needs one
            self._key = None
            self._key_name = None
        self._set_initial_values(kwds, _from_entity, projection)

    def _init_loaded(self, stored, values):
        """What ``__init__(None, _from_entity=stored, key=<its key>, **values)`` does, for a load of a plain model.

        Used by ``_mapper.from_pb`` for classes that keep Model's constructor:
        the key needs no checking (it is the stored one), the values are
        validated as the constructor validates them.
        """
        self._namespace = stored.namespace
        self.__dict__["_stored"] = stored
        self._set_initial_values(values, stored, None)

    @property
    def _entity(self):
        """The stored entity this instance was loaded from or last written as; None while unsaved.

        A plain model loaded by a get or a query keeps the protobuf it came
        in and decodes it into a ``google.cloud.datastore.Entity`` the first
        time something needs one (a put, ``model_to_protobuf`` ...).
        """
        stored = self.__dict__.get("_stored")
        if stored is None or type(stored) is not _mapper.LoadedProtobuf:
            return stored
        entity = self.__dict__["_stored"] = _mapper.decode_loaded(stored)
        return entity

    @_entity.setter
    def _entity(self, entity):
        self.__dict__["_stored"] = entity

    def _stored_key(self):
        """The datastore key of the stored entity (without decoding it), or None while unsaved."""
        stored = self.__dict__.get("_stored")
        return None if stored is None else stored.key

    def _set_initial_values(self, kwds, from_entity, projection):
        for prop in self._property_list:
            name = prop.name
            given = name in kwds
            if given:
                value = kwds.pop(name)
            elif projection is not None:
                continue
            else:
                value = prop.default_value()
            try:
                prop.__set__(self, value)
            except DerivedPropertyError:
                if given and not from_entity:
                    raise
        if kwds:
            self._unknown_keywords(kwds)

    def _unknown_keywords(self, kwds):
        """Legacy silently ignored keywords that name no property (strict mode warns: the value is lost)."""
        strict_warning("%s has no property %s; the value is ignored (constructor keywords use stored "
                       "property names)" % (type(self).__name__, ", ".join(repr(name) for name in sorted(kwds))),
                       stacklevel=4)

    # -- keys --------------------------------------------------------------------------

    def key(self) -> Key:
        """This entity's Key; NotSavedError if it has none yet (unsaved, no key_name)."""
        stored_key = self._stored_key()
        if stored_key is not None and len(stored_key.flat_path) % 2 == 0:
            key = self.__dict__.get("_saved_key")
            if key is None or key._ds is not stored_key:
                key = Key._from_ds(stored_key)
                self.__dict__["_saved_key"] = key
            return key
        if self._key is not None:
            return self._key
        if self._key_name:
            self._key = Key.from_path(self.kind(), self._key_name, parent=self.parent_key(),
                                      _app=self._app, namespace=self._namespace)
            return self._key
        raise NotSavedError()

    def is_saved(self) -> bool:
        """True once the instance has been put or was loaded from the datastore."""
        return self.__dict__.get("_stored") is not None

    def has_key(self) -> Union[bool, Key, str, None]:
        """Truthy when the instance has a complete key: legacy returned ``is_saved() or key or key_name``
        itself (``None`` for a new instance, the key name for a named one), and so does compat."""
        return self.is_saved() or self._key or self._key_name

    def parent(self) -> Optional[Model]:
        """The parent entity (fetched once), or None."""
        if self._parent is None:
            parent_key = self.parent_key()
            if parent_key is not None:
                self._parent = batch.get(parent_key)
        return self._parent

    def parent_key(self) -> Optional[Key]:
        """The parent's Key without fetching it, or None."""
        if self._parent_key is not None:
            return self._parent_key
        if self._parent is not None:
            return self._parent.key()
        stored_key = self._stored_key()
        if stored_key is not None:
            parent = stored_key.parent
            return None if parent is None else Key._from_ds(parent)
        if self._key is not None:
            return self._key.parent()
        return None

    # -- storage -----------------------------------------------------------------------

    def _to_entity(self, entity):
        """Copy the legacy values of every declared property into ``entity`` (a dict works too)."""
        for prop in self._property_list:
            _mapper.set_legacy_value(self, entity, prop.name, prop.get_value_for_datastore(self))

    def _write_dynamic(self, entity):
        """Hook for Expando: write dynamic properties."""

    def put(self, **kwargs: Any) -> Key:
        """Write this instance; return its Key. Validation errors are raised before any RPC."""
        return batch.put(self, **kwargs)

    save = put

    def delete(self, **kwargs: Any) -> None:
        """Delete this entity; the instance becomes unsaved but keeps its key."""
        key = self.key()
        batch.delete(key, **kwargs)
        self._key = key
        self._key_name = None
        self._parent_key = key.parent()
        self._entity = None

    def dynamic_properties(self) -> list[str]:
        """Names of the instance's dynamic properties ([] for a plain Model)."""
        return []

    def instance_properties(self) -> list[str]:
        """Alias of dynamic_properties()."""
        return self.dynamic_properties()

    def to_xml(self) -> NoReturn:
        """Not supported: legacy's Atom/GData XML export has no equivalent."""
        raise NotImplementedError("Model.to_xml() is not supported by compat.db")

    # -- class API ---------------------------------------------------------------------

    @classmethod
    def kind(cls) -> str:
        """The datastore kind: the class name unless overridden."""
        return cls.__name__

    @classmethod
    def entity_type(cls) -> str:
        """Deprecated alias of kind()."""
        return cls.kind()

    @classmethod
    def properties(cls) -> dict[str, Property]:
        """A dict of attribute name -> Property (a copy)."""
        return dict(cls._properties)

    @classmethod
    def fields(cls) -> dict[str, Property]:
        """Deprecated alias of properties()."""
        return cls.properties()

    @overload
    @classmethod
    def get(cls: type[_M], keys: KeyLike, **kwargs: Any) -> Optional[_M]: ...
    @overload
    @classmethod
    def get(cls: type[_M], keys: Iterable[KeyLike], **kwargs: Any) -> list[Optional[_M]]: ...
    @classmethod
    def get(cls: type[_M], keys: Union[KeyLike, Iterable[KeyLike]], **kwargs: Any) -> Any:
        """Fetch one or many by key (Key, encoded string or list); KindError for another kind."""
        results = batch.get(keys, **kwargs)
        if results is None:
            return None
        for instance in (results if isinstance(results, list) else [results]):
            if instance is not None and not isinstance(instance, cls):
                raise KindError("Kind %r is not a subclass of kind %r" % (instance.kind(), cls.kind()))
        return results

    @overload
    @classmethod
    def get_by_key_name(cls: type[_M], key_names: str, parent: Optional[KeyOrEntity] = None,
                        **kwargs: Any) -> Optional[_M]: ...
    @overload
    @classmethod
    def get_by_key_name(cls: type[_M], key_names: Iterable[str], parent: Optional[KeyOrEntity] = None,
                        **kwargs: Any) -> list[Optional[_M]]: ...
    @classmethod
    def get_by_key_name(cls: type[_M], key_names: Union[str, Iterable[str]], parent: Optional[KeyOrEntity] = None,
                        **kwargs: Any) -> Any:
        """Fetch by key name (one or a list), with an optional parent entity or key."""
        try:
            parent = _mapper.as_key(parent)
        except BadKeyError as error:
            raise BadArgumentError(str(error))
        names, multiple = batch.normalize_and_type_check(key_names, _is_str, "str")
        keys = [Key.from_path(cls.kind(), name, parent=parent) for name in names]
        return batch.get(keys, **kwargs) if multiple else batch.get(keys[0], **kwargs)

    @overload
    @classmethod
    def get_by_id(cls: type[_M], ids: int, parent: Union[Model, Key, None] = None,
                  **kwargs: Any) -> Optional[_M]: ...
    @overload
    @classmethod
    def get_by_id(cls: type[_M], ids: Iterable[int], parent: Union[Model, Key, None] = None,
                  **kwargs: Any) -> list[Optional[_M]]: ...
    @classmethod
    def get_by_id(cls: type[_M], ids: Union[int, Iterable[int]], parent: Union[Model, Key, None] = None,
                  **kwargs: Any) -> Any:
        """Fetch by numeric id (one or a list), with an optional parent entity or key."""
        if isinstance(parent, Model):
            parent = parent.key()
        values, multiple = batch.normalize_and_type_check(ids, _is_int, "int")  # a bool is an int, as in legacy
        keys = [Key.from_path(cls.kind(), value, parent=parent) for value in values]
        return batch.get(keys, **kwargs) if multiple else batch.get(keys[0], **kwargs)

    @classmethod
    def get_or_insert(cls: type[_M], key_name: str, **kwds: Any) -> _M:
        """Get the entity with this key name (and ``parent=``), creating it in a transaction if missing."""
        def txn():
            entity = cls.get_by_key_name(key_name, parent=kwds.get("parent"))
            if entity is None:
                entity = cls(key_name=key_name, **kwds)
                entity.put()
            return entity

        return cast(_M, transactions.run_in_transaction(txn))  # txn never raises Rollback: never None

    @classmethod
    def all(cls, **kwds: Any) -> Query:
        """A Query over all entities of this model (``keys_only=`` etc.)."""
        return Query(cls, **kwds)

    @classmethod
    def gql(cls, query_string: str, *args: Any, **kwds: Any) -> GqlQuery:
        """A GqlQuery: ``query_string`` is the part after ``SELECT * FROM <kind>``."""
        return GqlQuery._for_model(cls, query_string, args, kwds)

    @classmethod
    def _load_entity_values(cls, entity):
        """Stored name -> instance value for every declared property present in ``entity``."""
        return _mapper.load_declared_values(cls, entity)

    @classmethod
    def from_entity(cls: type[_M], entity: _DsEntity) -> _M:
        """An instance for a ``google.cloud.datastore.Entity`` of this kind."""
        return _mapper.from_entity(cls, entity)

    def __repr__(self) -> str:
        try:
            key = repr(self.key())
        except NotSavedError:
            key = "unsaved"
        return "<%s %s>" % (type(self).__name__, key)
