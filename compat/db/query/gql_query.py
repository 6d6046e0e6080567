"""``db.GqlQuery`` and ``Model.gql``: legacy GQL text run as a query.

The text is parsed once by :mod:`compat.db.gql` (cached by text); arguments
are bound when the query runs, so ``GqlQuery(text)`` followed by
``q.bind(...)`` works, as in legacy, and binding errors (missing or unused
arguments, ``IN`` without a list, bad ``KEY()``/``DATETIME()`` ...) surface
before any RPC. Values are passed as values, never pasted into query text.

Legacy behaviour kept:

* arguments are normalised as legacy did (a model instance becomes its
  Key, a date or time the datetime it is stored as), then converted like
  ``Query.filter`` operands (type-checked against the property);
* ``LIMIT`` and ``OFFSET`` apply when iterating, to ``run()`` and ``get()``
  (``OFFSET`` only); ``fetch(n, offset)`` uses its own arguments and
  ``count()`` ignores both (legacy's quirks);
* filtering or sorting on an unindexed property is a PropertyError when the
  query is built; an unknown kind is a KindError.
"""

from __future__ import annotations

from typing import Any, Optional

from compat import users
from compat.db import gql
from compat.db._kinds import class_for_kind, is_model
from compat.db.errors import BadArgumentError, BadKeyError, Error, PropertyError
from compat.db.keys import Key
from compat.db.query import filters as _filters
from compat.db.query.base import BaseQuery, QueryIterator
from compat.db.query.spec import QuerySpec
from compat.db.types import GeoPt


class GqlQuery(BaseQuery):
    """A query written in legacy GQL: ``GqlQuery(query_string, *args, **kwds)``.

    ``_app='app'`` or ``_app=('app', 'namespace')`` runs it in another project / namespace.
    """

    def __init__(self, query_string: str, *args: Any, **kwds: Any) -> None:
        app, namespace = _split_app(kwds.pop("_app", None))
        statement = gql.parse(query_string)
        model_class = class_for_kind(statement.kind) if statement.kind is not None else None
        self._setup(statement, model_class, app, namespace, args, kwds)

    @classmethod
    def _for_model(cls, model_class, clause, args, kwds):
        """The query ``Model.gql(clause, ...)`` builds: ``SELECT * FROM <kind> <clause>``."""
        query = cls.__new__(cls)
        app, namespace = _split_app(kwds.pop("_app", None))
        query._setup(gql.parse_clause(model_class.kind(), clause), model_class, app, namespace, args, kwds)
        return query

    def _setup(self, statement, model_class, app, namespace, args, kwds):
        BaseQuery.__init__(self, model_class)
        self._statement = statement
        self._app = app
        self._namespace = namespace
        if model_class is not None:
            for name in statement.property_names:
                if name in model_class._unindexed_properties:
                    raise PropertyError("Property '%s' is not indexed" % name)
            for ordering in statement.orderings:
                if ordering.property in model_class._unindexed_properties:
                    raise PropertyError("Property '%s' is not indexed" % ordering.property)
            for name in statement.projection or ():
                if name in model_class._unindexed_properties:
                    raise PropertyError("Property '%s' is not indexed" % name)
        self.bind(*args, **kwds)

    def is_keys_only(self) -> bool:
        """True for ``SELECT __key__``."""
        return self._statement.keys_only

    def projection(self) -> Optional[tuple[str, ...]]:
        """The projected names of ``SELECT a, b``, or None."""
        return self._statement.projection

    def is_distinct(self) -> bool:
        """True for ``SELECT DISTINCT``."""
        return self._statement.distinct

    def bind(self, *args: Any, **kwds: Any) -> None:
        """Replace the bound arguments (``:1``, ``:2`` ... positional, ``:name`` keyword)."""
        self._args = tuple(_filters.normalize_operand(arg) for arg in args)
        self._kwds = {name: _filters.normalize_operand(arg) for name, arg in kwds.items()}
        self._bound = None

    def _add_class_filter(self, property_name, class_name):
        """PolyModel.gql: restrict to ``class_name`` (replacing any ``class =`` filter of the text)."""
        self._statement = self._statement.with_filter(property_name, "=", class_name)
        self._bound = None

    def run(self, **kwargs: Any) -> QueryIterator:
        """Iterate, applying the text's ``LIMIT`` and ``OFFSET`` unless the arguments give their own."""
        statement = self._statement
        if statement.limit is not None:
            kwargs.setdefault("limit", statement.limit)
        kwargs.setdefault("offset", statement.offset)
        return super().run(**kwargs)

    def _display_limits(self):
        statement = self._statement
        return (statement.limit if statement.limit else None), statement.offset

    def _bound_statement(self):
        bound = self._bound
        if bound is None:
            namespace = self._namespace
            app = self._app

            def make_key(*path):
                return Key.from_path(*path, _app=app, namespace=namespace)

            bound = self._bound = gql.bind(
                self._statement, self._args, self._kwds,
                make_key=make_key, make_key_from_string=Key, make_geopt=GeoPt,
                make_user=lambda email: users.User(email),
            )
        return bound

    def _spec(self):
        bound = self._bound_statement()
        model_class = self._model_class
        statement = self._statement
        conditions = tuple(
            _filters.make_condition(model_class, statement.keys_only, f.property, f.operator, f.value)
            for f in bound.filters
        )
        ancestor = None
        if bound.has_ancestor:
            ancestor = _ancestor_key(bound.ancestor)
        if model_class is None:
            for ordering in statement.orderings:
                _filters.check_order_name(None, ordering.property, ordering.descending)
        return QuerySpec(
            model_class=model_class,
            kind=statement.kind,
            keys_only=statement.keys_only,
            projection=statement.projection,
            distinct=statement.distinct,
            conditions=conditions,
            ancestor=ancestor,
            orderings=statement.orderings,
            namespace=self._namespace,
            app=self._app,
            start_cursor=self._cursor,
            end_cursor=self._end_cursor,
        )

    def __str__(self):
        """The GQL text with the bound values; with ``:1``-style parameters while arguments are missing."""
        try:
            return super().__str__()
        except Error:
            return str(self._statement)

    def __repr__(self):
        return "<db.GqlQuery %s>" % (self,)


def _ancestor_key(value):
    """Legacy ``_GetCompleteKeyOrError`` for ``ANCESTOR IS``: a Key, a key string (BadKeyError if it is not
    one) or a saved instance; BadKeyError if incomplete, BadArgumentError for anything else."""
    if isinstance(value, str):
        value = Key(value)
    elif is_model(value):
        value = value.key()
    if not isinstance(value, Key):
        raise BadArgumentError("Expects argument to be an Entity or Key; received %r (a %s)."
                               % (value, type(value).__name__))
    if not value.has_id_or_name():
        raise BadKeyError("Key %r is not complete." % (value,))
    return value


def _split_app(app):
    """Legacy ``_app``: a project id, or an ``(app, namespace)`` pair."""
    if isinstance(app, tuple):
        if len(app) != 2:
            raise BadArgumentError("_app must have 2 values if type is tuple.")
        return app
    return app, None
