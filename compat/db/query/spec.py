"""The immutable description of one query run, and its translation to google-cloud-ndb.

A legacy ``db.Query`` is mutable; every run takes a :class:`QuerySpec`
snapshot of it, so changing the query later never changes a running
iterator, and a query is never changed through another one (google-cloud-ndb's
``Query.order()`` extends its parent's list in place; compat never hands ndb
a list it keeps).

``IN`` and ``!=`` are expanded the way legacy expanded them: ``p IN [a, b]``
becomes one datastore query per value (``p = a``, ``p = b``) and ``p != v``
becomes two (``p < v``, ``p > v``); several such filters multiply, up to 30
queries (``BadArgumentError`` beyond). Their results are merged in memory
(:mod:`compat.db.query.iteration`). ``p IN []`` matches nothing and sends no
RPC.
"""

import dataclasses
import itertools
from typing import Optional, Tuple

from google.cloud.datastore.entity import Entity as _DsEntity
from google.cloud.ndb import query as ndb_query

from compat import _context, namespace_manager
from compat.db import _rpc, types as db_types
from compat.db.config import EVENTUAL_CONSISTENCY, rpc_timeout
from compat.db.errors import BadArgumentError, BadQueryError, BadRequestError
from compat.db.gql.ast import Statement, format_value, render_statement
from compat.db.gql.binder import BoundFilter
from compat.db.keys import Key
from compat.db.query import filters as _filters
from compat.db.query.cursors import Cursor, check_cursor_bytes

#: Most datastore queries one legacy query may fan out to (legacy MultiQuery's limit).
MAX_SUBQUERIES = 30
#: Most filters + sort orders + ancestor in one datastore query (legacy and production refused more).
MAX_QUERY_TERMS = 100


