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

import concurrent.futures
import itertools
import threading
import time
import weakref

import grpc
from google.api_core import exceptions as _core_exceptions
from google.api_core import gapic_v1 as _gapic_v1
from google.api_core import retry as _core_retry
from google.cloud.datastore_v1.types import datastore as _datastore_pb2
from google.cloud.datastore_v1.types import entity as _entity_types
from google.cloud.ndb import _batch, _cache, _datastore_api, _datastore_query, _options, _retry, tasklets
from google.cloud.ndb import _transaction as _ndb_transaction
from google.cloud.ndb import context as _ndb_context
from google.cloud.ndb import key as _ndb_key

from compat import _context
from compat.capabilities import guard
from compat.db import _protobuf
from compat.db.config import EVENTUAL_CONSISTENCY, rpc_timeout

NOT_FOUND = _datastore_api._NOT_FOUND
EVENTUAL = _datastore_pb2.ReadOptions.ReadConsistency.EVENTUAL


def read_options(config):
    """ndb ReadOptions for a legacy Configuration (timeout, eventual consistency)."""
    if config is None:
        return _options.ReadOptions()
    kwargs = {}
    if config.deadline is not None:
        kwargs["timeout"] = rpc_timeout(config)
    if config.read_policy == EVENTUAL_CONSISTENCY:
        kwargs["read_consistency"] = EVENTUAL
    return _options.ReadOptions(**kwargs)


def write_options(config):
    """ndb Options for a legacy Configuration (timeout)."""
    if config is None or config.deadline is None:
        return _options.Options()
    return _options.Options(timeout=rpc_timeout(config))


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


def ds_key_of(ndb_key):
    """The ``google.cloud.datastore.Key`` inside a ``google.cloud.ndb.Key``."""
    return ndb_key._key


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
    "allocate_ids": ("AllocateIds", _datastore_pb2.AllocateIdsRequest.pb(), _datastore_pb2.AllocateIdsResponse.pb()),
}
LookupRequest = _RAW["lookup"][1]
CommitRequest = _RAW["commit"][1]
RunQueryRequest = _RAW["run_query"][1]
_BeginTransactionRequest = _RAW["begin_transaction"][1]
_RollbackRequest = _RAW["rollback"][1]
_AllocateIdsRequest = _RAW["allocate_ids"][1]
_NON_TRANSACTIONAL = _datastore_pb2.CommitRequest.Mode.NON_TRANSACTIONAL
_TRANSACTIONAL = _datastore_pb2.CommitRequest.Mode.TRANSACTIONAL
DEFAULT_RETRIES = _retry._DEFAULT_RETRIES
_methods_by_stub: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def reader():
    """``(client, transaction id or None)`` for a direct read now, or None when it must go through ndb.

    Direct unless ndb has a batch waiting to be sent in the context the call
    would run in (the caller's, or compat's implicit one), or the read could
    be served by ndb's global cache (outside a transaction).
    """
    context = _context.current_or_implicit()
    if context.batches or (context.transaction is None and context.global_cache is not None):
        return None
    return context.client, context.transaction


def writer():
    """``(client, compat transaction or None)`` for a direct write now, or None when it must go through ndb.

    Outside a transaction: as :func:`reader`. Inside one: direct only in a
    transaction compat runs (:func:`run_transaction`), whose writes are
    buffered and sent with its commit; writes in an ndb transaction join
    ndb's commit batch.
    """
    context = _context.current_or_implicit()
    if context.batches:
        return None
    if context.transaction is None:
        return None if context.global_cache is not None else (context.client, None)
    transaction = _running.get(context.transaction)
    return None if transaction is None else (context.client, transaction)


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
        except grpc.RpcError as rpc_error:
            raise _core_exceptions.from_grpc_error(rpc_error) from None
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
    return rpc_timeout(config)


def _database(client):
    return getattr(client, "database", None) or ""


def lookup_now(client, ds_keys, config=None, transaction=None):
    """The entity protobuf of each key (NOT_FOUND where missing), in order, by direct Lookup calls."""
    request = LookupRequest(project_id=client.project, database_id=_database(client))
    if transaction is not None:
        request.read_options.transaction = transaction
    elif config is not None and config.read_policy == EVENTUAL_CONSISTENCY:
        request.read_options.read_consistency = EVENTUAL
    order = [_protobuf.key_to_pb(ds_key, request.keys.add()).SerializeToString() for ds_key in ds_keys]
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


def commit_now(client, entities=(), delete_keys=(), config=None, transaction=None):
    """Write ``entities`` and delete ``delete_keys``; the completed key per entity (None where it was complete).

    Outside a transaction: one non-transactional Commit now. In a compat
    transaction: added to its commit (entities without an id get one from
    AllocateIds first, as ndb does, so their keys are complete at once).
    """
    if transaction is not None:
        return transaction.add(entities, delete_keys, _timeout(config))
    request = CommitRequest(project_id=client.project, database_id=_database(client), mode=_NON_TRANSACTIONAL)
    mutations = request.mutations
    for entity in entities:
        _protobuf.entity_to_pb(entity, mutations.add().upsert)
    for ds_key in delete_keys:
        _protobuf.key_to_pb(ds_key, mutations.add().delete)
    response = call(client, "commit", request, _timeout(config))
    return [_protobuf.key_from_pb(result.key) if result.key.path else None
            for result in response.mutation_results[:len(entities)]]


# -- transactions ----------------------------------------------------------------------

_running: dict = {}  # transaction id -> _Transaction, for the transactions compat runs


