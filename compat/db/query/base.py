"""What ``db.Query`` and ``db.GqlQuery`` share: running, fetching, counting, cursors, explaining.

Legacy semantics reproduced:

* ``run(limit=None, offset=0, batch_size=..., prefetch_size=..., keys_only=...,
  start_cursor=..., end_cursor=..., config=... / deadline=... / read_policy=...)``
  returns an iterator that fetches results batch by batch; ``iter(query)``
  is ``query.run()``;
* ``fetch(limit, offset=0)`` returns a list; ``get()`` the first result or
  None; ``count(limit=1000)`` counts up to ``limit`` (legacy's default, not
  "all"); ``query[i]`` and ``query[a:b]`` fetch;
* ``cursor()`` gives the websafe position after the last result the last
  run / fetch / get / count produced (``AssertionError`` before any run, and
  for ``IN`` / ``!=`` queries, as legacy); ``with_cursor(start, end)``
  restricts later runs;
* every check (filters, orders, value types, cursor strings) happens before
  any RPC; datastore errors come back as legacy ``db`` errors.

Beyond legacy: ``str(query)`` is the equivalent GQL text, and ``explain()``
also shows the google-cloud-ndb query that will be sent and how it runs.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NoReturn, Optional, TypeVar, Union

from compat import _context
from compat.db import _limits, config as _config
from compat.db._kinds import PropertiedClass
from compat.db.errors import ArgumentTypeError, BadArgumentError, PropertyError
from compat.db.query import iteration, results
from compat.db.query.cursors import Cursor, cursor_argument, cursor_from_websafe

_IGNORED_RUN_OPTIONS = ("produce_cursors", "hint", "cursor_before_start")
_Q = TypeVar("_Q", bound="BaseQuery")


class QueryIterator:
    """Iterator over one run of a query: model instances (or Keys), fetched lazily in batches.

    ``cursor()`` gives the Cursor just after the last result returned.
    """

    def __init__(self, spec: Any, config: Optional[_config.Configuration] = None, limit: Optional[int] = None,
                 offset: int = 0, batch_size: Optional[int] = None, prefetch_size: Optional[int] = None) -> None:
        self._convert = results.converter(spec.model_class, spec.keys_only, spec.projection)
        self.spec = spec
        with _context.ensure() as context:
            self._stream = _open_stream(context, spec, config, limit, offset, batch_size, prefetch_size)

    def __iter__(self) -> QueryIterator:
        return self

    def __next__(self) -> Any:
        convert = self._convert
        stream = self._stream
        while True:
            value = convert(next(stream))
            if value is not results.SKIP:
                return value

    next = __next__

    def cursor(self) -> Cursor:
        """The Cursor after the last result returned (AssertionError for IN / != queries)."""
        return self._stream.cursor()


def _touch_ancestor(context, spec):
    """In a transaction, an ancestor query uses the ancestor's entity group (counted as legacy counted it)."""
    if spec.ancestor is not None and context.transaction is not None:
        _limits.touch_groups(context, [spec.ancestor._ds])


def _open_stream(context, spec, config, limit, offset, batch_size, prefetch_size, keys_only=None):
    _touch_ancestor(context, spec)
    if spec.matches_nothing:
        return _EmptyStream(spec.start_cursor)
    subqueries = spec.subqueries()
    if len(subqueries) == 1:
        options = spec.query_options(context, subqueries[0], config, keys_only=keys_only)
        return iteration.BatchStream(context, options, limit, offset, batch_size, prefetch_size,
                                     spec.start_cursor, spec.end_cursor)
    projection = None if (keys_only or spec.keys_only) else spec.projection
    extra = ()
    if projection:
        # Merging in sort order needs the sort values: project them too, then strip them (legacy did the same).
        # A property with an equality filter cannot be projected; its value is the filter's.
        extra = tuple(o.property for o in spec.orderings if o.property not in projection and o.property != "__key__")
    upper = None if limit is None else offset + limit
    streams = []
    for conditions in subqueries:
        equal = {c.name for c in conditions if c.operator == "="}
        options = spec.query_options(context, conditions, config, keys_only=keys_only,
                                     extra_projection=[name for name in extra if name not in equal])
        streams.append(iteration.BatchStream(context, options, upper, 0, batch_size, prefetch_size))
    return iteration.MergedStream(streams, spec.orderings, subqueries, offset, limit,
                                  dedupe_values=bool(projection), strip=extra)


class _EmptyStream:
    """The results of a query that matches nothing (``IN []``): no RPC."""

    def __init__(self, start_cursor):
        self._start = start_cursor

    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration

    def cursor(self):
        return self._start or Cursor()


class _CountPosition:
    """What ``cursor()`` answers after ``count()``: the position after the last entity counted."""

    def __init__(self, cursor_bytes):
        self._bytes = cursor_bytes

    def cursor(self):
        return Cursor(_cursor_bytes=self._bytes)


