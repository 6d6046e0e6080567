"""Model instances <-> stored entities: what a put writes and what a get builds.

The one place that turns a model instance into the
``google.cloud.datastore.Entity`` (and protobuf) it is stored as, and a
stored entity back into an instance. ``batch``, the query results and
``db.model_to_protobuf`` / ``model_from_protobuf`` go through here; nothing
else touches an instance's storage state.

Behaviour reproduced from legacy ``db``:

* every declared property is written with its legacy value type, meaning
  and index flag (see ``_values``); an empty list is not written unless the
  property says ``write_empty_list``;
* an entity loaded from the datastore keeps every stored property it does
  not declare, with its meaning and index flag, and writes it back unchanged;
* auto-updated values (``auto_now`` ...) are applied at put, validation
  errors are raised before any RPC;
* a projection result cannot be written back (BadRequestError).

The hooks a model class may override (Expando and PolyModel do):
``_write_dynamic(entity)``, ``_to_entity(target)``,
``_load_entity_values(entity)`` and ``from_entity(entity)``.
"""

from google.cloud.datastore.entity import Entity as _DsEntity
from google.cloud.datastore.key import Key as _DsKey
from google.cloud.datastore_v1.types import entity as _entity_pb2

from compat.db import _protobuf, _rpc, _values
from compat.db._kinds import class_for_kind, is_model, root_class
from compat.db.errors import BadArgumentError, BadRequestError, KindError
from compat.db.keys import Key, coerce_key, ds_kind, is_ndb_key, project_of
from compat.db.properties.base import AUTO_UPDATE_UNCHANGED
from compat.db.properties.lists import ListProperty


# -- keys ------------------------------------------------------------------------------


def as_key(value):
    """Legacy ``_coerce_to_key``: Model -> key(), string -> Key, Key/None unchanged."""
    if value is None or isinstance(value, Key):
        return value
    if is_model(value):
        return value.key()
    if isinstance(value, str):
        return Key(value)
    if is_ndb_key(value):
        return Key.from_ndb(value)
    raise BadArgumentError("Expected a Model, Key or key string; received %r (a %s)." % (value, type(value).__name__))


def key_of(value, argument):
    """The Key of a model instance, or of a Key / encoded string / ndb.Key (``coerce_key``)."""
    return as_key(value) if is_model(value) else coerce_key(value, argument)


def ds_key_for_put(model):
    """The datastore key ``model`` is written under (partial for a new entity without a key name)."""
    entity = model._entity
    if entity is not None and entity.key is not None:
        return entity.key
    if model._key is not None:
        return model._key._ds
    if model._key_name:
        return model.key()._ds
    parent = model.parent_key()
    path = list(parent._ds.flat_path) if parent is not None else []
    path.append(model.kind())
    project = parent._ds.project if parent is not None else project_of(model._app)
    return _DsKey(*path, project=project, namespace=model._namespace or None)


# -- writing ---------------------------------------------------------------------------


def is_projection(model):
    """True when the instance came from a projection query (only some properties are set)."""
    return model._projection is not None


def check_writable(model):
    """BadRequestError for a projection result: writing it back would drop every other property (legacy)."""
    if model._projection is not None:
        raise BadRequestError("Cannot put a partial entity (from a projection query): %r" % (model,))


def populate_entity(model):
    """The storage entity for ``model`` (the loaded one, updated, or a new one)."""
    entity = model._entity
    if entity is None:
        entity = _DsEntity(key=ds_key_for_put(model))
    else:
        entity = _copy_entity(entity)
    exclude = entity.exclude_from_indexes
    meanings = entity._meanings
    for prop in model._property_list:
        name = prop.name
        value = prop.get_value_for_datastore(model)
        _store(entity, exclude, meanings, name, value, prop)
    model._write_dynamic(entity)
    loaded = model._entity
    for trigger, props, always in model._entity_hooks:  # inline: every put passes here
        for prop in (props if loaded is not None and trigger in loaded else always):
            prop._store_to_entity(model, loaded, entity)
    return entity