class _Transaction:
    """A transaction compat runs: its writes, buffered until its one Commit."""

    def __init__(self, client, transaction_id):
        self.client = client
        self.id = transaction_id
        self.request = CommitRequest(project_id=client.project, database_id=_database(client), mode=_TRANSACTIONAL,
                                     transaction=transaction_id)

    def add(self, entities, delete_keys, timeout):
        partial = [entity for entity in entities if entity.key.is_partial]
        allocated = {}
        if partial:
            request = _AllocateIdsRequest(project_id=self.client.project, database_id=_database(self.client))
            for entity in partial:
                _protobuf.key_to_pb(entity.key, request.keys.add())
            response = call(self.client, "allocate_ids", request, timeout)
            for entity, key_pb in zip(partial, response.keys):
                allocated[id(entity)] = entity.key = _protobuf.key_from_pb(key_pb)
        mutations = self.request.mutations
        for entity in entities:
            _protobuf.entity_to_pb(entity, mutations.add().upsert)
        for ds_key in delete_keys:
            _protobuf.key_to_pb(ds_key, mutations.add().delete)
        return [allocated.get(id(entity)) for entity in entities]

    def hand_to_ndb(self, ndb_batch):
        """ndb code wrote in this transaction too: let ndb's commit batch carry compat's writes as well."""
        for mutation in self.request.mutations:
            if mutation.HasField("upsert"):
                ndb_batch.put(_entity_types.Entity.wrap(mutation.upsert))
            else:
                ndb_batch.delete(_entity_types.Key.wrap(mutation.delete))
        del self.request.mutations[:]


def run_transaction(callback, read_only=False):
    """``callback()`` in a new transaction, committed by compat with direct calls; the callback's result.

    What google-cloud-ndb's ``transaction(callback, retries=0, join=False)``
    does, without its event loop: BeginTransaction, the callback in a new
    context carrying the transaction (so ndb code inside shares it), one
    Commit (Rollback if the callback raises), then the ``call_on_commit``
    callbacks. Falls back to ndb's own when ndb has work waiting in the
    current context.
    """
    context = _ndb_context.get_context()
    if context.batches:
        return _ndb_transaction.transaction(callback, retries=0, read_only=read_only, join=False)
    client = context.client
    begin = _BeginTransactionRequest(project_id=client.project, database_id=_database(client))
    if read_only:
        begin.transaction_options.read_only.SetInParent()
    else:
        begin.transaction_options.read_write.SetInParent()
    transaction_id = call(client, "begin_transaction", begin, retries=0).transaction
    on_commit, on_complete = [], []
    tx_context = context.new(transaction=transaction_id, on_commit_callbacks=on_commit,
                             transaction_complete_callbacks=on_complete, batches=None, commit_batches=None,
                             cache=None, eventloop=type(context.eventloop)())
    transaction = _running[transaction_id] = _Transaction(client, transaction_id)
    try:
        with tx_context.use():
            try:
                result = callback()
                if isinstance(result, tasklets.Future):
                    result = result.result()
                tx_context.eventloop.run()
                ndb_batch = tx_context.commit_batches.get(transaction_id)
                if ndb_batch is not None:
                    transaction.hand_to_ndb(ndb_batch)
                    _datastore_api.prepare_to_commit(transaction_id)
                    tx_context.eventloop.run()
                    _datastore_api.commit(transaction_id, retries=0).result()
                else:
                    call(client, "commit", transaction.request, retries=0)
            except Exception:
                tx_context.cache.clear()
                call(client, "rollback", _RollbackRequest(project_id=client.project, database_id=_database(client),
                                                          transaction=transaction_id))
                raise
            for function in on_commit:
                function()
    finally:
        del _running[transaction_id]
        for function in on_complete:
            function()
    return result


def query_request(options, end_cursor=None):
    """The raw ``RunQueryRequest`` for ndb ``QueryOptions`` (built once; each batch sets cursor, limit, offset).

    The read options (transaction, consistency) are the ones ``options``
    captured when they were built, in the context the query was started in.
    """
    request = RunQueryRequest(project_id=options.project, database_id=options.database or "")
    partition = request.partition_id
    partition.project_id = options.project
    if options.database:
        partition.database_id = options.database
    if options.namespace:
        partition.namespace_id = options.namespace
    request.query.CopyFrom(_datastore_query._query_to_protobuf(options)._pb)
    request.read_options.CopyFrom(_datastore_api.get_read_options(options)._pb)
    if end_cursor:
        request.query.end_cursor = end_cursor
    return request


def set_query_batch(request, start_cursor, limit, offset):
    """Point a ``query_request`` at the next batch: start cursor, limit (None: the server's) and offset."""
    query = request.query
    if start_cursor:
        query.start_cursor = start_cursor
    else:
        query.ClearField("start_cursor")
    if limit is None:
        query.ClearField("limit")
    else:
        query.limit.value = limit
    query.offset = offset or 0


def run_query_now(client, request, timeout=None):
    """The raw ``RunQueryResponse`` for ``request``, by a direct call."""
    return call(client, "run_query", request, timeout)


def run_query_later(client, request, timeout=None):
    """Send ``request`` from a background thread; ``.result()`` waits for the response (retried like ``call``).

    The request is copied, so the caller may change it for the batch after.
    A small pool of threads kept for the process does the waiting: gRPC's own
    futures start a polling thread per call, which costs milliseconds on a
    busy machine.
    """
    copy = type(request)()
    copy.CopyFrom(request)
    return _background().submit(call, client, "run_query", copy, timeout)


_pool = None
_pool_lock = threading.Lock()


def _background():
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="compat-prefetch")
    return _pool


def check_write():
    """Raise CapabilityDisabledError before any RPC while writes are disabled."""
    guard.check_write()


def record_write_result(error=None):
    """Report a write's outcome to the read-only breaker."""
    guard.record_write_result(error)
