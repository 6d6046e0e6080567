"""``db.Query``: the legacy mutable query (``Model.all()``), and ``db.query_descendants``.

``filter()``, ``order()``, ``ancestor()`` and ``with_cursor()`` change the
query and return it, as legacy's did, so both ``q.filter(...)`` on its own
line and chained calls work. Each run takes a frozen snapshot
(:class:`~compat.db.query.spec.QuerySpec`): changing ``q`` afterwards does not
change an iterator already running, and no query shares its filter or order
lists with another.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from compat.db._kinds import PropertiedClass, is_model, is_model_class
from compat.db.errors import BadArgumentError, NotSavedError
from compat.db.keys import Key, Keyed, is_ndb_key
from compat.db.query import filters as _filters
from compat.db.query.base import BaseQuery, _check_projection
from compat.db.query.spec import QuerySpec


class Query(BaseQuery):
    """A query over the instances of a Model class (or over every kind when ``model_class`` is None).

    ``Query(model_class=None, keys_only=False, cursor=None, namespace=None,
    projection=None, distinct=False)``; ``_app`` selects another project.
    """

    _keys_only = False
    _distinct = False
    _projection = None
    _namespace = None
    _app = None

    def __init__(self, model_class: Optional[PropertiedClass] = None, keys_only: bool = False,
                 cursor: Union[str, bytes, None] = None, namespace: Optional[str] = None, _app: Optional[str] = None,
                 distinct: bool = False, projection: Union[list[str], tuple[str, ...], None] = None) -> None:
        if model_class is not None and not is_model_class(model_class):
            raise BadArgumentError("Query expects a Model class or None; received %r" % (model_class,))
        super().__init__(model_class)
        if keys_only:
            self._keys_only = True
        if projection:
            self._projection = _check_projection(projection, model_class)
        if namespace is not None:
            if not isinstance(namespace, str):
                raise BadArgumentError("value should be a string; received %r (a %s):" % (namespace, type(namespace)))
            self._namespace = namespace
        if _app is not None:
            self._app = _app
        if distinct:
            self._distinct = True
        self._conditions: list[Any] = []
        self._orderings: list[Any] = []
        self._ancestor: Optional[Key] = None
        self.with_cursor(cursor)

    def is_keys_only(self) -> bool:
        """True if the query returns keys instead of entities."""
        return self._keys_only

    def projection(self) -> Optional[tuple[str, ...]]:
        """The tuple of projected property names, or None."""
        return self._projection

    def is_distinct(self) -> bool:
        """True for a distinct projection query."""
        return self._distinct

    def filter(self, property_operator: str, value: Any) -> Query:
        """Add ``'prop op'`` with ``value`` (op: = == != < <= > >= IN; a bare 'prop' means =); returns self.

        Raises (before any RPC): BadFilterError for an unparsable string,
        BadQueryError on a kindless query (only ``__key__``) and for IN / != on
        a keys-only query, PropertyError for an unindexed property,
        BadValueError for a value the property could not store or a list
        (except for IN, which needs one).
        """
        name, operator = _filters.parse_filter(property_operator)
        self._conditions.append(_filters.make_condition(self._model_class, self._keys_only, name, operator, value))
        return self

    def order(self, property: str) -> Query:  # noqa: A002  (legacy argument name)
        """Sort by ``'prop'`` (ascending) or ``'-prop'`` (descending), after earlier orders; returns self.

        PropertyError for a name the (non-Expando) model does not declare or
        an unindexed one; BadQueryError on a kindless query for anything but
        ``__key__`` ascending.
        """
        self._orderings.append(_filters.make_ordering(self._model_class, property))
        return self

    def ancestor(self, ancestor: Union[Key, Keyed]) -> Query:
        """Only return ``ancestor`` (a Key or saved instance) and its descendants; returns self.

        TypeError for anything else; NotSavedError for an incomplete key or an unsaved instance.
        """
        if is_ndb_key(ancestor):
            ancestor = Key.from_ndb(ancestor)
        if isinstance(ancestor, Key):
            if not ancestor.has_id_or_name():
                raise NotSavedError()
            self._ancestor = ancestor
        elif is_model(ancestor):
            if not ancestor.has_key():
                raise NotSavedError()
            self._ancestor = ancestor.key()
        else:
            raise TypeError("ancestor should be Key or Model")
        return self

    def _spec(self) -> QuerySpec:
        model_class = self._model_class
        return QuerySpec(
            model_class=model_class,
            kind=model_class.kind() if model_class is not None else None,
            keys_only=self._keys_only,
            projection=self._projection,
            distinct=self._distinct,
            conditions=tuple(self._conditions),
            ancestor=self._ancestor,
            orderings=tuple(self._orderings),
            namespace=self._namespace,
            app=self._app,
            start_cursor=self._cursor,
            end_cursor=self._end_cursor,
        )

    def __repr__(self) -> str:
        return "<db.Query %s>" % (self,)


def query_descendants(model_instance: Keyed) -> Query:
    """A Query for every descendant of ``model_instance`` (not the instance itself)."""
    result = Query().ancestor(model_instance)
    result.filter(_filters.KEY_PROPERTY + " >", model_instance.key())
    return result