@dataclasses.dataclass(frozen=True)
class QuerySpec:
    """Everything one run of a query needs, frozen."""

    model_class: Optional[type]
    kind: Optional[str]
    keys_only: bool = False
    projection: Optional[Tuple[str, ...]] = None
    distinct: bool = False
    conditions: Tuple[_filters.Condition, ...] = ()
    ancestor: Optional[Key] = None
    orderings: tuple = ()
    namespace: Optional[str] = None
    app: Optional[str] = None
    start_cursor: Optional[Cursor] = None
    end_cursor: Optional[Cursor] = None

    # -- checks ------------------------------------------------------------------------

    def check(self):
        """The run-time checks legacy made when it built the datastore query (before any RPC)."""
        _filters.check_combination(self.conditions, self.orderings)
        if self.distinct and not self.projection:
            raise BadQueryError("cannot specify distinct without a projection")
        if self.keys_only and self.projection:
            raise BadArgumentError("projection and keys_only cannot both be set")
        # Each datastore query (one per IN / != combination) has one filter per condition; a sort on a property
        # an equality filter fixes is dropped (as the datastore normalises it) and does not count.
        equal = {c.name for c in self.conditions if c.operator in ("=", "IN")}
        orders = sum(1 for o in self.orderings if o.property not in equal)
        if len(self.conditions) + orders + (self.ancestor is not None) > MAX_QUERY_TERMS:
            raise BadRequestError("query is too large. may not have more than %d filters + sort orders ancestor total"
                                  % MAX_QUERY_TERMS)
        for cursor in (self.start_cursor, self.end_cursor):
            if cursor:
                check_cursor_bytes(cursor.to_bytes())
        if self.is_multi and (self.start_cursor is not None or self.end_cursor is not None):
            raise BadRequestError('Cursors cannot be used with queries using "IN" or "!=" filters '
                                  '(they run several datastore queries).')
        return self

    @property
    def matches_nothing(self):
        """True when the result is empty without asking (no RPC): an ``IN []`` filter, an ``=`` with an operand
        over 1500 bytes (no indexed value is that long), or an empty end cursor
        (legacy: "If such a Cursor is used as an end_cursor no results will ever be returned")."""
        if self.end_cursor is not None and not self.end_cursor:
            return True
        return any(c.never or (c.operator == "IN" and not c.stored) for c in self.conditions)

    @property
    def is_multi(self):
        """True when ``IN`` / ``!=`` filters need several datastore queries."""
        return len(self.subqueries()) > 1

    def subqueries(self):
        """The conjunctions of simple conditions the datastore runs, one per datastore query."""
        cached = self.__dict__.get("_subqueries")
        if cached is not None:
            return cached
        alternatives = []
        for condition in self.conditions:
            if condition.operator == "IN":
                options = [_filters.Condition(condition.name, "=", legacy, stored)
                           for legacy, stored in zip(condition.value, condition.stored)]
            elif condition.operator == "!=":
                options = [_filters.Condition(condition.name, "<", condition.value, condition.stored),
                           _filters.Condition(condition.name, ">", condition.value, condition.stored)]
            else:
                options = [condition]
            alternatives.append(options)
        count = 1
        for options in alternatives:
            count *= max(len(options), 1)
        if count > MAX_SUBQUERIES:
            raise BadArgumentError("Cannot satisfy query -- too many subqueries (max: %d, got %d). Probable cause: "
                                   "too many IN/!= filters in query." % (MAX_SUBQUERIES, count))
        result = [tuple(combination) for combination in itertools.product(*alternatives)] if alternatives else [()]
        object.__setattr__(self, "_subqueries", result)
        return result

    # -- resolution --------------------------------------------------------------------

    def resolved_namespace(self):
        """The namespace the query runs in: explicit, else the ancestor's, else the current one."""
        if self.namespace is not None:
            if self.ancestor is not None and self.ancestor.namespace() != self.namespace:
                raise BadArgumentError("The ancestor's namespace (%r) does not match the query's namespace (%r)"
                                       % (self.ancestor.namespace(), self.namespace))
            return self.namespace
        if self.ancestor is not None:
            return self.ancestor.namespace()
        return namespace_manager.get_namespace()

    def resolved_project(self):
        """The project the query runs in: ``_app``, else the ancestor's, else compat's."""
        if self.app is not None:
            return self.app.partition("~")[2] if "~" in self.app else self.app
        if self.ancestor is not None:
            return self.ancestor._ds.project
        return _context.project()

    # -- ndb ---------------------------------------------------------------------------

    def filter_node(self, conditions):
        """The ndb filter node (or None) for one conjunction of simple conditions."""
        nodes = [(_UserFilterNode if isinstance(c.stored, _DsEntity) else ndb_query.FilterNode)(
            c.name, c.operator, c.stored) for c in conditions]
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else ndb_query.ConjunctionNode(*nodes)

    def ndb_filters(self):
        """The whole filter as an ndb node: OR of the subqueries' ANDs (what ndb would merge)."""
        subqueries = self.subqueries()
        nodes = [self.filter_node(conditions) for conditions in subqueries]
        nodes = [node for node in nodes if node is not None]
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else ndb_query.DisjunctionNode(*nodes)

    def order_by(self):
        """ndb PropertyOrder list (a new list every time)."""
        return [ndb_query.PropertyOrder(o.property, reverse=o.descending) for o in self.orderings]

    def query_options(self, context, conditions, config=None, keys_only=None, projection=None, extra_projection=()):
        """The ndb ``QueryOptions`` for one datastore query (no limit, offset or cursor yet)."""
        keys_only = self.keys_only if keys_only is None else keys_only
        projection = self.projection if projection is None else projection
        kwargs = dict(
            kind=self.kind,
            filters=self.filter_node(conditions),
            order_by=self.order_by() or None,
            namespace=self.resolved_namespace(),
            project=self.resolved_project(),
        )
        if self.ancestor is not None:
            kwargs["ancestor"] = self.ancestor.to_ndb()
        if keys_only:
            kwargs["projection"] = ["__key__"]
        elif projection:
            kwargs["projection"] = list(projection) + [name for name in extra_projection if name not in projection]
            if self.distinct:
                kwargs["distinct_on"] = list(projection)
        if config is not None:
            if config.deadline is not None:
                kwargs["timeout"] = rpc_timeout(config)
            if config.read_policy == EVENTUAL_CONSISTENCY:
                if context.transaction is not None:
                    raise BadRequestError("read_policy=EVENTUAL_CONSISTENCY cannot be used inside a transaction "
                                          "(transactional reads are always strongly consistent).")
                kwargs["read_consistency"] = _rpc.EVENTUAL
        return ndb_query.QueryOptions(context=context, **kwargs)

    def ndb_query(self):
        """The google-cloud-ndb ``Query`` equivalent to this run (for display and for ndb users)."""
        kwargs = dict(
            kind=self.kind,
            filters=self.ndb_filters(),
            order_by=self.order_by() or None,
            namespace=self.resolved_namespace(),
            project=self.resolved_project(),
        )
        if self.ancestor is not None:
            kwargs["ancestor"] = self.ancestor.to_ndb()
        if self.keys_only:
            kwargs["keys_only"] = True
        with _context.ensure():
            query = ndb_query.Query(**kwargs)
        if self.projection and not self.keys_only:
            # Set after construction: ndb would check the names against an ndb model of the same kind.
            query.projection = tuple(self.projection)
            if self.distinct:
                query.distinct_on = tuple(self.projection)
        return query

    # -- GQL ---------------------------------------------------------------------------

    def to_gql(self, limit=None, offset=0):
        """GQL text equivalent to this query (values shown as GQL literals where GQL has one)."""
        statement = Statement(
            kind=self.kind, keys_only=self.keys_only, projection=self.projection, distinct=self.distinct,
            orderings=tuple(self.orderings), limit=limit, offset=offset or 0,
        )
        shown = tuple(BoundFilter(c.name, c.operator, c.value) for c in self.conditions)
        return render_statement(statement, shown, self.ancestor, gql_literal, self.ancestor is not None)


class _UserFilterNode(ndb_query.FilterNode):
    """A filter on a ``users.User`` value: the embedded entity with meaning 20 (USER), as legacy stored it.

    ndb writes no meaning on filter values; Cloud Datastore compares user
    values (by email and auth domain) only when it is there.
    """

    def _to_filter(self, post=False):
        filter_pb = super()._to_filter(post)
        if filter_pb is not None:
            filter_pb.value._pb.meaning = db_types.MEANING_USER
        return filter_pb


def gql_literal(value):
    """GQL text for a filter operand: ``KEY(...)``, ``GEOPT(...)``, ``USER(...)``, ``DATETIME(...)`` ..."""
    if isinstance(value, Key):
        return "KEY(%s)" % ", ".join(format_value(part) for part in value.to_path())
    if isinstance(value, db_types.GeoPt):
        return "GEOPT(%s, %s)" % (format_value(float(value.lat)), format_value(float(value.lon)))
    if isinstance(value, list):
        return "(%s)" % ", ".join(gql_literal(item) for item in value)
    email = getattr(value, "email", None)
    if callable(email) and type(value).__name__ == "User":
        return "USER(%s)" % format_value(email())
    if isinstance(value, str):
        return format_value(str(value))
    return format_value(value)
