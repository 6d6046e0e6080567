"""Running queries: results streamed batch by batch, merged sub-queries, counts.

:class:`BatchStream` runs one datastore query with google-cloud-ndb's
``RunQuery`` call and yields raw ``EntityResult`` protobufs, holding only the
current batch in memory (iterating 20,000 entities keeps memory flat). It
follows legacy's iterator semantics:

* ``limit`` / ``offset`` as legacy applied them, ``batch_size`` (results per
  RPC) and ``prefetch_size`` (results in the first RPC) honoured;
* ``position`` is the cursor just after the last result handed out (after
  the last one skipped by an offset, or at the end once exhausted), which is
  what ``query.cursor()`` returns;
* each later batch runs in the ndb context the stream was created in (a copy
  with its own event loop when another context is current), so it works
  whether or not the caller has an ndb context, inside the transaction it was
  started in, and never inside a transaction it was not started in;
* the emulator never reports ``NO_MORE_RESULTS`` (python-ndb #119): a batch
  cut by its own limit only leads to another RPC when that limit was our
  batch size and the batch was full.

:class:`MergedStream` merges the datastore queries an ``IN`` / ``!=`` filter
expands to, like legacy's ``MultiQuery``: the sub-queries' next results are
merged by the sort orders, ties (and queries without orders) by key,
duplicates removed (by key; by key and values
for projections), offset and limit applied in memory.

:func:`count` counts like legacy ``Query.Count``: keys-only RPCs with
``limit=0`` and an ``offset``, reading only ``skipped_results``.
"""

import datetime
import heapq

from google.cloud.datastore import helpers as _helpers
from google.cloud.datastore.entity import Entity
from google.cloud.datastore.helpers import GeoPoint
from google.cloud.datastore.key import Key
from google.cloud.datastore_v1.types import datastore as _datastore_pb2
from google.cloud.datastore_v1.types import entity as _entity_pb2
from google.cloud.datastore_v1.types import query as _query_pb2
from google.cloud.ndb import _datastore_api, _datastore_query, _eventloop

from compat import _context
from compat.db import errors
from compat.db.errors import BadArgumentError
from compat.db.query.cursors import Cursor

_NOT_FINISHED = _query_pb2.QueryResultBatch.MoreResultsType.NOT_FINISHED
_MORE_RESULTS_AFTER_LIMIT = _query_pb2.QueryResultBatch.MoreResultsType.MORE_RESULTS_AFTER_LIMIT
_MAX_INT_32 = 2 ** 31 - 1


class _InContext:
    """Calls made in the ndb context a stream was created in."""

    def __init__(self, context):
        self.context = context

    def run_query(self, options, query_pb=None, **changes):
        """The raw ``RunQueryResponse`` for ``options`` with ``changes`` (or an explicit query protobuf).

        The options are copied inside the context too: ndb's ``ReadOptions``
        takes the transaction of the context current when it is built.
        """
        try:
            if _context.current() is self.context:
                return self._run(options, query_pb, changes)
            # Another context is current: its caller may be in the middle of running our context's
            # event loop (a transaction started from it, say), which must not be re-entered. A copy
            # of our context (same client, namespace and transaction) with a loop of its own is safe.
            scratch = self.context.new(eventloop=_eventloop.EventLoop(), batches=None, commit_batches=None,
                                       cache=None)
            with scratch.use():
                return self._run(options, query_pb, changes)
        except Exception as error:
            errors.reraise(error)

    @staticmethod
    def _run(options, query_pb, changes):
        if changes:
            options = options.copy(**changes)
        return _run_query(options, query_pb).result()._pb


def _run_query(options, query_pb=None):
    """ndb's ``_datastore_run_query``, optionally with a query protobuf we built (for ``limit=0``)."""
    if query_pb is None:
        return _datastore_query._datastore_run_query(options)
    partition_id = _entity_pb2.PartitionId(
        project_id=options.project, database_id=options.database, namespace_id=options.namespace
    )
    request = _datastore_pb2.RunQueryRequest(
        project_id=options.project, database_id=options.database, partition_id=partition_id,
        query=query_pb, read_options=_datastore_api.get_read_options(options),
    )
    add_routing_info = getattr(_datastore_api, "_add_routing_info", None)  # newer google-cloud-ndb only
    metadata = add_routing_info((), request) if add_routing_info is not None else ()
    return _datastore_api.make_call("run_query", request, timeout=options.timeout, metadata=metadata)


