"""Legacy's order for ``IN`` / ``!=`` queries without a sort order: the sub-queries' results merged by key.

Legacy ``db`` ran a query with an ``IN`` or ``!=`` filter as a MultiQuery:
one datastore query per value (``IN``) or per side (``!=`` is ``< OR >``),
each read as a stream, and the streams merged by repeatedly taking the head
that comes first -- in the query's sort order, then by key. Without a sort
order only the keys decide: ``city != 'oslo'`` over a0 rome, a1 oslo,
a2 rome, a3 lima gives a0, a2, a3 (the ``<`` stream is [a3], the ``>``
stream [a0, a2]). google-cloud-ndb runs such an OR query one sub-query after
the other (a3, a0, a2). :func:`merged_by_key` gives a query that merges as
legacy did; ``db2ndb --to ndb`` (rule DB008) uses it where a query chain has
an ``IN`` / ``!=`` filter and no ``order()``.

Observed on the legacy SDK: tests/codemods/semantic/programs/q012_in_with_cursor.py
and q019_multi_query_merge.py (golden files next to them).
"""

from __future__ import annotations

import heapq
from typing import Any, Iterator, Optional

from google.cloud import ndb
from google.cloud.ndb import exceptions
from google.cloud.ndb.query import DisjunctionNode

from compat.ndb_legacy.keys import key_order

#: the Query attributes ndb's own ``filter()`` carries over to the query it returns (google-cloud-ndb 2.3 - 2.7)
CARRIED = ("kind", "ancestor", "filters", "order_by", "project", "namespace", "default_options", "projection",
            "distinct_on", "limit", "offset", "keys_only")


def merged_by_key(query: ndb.Query) -> "MergedQuery":
    """``query`` as a :class:`MergedQuery`: run as legacy's MultiQuery when it has ``IN`` / ``!=`` and no order.

    The query's filters, ancestor, options are kept; ``filter()`` and
    ``order()`` on the result return MergedQuery too, so the merge follows the
    query through a chain or a variable.
    """
    if isinstance(query, MergedQuery):
        return query
    return MergedQuery(**{name: getattr(query, name) for name in CARRIED})


class MergedQuery(ndb.Query):
    """An ndb query whose ``IN`` / ``!=`` results (no sort order) come as legacy's MultiQuery gave them.

    With an OR of filters (``IN``, ``!=``) and no ``order_by``, iterating,
    ``fetch()`` and ``get()`` run each sub-query and merge their results by
    key, streaming, each entity once: db's heap merge of the sub-query
    streams, whose heads are compared by key (legacy key order:
    :func:`~compat.ndb_legacy.keys.key_order`). ``offset`` skips the first
    merged results and ``limit`` stops the merge, as db's MultiQuery did (each
    sub-query reads at most ``offset + limit`` results). With a sort order,
    or a single filter, it is ndb's query: ndb merges sorted OR queries
    itself. ``count()`` is ndb's (legacy counted each entity once too);
    cursors of such queries are refused as ndb refuses them for any OR
    query, where db raised AssertionError (see
    :func:`~compat.ndb_legacy.queries.cursor_after`). ``fetch_async``,
    ``map`` and ``fetch_page`` are ndb's.
    """

    def _merges(self) -> bool:
        return isinstance(self.filters, DisjunctionNode) and not self.order_by

    def _sub_query(self, node: Any) -> ndb.Query:
        """The query of one disjunct (``node``), without the limit and offset the merge applies."""
        return ndb.Query(**{name: (node if name == "filters" else getattr(self, name))
                            for name in CARRIED if name not in ("limit", "offset")})

    def iter(self, **options: Any) -> Any:  # type: ignore[override]
        """Iterate the results (merged by key when the query has ``IN`` / ``!=`` and no order)."""
        if not self._merges():
            return super().iter(**options)
        return _MergedIterator(self, options)

    def __iter__(self) -> Any:  # type: ignore[override]
        return self.iter()

    def fetch(self, limit: Optional[int] = None, **options: Any) -> Any:  # type: ignore[override]
        """The results as a list (merged by key when the query has ``IN`` / ``!=`` and no order)."""
        if not self._merges():
            return super().fetch(limit, **options)
        return list(self.iter(limit=limit, **options))

    def get(self, **options: Any) -> Any:  # type: ignore[override]
        """The first result or None (the smallest key among the sub-queries' first results, as db's)."""
        if not self._merges():
            return super().get(**options)
        return next(iter(self.iter(limit=1, **options)), None)


class _MergedIterator:
    """db's MultiQuery loop over ndb sub-query iterators: pop the smallest head, yield it unless seen, refill."""

    def __init__(self, query: MergedQuery, options: dict):
        options = dict(options)
        limit = options.pop("limit", None)
        offset = options.pop("offset", None)
        limit = query.limit if limit is None else limit
        offset = (query.offset if offset is None else offset) or 0
        upper = None if limit is None else offset + limit
        sub_options = dict(options, limit=upper) if upper is not None else options
        self._projection = options.get("projection") or query.projection
        self._keys_only = bool(options.get("keys_only", query.keys_only))
        self._heap: list = []
        for index, node in enumerate(query.filters):
            self._push(index, query._sub_query(node).iter(**sub_options))
        self._results = self._merge(offset, upper)

    def _key(self, result: Any) -> ndb.Key:
        return result if self._keys_only else result.key

    def _push(self, index: int, stream: Iterator) -> None:
        head = next(stream, None)
        if head is not None:
            heapq.heappush(self._heap, (key_order(self._key(head)), index, head, stream))

    def _dedupe_key(self, result: Any) -> Any:
        if self._projection and not self._keys_only:  # db: the same entity with other projected values is another result
            return self._key(result), repr(sorted(result.to_dict().items()))
        return self._key(result)

    def _merge(self, offset: int, upper: Optional[int]) -> Iterator:
        seen: set = set()
        while self._heap and (upper is None or len(seen) < upper):
            _, index, head, stream = heapq.heappop(self._heap)
            dedupe = self._dedupe_key(head)
            if dedupe not in seen:
                seen.add(dedupe)
                if len(seen) > offset:
                    yield head
            self._push(index, stream)

    def __iter__(self) -> "_MergedIterator":
        return self

    def __next__(self) -> Any:
        return next(self._results)

    def cursor_before(self) -> Any:
        """Refused, as ndb refuses cursors of OR queries (db: a MultiQuery has no cursor)."""
        raise exceptions.BadArgumentError("Can't have cursors with OR filter")

    cursor_after = cursor_before
