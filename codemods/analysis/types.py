"""The inferred types and what legacy operations return: the rules of the type engine.

:class:`~codemods.analysis.program.Program` infers types over Python's
``ast`` of every file of the run (the per-file
:class:`~codemods.analysis.inference.TypeEngine` asks it about libcst
nodes). Values are described with the small lattice below; what a legacy
call gives (``M.all()`` is a query of ``M``, ``e.key()`` a key of ``M``,
``q.fetch(n)`` a list of ``M`` entities ...) is decided here, apart from the
tree walking, so each rule is written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional


class LegacyType:
    """Base of the inferred types."""


@dataclass(frozen=True)
class ModelClassT(LegacyType):
    """The model class itself (``Comment``)."""

    model: str


@dataclass(frozen=True)
class EntityT(LegacyType):
    """An instance of a model class; ``model`` None when the class is unknown."""

    model: Optional[str]


@dataclass(frozen=True)
class KeyT(LegacyType):
    """A datastore key; ``legacy`` False for keys known to be ndb keys already.

    ``model`` is the model class of the key's kind when known (``e.key()`` of
    a ``Post`` entity), so ``db.get(k)`` is known to give a ``Post``.
    """

    legacy: bool = True
    model: Optional[str] = None


@dataclass(frozen=True)
class QueryT(LegacyType):
    """A legacy query (``db.Query`` / ``M.all()`` / GqlQuery)."""

    model: Optional[str]
    keys_only: bool = False


@dataclass(frozen=True)
class ListT(LegacyType):
    """A list (or tuple) whose items have type ``item`` (None: unknown items)."""

    item: Optional[LegacyType]


@dataclass(frozen=True)
class TupleT(LegacyType):
    """A tuple whose positions have the given types (None: unknown)."""

    items: tuple


@dataclass(frozen=True)
class StrT(LegacyType):
    """A string."""


@dataclass(frozen=True)
class NumberT(LegacyType):
    """An int or float."""


# -- joins ---------------------------------------------------------------------------
def join(types: Iterable[Optional[LegacyType]]) -> Optional[LegacyType]:
    """The most precise type every one of ``types`` has, or None (unknown).

    Equal types join to themselves; keys, entities and queries of different
    models join to the same thing of an unknown model (``KeyT(model=None)``);
    lists join item-wise, tuples position-wise. Anything else (or an unknown
    among them) is unknown.
    """
    result: Optional[LegacyType] = None
    first = True
    for item in types:
        if item is None:
            return None
        if first:
            result, first = item, False
            continue
        result = _join2(result, item) if result is not None else None
        if result is None:
            return None
    return result


def _join2(a: LegacyType, b: LegacyType) -> Optional[LegacyType]:
    if a == b:
        return a
    if type(a) is not type(b):
        return None
    if isinstance(a, KeyT) and isinstance(b, KeyT):
        if a.legacy != b.legacy:
            return None
        return KeyT(a.legacy, a.model if a.model == b.model else None)
    if isinstance(a, EntityT):
        return EntityT(None)
    if isinstance(a, QueryT) and isinstance(b, QueryT):
        if a.keys_only != b.keys_only:
            return None
        return QueryT(None, a.keys_only)
    if isinstance(a, ListT) and isinstance(b, ListT):
        if a.item is None or b.item is None:
            return ListT(None)
        return ListT(_join2(a.item, b.item))
    if isinstance(a, TupleT) and isinstance(b, TupleT):
        if len(a.items) != len(b.items):
            return None
        return TupleT(tuple(
            _join2(x, y) if x is not None and y is not None else None for x, y in zip(a.items, b.items)
        ))
    return None


# -- what legacy operations give ----------------------------------------------------------
class CallFacts:
    """What the rules below may ask about a call's arguments; the engine evaluates them lazily.

    ``type_at(i)`` is the inferred type of the i-th positional argument,
    ``string_at(i)`` its value if it is a string literal, ``keyword_true(name)``
    whether ``name=True`` is passed.
    """

    def __init__(
        self,
        count: int,
        type_at: Callable[[int], Optional[LegacyType]],
        string_at: Callable[[int], Optional[str]],
        keyword_true: Callable[[str], bool],
    ) -> None:
        self.count = count
        self.type_at = type_at
        self.string_at = string_at
        self.keyword_true = keyword_true


def item_type(container: Optional[LegacyType]) -> Optional[LegacyType]:
    """The type of the items of a list or of the results of a query."""
    if isinstance(container, ListT):
        return container.item
    if isinstance(container, QueryT):
        return KeyT(model=container.model) if container.keys_only else EntityT(container.model)
    return None


def class_method_result(index, model: str, method: str, call: CallFacts) -> Optional[LegacyType]:
    """``Model.<method>(...)``: queries, getters, get_or_insert, kind.

    A query of a model that is already an ndb model is not a legacy query
    (its ``count()`` has no 1000 limit to keep, its ``filter()`` takes no
    strings): unknown, so the query rules leave it alone.
    """
    if method in ("all", "query", "gql"):
        info = index.model(model)
        if info is not None and not info.is_legacy:
            return None
        return QueryT(model, keys_only=call.keyword_true("keys_only"))
    if method in ("get_by_key_name", "get_by_id", "get"):
        if not call.count:
            return None
        first = call.type_at(0)
        if isinstance(first, ListT):
            return ListT(EntityT(model))
        if method == "get" and not isinstance(first, (StrT, KeyT)):
            return None
        # an unknown argument is taken as a single id (DB007 converts it the same way)
        return EntityT(model)
    if method == "get_or_insert":
        return EntityT(model)
    if method == "kind":
        return StrT()
    return None


def method_result(receiver: Optional[LegacyType], method: str) -> Optional[LegacyType]:
    """``x.<method>()`` on an entity, a key or a query."""
    if isinstance(receiver, EntityT):
        if method in ("key", "put"):
            return KeyT(model=receiver.model)
        if method == "parent_key":
            return KeyT()
        if method == "parent":
            return EntityT(None)
        return None
    if isinstance(receiver, KeyT):
        if method == "parent":
            return KeyT()
        if method == "get":
            return EntityT(receiver.model)
        return None
    if isinstance(receiver, QueryT):
        if method in ("filter", "order", "ancestor", "with_cursor", "bind"):
            return receiver
        if method in ("fetch", "run", "iter"):
            return ListT(item_type(receiver))
        if method == "get":
            return item_type(receiver)
        if method == "count":
            return NumberT()
        return None
    if isinstance(receiver, StrT):
        if method in _STR_TO_STR:
            return StrT()
        if method in SPLIT_METHODS:
            return ListT(StrT())
    return None


#: str methods that give a str (for ``s.strip()`` chains)
_STR_TO_STR = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "replace", "decode", "format", "title", "capitalize"})
#: methods that split a string into a list of strings, on any receiver (see :func:`split_result`)
SPLIT_METHODS = frozenset({"split", "rsplit", "splitlines"})


def split_result(method: str) -> Optional[LegacyType]:
    """``x.split(...)`` on a receiver of unknown type that is not a module: a list of str.

    A heuristic, and the only one: ``split``/``rsplit``/``splitlines`` are
    string methods (``os.path.split`` and ``re.split`` are module functions
    and excluded by the callers), and ``path.split('/')`` is how legacy
    handlers took keys out of URLs.
    """
    if method in SPLIT_METHODS:
        return ListT(StrT())
    return None


def attribute_result(index, receiver: Optional[LegacyType], attr: str) -> Optional[LegacyType]:
    """``e.<attr>`` on an entity: a referenced entity, a list of keys, a back-reference query."""
    if not isinstance(receiver, EntityT) or not receiver.model:
        return None
    model = index.model(receiver.model)
    if model is None:
        return None
    prop = model.properties.get(attr)
    if prop is not None:
        if prop.is_reference:
            target = model.qualname if prop.reference == "<self>" else prop.reference
            return EntityT(target if index.model(target) else None)
        if prop.ctor == "db.ListProperty" and prop.item_type in ("db.Key", "Key"):
            return ListT(KeyT())
        if prop.ctor in ("ndb.KeyProperty",):
            return KeyT()
        return None
    backref = index.back_reference(model.qualname, attr)
    if backref is not None:
        return QueryT(backref[0])
    if attr == "key" and not model.is_legacy:
        return KeyT(legacy=False, model=model.qualname)
    return None


#: transaction runners: the position of the callback they call with the remaining arguments
TRANSACTION_RUNNERS = {
    "db.run_in_transaction": 0, "db.RunInTransaction": 0, "db.run_in_read_only_transaction": 0,
    "db.run_in_transaction_custom_retries": 1, "db.RunInTransactionCustomRetries": 1,
    "db.run_in_transaction_options": 1, "db.run_in_read_only_transaction_options": 1,
}


def runner_callback(names: set) -> Optional[int]:
    """For a call of a transaction runner (canonical ``names``): the position of its callback."""
    for name in names:
        if name in TRANSACTION_RUNNERS:
            return TRANSACTION_RUNNERS[name]
    return None


_GQL_FROM = re.compile(r"^\s*SELECT\s+(\*|__key__)\s+FROM\s+(\w+)\b", re.IGNORECASE)


def gql_query(index, text: Optional[str]) -> "QueryT":
    """``db.GqlQuery('SELECT * FROM Post ...')``: a query of the model whose kind is ``Post``."""
    if text is not None:
        match = _GQL_FROM.match(text)
        if match is not None:
            model = index.model_by_kind(match.group(2))
            return QueryT(model, keys_only=match.group(1) == "__key__")
    return QueryT(None)


def legacy_call_result(index, names: set, call: CallFacts) -> Optional[LegacyType]:
    """Calls of the legacy API (canonical ``names``): keys, queries, db.get/put."""
    if "db.Key.from_path" in names:
        # the kind of the last (kind, id) pair is the key's kind
        kind = call.string_at(call.count - 2) if call.count >= 2 and call.count % 2 == 0 else None
        return KeyT(model=index.model_by_kind(kind) if kind else None)
    if "db.Key" in names:
        return KeyT()
    if "ndb.Key" in names:
        return KeyT(legacy=False)
    if "db.Query" in names:
        model = call.type_at(0) if call.count else None
        return QueryT(model.model if isinstance(model, ModelClassT) else None, keys_only=call.keyword_true("keys_only"))
    if "db.GqlQuery" in names:
        return gql_query(index, call.string_at(0) if call.count else None)
    if "db.put" in names:
        arg = call.type_at(0) if call.count else None
        if isinstance(arg, ListT):
            return ListT(KeyT(model=arg.item.model if isinstance(arg.item, EntityT) else None))
        if isinstance(arg, EntityT):
            return KeyT(model=arg.model)
        return None
    if "db.get" in names:
        arg = call.type_at(0) if call.count else None
        if isinstance(arg, ListT):
            return ListT(EntityT(arg.item.model if isinstance(arg.item, KeyT) else None))
        if isinstance(arg, KeyT):
            return EntityT(arg.model)
        if isinstance(arg, StrT):
            return EntityT(None)
    return None


class Cycle(LegacyType):
    """Marker: the value depends on itself (``xs.append(x)`` where ``x`` comes from ``xs``).

    A cycle adds no information: the other assignments decide (an optimistic
    fixed point). Never returned to rules; a value computed while a cycle
    was open is not memoised (:meth:`Program._memoized
    <codemods.analysis.program.Program>`).
    """


CYCLE = Cycle()


def join_cycles(types: list) -> Optional[LegacyType]:
    """:func:`join`, ignoring values that depend on themselves (CYCLE when nothing else is known).

    Program joins the values a name is assigned (and a function returns,
    and its call sites pass) this way.
    """
    if any(t is None for t in types):
        return None
    known = [t for t in types if t is not CYCLE]
    if not known:
        return CYCLE if types else None
    return join(known)


def plain_type(found: Optional[LegacyType]) -> Optional[LegacyType]:
    """``found``, with CYCLE read as unknown (what a rule or a call site may see)."""
    return None if found is CYCLE else found


def type_at(found: Optional[LegacyType], path: tuple) -> Optional[LegacyType]:
    """The type at ``path`` inside nested tuples (unpacking targets); CYCLE stays CYCLE."""
    if found is CYCLE:
        return CYCLE
    for index in path:
        if not isinstance(found, TupleT) or index >= len(found.items):
            return None
        found = found.items[index]
    return found
