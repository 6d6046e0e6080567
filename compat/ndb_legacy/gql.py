"""``db.GqlQuery`` / ``Model.gql`` over ndb: legacy GQL where ``ndb.gql`` reads it otherwise.

``ndb.gql`` parses legacy GQL with a port of legacy's parser, but builds its
query differently in a few places that legacy apps use:

* ``WHERE ANCESTOR IS :1`` (or ``KEY(...)``): ndb drops the ancestor (or
  fails on a parameter); legacy restricted the query to the ancestor's
  descendants;
* ``prop != value``: ndb sends a NOT_EQUAL filter (refused by the emulator,
  and not legacy's meaning for list properties); legacy ran ``prop < value``
  and ``prop > value`` (see :func:`~compat.ndb_legacy.queries.not_equal`);
* ``KEY('<encoded key>')``: ndb refuses the one-string form;
* a property named like a reserved word (``group``, ``order`` ...): legacy
  parsed the query a second time without reserved words; ndb refuses it;
* an entity bound to a parameter stands for its key, as in legacy;
* ``q.bind(...)`` binds the query's parameters again (db rebinds the same
  query; ndb's ``bind`` needs an unbound query). Converted code writes
  ``q = q.bind(...)``.

:func:`gql` returns an ordinary ``ndb.Query`` (a :class:`GqlQuery`), so
everything else converted code does with it is plain ndb.
"""

from __future__ import annotations

from typing import Any, Dict, List

from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat.ndb_legacy import _ndb

from compat.ndb_legacy.multiquery import CARRIED, MergedQuery
from compat.ndb_legacy.queries import IN, not_equal

__all__ = ["GqlQuery", "gql"]


class _Parser(_ndb.GQL):
    """ndb's port of legacy's GQL parser (reserved words are keywords)."""


class _LenientParser(_ndb.GQL):
    """Legacy's second attempt: every reserved word may also name a property (``WHERE group = :1``)."""

    RESERVED_KEYWORDS: frozenset[str] = frozenset()


def _parse(text: str) -> _ndb.GQL:
    try:
        return _Parser(text)
    except exceptions.BadQueryError as error:
        try:
            return _LenientParser(text)
        except exceptions.BadQueryError:
            raise error from None


class GqlQuery(MergedQuery):
    """An ``ndb.Query`` made from legacy GQL; :meth:`bind` binds the GQL's parameters again.

    Legacy's ``q.bind(*args, **kwds)`` replaced the values of the same query;
    here it returns the query with the new values (``q = q.bind(...)``).
    Queries derived from it (``filter``, ``order``) are plain ndb queries.
    ``IN`` / ``!=`` without ``ORDER BY`` give their results merged by key, as
    legacy's MultiQuery did (:class:`~compat.ndb_legacy.multiquery.MergedQuery`).
    """

    _statement = None  # the parsed GQL this query was made from

    def _option(self, name: str, given: Any, options: Any = None) -> Any:
        # SELECT __key__: ndb's Query(keys_only=True) still returns entities; ask for the key projection
        if name == "projection" and given is None and self._statement is not None and self._statement.is_keys_only():
            return ["__key__"]
        return super()._option(name, given, options)

    def _sub_query(self, node: Any) -> ndb.Query:
        sub = super()._sub_query(node)
        query = GqlQuery(**{name: getattr(sub, name) for name in CARRIED})  # keeps SELECT __key__
        query._statement = self._statement
        return query

    def bind(self, *args: Any, **kwds: Any) -> "ndb.Query":
        """The GQL query bound to new parameter values (positional ``:1``... and named ``:name``)."""
        if self._statement is None:
            return super().bind(*args, **kwds)
        return _build(self._statement, args, kwds)


def gql(query_string: str, *args: Any, **kwds: Any) -> GqlQuery:
    """``db.GqlQuery(query_string, *args, **kwds)``: the legacy GQL query as an ndb query, its parameters bound."""
    return _build(_parse(query_string), args, kwds)


# -- building the query ---------------------------------------------------------------------------
def _build(statement: _ndb.GQL, args: tuple, kwds: dict) -> GqlQuery:
    bindings: Dict[Any, Any] = dict(kwds)
    bindings.update((index + 1, value) for index, value in enumerate(args))
    used: set = set()
    kind = statement.kind()
    model = ndb.Model._lookup_model(kind) if kind is not None else ndb.Model
    ancestor, nodes = None, []
    for (name, op), entries in sorted(statement.filters().items(), key=lambda item: str(item[0])):
        for func, values in entries:
            value = _value(func, values, bindings, used)
            if name == _ndb.ANCESTOR:
                ancestor = _as_key(value)
            else:
                nodes.append(_condition(_property(model, name), op.lower(), value))
    unused = [str(index + 1) for index in range(len(args)) if index + 1 not in used]
    if unused:
        raise exceptions.BadArgumentError("Unused positional arguments %s" % ", ".join(unused))
    orders = []
    for name, direction in statement.orderings():
        prop = _property(model, name)
        orders.append(-prop if direction == _ndb.DESCENDING else prop)
    projection = statement.projection()
    query = GqlQuery(
        kind=kind,
        ancestor=ancestor,
        filters=ndb.AND(*nodes) if len(nodes) > 1 else (nodes[0] if nodes else None),
        order_by=orders or None,
        projection=projection or None,
        distinct_on=projection if statement.is_distinct() else None,
        limit=statement.limit() if statement.limit() >= 0 else None,
        offset=statement.offset() if statement.offset() > 0 else None,
    )
    query._statement = statement
    return query


def _value(func: str, values: List[Any], bindings: dict, used: set) -> Any:
    """A filter's value: literals, bound parameters (:1, :name) and GQL functions, as legacy read them."""
    out = []
    for item in values:
        if isinstance(item, (int, str)):  # a parameter reference
            if item not in bindings:
                raise exceptions.BadArgumentError("Missing argument for bind, requires argument :%s" % item)
            used.add(item)
            out.append(_bindable(bindings[item]))
        else:
            out.append(item.Get())
    if func == "nop":
        return out[0]
    if func == "list":
        return out
    if func == "key" and len(out) == 1 and isinstance(out[0], (str, bytes)):
        return ndb.Key(urlsafe=out[0])  # KEY('<encoded key>')
    return _ndb.GQL_FUNCTIONS[func](out)


def _bindable(value: Any) -> Any:
    """An entity bound to a parameter stands for its key (also inside a list), as in legacy."""
    if isinstance(value, ndb.Model):
        return _as_key(value)
    if isinstance(value, (list, tuple)):
        return [_bindable(item) for item in value]
    return value


def _as_key(value: Any) -> ndb.Key:
    if isinstance(value, ndb.Model):
        if value.key is None:
            raise exceptions.BadArgumentError("Entity has no key: it was never put()")
        return value.key
    return value


def _property(model: type[ndb.Model], name: str) -> ndb.Property:
    """The property stored as ``name`` (``__key__`` included); a generic one for a name the model lacks."""
    if name == "__key__":
        return model.key
    prop = model._properties.get(name)
    return prop if prop is not None else ndb.GenericProperty(name)


def _condition(prop: ndb.Property, op: str, value: Any) -> Any:
    if op == "!=":
        return not_equal(prop, value)
    if op == "in":
        return IN(prop, value if isinstance(value, (list, tuple)) else [value])
    if op == "is":
        raise exceptions.BadQueryError('"IS" can only be used when comparing against "ANCESTOR"')
    return prop._comparison(op, value)