class BaseQuery:
    """Base of ``db.Query`` and ``db.GqlQuery``."""

    _last_run: Any = None
    _cursor = None
    _end_cursor = None

    def __init__(self, model_class: Optional[PropertiedClass] = None) -> None:
        self._model_class = model_class

    # -- subclass interface ------------------------------------------------------------

    def _spec(self):
        """The :class:`~compat.db.query.spec.QuerySpec` for a run now (subclasses)."""
        raise NotImplementedError

    def is_keys_only(self) -> bool:
        """True if the query returns keys instead of entities."""
        raise NotImplementedError

    def projection(self) -> Optional[tuple[str, ...]]:
        """The tuple of projected property names, or None."""
        raise NotImplementedError

    def is_distinct(self) -> bool:
        """True for a distinct projection query."""
        raise NotImplementedError

    # -- running -----------------------------------------------------------------------

    def _run_spec(self, kwargs):
        """``(spec, config, options)`` for run keyword arguments, everything checked."""
        limit = iteration.check_size("limit", kwargs.pop("limit", None))
        offset = iteration.check_size("offset", kwargs.pop("offset", 0)) or 0
        batch_size = iteration.check_size("batch_size", kwargs.pop("batch_size", None), 1)
        prefetch_size = iteration.check_size("prefetch_size", kwargs.pop("prefetch_size", None), 1)
        overrides = {}
        keys_only = kwargs.pop("keys_only", None)
        if keys_only is not None:
            if not isinstance(keys_only, bool):
                raise BadArgumentError("keys_only argument should be bool (%r)" % (keys_only,))
            overrides["keys_only"] = keys_only
        projection = kwargs.pop("projection", None)
        if projection is not None:
            overrides["projection"] = _check_projection(projection, self._model_class)
        if "start_cursor" in kwargs:
            overrides["start_cursor"] = cursor_argument("start_cursor", kwargs.pop("start_cursor"))
        if "end_cursor" in kwargs:
            overrides["end_cursor"] = cursor_argument("end_cursor", kwargs.pop("end_cursor"))
        for name in _IGNORED_RUN_OPTIONS:
            kwargs.pop(name, None)
        config = _config.from_kwargs(kwargs)
        spec = self._spec()
        if overrides:
            spec = dataclasses.replace(spec, **overrides)
        spec.check()
        return spec, config, (limit, offset, batch_size, prefetch_size)

    def run(self, **kwargs: Any) -> QueryIterator:
        """An iterator over the results, fetched in batches (see the module docstring for options)."""
        spec, config, (limit, offset, batch_size, prefetch_size) = self._run_spec(kwargs)
        iterator = QueryIterator(spec, config, limit, offset, batch_size, prefetch_size)
        self._last_run = iterator
        return iterator

    def __iter__(self) -> QueryIterator:
        return self.run()

    def get(self, **kwargs: Any) -> Any:
        """The first result, or None."""
        iterator = self.run(limit=1, **kwargs)
        for result in iterator:
            return result
        return None

    def fetch(self, limit: Optional[int], offset: int = 0, **kwargs: Any) -> list[Any]:
        """A list of at most ``limit`` results after skipping ``offset`` (``limit=None``: all of them)."""
        return list(self.run(limit=limit, offset=offset, **kwargs))

    def count(self, limit: Optional[int] = 1000, **kwargs: Any) -> int:
        """How many results the query has, counting at most ``limit`` (legacy's default 1000; None: all).

        Counted without transferring entities (keys-only RPCs that skip).
        """
        offset = kwargs.pop("offset", 0)
        if limit is not None:
            try:  # legacy added them first: a value that cannot be added is a TypeError
                limit + offset
            except TypeError as error:
                raise ArgumentTypeError("count(limit=%r, offset=%r): %s" % (limit, offset, error))
            if isinstance(limit, bool):
                limit = int(limit)  # a bool counts as 0 or 1, as in legacy
        if isinstance(offset, bool):
            offset = int(offset)
        offset = iteration.check_size("offset", offset) or 0
        limit = iteration.check_size("limit", limit)
        kwargs.pop("batch_size", None)
        kwargs.pop("prefetch_size", None)
        spec, config, _ = self._run_spec(kwargs)
        if spec.matches_nothing:
            self._last_run = _EmptyStream(spec.start_cursor)
            return 0
        if limit == 0:
            self._last_run = _EmptyStream(spec.start_cursor)
            return 0
        with _context.ensure() as context:
            _touch_ancestor(context, spec)
            subqueries = spec.subqueries()
            if len(subqueries) == 1:
                options = spec.query_options(context, subqueries[0], config, keys_only=not spec.projection)
                total, position = iteration.count(context, options, limit, offset, spec.start_cursor,
                                                  spec.end_cursor)
                self._last_run = _CountPosition(position)
                return total
            stream = _open_stream(context, spec, config, limit, offset, None, None,
                                  keys_only=not spec.projection)
        self._last_run = stream
        return iteration.count_merged(stream)

    def index_list(self) -> NoReturn:
        """Not available: Cloud Datastore does not report the indexes a query used."""
        raise NotImplementedError("index_list() is not available on Cloud Datastore: queries no longer report "
                                  "the indexes they used (see the Cloud console's index list).")

    # -- cursors -----------------------------------------------------------------------

    def cursor(self) -> bytes:
        """The websafe cursor (``bytes``, as the legacy SDK on Python 3) after the last result of the last run,
        fetch, get or count."""
        if self._last_run is None:
            raise AssertionError("No cursor available.")
        return self._last_run.cursor().to_websafe_string()

    def with_cursor(self: _Q, start_cursor: Union[str, bytes, None] = None,
                    end_cursor: Union[str, bytes, None] = None) -> _Q:
        """Start later runs at ``start_cursor`` and stop them at ``end_cursor`` (websafe str or bytes); returns self.

        BadValueError for a value that is not base64 (and, when the query
        runs, for bytes that are no cursor); None means no cursor; an empty
        string is the first position (as an end cursor: no results).
        """
        self._cursor = cursor_from_websafe(start_cursor)
        self._end_cursor = cursor_from_websafe(end_cursor)
        return self

    # -- indexing ----------------------------------------------------------------------

    def __getitem__(self, arg: Union[int, slice]) -> Any:
        """``query[i]`` (one result; IndexError past the end) and ``query[start:stop]`` (a list)."""
        if isinstance(arg, slice):
            start, stop, step = arg.start, arg.stop, arg.step
            if start is None:
                start = 0
            if stop is None:
                raise ValueError("Open-ended slices are not supported")
            if step is None:
                step = 1
            if start < 0 or stop < 0 or step != 1:
                raise ValueError("Only slices with start>=0, stop>=0, step==1 are supported")
            limit = stop - start
            if limit < 0:
                return []
            return self.fetch(limit, start)
        if isinstance(arg, int) and not isinstance(arg, bool):
            if arg < 0:
                raise ValueError("Only indices >= 0 are supported")
            found = self.fetch(1, arg)
            if found:
                return found[0]
            raise IndexError("The query returned fewer than %d results" % (arg + 1))
        raise TypeError("Only integer indices and slices are supported")

    # -- visibility --------------------------------------------------------------------

    def _display_limits(self):
        """``(limit, offset)`` shown in the GQL text (GqlQuery shows its LIMIT / OFFSET)."""
        return None, 0

    def __str__(self) -> str:
        spec = self._spec()
        limit, offset = self._display_limits()
        return spec.to_gql(limit, offset)

    def explain(self, **kwargs: Any) -> str:
        """What a run with these keyword arguments sends: GQL text, the ndb query, the datastore queries.

        Raises the same errors the run would (nothing is sent).
        """
        spec, config, (limit, offset, batch_size, prefetch_size) = self._run_spec(dict(kwargs))
        default_limit, default_offset = self._display_limits()
        if "limit" not in kwargs:
            limit = default_limit if limit is None else limit
        if "offset" not in kwargs:
            offset = offset or default_offset
        lines = ["GQL: " + spec.to_gql(limit, offset)]
        lines.append("ndb: %r" % (spec.ndb_query(),))
        if spec.matches_nothing:
            lines.append("runs: nothing (an IN filter has an empty list; no RPC is sent)")
        else:
            subqueries = spec.subqueries()
            if len(subqueries) == 1:
                lines.append("runs: 1 datastore query")
            else:
                lines.append("runs: %d datastore queries (IN / != expanded as legacy did), merged in memory%s; "
                             "no cursors" % (len(subqueries), " in sort order" if spec.orderings else ""))
                for conditions in subqueries:
                    lines.append("  - %r" % (spec.filter_node(conditions),))
        options = ["limit=%s" % limit, "offset=%s" % offset]
        if batch_size:
            options.append("batch_size=%s" % batch_size)
        if prefetch_size:
            options.append("prefetch_size=%s" % prefetch_size)
        if spec.start_cursor:
            options.append("start_cursor=%s" % spec.start_cursor.to_websafe_string().decode("ascii"))
        if spec.end_cursor:
            options.append("end_cursor=%s" % spec.end_cursor.to_websafe_string().decode("ascii"))
        if config is not None:
            options.append("config=%r" % (config,))
        lines.append("options: " + ", ".join(options))
        return "\n".join(lines)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_last_run", None)
        return state


def _check_projection(projection, model_class):
    """A tuple of projected names, checked as legacy checked them (BadArgumentError, PropertyError)."""
    if isinstance(projection, str) or not isinstance(projection, (list, tuple)):
        raise BadArgumentError("projection argument should be a list or tuple (%r)" % (projection,))
    if not projection:
        raise BadArgumentError("projection argument cannot be empty")
    for name in projection:
        if not isinstance(name, str) or not name:
            raise BadArgumentError("projection argument should contain only strings (%r)" % (name,))
        if model_class is not None and name in model_class._unindexed_properties:
            raise PropertyError("Property '%s' is not indexed" % name)
    return tuple(projection)
