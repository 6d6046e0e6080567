"""Legacy GQL for ``compat.db``: parse once, bind many times.

This package reproduces ``google.appengine.ext.gql`` - the language behind
``db.GqlQuery(query_string, *args, **kwds)`` and ``Model.gql(clause, ...)`` -
as two independent steps, neither of which touches the datastore or the model
layer:

1. :func:`parse` (or :func:`parse_clause` for ``Model.gql``) turns text into
   an immutable :class:`Statement`; results are cached by text, so building
   the same ``GqlQuery`` again costs a dictionary lookup. Syntax errors raise
   :class:`GqlSyntaxError`, a ``compat.db.errors.BadQueryError`` whose
   message names the character offset, the offending symbol and what was
   expected.
2. :func:`bind` resolves ``:1`` / ``:name``
   references and function literals against arguments and returns a
   :class:`BoundStatement` of plain Python values. Call it again with new
   arguments to re-bind; the statement is never re-parsed.

Typical wiring (what ``db.GqlQuery`` does with it)::

    from compat.db import gql

    statement = gql.parse("SELECT * FROM Story WHERE author = :1 "
                          "AND created > DATETIME('2010-01-01 00:00:00') "
                          "ORDER BY created DESC LIMIT 10")
    bound = gql.bind(statement, ("alice",), {},
                     make_key=lambda *path: db.Key.from_path(*path, namespace=ns),
                     make_key_from_string=db.Key,
                     make_geopt=db.GeoPt,
                     make_user=lambda email: users.User(email))
    bound.kind                 # 'Story'
    bound.filters              # (BoundFilter('author', '=', 'alice'),
                               #  BoundFilter('created', '>', datetime(2010, 1, 1)))
    bound.orderings, bound.limit, bound.offset
    str(statement)             # canonical GQL text, parameters shown as :1

See docs/gql.md for the grammar, every literal and function, the binding
rules and the legacy quirks that are kept (or deliberately fixed).
"""

from compat.db.gql.ast import (
    FUNCTIONS,
    HINTS,
    OPERATORS,
    Filter,
    FunctionCall,
    ListValue,
    Literal,
    Ordering,
    Parameter,
    Statement,
    Value,
)
from compat.db.gql.binder import MAX_ALLOWABLE_QUERIES, BoundFilter, BoundStatement, bind
from compat.db.gql.parser import CACHE_SIZE, GqlSyntaxError, cache_clear, parse, parse_clause

__all__ = [
    "BoundFilter",
    "BoundStatement",
    "CACHE_SIZE",
    "FUNCTIONS",
    "Filter",
    "FunctionCall",
    "GqlSyntaxError",
    "HINTS",
    "ListValue",
    "Literal",
    "MAX_ALLOWABLE_QUERIES",
    "OPERATORS",
    "Ordering",
    "Parameter",
    "Statement",
    "Value",
    "bind",
    "cache_clear",
    "parse",
    "parse_clause",
]
