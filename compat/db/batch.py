"""Module-level legacy calls: ``db.get / put / delete`` (one or a list), their ``_async`` forms,
``allocate_ids``, ``allocate_id_range``, ``to_dict`` and ``get_indexes``.

As in legacy: a single argument gives a single result, a list gives a list
in the same order (None for a missing key); ``put`` validates every model
before the first RPC, so a bad value writes nothing; a batch of puts or
deletes outside a transaction goes to the datastore as one commit.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, NoReturn, Optional, Union, overload

from google.cloud import ndb
from google.cloud.datastore.key import Key as _DsKey

from compat import _context
from compat.db import _limits, _mapper, _rpc, config as _config
from compat.db._async import AsyncResult, call_now
from compat.db._kinds import is_model, is_model_class
from compat.db.errors import ArgumentTypeError, BadArgumentError, BadKeyError, BadRequestError
from compat.db.keys import Key, Keyed, KeyLike, KeyOrEntity, check_entity_key, check_rpc_key, coerce_key

KEY_RANGE_EMPTY = "Empty"
KEY_RANGE_CONTENTION = "Contention"
KEY_RANGE_COLLISION = "Collision"


def normalize_and_type_check(arg: Any, accepts: Callable[[Any], bool], what: str) -> tuple[list[Any], bool]:
    """``(items, multiple)`` as legacy's ``datastore.NormalizeAndTypeCheck``: one value ``accepts(value)``
    approves, or any iterable of them (a string is not an iterable here); BadArgumentError otherwise."""
    if accepts(arg):
        return [arg], False
    if isinstance(arg, str):
        raise BadArgumentError("Expected an instance or iterable of %s; received %r (a %s)."
                               % (what, arg, type(arg).__name__))
    try:
        items = list(arg)
    except TypeError:
        raise BadArgumentError("Expected an instance or iterable of %s; received %r (a %s)."
                               % (what, arg, type(arg).__name__))
    for item in items:
        if not accepts(item):
            raise BadArgumentError("Expected an instance or iterable of %s; received %r (a %s)."
                                   % (what, item, type(item).__name__))
    return items, True


def _is_key_argument(value):
    return isinstance(value, (str, Key, ndb.Key))


def _complete_key(value):
    """Legacy ``_GetCompleteKeyOrError``: a Key for a Key or key string; BadKeyError if incomplete."""
    key = value if isinstance(value, Key) else coerce_key(value, "keys")
    if not key.has_id_or_name():
        raise BadKeyError("Key %r is not complete." % (key,))
    return key


def _normalize_keys(keys):
    """Legacy ``NormalizeAndTypeCheckKeys``: Keys or key strings (an ndb.Key too: a compat extension)."""
    items, multiple = normalize_and_type_check(keys, _is_key_argument, "Key or key string")
    return [_complete_key(item) for item in items], multiple


def get_async(keys: Union[KeyLike, Iterable[KeyLike]], **kwargs: Any) -> AsyncResult:
    """Start fetching one key or a list; ``get_result()`` gives instances (None where missing).

    A key no entity can have (a path over 100 elements, a name over 1500
    bytes) gives None without an RPC, as legacy did.
    """
    return _get_async(*_prepare_get(keys, kwargs))


def _get_async(config, keys, multiple):
    with _context.ensure() as context:
        possible = _possible_keys(context, keys, config)
        options = _rpc.read_options(config)
        futures = [_rpc.lookup(key._ds, options) if ok else _rpc.no_lookup() for key, ok in zip(keys, possible)]
    return AsyncResult(futures, lambda results: _models_for(results, multiple), context, config=config)


@overload
def get(keys: KeyLike, **kwargs: Any) -> Any: ...
@overload
def get(keys: Iterable[KeyLike], **kwargs: Any) -> list[Any]: ...
def get(keys: Union[KeyLike, Iterable[KeyLike]], **kwargs: Any) -> Any:
    """Fetch one key (instance or None) or a list of keys (list in the same order)."""
    config, keys, multiple = _prepare_get(keys, kwargs)
    direct = _direct(_rpc.reader, config)
    if direct is None:
        return _get_async(config, keys, multiple).get_result()
    client, transaction = direct
    possible = _possible_keys(_context.current_or_implicit(), keys, config)
    wanted = [key._ds for key, ok in zip(keys, possible) if ok]
    found = iter(call_now(lambda: _rpc.lookup_now(client, wanted, config, transaction)) if wanted else ())
    return _models_for([next(found) if ok else _rpc.NOT_FOUND for ok in possible], multiple)


def _prepare_get(keys: Any, kwargs: dict[str, Any]) -> tuple[Optional[_config.Configuration], list[Key], bool]:
    """``(config, keys, multiple)``, every key checked before any RPC."""
    config = _config.from_kwargs(kwargs)
    keys, multiple = _normalize_keys(keys)
    for key in keys:
        check_rpc_key(key)
    return config, keys, multiple


def _possible_keys(context, keys, config):
    """Whether each key can exist (no RPC for one that cannot); its entity group counted in a transaction."""
    if context.transaction is not None and config is not None and config.read_policy == _config.EVENTUAL_CONSISTENCY:
        raise BadRequestError("Eventually consistent reads are not allowed in a transaction.")
    possible = [_limits.key_can_exist(key._ds) for key in keys]
    _limits.touch_groups(context, [key._ds for key, ok in zip(keys, possible) if ok])
    return possible


def _models_for(entity_pbs, multiple):
    models = [None if pb is _rpc.NOT_FOUND else _mapper.model_from_pb(pb) for pb in entity_pbs]
    return models if multiple else models[0]


def _direct(route, config):
    """``route()`` (``_rpc.reader`` / ``_rpc.writer``) for a synchronous call sent at once, or None."""
    if config is not None and config.on_completion is not None:
        return None  # the callback receives the rpc object: the asynchronous path makes one
    return route()


def put_async(models: Union[Keyed, Iterable[Keyed]], **kwargs: Any) -> AsyncResult:
    """Start storing one instance or a list; ``get_result()`` gives the key(s).

    As in legacy: every model is validated, and every entity checked against
    the 1 MiB limit (RequestTooLargeError), before any RPC; two models of the
    list with the same key are written once, the last one winning.
    """
    return _put_async(*_prepare_put(models, kwargs))


def _put_async(config, models, multiple, entities, sent):
    with _context.ensure() as context:
        _limits.touch_groups(context, [entities[index].key for index in sent])
        options = _rpc.write_options(config)
        futures = [_rpc.put(entities[index], options) for index in sent]
        _rpc.forget_cached(context, [entities[index].key for index in sent])
    return AsyncResult(futures, lambda sent_keys: _saved(models, entities, sent, sent_keys, multiple), context,
                       is_write=True, config=config)


def _prepare_put(models, kwargs):
    """``(config, models, multiple, entities, sent)``: every check and validation error before any RPC."""
    config = _config.from_kwargs(kwargs)
    models, multiple = normalize_and_type_check(models, is_model, "Model")
    for model in models:
        _mapper.check_writable(model)
        if model._key is not None:
            check_rpc_key(model._key)
    entities = [_mapper.entity_for_put(model) for model in models]
    for entity in entities:
        check_entity_key(entity.key)
        _limits.check_entity_size(entity, _rpc.entity_to_pb)
    sent = _last_of_each_key(entities)
    _rpc.check_write()
    return config, models, multiple, entities, sent


def _saved(models, entities, sent, sent_keys, multiple):
    """Record each model as saved (with its completed key); the keys, as put returns them."""
    by_key = {}
    for index, ds_key in zip(sent, sent_keys):
        key = entities[index].key
        by_key[key if key is not None and not key.is_partial else index] = ds_key
    keys = []
    for index, (model, entity) in enumerate(zip(models, entities)):
        key = entity.key
        _mapper.mark_saved(model, entity, by_key.get(key if key is not None and not key.is_partial else index))
        keys.append(model.key())
    return keys if multiple else keys[0]


def _last_of_each_key(entities):
    """Indexes of the entities to send: one per complete key (the last), every incomplete one."""
    if len(entities) < 2:
        return list(range(len(entities)))
    last = {}
    for index, entity in enumerate(entities):
        key = entity.key
        if key is not None and not key.is_partial:
            last[key] = index
    return [index for index, entity in enumerate(entities)
            if entity.key is None or entity.key.is_partial or last[entity.key] == index]


@overload
def put(models: Keyed, **kwargs: Any) -> Key: ...
@overload
def put(models: Iterable[Keyed], **kwargs: Any) -> list[Key]: ...
def put(models: Union[Keyed, Iterable[Keyed]], **kwargs: Any) -> Union[Key, list[Key]]:
    """Store one instance (returns its Key) or a list (returns the keys in order)."""
    config, models, multiple, entities, sent = _prepare_put(models, kwargs)
    direct = _direct(_rpc.writer, config)
    if direct is None:
        return _put_async(config, models, multiple, entities, sent).get_result()
    client, transaction = direct
    context = _context.current_or_implicit()
    _limits.touch_groups(context, [entities[index].key for index in sent])
    written = [entities[index] for index in sent]
    sent_keys = call_now(lambda: _rpc.commit_now(client, written, config=config, transaction=transaction),
                         is_write=transaction is None)
    _rpc.forget_cached(context, [entity.key for entity in written])
    return _saved(models, entities, sent, sent_keys, multiple)


save = put


def delete_async(models: Union[KeyOrEntity, Iterable[KeyOrEntity]], **kwargs: Any) -> AsyncResult:
    """Start deleting instances, keys or key strings (one or an iterable).

    As in legacy: a key given twice is deleted once, and a key no entity can
    have (a path over 100 elements, a name over 1500 bytes) needs no RPC.
    """
    return _delete_async(*_prepare_delete(models, kwargs))


def _delete_async(config, unique):
    with _context.ensure() as context:
        _limits.touch_groups(context, unique)
        options = _rpc.write_options(config)
        futures = [_rpc.delete(ds_key, options) for ds_key in unique]
        _rpc.forget_cached(context, unique)
    return AsyncResult(futures, lambda _results: None, context, is_write=True, config=config)


def _prepare_delete(models, kwargs):
    """``(config, datastore keys to delete)``, checked before any RPC."""
    config = _config.from_kwargs(kwargs)
    if isinstance(models, (str, Key)) or is_model(models):
        models = [models]
    else:
        try:
            models = list(models)
        except TypeError:
            models = [models]
    keys, _ = _normalize_keys([_mapper.as_key(value) for value in models])
    for key in keys:
        check_rpc_key(key)
    unique = list(dict.fromkeys(key._ds for key in keys if _limits.key_can_exist(key._ds)))
    _rpc.check_write()
    return config, unique


def delete(models: Union[KeyOrEntity, Iterable[KeyOrEntity]], **kwargs: Any) -> None:
    """Delete instances, keys or key strings (one or an iterable)."""
    config, unique = _prepare_delete(models, kwargs)
    direct = _direct(_rpc.writer, config)
    if direct is None:
        _delete_async(config, unique).get_result()
        return
    client, transaction = direct
    context = _context.current_or_implicit()
    _limits.touch_groups(context, unique)
    if unique:
        call_now(lambda: _rpc.commit_now(client, delete_keys=unique, config=config, transaction=transaction),
                 is_write=transaction is None)
    _rpc.forget_cached(context, unique)


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


def allocate_ids_async(model: KeyOrEntity, size: Optional[int], **kwargs: Any) -> AsyncResult:
    """Start reserving ``size`` consecutive ids; ``get_result()`` gives ``(start, end)``, inclusive."""
    config = _config.from_kwargs(kwargs)
    key = _template_key(model)
    if size is None:  # legacy allocated nothing and answered the empty range (1, 0)
        return AsyncResult.done_with((1, 0))
    if isinstance(size, bool):
        raise ArgumentTypeError("Allocation size: expected an int, got bool (%r)" % (size,))
    if not isinstance(size, int) or size < 1:
        raise BadArgumentError("Allocation size must be a positive integer; received %r" % (size,))
    if size > _MAX_ALLOCATION:
        raise BadArgumentError("Cannot allocate more than %d ids at a time" % _MAX_ALLOCATION)

    with _context.ensure() as context:
        first = _rpc.allocate([_partial(key)], _rpc.write_options(config))

    def finish(values: list[Any]) -> tuple[int, int]:
        start = values[0][0].path[-1].id  # ndb's allocate gives entity_pb2.Key protobufs
        end = start + size - 1
        if size > 1:
            with context.use() if _context.current() is not context else _nullcontext():
                _reserve(key, start + 1, end, _config.rpc_timeout(config)).result()
        return (start, end)

    return AsyncResult([first], finish, context, config=config)


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def allocate_ids(model: KeyOrEntity, size: Optional[int], **kwargs: Any) -> tuple[int, int]:
    """Reserve ``size`` consecutive ids for ``model``'s kind and parent; return ``(start, end)``.

    Cloud Datastore allocates scattered ids, so compat allocates one id and
    reserves the ones after it (ReserveIds): the range is contiguous and no
    automatic id will fall inside it, as with legacy.
    """
    return allocate_ids_async(model, size, **kwargs).get_result()


def allocate_id_range(model: KeyOrEntity, start: int, end: int, **kwargs: Any) -> str:
    """Reserve ids ``start..end``; return KEY_RANGE_EMPTY, or KEY_RANGE_COLLISION if an entity already uses one.

    KEY_RANGE_CONTENTION cannot be detected on Cloud Datastore (ids are not
    allocated sequentially) and is never returned.
    """
    config = _config.from_kwargs(kwargs)
    key = _template_key(model)
    for value in (start, end):
        if isinstance(value, bool):
            raise ArgumentTypeError("Expected integer start and end, not a bool (%r)" % (value,))
        if not isinstance(value, int):
            raise BadArgumentError("Expected integer start and end; received %r" % (value,))
    if start < 1 or end < 1:
        raise BadArgumentError("Start %d and end %d must both be > 0." % (start, end))
    if start > end:
        raise BadArgumentError("Range end %d cannot be less than start %d." % (end, start))
    with _context.ensure():
        _reserve(key, start, end, _config.rpc_timeout(config)).result()
        parent = key.parent()
        start_key = Key.from_path(key.kind(), start, parent=parent, namespace=key.namespace())
        end_key = Key.from_path(key.kind(), end, parent=parent, namespace=key.namespace())
        query = ndb.Query(kind=key.kind(), namespace=key.namespace() or None,
                          ancestor=parent.to_ndb() if parent is not None else None,
                          filters=ndb.AND(ndb.FilterNode("__key__", ">=", start_key._ds),
                                          ndb.FilterNode("__key__", "<=", end_key._ds)))
        collision = query.fetch(1, keys_only=True)
    return KEY_RANGE_COLLISION if collision else KEY_RANGE_EMPTY


def to_dict(model_instance: Keyed, dictionary: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The instance's stored values by stored name (legacy ``db.to_dict``; no key)."""
    return _mapper.to_dict(model_instance, {} if dictionary is None else dictionary)


def get_indexes(**kwargs: Any) -> NoReturn:
    """Not available: index definitions live in index.yaml / the Cloud console (gcloud datastore indexes)."""
    raise BadRequestError(
        "db.get_indexes() is not available on Cloud Datastore; list indexes with "
        "`gcloud datastore indexes list` or the Datastore Admin API."
    )


def get_indexes_async(**kwargs: Any) -> NoReturn:
    """See get_indexes()."""
    get_indexes(**kwargs)
