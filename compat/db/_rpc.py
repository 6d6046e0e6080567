"""The datastore calls compat.db makes, over google-cloud-ndb's own RPC machinery.

Gets, puts, deletes and id allocation go through ``google.cloud.ndb._datastore_api``,
so they are batched by ndb's event loop, join the current ndb transaction,
honour ndb's global cache, and retry transient errors like ndb does. Entities
travel as ``google.cloud.datastore.Entity`` objects built by compat itself,
which is what lets compat write legacy meanings and index flags.

Every write first asks the read-only guard (``compat.capabilities.guard``),
and reports its outcome to it.
"""

from google.cloud.datastore import helpers as _helpers
from google.cloud.datastore_v1.types import datastore as _datastore_pb2
from google.cloud.ndb import _batch, _cache, _datastore_api, _options, tasklets
from google.cloud.ndb import context as _ndb_context
from google.cloud.ndb import key as _ndb_key

from compat.capabilities import guard
from compat.db.config import EVENTUAL_CONSISTENCY

NOT_FOUND = _datastore_api._NOT_FOUND


def read_options(config):
    """ndb ReadOptions for a legacy Configuration (timeout, eventual consistency)."""
    if config is None:
        return _options.ReadOptions()
    kwargs = {}
    if config.deadline is not None:
        kwargs["timeout"] = config.deadline
    if config.read_policy == EVENTUAL_CONSISTENCY:
        kwargs["read_consistency"] = _datastore_api.EVENTUAL
    return _options.ReadOptions(**kwargs)


def write_options(config):
    """ndb Options for a legacy Configuration (timeout)."""
    if config is None or config.deadline is None:
        return _options.Options()
    return _options.Options(timeout=config.deadline)


def lookup(ds_key, options):
    """A future for the entity protobuf of ``ds_key`` (or NOT_FOUND)."""
    return _datastore_api.lookup(ds_key, options)


def no_lookup():
    """A finished lookup future answering "not found", for a key that needs no RPC."""
    future = tasklets.Future()
    future.set_result(NOT_FOUND)
    return future


def put(entity, options):
    """A future for the completed ``google.cloud.datastore.Key`` of ``entity``."""
    if getattr(entity, "_compat_item_excludes", None):
        return _put_with_item_flags(entity, options)
    return _datastore_api.put(entity, options)


def entity_to_pb(entity):
    """The v1 protobuf of ``entity``, with per-item index flags of mixed lists (legacy's layout)."""
    entity_pb = _helpers.entity_to_protobuf(entity)
    flags = getattr(entity, "_compat_item_excludes", None)
    if flags:
        properties = entity_pb._pb.properties
        for name, item_flags in flags.items():
            if name in properties:
                for value_pb, flag in zip(properties[name].array_value.values, item_flags):
                    value_pb.exclude_from_indexes = flag
    return entity_pb


@tasklets.tasklet
def _put_with_item_flags(entity, options):
    """``_datastore_api.put`` for an entity google-cloud-datastore cannot encode by itself.

    Same commit batches (transactional or not) as ndb's own put; the entity's
    global-cache entry, if ndb has one, is dropped after the write.
    """
    context = _ndb_context.get_context()
    entity_pb = entity_to_pb(entity)
    if context.transaction:
        batch = _datastore_api._get_commit_batch(context.transaction, options)
    else:
        batch = _batch.get_batch(_datastore_api._NonTransactionalCommitBatch, options)
    key_pb = yield batch.put(entity_pb)
    key = _helpers.key_from_protobuf(key_pb) if key_pb else None
    cache_key_source = key or entity.key
    if (cache_key_source is not None and not cache_key_source.is_partial
            and context._use_global_cache(cache_key_source, options)):
        yield _cache.global_delete(_cache.global_cache_key(cache_key_source))
    raise tasklets.Return(key)


def reserve_ids(project, key_pbs, timeout=None):
    """A future for a ReserveIds call: no automatic id will be allocated for these complete keys."""
    request = _datastore_pb2.ReserveIdsRequest(project_id=project, keys=key_pbs)
    return _datastore_api.make_call("reserve_ids", request, timeout=timeout)


def ndb_key(ds_key):
    """The ``google.cloud.ndb.Key`` for a ``google.cloud.datastore.Key`` (lossless)."""
    return _ndb_key.Key._from_ds_key(ds_key)


def forget_cached(context, ds_keys):
    """Drop these keys from an ndb context cache, so ndb code sharing it does not read stale entities."""
    cache = getattr(context, "cache", None)
    if not cache:
        return
    for ds_key in ds_keys:
        if ds_key is not None and len(ds_key.flat_path) % 2 == 0:
            cache.pop(ndb_key(ds_key), None)


def delete(ds_key, options):
    """A future that completes when ``ds_key`` is deleted."""
    return _datastore_api.delete(ds_key, options)


def allocate(ds_keys, options):
    """A future for completed keys allocated for the partial ``ds_keys``."""
    return _datastore_api.allocate(ds_keys, options)


def entity_from_pb(entity_pb):
    """A ``google.cloud.datastore.Entity`` for a lookup or query result protobuf.

    Legacy wrote lists whose items disagree on the index flag (Text/Blob items
    unindexed, the others indexed); google-cloud-datastore refuses to decode
    them, so such entities are decoded here with their per-item flags kept in
    ``entity._compat_item_excludes`` (and written back the same way).
    """
    try:
        return _helpers.entity_from_protobuf(entity_pb)
    except ValueError:
        return _entity_from_pb_with_mixed_lists(entity_pb)


def _entity_from_pb_with_mixed_lists(entity_pb):
    raw_pb = getattr(entity_pb, "_pb", entity_pb)
    copy = type(raw_pb)()
    copy.CopyFrom(raw_pb)
    flags = _unify_item_flags(copy)
    entity = _helpers.entity_from_protobuf(copy)
    if flags:
        entity._compat_item_excludes = flags
    return entity


def _unify_item_flags(entity_pb):
    """Mark every item of each mixed list excluded; return the original flags per property.

    Embedded entities are unified too (their original per-item flags are not
    kept: only ndb writes embedded entities, and it cannot read such lists either).
    """
    flags = {}
    for name, value_pb in entity_pb.properties.items():
        if value_pb.WhichOneof("value_type") == "array_value":
            items = value_pb.array_value.values
            item_flags = tuple(item.exclude_from_indexes for item in items)
            if len(set(item_flags)) > 1:
                flags[name] = item_flags
                for item in items:
                    item.exclude_from_indexes = True
            for item in items:
                if item.WhichOneof("value_type") == "entity_value":
                    _unify_item_flags(item.entity_value)
        elif value_pb.WhichOneof("value_type") == "entity_value":
            _unify_item_flags(value_pb.entity_value)
    return flags


def check_write():
    """Raise CapabilityDisabledError before any RPC while writes are disabled."""
    guard.check_write()


def record_write_result(error=None):
    """Report a write's outcome to the read-only breaker."""
    guard.record_write_result(error)
