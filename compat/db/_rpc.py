"""The datastore calls compat.db makes: the one module that touches google-cloud-ndb's internals.

Two ways to the datastore, with the same results:

* **direct**: a synchronous get, put, delete or query batch outside any
  transaction, in a context without a global cache and with no ndb batch
  pending, is one blocking gRPC call with raw protobuf messages on the
  client's own channel (its interceptors, e.g. the read-only guard's,
  included), retried on transient errors as ndb retries them. No event
  loop, no tasklet, no proto-plus wrapper: this is what keeps the shim near
  the wire limit (see docs/performance.md);
* **through ndb** (``google.cloud.ndb._datastore_api``) for everything else:
  asynchronous calls are batched by ndb's event loop, writes inside a
  transaction join ndb's commit batch, ndb's global cache is honoured.

Entities travel as ``google.cloud.datastore.Entity`` objects built by compat
itself (legacy meanings and index flags), encoded by ``_protobuf``.

Every write first asks the read-only guard (``compat.capabilities.guard``),
and reports its outcome to it.
"""

import itertools
import time
import weakref

import grpc
from google.api_core import exceptions as _core_exceptions
from google.api_core import gapic_v1 as _gapic_v1
from google.api_core import retry as _core_retry
from google.cloud.datastore_v1.types import datastore as _datastore_pb2
from google.cloud.datastore_v1.types import entity as _entity_types
from google.cloud.ndb import _batch, _cache, _datastore_api, _options, _retry, tasklets
from google.cloud.ndb import context as _ndb_context
from google.cloud.ndb import key as _ndb_key

from compat import _context
from compat.capabilities import guard
from compat.db import _protobuf
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


def put(entity, options):
    """A future for the completed ``google.cloud.datastore.Key`` of ``entity``."""
    if getattr(entity, "_compat_item_excludes", None):
        return _put_with_item_flags(entity, options)
    return _datastore_api.put(entity, options)


def entity_to_pb(entity):
    """The v1 ``Entity`` protobuf (proto-plus) of ``entity``, with per-item index flags of mixed lists."""
    return _entity_types.Entity.wrap(_protobuf.entity_to_pb(entity))


@tasklets.tasklet
def _put_with_item_flags(entity, options):
    """``_datastore_api.put`` for an entity google-cloud-datastore cannot encode by itself.

    Same commit batches (transactional or not) as ndb's own put; the entity's
    global-cache entry, if ndb has one, is dropped after the write.
    """
    context = _ndb_context.get_context()
    entity_pb = _protobuf.entity_to_pb(entity)
    if context.transaction:
        batch = _datastore_api._get_commit_batch(context.transaction, options)
    else:
        batch = _batch.get_batch(_datastore_api._NonTransactionalCommitBatch, options)
    key_pb = yield batch.put(entity_pb)
    key = _protobuf.key_from_pb(key_pb) if key_pb else None
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
    """A ``google.cloud.datastore.Entity`` for a lookup or query result protobuf (see ``_protobuf``)."""
    return _protobuf.entity_from_pb(entity_pb)


# -- direct calls ----------------------------------------------------------------------

_RAW = {
    # ndb's name: (gRPC method, request class, response class), raw protobuf classes
    "lookup": ("Lookup", _datastore_pb2.LookupRequest.pb(), _datastore_pb2.LookupResponse.pb()),
    "commit": ("Commit", _datastore_pb2.CommitRequest.pb(), _datastore_pb2.CommitResponse.pb()),
    "run_query": ("RunQuery", _datastore_pb2.RunQueryRequest.pb(), _datastore_pb2.RunQueryResponse.pb()),
    "begin_transaction": ("BeginTransaction", _datastore_pb2.BeginTransactionRequest.pb(),
                          _datastore_pb2.BeginTransactionResponse.pb()),
    "rollback": ("Rollback", _datastore_pb2.RollbackRequest.pb(), _datastore_pb2.RollbackResponse.pb()),
}
LookupRequest = _RAW["lookup"][1]
CommitRequest = _RAW["commit"][1]
RunQueryRequest = _RAW["run_query"][1]
_NON_TRANSACTIONAL = _datastore_pb2.CommitRequest.Mode.NON_TRANSACTIONAL
_EVENTUAL = _datastore_pb2.ReadOptions.ReadConsistency.EVENTUAL
DEFAULT_RETRIES = _retry._DEFAULT_RETRIES
_methods_by_stub = weakref.WeakKeyDictionary()


