"""Module-level legacy calls: ``db.get / put / delete`` (one or a list), their ``_async`` forms,
``allocate_ids``, ``allocate_id_range``, ``to_dict`` and ``get_indexes``.

As in legacy: a single argument gives a single result, a list gives a list
in the same order (None for a missing key); ``put`` validates every model
before the first RPC, so a bad value writes nothing; a batch of puts or
deletes outside a transaction goes to the datastore as one commit.
"""

from google.cloud import ndb
from google.cloud.datastore.key import Key as _DsKey

from compat import _context
from compat.db import _mapper, _rpc, config as _config
from compat.db._async import AsyncResult, call_now
from compat.db._kinds import is_model, is_model_class
from compat.db.errors import BadArgumentError, BadKeyError, BadRequestError
from compat.db.keys import Key, coerce_key

KEY_RANGE_EMPTY = "Empty"
KEY_RANGE_CONTENTION = "Contention"
KEY_RANGE_COLLISION = "Collision"


def _normalize_models(values):
    multiple = isinstance(values, (list, tuple))
    items = list(values) if multiple else [values]
    for item in items:
        if not is_model(item):
            raise BadArgumentError("Expected an instance or iterable of Model; received %r (a %s)."
                                   % (item, type(item).__name__))
    return items, multiple


def _normalize_keys(keys):
    multiple = isinstance(keys, (list, tuple))
    items = list(keys) if multiple else [keys]
    result = []
    for item in items:
        key = coerce_key(item, "keys")
        if key is None:
            raise BadArgumentError("Expected a Key or key string; received None")
        if not key.has_id_or_name():
            raise BadKeyError("Cannot use an incomplete key: %r" % (key,))
        result.append(key)
    return result, multiple


def get_async(keys, **kwargs):
    """Start fetching one key or a list; ``get_result()`` gives instances (None where missing)."""
    config = _config.from_kwargs(kwargs)
    keys, multiple = _normalize_keys(keys)
    return _get_async(keys, multiple, config)


def _check_consistency(transaction, config):
    if transaction is not None and config is not None and config.read_policy == _config.EVENTUAL_CONSISTENCY:
        raise BadRequestError("Eventually consistent reads are not allowed in a transaction.")


def _get_async(keys, multiple, config):
    with _context.ensure() as context:
        _check_consistency(context.transaction, config)
        options = _rpc.read_options(config)
        futures = [_rpc.lookup(key._ds, options) for key in keys]
    return AsyncResult(futures, lambda results: _models_for(results, multiple), context, config=config)


def _models_for(entity_pbs, multiple):
    models = [None if pb is _rpc.NOT_FOUND else _mapper.model_from_pb(pb) for pb in entity_pbs]
    return models if multiple else models[0]


def get(keys, **kwargs):
    """Fetch one key (instance or None) or a list of keys (list in the same order)."""
    config = _config.from_kwargs(kwargs)
    keys, multiple = _normalize_keys(keys)
    direct = _direct(_rpc.reader, config)
    if direct is None:
        return _get_async(keys, multiple, config).get_result()
    client, transaction = direct
    _check_consistency(transaction, config)
    entity_pbs = call_now(lambda: _rpc.lookup_now(client, [key._ds for key in keys], config, transaction))
    return _models_for(entity_pbs, multiple)


def _direct(route, config):
    """``route()`` (``_rpc.reader`` / ``_rpc.writer``) for a synchronous call sent at once, or None."""
    if config is not None and config.on_completion is not None:
        return None  # the callback receives the rpc object: the asynchronous path makes one
    return route()


def _prepare_put(models, kwargs):
    """``(config, models, multiple, entities)``: every check and validation error before any RPC."""
    config = _config.from_kwargs(kwargs)
    models, multiple = _normalize_models(models)
    for model in models:
        _mapper.check_writable(model)
    entities = [_mapper.entity_for_put(model) for model in models]
    _rpc.check_write()
    return config, models, multiple, entities


def _saved(models, entities, ds_keys, multiple):
    keys = []
    for model, entity, ds_key in zip(models, entities, ds_keys):
        _mapper.mark_saved(model, entity, ds_key)
        keys.append(model.key())
    return keys if multiple else keys[0]


def put_async(models, **kwargs):
    """Start storing one instance or a list; ``get_result()`` gives the key(s)."""
    config, models, multiple, entities = _prepare_put(models, kwargs)
    return _put_async(config, models, multiple, entities)


def _put_async(config, models, multiple, entities):
    with _context.ensure() as context:
        options = _rpc.write_options(config)
        futures = [_rpc.put(entity, options) for entity in entities]
        _rpc.forget_cached(context, [entity.key for entity in entities])
    return AsyncResult(futures, lambda ds_keys: _saved(models, entities, ds_keys, multiple), context, is_write=True,
                       config=config)


def put(models, **kwargs):
    """Store one instance (returns its Key) or a list (returns the keys in order)."""
    config, models, multiple, entities = _prepare_put(models, kwargs)
    direct = _direct(_rpc.writer, config)
    if direct is None:
        return _put_async(config, models, multiple, entities).get_result()
    client, transaction = direct
    ds_keys = call_now(lambda: _rpc.commit_now(client, entities, config=config, transaction=transaction),
                       is_write=transaction is None)
    _rpc.forget_cached(_context.current_or_implicit(), [entity.key for entity in entities])
    return _saved(models, entities, ds_keys, multiple)


save = put


def _delete_keys(models, kwargs):
    """``(config, keys)`` for delete's argument, checked before any RPC."""
    config = _config.from_kwargs(kwargs)
    if isinstance(models, (str, bytes, Key)) or is_model(models) or not hasattr(models, "__iter__"):
        models = [models]
    keys = []
    for value in models:
        key = _mapper.key_of(value, "models")
        if key is None or not key.has_id_or_name():
            raise BadKeyError("Cannot delete an entity without a complete key: %r" % (value,))
        keys.append(key)
    _rpc.check_write()
    return config, keys