class BatchStream:
    """The raw results of one datastore query, fetched batch by batch."""

    def __init__(self, context, options, limit=None, offset=0, batch_size=None, prefetch_size=None,
                 start_cursor=None, end_cursor=None):
        self._caller = _InContext(context)
        self._options = options
        self._remaining = limit
        self._offset = offset or 0
        self._batch_size = batch_size
        self._first_batch_size = prefetch_size or batch_size
        self._next_cursor = start_cursor.to_bytes() if start_cursor else None
        self._end_cursor = end_cursor
        self._batch = ()
        self._index = 0
        self._done = limit == 0
        self._fetched = False
        self.position = self._next_cursor or b""
        self.rpc_count = 0

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            batch = self._batch
            if self._index < len(batch):
                result = batch[self._index]
                self._index += 1
                if self._remaining is not None:
                    self._remaining -= 1
                self.position = result.cursor or self.position
                return result
            if self._done:
                self._batch = ()
                self._index = 0
                if self._next_cursor:
                    self.position = self._next_cursor
                raise StopIteration
            self._fetch()

    def _fetch(self):
        request_limit = self._remaining
        batch_size = self._batch_size if self._fetched else self._first_batch_size
        if batch_size is not None:
            request_limit = batch_size if request_limit is None else min(batch_size, request_limit)
        self._batch = ()  # let the previous batch go before the next one arrives
        self._index = 0
        previous_cursor = self._next_cursor
        response = self._caller.run_query(
            self._options,
            start_cursor=_datastore_query.Cursor(previous_cursor) if previous_cursor else None,
            end_cursor=_datastore_query.Cursor(self._end_cursor.to_bytes()) if self._end_cursor else None,
            limit=request_limit,
            offset=self._offset or None,
        )
        self.rpc_count += 1
        self._fetched = True
        batch = response.batch
        results = batch.entity_results
        skipped = batch.skipped_results
        if self._offset:
            self._offset = max(0, self._offset - skipped)
        if batch.end_cursor:
            self._next_cursor = batch.end_cursor
            if skipped and not len(results):
                self.position = batch.end_cursor
        self._batch = results
        more = batch.more_results
        if more == _NOT_FINISHED:
            if len(results) or skipped or self._next_cursor != previous_cursor:
                return
            self._done = True  # no progress at all: never ask the same question forever
            return
        remaining = self._remaining
        if (more == _MORE_RESULTS_AFTER_LIMIT and request_limit is not None and len(results) == request_limit
                and (remaining is None or remaining > len(results))):
            return  # cut by our batch size, not by the query's limit: ask for the next batch
        self._done = True

    def cursor(self):
        """The position after the last result handed out, as a Cursor."""
        return Cursor(_cursor_bytes=self.position)


class MergedStream:
    """The results of several datastore queries (an IN / != expansion), merged like legacy's MultiQuery."""

    def __init__(self, streams, orderings=(), subquery_conditions=(), offset=0, limit=None, dedupe_values=False,
                 strip=()):
        self._orderings = tuple(orderings)
        self._dedupe_values = dedupe_values
        self._strip = tuple(strip)
        self._seen = set()
        self._offset = offset or 0
        self._remaining = limit
        self._streams = list(streams)
        # Legacy merged the sub-queries' heads by the sort orders, then by key (by key alone without orders).
        self._pending = list(zip(self._streams, subquery_conditions))
        self._heap = None

    def __iter__(self):
        return self

    def _push(self, index, stream, conditions):
        for result in stream:
            heapq.heappush(self._heap, (_SortKey(result, self._orderings, conditions), index, result, stream,
                                        conditions))
            return

    def _next_candidate(self):
        if self._pending is not None:  # first result wanted: start every sub-query (nothing is sent before)
            self._heap = []
            for index, (stream, conditions) in enumerate(self._pending):
                self._push(index, stream, _conditions_by_name(conditions))
            self._pending = None
            self._streams = None
        if self._heap is not None:
            if not self._heap:
                raise StopIteration
            _key, index, result, stream, conditions = heapq.heappop(self._heap)
            self._push(index, stream, conditions)
            return result
        while self._streams:
            for result in self._streams[0]:
                return result
            self._streams.pop(0)
        raise StopIteration

    def __next__(self):
        while True:
            if self._remaining is not None and self._remaining <= 0:
                self._heap, self._streams, self._pending = [], [], None
                raise StopIteration
            result = self._next_candidate()
            identity = _dedupe_key(result, self._dedupe_values)
            if identity in self._seen:
                continue
            self._seen.add(identity)
            if self._offset:
                self._offset -= 1
                continue
            if self._remaining is not None:
                self._remaining -= 1
            for name in self._strip:
                if name in result.entity.properties:
                    del result.entity.properties[name]
            return result

    def cursor(self):
        """Legacy had no cursor for a MultiQuery."""
        raise AssertionError('No cursor available for a MultiQuery (queries using "IN" or "!=" operators)')


def _dedupe_key(result, with_values):
    key = result.entity.key.SerializeToString()
    if not with_values:
        return key
    return key, tuple(sorted((name, value.SerializeToString(deterministic=True))
                             for name, value in result.entity.properties.items()))


