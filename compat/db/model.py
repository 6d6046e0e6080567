"""``db.Model``: legacy models, their metaclass, and the kind registry.

Behaviour reproduced from legacy ``db``:

* properties are declared as class attributes; the metaclass collects them
  (inherited ones too), refuses duplicates and reserved names, and registers
  the class under its kind (``class_for_kind``);
* the constructor takes ``parent``, ``key_name``, ``key=`` and property values
  by *stored* name, validating each (``required`` fails here, not at put);
* ``key()`` is a method raising NotSavedError for an unsaved entity without
  a key name; ``put()`` returns the key; ``is_saved()``, ``parent()``,
  ``parent_key()``, ``properties()``, ``kind()`` ... as legacy;
* an entity loaded from the datastore keeps every stored property it does
  not declare, with its meaning and index flag, and writes it back unchanged.
"""

from google.cloud.datastore.entity import Entity as _DsEntity
from google.cloud.datastore.key import Key as _DsKey

from compat import _context, namespace_manager
from compat._config import settings
from compat.db import _values
from compat.db.errors import (
    BadArgumentError, BadKeyError, BadValueError, DerivedPropertyError, DuplicatePropertyError, KindError,
    NotSavedError, PropertyError, ReservedWordError,
)
from compat.db.keys import Key, _split_app, ds_kind
from compat.db.properties.base import AUTO_UPDATE_UNCHANGED, Property
from compat.db.properties.lists import ListProperty
from compat.warnings import strict_warning

_kind_map = {}
_RESERVED_WORDS = frozenset(["key_name"])
_MODEL_ATTRIBUTES = frozenset()  # filled once Model exists (legacy: dir(Model))


def class_for_kind(kind):
    """The Model class registered for ``kind``; KindError if there is none."""
    try:
        return _kind_map[kind]
    except KeyError:
        raise KindError("No implementation for kind '%s'" % kind)


def check_reserved_word(attr_name):
    """Raise ReservedWordError for ``__x__`` names, ``key_name`` and Model's own attributes."""
    if attr_name.startswith("__") and attr_name.endswith("__"):
        raise ReservedWordError("Cannot define property.  All names both beginning and ending with '__' are reserved.")
    if attr_name in _RESERVED_WORDS or attr_name in _MODEL_ATTRIBUTES:
        raise ReservedWordError(
            "Cannot define property using reserved word '%(attr_name)s'. If you would like to use this "
            "name in the datastore consider using a different name like %(attr_name)s_ and adding "
            "name='%(attr_name)s' to the parameter list of the property definition." % {"attr_name": attr_name}
        )


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
        if other is not None and other is not prop:
            raise DuplicatePropertyError("Properties %s and %s of %s are both stored as %r"
                                         % (other, attr_name, name, prop.name))
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

    def __new__(mcs, name, bases, dct, map_kind=True, **kwargs):
        return super().__new__(mcs, name, bases, dct, **kwargs)

    def __init__(cls, name, bases, dct, map_kind=True, **kwargs):
        super().__init__(name, bases, dct, **kwargs)
        _initialize_properties(cls, name, bases, dct)
        if map_kind:
            _kind_map[cls.kind()] = cls


def _project_of(app):
    if app is None:
        return settings.project or _context.project()
    return _split_app(app)[1]