def delete_async(models, **kwargs):
    """Start deleting instances, keys or key strings (one or an iterable)."""
    config, keys = _delete_keys(models, kwargs)
    return _delete_async(config, keys)


def _delete_async(config, keys):
    with _context.ensure() as context:
        options = _rpc.write_options(config)
        futures = [_rpc.delete(key._ds, options) for key in keys]
        _rpc.forget_cached(context, [key._ds for key in keys])
    return AsyncResult(futures, lambda _results: None, context, is_write=True, config=config)


def delete(models, **kwargs):
    """Delete instances, keys or key strings (one or an iterable)."""
    config, keys = _delete_keys(models, kwargs)
    direct = _direct(_rpc.writer, config)
    if direct is None:
        _delete_async(config, keys).get_result()
        return
    client, transaction = direct
    call_now(lambda: _rpc.commit_now(client, delete_keys=[key._ds for key in keys], config=config,
                                     transaction=transaction), is_write=transaction is None)
    _rpc.forget_cached(_context.current_or_implicit(), [key._ds for key in keys])


def _template_key(model):
    if is_model_class(model):
        raise BadArgumentError("allocate_ids needs a model instance, Key or key string, not a class")
    key = _mapper.key_of(model, "model")
    if key is None:
        raise BadArgumentError("allocate_ids needs a model instance, Key or key string")
    return key


def _partial(key):
    parent = key.parent()
    path = (list(parent._ds.flat_path) if parent is not None else []) + [key.kind()]
    return _DsKey(*path, project=key._ds.project, namespace=key._ds.namespace)


def _reserve(key, start, end, deadline=None):
    """ReserveIds for ids start..end of ``key``'s kind and parent."""
    parent = key.parent()
    keys = []
    for ident in range(start, end + 1):
        path = (list(parent._ds.flat_path) if parent is not None else []) + [key.kind(), ident]
        keys.append(_DsKey(*path, project=key._ds.project, namespace=key._ds.namespace).to_protobuf()._pb)
    return _rpc.reserve_ids(key._ds.project, keys, deadline)


_MAX_ALLOCATION = 1000


def allocate_ids_async(model, size, **kwargs):
    """Start reserving ``size`` consecutive ids; ``get_result()`` gives ``(start, end)``, inclusive."""
    config = _config.from_kwargs(kwargs)
    key = _template_key(model)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise BadArgumentError("Allocation size must be a positive integer; received %r" % (size,))
    if size > _MAX_ALLOCATION:
        raise BadArgumentError("Cannot allocate more than %d ids at a time" % _MAX_ALLOCATION)

    with _context.ensure() as context:
        first = _rpc.allocate([_partial(key)], _rpc.write_options(config))

    def finish(values):
        start = values[0][0].path[-1].id  # ndb's allocate gives entity_pb2.Key protobufs
        end = start + size - 1
        if size > 1:
            with context.use() if _context.current() is not context else _nullcontext():
                _reserve(key, start + 1, end, config and config.deadline).result()
        return (start, end)

    return AsyncResult([first], finish, context, config=config)


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def allocate_ids(model, size, **kwargs):
    """Reserve ``size`` consecutive ids for ``model``'s kind and parent; return ``(start, end)``.

    Cloud Datastore allocates scattered ids, so compat allocates one id and
    reserves the ones after it (ReserveIds): the range is contiguous and no
    automatic id will fall inside it, as with legacy.
    """
    return allocate_ids_async(model, size, **kwargs).get_result()


def allocate_id_range(model, start, end, **kwargs):
    """Reserve ids ``start..end``; return KEY_RANGE_EMPTY, or KEY_RANGE_COLLISION if an entity already uses one.

    KEY_RANGE_CONTENTION cannot be detected on Cloud Datastore (ids are not
    allocated sequentially) and is never returned.
    """
    config = _config.from_kwargs(kwargs)
    key = _template_key(model)
    for value in (start, end):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadArgumentError("Expected integer start and end; received %r" % (value,))
    if start < 1 or end < 1:
        raise BadArgumentError("Start %d and end %d must both be > 0." % (start, end))
    if start > end:
        raise BadArgumentError("Range end %d cannot be less than start %d." % (end, start))
    with _context.ensure():
        _reserve(key, start, end, config and config.deadline).result()
        parent = key.parent()
        start_key = Key.from_path(key.kind(), start, parent=parent, namespace=key.namespace())
        end_key = Key.from_path(key.kind(), end, parent=parent, namespace=key.namespace())
        query = ndb.Query(kind=key.kind(), namespace=key.namespace() or None,
                          ancestor=parent.to_ndb() if parent is not None else None,
                          filters=ndb.AND(ndb.FilterNode("__key__", ">=", start_key._ds),
                                          ndb.FilterNode("__key__", "<=", end_key._ds)))
        collision = query.fetch(1, keys_only=True)
    return KEY_RANGE_COLLISION if collision else KEY_RANGE_EMPTY


def to_dict(model_instance, dictionary=None):
    """The instance's stored values by stored name (legacy ``db.to_dict``; no key)."""
    return _mapper.to_dict(model_instance, {} if dictionary is None else dictionary)


def get_indexes(**kwargs):
    """Not available: index definitions live in index.yaml / the Cloud console (gcloud datastore indexes)."""
    raise BadRequestError(
        "db.get_indexes() is not available on Cloud Datastore; list indexes with "
        "`gcloud datastore indexes list` or the Datastore Admin API."
    )


def get_indexes_async(**kwargs):
    """See get_indexes()."""
    return get_indexes(**kwargs)