def _conditions_by_name(conditions):
    by_name = {}
    for condition in conditions:
        by_name.setdefault(condition.name, []).append(condition)
    return by_name


class _SortKey:
    """Orders results of different sub-queries as the datastore orders them (then by key)."""

    __slots__ = ("values", "key", "descending")

    def __init__(self, result, orderings, conditions):
        entity = result.entity
        values = []
        for ordering in orderings:
            if ordering.property == "__key__":
                values.append(_key_order(entity.key))
                continue
            filters = conditions.get(ordering.property, ())
            value_pb = entity.properties.get(ordering.property)
            if value_pb is not None:
                value = _helpers._get_value_from_value_pb(value_pb)
            else:  # not projected because an equality filter fixes it
                value = next((c.stored for c in filters if c.operator == "="), None)
            values.append(_order_value(value, filters, ordering.descending))
        self.values = values
        self.key = _key_order(entity.key)
        self.descending = [ordering.descending for ordering in orderings]

    def __lt__(self, other):
        for mine, theirs, descending in zip(self.values, other.values, self.descending):
            if mine != theirs:
                return (mine > theirs) if descending else (mine < theirs)
        return self.key < other.key

    def __eq__(self, other):
        return self.values == other.values and self.key == other.key


def _key_order(key_pb):
    path = []
    for element in key_pb.path:
        if element.name:
            path.append((element.kind, 1, 0, element.name))
        else:
            path.append((element.kind, 0, element.id, ""))
    return tuple(path)


def _order_value(value, conditions, descending):
    """The comparable form of a sort value; for a list, the value the datastore sorts this entity by."""
    if isinstance(value, list):
        candidates = [item for item in value if all(_satisfies(item, c) for c in conditions)] or value
        ranked = [_rank(item) for item in candidates]
        if not ranked:
            return _rank(None)
        return max(ranked) if descending else min(ranked)
    return _rank(value)


def _satisfies(item, condition):
    mine, theirs = _rank(item), _rank(condition.stored)
    operator = condition.operator
    if operator == "=":
        return mine == theirs
    if operator == "<":
        return mine < theirs
    if operator == "<=":
        return mine <= theirs
    if operator == ">":
        return mine > theirs
    if operator == ">=":
        return mine >= theirs
    return True


def _rank(value):
    """``(type rank, comparable)`` in the datastore's order of value types."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (2, int(value))
    if isinstance(value, int):
        return (1, value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None) - (value.utcoffset() or datetime.timedelta(0))
        delta = value - datetime.datetime(1970, 1, 1)
        return (1, (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds)
    if isinstance(value, bytes):
        return (3, value)
    if isinstance(value, str):
        return (4, value)
    if isinstance(value, float):
        return (5, value)
    if isinstance(value, GeoPoint):
        return (6, (value.latitude, value.longitude))
    if isinstance(value, Entity):
        return (7, 0)
    if isinstance(value, Key):
        path = []
        flat = value.flat_path
        for index in range(0, len(flat), 2):
            ident = flat[index + 1]
            path.append((flat[index], 1, 0, ident) if isinstance(ident, str) else (flat[index], 0, ident, ""))
        return (8, tuple(path))
    return (9, repr(value))


def count(caller_context, options, limit, offset=0, start_cursor=None, end_cursor=None):
    """``(count, end_cursor_bytes)`` for one datastore query, by offset skipping (legacy ``Count``).

    ``options`` keep the query's orders (a sort order excludes entities
    without that property, so the count must keep it, as legacy's did).
    """
    caller = _InContext(caller_context)
    target = _MAX_INT_32 if limit is None else min(limit + offset, _MAX_INT_32)
    options = options.copy(end_cursor=_datastore_query.Cursor(end_cursor.to_bytes()) if end_cursor else None)
    cursor = start_cursor.to_bytes() if start_cursor else None
    skipped_total = 0
    position = cursor or b""
    while skipped_total < target:
        step = options.copy(start_cursor=_datastore_query.Cursor(cursor) if cursor else None,
                            offset=target - skipped_total)
        query_pb = _datastore_query._query_to_protobuf(step)
        query_pb._pb.limit.value = 0  # ndb never sends limit 0; legacy counted with it
        response = caller.run_query(step, query_pb)
        batch = response.batch
        skipped_total += batch.skipped_results
        if batch.end_cursor:
            cursor = position = batch.end_cursor
        if batch.more_results != _NOT_FINISHED or (not batch.skipped_results and not batch.end_cursor):
            break
    return max(0, skipped_total - offset), position


def count_merged(stream):
    """How many results a merged stream yields (its offset and limit applied)."""
    total = 0
    for _ in stream:
        total += 1
    return total


def check_size(name, value, minimum=0):
    """Validate a limit / offset / batch size: an int >= ``minimum`` (None allowed)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BadArgumentError("%s argument should be an int >= %d (%r)" % (name, minimum, value))
    return value
