"""Legacy ``db`` queries: ``db.Query``, ``db.GqlQuery``, cursors, and the N+1 helpers.

Layout (one job per module):

``filters``     filter strings, operand conversion, order checks (all before any RPC)
``spec``        the frozen description of one run, IN / != expansion, ndb translation, GQL text
``iteration``   batched streaming of results, merged sub-queries, counting
``results``     raw results -> model instances or db.Key
``base``        run / fetch / get / count / cursor / with_cursor / explain (shared)
``query``       db.Query (mutable, ``Model.all()``) and query_descendants
``gql_query``   db.GqlQuery and ``Model.gql``
``cursors``     Cursor, websafe_encode_cursor / websafe_decode_cursor
``references``  counting one-by-one ReferenceProperty dereferences, the opt-in N+1 warning
"""

from compat.db.query.base import QueryIterator
from compat.db.query.cursors import Cursor, websafe_decode_cursor, websafe_encode_cursor
from compat.db.query.gql_query import GqlQuery
from compat.db.query.query import Query, query_descendants
from compat.db.query.references import DereferenceCounter, count_dereferences, warn_on_dereferences

__all__ = [
    "Cursor",
    "DereferenceCounter",
    "GqlQuery",
    "Query",
    "QueryIterator",
    "count_dereferences",
    "query_descendants",
    "warn_on_dereferences",
    "websafe_decode_cursor",
    "websafe_encode_cursor",
]