class Model(metaclass=PropertiedClass):
    """The superclass of all legacy datastore models.

    ``Model(parent=None, key_name=None, **values)``; also ``key=Key``.
    Values are given by stored name and validated immediately.
    """

    _entity = None
    _key = None
    _key_name = None
    _parent = None
    _parent_key = None
    _app = None
    _namespace = ""
    _projection = None

    def __init__(self, parent=None, key_name=None, _app=None, _from_entity=False, **kwds):
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
            elif not isinstance(key, Key) and hasattr(key, "_key") and isinstance(key._key, _DsKey):
                key = Key.from_ndb(key)
            if not isinstance(key, Key):
                raise TypeError("Expected Key type; received %s (is %s)" % (key, type(key).__name__))
            if not key.has_id_or_name():
                raise BadKeyError("Key must have an id or name")
            if key.kind() != self.kind():
                raise BadKeyError("Expected Key kind to be %s; received %s" % (self.kind(), key.kind()))
            if _app is not None and key.app() != _app and key._ds.project != _project_of(_app):
                raise BadKeyError("Expected Key app to be %s; received %s" % (_app, key.app()))
            if namespace is not None and key.namespace() != namespace:
                raise BadKeyError("Expected Key namespace to be %s; received %s" % (namespace, key.namespace()))
            if key_name and key_name != key.name():
                raise BadArgumentError("Cannot use key and key_name at the same time with different values")
            if parent and _as_key(parent) != key.parent():
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
                    if not parent.has_id_or_name():
                        raise BadKeyError("Key %r is not complete." % (parent,))
                    self._parent_key = parent
                elif hasattr(parent, "_key") and isinstance(parent._key, _DsKey):
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
        self._set_initial_values(kwds, _from_entity, projection)

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

    def key(self):
        """This entity's Key; NotSavedError if it has none yet (unsaved, no key_name)."""
        entity = self._entity
        if entity is not None and entity.key is not None and len(entity.key.flat_path) % 2 == 0:
            key = self.__dict__.get("_saved_key")
            if key is None or key._ds is not entity.key:
                key = Key._from_ds(entity.key)
                self.__dict__["_saved_key"] = key
            return key
        if self._key is not None:
            return self._key
        if self._key_name:
            self._key = Key.from_path(self.kind(), self._key_name, parent=self.parent_key(),
                                      _app=self._app, namespace=self._namespace)
            return self._key
        raise NotSavedError()

    def _ds_key_for_put(self):
        entity = self._entity
        if entity is not None and entity.key is not None:
            return entity.key
        if self._key is not None:
            return self._key._ds
        if self._key_name:
            return self.key()._ds
        parent = self.parent_key()
        path = list(parent._ds.flat_path) if parent is not None else []
        path.append(self.kind())
        project = parent._ds.project if parent is not None else _project_of(self._app)
        return _DsKey(*path, project=project, namespace=self._namespace or None)

    def is_saved(self):
        """True once the instance has been put or was loaded from the datastore."""
        return self._entity is not None

    def has_key(self):
        """Truthy when the instance has a complete key: legacy returned ``is_saved() or key or key_name``
        itself (``None`` for a new instance, the key name for a named one), and so does compat."""
        return self.is_saved() or self._key or self._key_name

    def parent(self):
        """The parent entity (fetched once), or None."""
        if self._parent is None:
            parent_key = self.parent_key()
            if parent_key is not None:
                from compat.db.batch import get

                self._parent = get(parent_key)
        return self._parent

    def parent_key(self):
        """The parent's Key without fetching it, or None."""
        if self._parent_key is not None:
            return self._parent_key
        if self._parent is not None:
            return self._parent.key()
        if self._entity is not None and self._entity.key is not None:
            parent = self._entity.key.parent
            return None if parent is None else Key._from_ds(parent)
        if self._key is not None:
            return self._key.parent()
        return None

    # -- storage -----------------------------------------------------------------------

    def _to_entity(self, entity):
        """Copy the legacy values of every declared property into ``entity`` (a dict works too)."""
        for prop in self._property_list:
            _set_legacy_value(self, entity, prop.name, prop.get_value_for_datastore(self))

    def _populate_entity(self):
        """The storage entity for this instance (the loaded one, updated, or a new one)."""
        entity = self._entity
        if entity is None:
            entity = _DsEntity(key=self._ds_key_for_put())
        else:
            entity = _copy_entity(entity)
        exclude = entity.exclude_from_indexes
        meanings = entity._meanings
        for prop in self._property_list:
            name = prop.name
            value = prop.get_value_for_datastore(self)
            _store(entity, exclude, meanings, name, value, prop)
        self._write_dynamic(entity)
        loaded = self._entity
        for trigger, props, always in self._entity_hooks:  # inline: every put passes here
            for prop in (props if loaded is not None and trigger in loaded else always):
                prop._store_to_entity(self, loaded, entity)
        return entity

    def _store_entity_hooks(self, entity):
        """Let properties with an entity trigger finish ``entity`` (see ``_collect_entity_hooks``)."""
        loaded = self._entity
        for trigger, props, always in self._entity_hooks:
            for prop in (props if loaded is not None and trigger in loaded else always):
                prop._store_to_entity(self, loaded, entity)

    def _write_dynamic(self, entity):
        """Hook for Expando: write dynamic properties."""

    def _prepare_put(self):
        """Build the entity to store and apply auto-updated values (auto_now ...)."""
        entity = self._populate_entity()
        exclude = entity.exclude_from_indexes
        meanings = entity._meanings
        updated = False
        for prop in self._property_list:
            new_value = prop.get_updated_value_for_datastore(self)
            if new_value is not AUTO_UPDATE_UNCHANGED:
                _store(entity, exclude, meanings, prop.name, new_value, prop)
                self.__dict__[prop._attr] = prop.make_value_from_datastore(new_value)
                updated = True
        if updated and self._entity_hooks:
            self._store_entity_hooks(entity)
        return entity

    def _saved(self, entity, ds_key):
        """Record a successful put: the entity (with its completed key) becomes ours."""
        if ds_key is not None and (entity.key is None or len(entity.key.flat_path) % 2 or entity.key != ds_key):
            entity.key = ds_key
        self._entity = entity
        self._key = None
        self._key_name = None

    def put(self, **kwargs):
        """Write this instance; return its Key. Validation errors are raised before any RPC."""
        from compat.db import batch

        return batch.put(self, **kwargs)

    save = put

    def delete(self, **kwargs):
        """Delete this entity; the instance becomes unsaved but keeps its key."""
        from compat.db import batch

        key = self.key()
        batch.delete(key, **kwargs)
        self._key = key
        self._key_name = None
        self._parent_key = key.parent()
        self._entity = None

    def dynamic_properties(self):
        """Names of the instance's dynamic properties ([] for a plain Model)."""
        return []

    def instance_properties(self):
        """Alias of dynamic_properties()."""
        return self.dynamic_properties()

    def to_xml(self):
        """Not supported: legacy's Atom/GData XML export has no equivalent."""
        raise NotImplementedError("Model.to_xml() is not supported by compat.db")

    # -- class API ---------------------------------------------------------------------

    @classmethod
    def kind(cls):
        """The datastore kind: the class name unless overridden."""
        return cls.__name__

    @classmethod
    def entity_type(cls):
        """Deprecated alias of kind()."""
        return cls.kind()

    @classmethod
    def properties(cls):
        """A dict of attribute name -> Property (a copy)."""
        return dict(cls._properties)

    @classmethod
    def fields(cls):
        """Deprecated alias of properties()."""
        return cls.properties()

    @classmethod
    def get(cls, keys, **kwargs):
        """Fetch one or many by key (Key, encoded string or list); KindError for another kind."""
        from compat.db.batch import get

        results = get(keys, **kwargs)
        if results is None:
            return None
        for instance in (results if isinstance(results, list) else [results]):
            if instance is not None and not isinstance(instance, cls):
                raise KindError("Kind %r is not a subclass of kind %r" % (instance.kind(), cls.kind()))
        return results

    @classmethod
    def get_by_key_name(cls, key_names, parent=None, **kwargs):
        """Fetch by key name (one or a list), with an optional parent entity or key."""
        from compat.db.batch import get

        try:
            parent = _as_key(parent)
        except BadKeyError as error:
            raise BadArgumentError(str(error))
        multiple = isinstance(key_names, (list, tuple))
        names = list(key_names) if multiple else [key_names]
        for name in names:
            if not isinstance(name, str):
                raise BadArgumentError("Expected an instance or iterable of (<class 'str'>,); received %r (a %s)."
                                       % (name, type(name).__name__))
        keys = [Key.from_path(cls.kind(), name, parent=parent) for name in names]
        return get(keys, **kwargs) if multiple else get(keys[0], **kwargs)

    @classmethod
    def get_by_id(cls, ids, parent=None, **kwargs):
        """Fetch by numeric id (one or a list), with an optional parent entity or key."""
        from compat.db.batch import get

        parent = _as_key(parent)
        multiple = isinstance(ids, (list, tuple))
        values = list(ids) if multiple else [ids]
        for value in values:
            if isinstance(value, bool) or not isinstance(value, int):
                raise BadArgumentError("Expected an instance or iterable of (<class 'int'>,); received %r (a %s)."
                                       % (value, type(value).__name__))
        keys = [Key.from_path(cls.kind(), value, parent=parent) for value in values]
        return get(keys, **kwargs) if multiple else get(keys[0], **kwargs)

    @classmethod
    def get_or_insert(cls, key_name, **kwds):
        """Get the entity with this key name (and ``parent=``), creating it in a transaction if missing."""
        from compat.db.transactions import run_in_transaction

        def txn():
            entity = cls.get_by_key_name(key_name, parent=kwds.get("parent"))
            if entity is None:
                entity = cls(key_name=key_name, **kwds)
                entity.put()
            return entity

        return run_in_transaction(txn)

    @classmethod
    def all(cls, **kwds):
        """A Query over all entities of this model (``keys_only=`` etc.)."""
        from compat.db.query import Query

        return Query(cls, **kwds)

    @classmethod
    def gql(cls, query_string, *args, **kwds):
        """A GqlQuery: ``query_string`` is the part after ``SELECT * FROM <kind>``."""
        from compat.db.query import GqlQuery

        return GqlQuery._for_model(cls, query_string, args, kwds)

    @classmethod
    def _load_entity_values(cls, entity):
        """Stored name -> instance value for every declared property present in ``entity``."""
        values = {}
        meanings = entity._meanings
        exclude = entity.exclude_from_indexes
        projection = getattr(entity, "_compat_projection", None)
        by_stored_name = cls._by_stored_name
        for name, stored in entity.items():
            prop = by_stored_name.get(name)
            if prop is None:
                continue
            meaning = meanings.get(name)
            meaning = meaning[0] if meaning else None
            if meaning == _values.MEANING_ZLIB:
                stored, meaning = _values.decompress(stored), None
            value = _values.from_datastore(stored, meaning, _values.excluded(entity, name, exclude))
            if projection is not None:
                values[name] = prop.make_value_from_datastore_index_value(value)
            else:
                values[name] = prop.make_value_from_datastore(value)
        if projection is None:
            for trigger, props, _ in cls._entity_hooks:
                if trigger in entity:
                    for prop in props:
                        prop._load_from_entity(entity, values)
        return values

    @classmethod
    def from_entity(cls, entity):
        """An instance for a ``google.cloud.datastore.Entity`` of this kind."""
        ds_key = entity.key
        if ds_key is not None and cls.kind() != ds_kind(ds_key):
            raise KindError("Class %s cannot handle kind '%s'" % (repr(cls), ds_kind(ds_key)))
        values = cls._load_entity_values(entity)
        if ds_key is not None and len(ds_key.flat_path) % 2 == 0:
            values["key"] = Key._from_ds(ds_key)
        return cls(None, _from_entity=entity, **values)

    def __repr__(self):
        try:
            key = repr(self.key())
        except NotSavedError:
            key = "unsaved"
        return "<%s %s>" % (type(self).__name__, key)