def _store_entity_hooks(model, entity):
    """Let properties with an entity trigger finish ``entity`` (see ``_kinds._collect_entity_hooks``)."""
    loaded = model._entity
    for trigger, props, always in model._entity_hooks:
        for prop in (props if loaded is not None and trigger in loaded else always):
            prop._store_to_entity(model, loaded, entity)


def entity_for_put(model):
    """The entity a put of ``model`` writes, auto-updated values (auto_now ...) applied to both."""
    entity = populate_entity(model)
    exclude = entity.exclude_from_indexes
    meanings = entity._meanings
    updated = False
    for prop in model._property_list:
        new_value = prop.get_updated_value_for_datastore(model)
        if new_value is not AUTO_UPDATE_UNCHANGED:
            _store(entity, exclude, meanings, prop.name, new_value, prop)
            model.__dict__[prop._attr] = prop.make_value_from_datastore(new_value)
            updated = True
    if updated and model._entity_hooks:
        _store_entity_hooks(model, entity)
    return entity


def mark_saved(model, entity, ds_key):
    """Record a successful put: the entity (with its completed key) becomes the instance's."""
    if ds_key is not None and (entity.key is None or len(entity.key.flat_path) % 2 or entity.key != ds_key):
        entity.key = ds_key
    model._entity = entity
    model._key = None
    model._key_name = None


def entity_pb(model):
    """The Cloud Datastore v1 ``Entity`` protobuf ``model`` is stored as (``db.model_to_protobuf``)."""
    return _rpc.entity_to_pb(populate_entity(model))


def to_dict(model, dictionary):
    """The instance's stored values by stored name, into ``dictionary`` (``db.to_dict``)."""
    model._to_entity(dictionary)
    return dictionary


def set_legacy_value(model, target, name, value):
    """Legacy ``__set_property``: an empty list removes the property unless write_empty_list."""
    if value == [] and isinstance(value, list):
        prop = model._by_stored_name.get(name)
        if prop is not None and isinstance(prop, ListProperty) and prop._write_empty_list:
            target[name] = value
        else:
            target.pop(name, None)
    else:
        target[name] = value


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


# -- reading ---------------------------------------------------------------------------


def load_declared_values(model_class, entity):
    """Stored name -> instance value for every declared property present in ``entity``."""
    values = {}
    meanings = entity._meanings
    exclude = entity.exclude_from_indexes
    projection = getattr(entity, "_compat_projection", None)
    by_stored_name = model_class._by_stored_name
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
        for trigger, props, _ in model_class._entity_hooks:
            if trigger in entity:
                for prop in props:
                    prop._load_from_entity(entity, values)
    return values


def from_entity(model_class, entity):
    """An instance of ``model_class`` for a ``google.cloud.datastore.Entity`` of its kind."""
    ds_key = entity.key
    if ds_key is not None and model_class.kind() != ds_kind(ds_key):
        raise KindError("Class %s cannot handle kind '%s'" % (repr(model_class), ds_kind(ds_key)))
    values = model_class._load_entity_values(entity)
    if ds_key is not None and len(ds_key.flat_path) % 2 == 0:
        values["key"] = Key._from_ds(ds_key)
    return model_class(None, _from_entity=entity, **values)


def model_for_entity(entity):
    """The instance of the class registered for the entity's kind."""
    return class_for_kind(ds_kind(entity.key)).from_entity(entity)


class LoadedProtobuf:
    """What a plain model loaded from the datastore keeps: the entity protobuf it came in, and its key.

    ``Model._entity`` decodes it (:func:`decode_loaded`) the first time an
    entity is needed; reads that only use the values never pay for that
    decoding, and the ``google.cloud.datastore.Key`` is built the first time
    something asks for it (``key()``, a put, a reference).
    """

    __slots__ = ("entity_pb", "_key")

    def __init__(self, entity_pb, key=None):
        self.entity_pb = entity_pb
        self._key = key

    @property
    def key(self):
        """The ``google.cloud.datastore.Key`` of the entity (built on first use)."""
        key = self._key
        if key is None:
            key = self._key = _protobuf.key_from_pb(self.entity_pb.key)
        return key

    @property
    def namespace(self):
        """The key's namespace ("" for the default one), read without building the key."""
        return self.entity_pb.key.partition_id.namespace_id