def direct_client():
    """The ndb client for a direct call now, or None when the call must go through ndb.

    Direct when the context the call would run in (the caller's, or compat's
    implicit one) has no transaction, no global cache and no ndb batch
    waiting to be sent (which a direct call would overtake).
    """
    context = _context.current_or_implicit()
    if (context.transaction is not None or context.global_cache is not None or context.batches
            or context.commit_batches):
        return None
    return context.client


class _Methods:
    """Raw-protobuf callables for the Datastore methods, on the channel of one ndb client's stub."""

    def __init__(self, client):
        channel = client.stub.grpc_channel
        for name, (method, request, response) in _RAW.items():
            setattr(self, name, channel.unary_unary("/google.datastore.v1.Datastore/" + method,
                                                    request_serializer=request.SerializeToString,
                                                    response_deserializer=response.FromString))
        routing = {"project_id": client.project}
        database = getattr(client, "database", None)
        if database:
            routing["database_id"] = database
        self.metadata = (_gapic_v1.routing_header.to_grpc_metadata(routing),)


def _methods(client):
    stub = client.stub
    methods = _methods_by_stub.get(stub)
    if methods is None:
        methods = _methods_by_stub[stub] = _Methods(client)
    return methods


def call(client, name, request, timeout=None, retries=DEFAULT_RETRIES):
    """Send ``request`` (a raw protobuf) now and return the raw response; transient errors retried like ndb.

    Errors come as ``google.api_core`` exceptions; a transient error that
    outlives the retries as ``RetryError`` (its cause the last error), as ndb
    raises them.
    """
    methods = _methods(client)
    method = getattr(methods, name)
    if not retries:
        try:
            return method(request, timeout=timeout, metadata=methods.metadata)
        except grpc.RpcError as error:
            raise _core_exceptions.from_grpc_error(error) from None
    delays = _core_retry.exponential_sleep_generator(_retry._DEFAULT_INITIAL_DELAY, _retry._DEFAULT_MAXIMUM_DELAY,
                                                     _retry._DEFAULT_DELAY_MULTIPLIER)
    for delay in itertools.islice(delays, retries + 1):
        try:
            return method(request, timeout=timeout, metadata=methods.metadata)
        except grpc.RpcError as rpc_error:
            error = _core_exceptions.from_grpc_error(rpc_error)
        if not _retry.is_transient_error(error):
            raise error
        time.sleep(delay)
    raise _core_exceptions.RetryError(
        "Maximum number of {} retries exceeded while calling {}".format(retries, name), cause=error)


def _timeout(config):
    return None if config is None else config.deadline


def lookup_now(client, ds_keys, config=None):
    """The entity protobuf of each key (NOT_FOUND where missing), in order, by direct Lookup calls."""
    request = LookupRequest(project_id=client.project, database_id=getattr(client, "database", None) or "")
    if config is not None and config.read_policy == EVENTUAL_CONSISTENCY:
        request.read_options.read_consistency = _EVENTUAL
    pending = {}
    order = []
    for ds_key in ds_keys:
        key_pb = _protobuf.key_to_pb(ds_key, request.keys.add())
        serialized = key_pb.SerializeToString()
        order.append(serialized)
        pending[serialized] = None
    found = {}
    timeout = _timeout(config)
    while True:
        response = call(client, "lookup", request, timeout)
        for result in response.found:
            found[result.entity.key.SerializeToString()] = result.entity
        if not response.deferred:
            break
        del request.keys[:]
        request.keys.extend(response.deferred)  # the datastore asks for these again (ndb does the same)
    return [found.get(serialized, NOT_FOUND) for serialized in order]


def commit_now(client, entities=(), delete_keys=(), config=None):
    """Write ``entities`` and delete ``delete_keys`` in one non-transactional Commit; the completed key per entity.

    A key is None where the datastore reports none (the entity's key was complete).
    """
    request = CommitRequest(project_id=client.project, database_id=getattr(client, "database", None) or "",
                            mode=_NON_TRANSACTIONAL)
    mutations = request.mutations
    for entity in entities:
        _protobuf.entity_to_pb(entity, mutations.add().upsert)
    for ds_key in delete_keys:
        _protobuf.key_to_pb(ds_key, mutations.add().delete)
    response = call(client, "commit", request, _timeout(config))
    keys = []
    for result in response.mutation_results[:len(entities)]:
        keys.append(_protobuf.key_from_pb(result.key) if result.key.path else None)
    return keys


def check_write():
    """Raise CapabilityDisabledError before any RPC while writes are disabled."""
    guard.check_write()


def record_write_result(error=None):
    """Report a write's outcome to the read-only breaker."""
    guard.record_write_result(error)