def _as_key(value):
    """Legacy ``_coerce_to_key``: Model -> key(), string -> Key, Key/None unchanged."""
    if value is None or isinstance(value, Key):
        return value
    if isinstance(value, Model):
        return value.key()
    if isinstance(value, str):
        return Key(value)
    if hasattr(value, "_key") and isinstance(value._key, _DsKey):
        return Key.from_ndb(value)
    raise BadArgumentError("Expected a Model, Key or key string; received %r (a %s)." % (value, type(value).__name__))


def _copy_entity(entity):
    """A shallow copy of a stored entity with its own meanings and index flags."""
    copy = _DsEntity(key=entity.key, exclude_from_indexes=tuple(entity.exclude_from_indexes))
    copy.update(entity)
    copy._meanings = dict(entity._meanings)
    flags = _values.item_flags(entity)
    if flags:
        copy._compat_item_excludes = dict(flags)
    projection = getattr(entity, "_compat_projection", None)
    if projection is not None:
        copy._compat_projection = projection
    return copy


def _set_legacy_value(model, target, name, value):
    """Legacy ``__set_property``: an empty list removes the property unless write_empty_list."""
    if value == [] and isinstance(value, list):
        prop = model._by_stored_name.get(name)
        if prop is not None and isinstance(prop, ListProperty) and prop._write_empty_list:
            target[name] = value
        else:
            target.pop(name, None)
    else:
        target[name] = value


def _store(entity, exclude, meanings, name, value, prop):
    """Write one declared property's legacy value into a storage entity."""
    if isinstance(value, list) and not value and not prop._write_empty_list:
        entity.pop(name, None)
        meanings.pop(name, None)
        _values.set_index_flags(entity, name, False)
        return
    encode = getattr(prop, "_encode", None)
    stored, meaning, raw = encode(value) if encode is not None else _values.to_datastore(value)
    entity[name] = stored
    if meaning is None:
        meanings.pop(name, None)
    else:
        meanings[name] = (meaning, stored)
    if raw is True or not prop.indexed:
        exclude.add(name)
    elif raw is False:
        exclude.discard(name)
    else:  # a list mixing indexed and unindexed items
        _values.set_index_flags(entity, name, raw, prop.indexed)
        return
    if entity.__dict__.get("_compat_item_excludes"):
        _values.set_index_flags(entity, name, raw, prop.indexed)


_MODEL_ATTRIBUTES = frozenset(dir(Model))