def decode_loaded(loaded):
    """The ``google.cloud.datastore.Entity`` of a :class:`LoadedProtobuf` (the same one a slow load stores)."""
    entity = _rpc.entity_from_pb(loaded.entity_pb)
    entity.key = loaded.key
    return entity


def model_from_pb(entity_pb):
    """The instance for an entity protobuf (a lookup or query result, or serialized bytes)."""
    if isinstance(entity_pb, (bytes, bytearray)):
        entity_pb = _entity_pb2.Entity.deserialize(bytes(entity_pb))
    entity_pb = getattr(entity_pb, "_pb", entity_pb)
    if not entity_pb.HasField("key") or not entity_pb.key.path:
        return model_for_entity(_rpc.entity_from_pb(entity_pb))
    return from_pb(class_for_kind(entity_pb.key.path[-1].kind), entity_pb)


_PLAIN_LOAD: dict = {}  # model class -> (its load is Model's own, it keeps Model's constructor)


def _plain_load(model_class):
    plain = _PLAIN_LOAD.get(model_class)
    if plain is None:
        root = root_class()
        plain = _PLAIN_LOAD[model_class] = (
            model_class.from_entity.__func__ is root.from_entity.__func__
            and model_class._load_entity_values.__func__ is root._load_entity_values.__func__,
            model_class.__init__ is root.__init__ and model_class.__new__ is root.__new__)
    return plain


def _loads_directly(model_class, entity_pb):
    """True when loading this protobuf is the plain load: no Expando, no PolyModel, no entity hook to run.

    A property with an entity trigger (compat.tz's migration marker) only
    acts on entities that hold the trigger property.
    """
    plain = _plain_load(model_class)
    if not plain[0] or model_class._has_dynamic_properties:
        return False
    for trigger, _, _ in model_class._entity_hooks:
        if trigger in entity_pb.properties:
            return False
    return True


def from_pb(model_class, entity_pb, ds_key=None):
    """An instance of ``model_class`` for an entity protobuf of its kind (``from_entity`` of its entity).

    Plain models read their declared values straight from the protobuf and
    keep it (see :class:`LoadedProtobuf`); the others get the decoded entity.
    """
    entity_pb = getattr(entity_pb, "_pb", entity_pb)
    path = entity_pb.key.path
    if not path or not _loads_directly(model_class, entity_pb):
        return model_class.from_entity(_rpc.entity_from_pb(entity_pb))
    last = path[-1]  # the kind and id of a key are those of its last path element
    if model_class.kind() != last.kind:
        raise KindError("Class %s cannot handle kind '%s'" % (repr(model_class), last.kind))
    values = {}
    stored = entity_pb.properties
    for prop in model_class._property_list:
        name = prop.name
        if name not in stored:
            continue
        value_pb = stored[name]
        value = _protobuf.plain_value(value_pb)  # a value without meaning: what from_datastore would give
        if value is _protobuf.NOT_PLAIN:
            value, meaning, excluded = _protobuf.read_value(value_pb)
            if meaning == _values.MEANING_ZLIB:
                value, meaning = _values.decompress(value), None
            value = _values.from_datastore(value, meaning, excluded)
        values[name] = prop.make_value_from_datastore(value)
    stored = LoadedProtobuf(entity_pb, ds_key)
    complete = bool(last.id or last.name)
    if complete and _plain_load(model_class)[1]:
        instance = model_class.__new__(model_class)
        instance._init_loaded(stored, values)
        return instance
    if complete:
        values["key"] = Key._from_ds(stored.key)
    return model_class(None, _from_entity=stored, **values)


def fresh_copy(model):
    """Another instance of the entity ``model`` was loaded from (what a second get would give)."""
    return type(model).from_entity(model._entity)
