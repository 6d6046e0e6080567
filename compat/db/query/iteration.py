"""Running queries: results streamed batch by batch, merged sub-queries, counts.

:class:`BatchStream` runs one datastore query with direct ``RunQuery`` calls
(``compat.db._rpc``) and yields raw ``EntityResult`` protobufs. As soon as a
batch arrives the next one is asked for, so the datastore works on it while
the caller reads this one (legacy's iterator prefetched the same way); at
most two batches are held, whatever the number of results (iterating 20,000
entities keeps memory flat). It follows legacy's iterator semantics:

* ``limit`` / ``offset`` as legacy applied them, ``batch_size`` (results per
  RPC) and ``prefetch_size`` (results in the first RPC) honoured;
* ``position`` is the cursor just after the last result handed out (after
  the last one skipped by an offset, or at the end once exhausted), which is
  what ``query.cursor()`` returns;
* the request is built once, in the ndb context the stream was created in,
  so every batch reads inside the transaction the query was started in (and
  never inside one it was not started in), whatever context is current when
  the caller asks for more;
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

from google.cloud.datastore.entity import Entity
from google.cloud.datastore.helpers import GeoPoint
from google.cloud.datastore.key import Key
from google.cloud.datastore_v1.types import query as _query_pb2

from compat.db import _protobuf, _rpc, errors
from compat.db.errors import ArgumentTypeError, BadArgumentError
from compat.db.query.cursors import Cursor

_NOT_FINISHED = _query_pb2.QueryResultBatch.MoreResultsType.NOT_FINISHED
_MORE_RESULTS_AFTER_LIMIT = _query_pb2.QueryResultBatch.MoreResultsType.MORE_RESULTS_AFTER_LIMIT
_MAX_INT_32 = 2 ** 31 - 1


class BatchStream:
    """The raw results of one datastore query, fetched batch by batch (the next one while this one is read)."""

    def __init__(self, context, options, limit=None, offset=0, batch_size=None, prefetch_size=None,
                 start_cursor=None, end_cursor=None):
        self._client = context.client
        self._request = _rpc.query_request(options, end_cursor=end_cursor.to_bytes() if end_cursor else None)
        self._timeout = options.timeout
        self._remaining = limit
        self._offset = offset or 0
        self._batch_size = batch_size
        self._first_batch_size = prefetch_size or batch_size
        self._next_cursor = start_cursor.to_bytes() if start_cursor else None
        self._batch = ()
        self._index = 0
        self._done = limit == 0
        self._fetched = False
        self._pending = None  # the next batch, asked for while the caller reads this one
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

    def _ask(self, later):
        """Send the request for the next batch (now, or to be read later); ``(request_limit, answer)``."""
        request_limit = self._remaining
        batch_size = self._batch_size if self._fetched else self._first_batch_size
        if batch_size is not None:
            request_limit = batch_size if request_limit is None else min(batch_size, request_limit)
        _rpc.set_query_batch(self._request, self._next_cursor, request_limit, self._offset)
        self.rpc_count += 1
        self._fetched = True
        send = _rpc.run_query_later if later else _rpc.run_query_now
        return request_limit, self._next_cursor, send(self._client, self._request, self._timeout)

    def _fetch(self):
        self._batch = ()  # let the previous batch go before the next one arrives
        self._index = 0
        pending, self._pending = self._pending, None
        try:
            if pending is None:
                request_limit, previous_cursor, response = self._ask(later=False)
            else:
                request_limit, previous_cursor, response = pending[0], pending[1], pending[2].result()
        except Exception as error:
            errors.reraise(error)
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
            if not (len(results) or skipped or self._next_cursor != previous_cursor):
                self._done = True  # no progress at all: never ask the same question forever
        elif (more == _MORE_RESULTS_AFTER_LIMIT and request_limit is not None and len(results) == request_limit
                and (self._remaining is None or self._remaining > len(results))):
            pass  # cut by our batch size, not by the query's limit: ask for the next batch
        else:
            self._done = True
        if not self._done:
            # Ask for the next batch now: the datastore works on it while the caller reads this one.
            # At most two batches are held, whatever the number of results.
            remaining = self._remaining
            if remaining is not None:
                self._remaining = remaining - len(results)
            try:
                self._pending = self._ask(later=True)
            finally:
                self._remaining = remaining

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
                value = _protobuf.value_from_pb(value_pb)
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
    Each RPC asks for ``limit=0`` (ndb never sends it; legacy counted with it).
    """
    client = caller_context.client
    request = _rpc.query_request(options, end_cursor=end_cursor.to_bytes() if end_cursor else None)
    target = _MAX_INT_32 if limit is None else min(limit + offset, _MAX_INT_32)
    cursor = start_cursor.to_bytes() if start_cursor else None
    skipped_total = 0
    position = cursor or b""
    try:
        while skipped_total < target:
            _rpc.set_query_batch(request, cursor, 0, target - skipped_total)
            batch = _rpc.run_query_now(client, request, options.timeout).batch
            skipped_total += batch.skipped_results
            if batch.end_cursor:
                cursor = position = batch.end_cursor
            if batch.more_results != _NOT_FINISHED or (not batch.skipped_results and not batch.end_cursor):
                break
    except Exception as error:
        errors.reraise(error)
    return max(0, skipped_total - offset), position


def count_merged(stream):
    """How many results a merged stream yields (its offset and limit applied)."""
    total = 0
    for _ in stream:
        total += 1
    return total


def check_size(name, value, minimum=0):
    """Validate a limit / offset / batch size: an int >= ``minimum`` (None allowed).

    A bool is refused with ArgumentTypeError (legacy's protobuf raised TypeError for it).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ArgumentTypeError("%s: expected an int, got bool (%r)" % (name, value))
    if not isinstance(value, int) or value < minimum:
        raise BadArgumentError("%s argument should be an int >= %d (%r)" % (name, minimum, value))
    return value
