"""The immutable syntax tree of a parsed legacy GQL statement.

A :class:`Statement` is what :func:`compat.db.gql.parse` returns: the select
list (``*``, ``__key__`` or a projection, optionally ``DISTINCT``), the kind,
the ``WHERE`` filters and ``ANCESTOR IS`` value, the orderings, ``LIMIT``,
``OFFSET`` and ``HINT``. Values in the tree are *value nodes*, never Python
objects built from them:

* :class:`Literal` - an integer, float, string, ``TRUE``/``FALSE`` or ``NULL``;
* :class:`Parameter` - ``:1`` (positional, 1-based) or ``:name`` (keyword);
* :class:`ListValue` - ``(a, b, c)``, only allowed on the right of ``IN``;
* :class:`FunctionCall` - ``KEY(...)``, ``DATETIME(...)``, ``DATE(...)``,
  ``TIME(...)``, ``GEOPT(...)`` or ``USER(...)``, whose arguments are literals
  or parameters.

Function calls are evaluated only when the statement is bound
(:mod:`compat.db.gql.binder`), exactly when legacy evaluated them, so one
parsed statement can be shared by every query built from the same text.

``str(statement)`` is canonical GQL text: keywords upper-cased, identifiers
quoted only when they must be, strings re-escaped, ``LIMIT o, n`` written as
``LIMIT n OFFSET o``. Parsing that text gives an equal statement.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime
import decimal
import functools
import math
import re
from typing import Any, Callable, Iterator, Optional, Sequence, Tuple, Union

from compat.db.gql.lexer import RESERVED_KEYWORDS

#: Operators a filter may carry (``IN`` is stored upper-case whatever was typed).
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "IN")

#: Function names legacy GQL knew (its "type casts").
FUNCTIONS = ("KEY", "DATETIME", "DATE", "TIME", "GEOPT", "USER")

#: ``HINT`` values legacy GQL accepted.
HINTS = ("ORDER_FIRST", "FILTER_FIRST", "ANCESTOR_FIRST")

_BARE_IDENTIFIER = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*", re.ASCII)


@dataclasses.dataclass(frozen=True)
class Literal:
    """A literal written in the query: int, float, str, bool or None (``NULL``)."""

    value: object

    def __str__(self) -> str:
        return format_value(self.value)


@dataclasses.dataclass(frozen=True)
class Parameter:
    """A bind-time reference: an ``int`` for ``:1`` (1-based), a ``str`` for ``:name``."""

    reference: Union[int, str]

    @property
    def is_positional(self) -> bool:
        """True for ``:1``-style references, False for ``:name``."""
        return isinstance(self.reference, int)

    def __str__(self) -> str:
        return ":%s" % (self.reference,)


@dataclasses.dataclass(frozen=True)
class FunctionCall:
    """``KEY(...)``, ``DATETIME(...)``, ``DATE(...)``, ``TIME(...)``, ``GEOPT(...)``, ``USER(...)``.

    ``name`` is upper-case; ``arguments`` are :class:`Literal` or
    :class:`Parameter` nodes (legacy allowed nothing else inside a function).
    """

    name: str
    arguments: Tuple[Union[Literal, Parameter], ...]

    def __str__(self) -> str:
        return "%s(%s)" % (self.name, ", ".join(str(arg) for arg in self.arguments))


@dataclasses.dataclass(frozen=True)
class ListValue:
    """A parenthesised list ``(a, b, ...)``: literals, parameters or function calls."""

    items: Tuple[Union[Literal, Parameter, FunctionCall], ...]

    def __str__(self) -> str:
        return "(%s)" % ", ".join(str(item) for item in self.items)


Value = Union[Literal, Parameter, FunctionCall, ListValue]


@dataclasses.dataclass(frozen=True)
class Filter:
    """``property operator value`` from the ``WHERE`` clause."""

    property: str
    operator: str
    value: Value

    def __str__(self) -> str:
        return "%s %s %s" % (format_identifier(self.property), self.operator, self.value)


@dataclasses.dataclass(frozen=True)
class Ordering:
    """``property [ASC|DESC]`` from the ``ORDER BY`` clause."""

    property: str
    descending: bool = False

    @builtins.property  # the field above is named ``property``
    def direction(self) -> str:
        """``'ASC'`` or ``'DESC'``."""
        return "DESC" if self.descending else "ASC"

    def __str__(self) -> str:
        text = format_identifier(self.property)
        return text + " DESC" if self.descending else text


@dataclasses.dataclass(frozen=True)
class Statement:
    """A parsed legacy GQL ``SELECT`` statement (immutable, shareable, cacheable).

    ``projection`` is None for ``SELECT *`` and ``SELECT __key__`` (the latter
    sets ``keys_only``); ``limit`` is None when there is no ``LIMIT``;
    ``offset`` is 0 when there is none, as legacy's ``GQL.offset()`` reported.
    """

    kind: Optional[str] = None
    keys_only: bool = False
    projection: Optional[Tuple[str, ...]] = None
    distinct: bool = False
    filters: Tuple[Filter, ...] = ()
    ancestor: Optional[Value] = None
    orderings: Tuple[Ordering, ...] = ()
    limit: Optional[int] = None
    offset: int = 0
    hint: Optional[str] = None

    @functools.cached_property
    def positional_parameters(self) -> frozenset:
        """The 1-based positions referenced anywhere (``:1`` -> 1)."""
        return frozenset(p.reference for p in self._parameters() if p.is_positional)

    @functools.cached_property
    def named_parameters(self) -> frozenset:
        """The names referenced anywhere (``:name`` -> ``'name'``)."""
        return frozenset(p.reference for p in self._parameters() if not p.is_positional)

    def _parameters(self) -> Iterator[Parameter]:
        values = [f.value for f in self.filters]
        if self.ancestor is not None:
            values.append(self.ancestor)
        for value in values:
            yield from _parameters_in(value)

    @property
    def property_names(self) -> Tuple[str, ...]:
        """Names filtered or ordered on, in query order (legacy's unindexed-property check)."""
        return tuple(f.property for f in self.filters) + tuple(o.property for o in self.orderings)

    def with_filter(self, property: str, operator: str, value: object) -> "Statement":  # noqa: A002
        """Return a copy with ``property operator value`` as the only filter on that pair.

        Reproduces how legacy ``PolyModel.gql`` forced its class filter: it
        replaced whatever filters the query had on ``(property, operator)``
        (``class =``) with one literal filter. ``value`` may be any Python
        value (it becomes a :class:`Literal`) or a value node.
        """
        operator = operator.upper()
        if operator not in OPERATORS:
            raise ValueError("operator must be one of %s, not %r" % (", ".join(OPERATORS), operator))
        if not isinstance(value, (Literal, Parameter, FunctionCall, ListValue)):
            value = Literal(value)
        kept = tuple(f for f in self.filters if (f.property, f.operator) != (property, operator))
        return dataclasses.replace(self, filters=kept + (Filter(property, operator, value),))

    def __str__(self) -> str:
        return render_statement(self, self.filters, self.ancestor, str)


def _parameters_in(value: Any) -> Iterator[Parameter]:
    if isinstance(value, Parameter):
        yield value
    elif isinstance(value, FunctionCall):
        for arg in value.arguments:
            yield from _parameters_in(arg)
    elif isinstance(value, ListValue):
        for item in value.items:
            yield from _parameters_in(item)


def render_statement(statement: Statement, filters: Sequence[Any], ancestor: Any,
                     render_value: Callable[[Any], str], has_ancestor: Optional[bool] = None) -> str:
    """Canonical GQL text for ``statement`` with ``filters``/``ancestor`` values shown by ``render_value``.

    Shared by :class:`Statement` (value nodes) and the bound statement
    (Python values), so both print the same clause layout.
    """
    parts = ["SELECT"]
    if statement.distinct:
        parts.append("DISTINCT")
    if statement.keys_only:
        parts.append("__key__")
    elif statement.projection is not None:
        parts.append(", ".join(format_identifier(name) for name in statement.projection))
    else:
        parts.append("*")
    if statement.kind is not None:
        parts.append("FROM " + format_identifier(statement.kind))
    conditions = [
        "%s %s %s" % (format_identifier(f.property), f.operator, render_value(f.value))
        for f in filters
    ]
    if has_ancestor is None:
        has_ancestor = ancestor is not None
    if has_ancestor:
        conditions.append("ANCESTOR IS " + render_value(ancestor))
    if conditions:
        parts.append("WHERE " + " AND ".join(conditions))
    if statement.orderings:
        parts.append("ORDER BY " + ", ".join(str(o) for o in statement.orderings))
    if statement.limit is not None:
        parts.append("LIMIT %d" % statement.limit)
    if statement.offset:
        parts.append("OFFSET %d" % statement.offset)
    if statement.hint is not None:
        parts.append("HINT " + statement.hint)
    return " ".join(parts)


def format_identifier(name: str) -> str:
    """``name`` bare when GQL reads it back as that identifier, else ``"double quoted"``.

    Legacy GQL could not express a name containing whitespace (its quoted
    form forbids it); such a name is still quoted here, for display.
    """
    if _BARE_IDENTIFIER.fullmatch(name) and name.upper() not in RESERVED_KEYWORDS:
        return name
    return '"%s"' % name.replace('"', '""')


def format_value(value: Any) -> str:
    """GQL text for a Python value: a literal where GQL has one, else a function or ``repr``."""
    if value is None:
        return "NULL"
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _format_float(value)
    if isinstance(value, str):
        return "'%s'" % value.replace("'", "''")
    if isinstance(value, list):
        return "(%s)" % ", ".join(format_value(item) for item in value)
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        if value.microsecond:
            fields = value.timetuple()[:6] + (value.microsecond,)
            return "DATETIME(%s)" % ", ".join(str(f) for f in fields)
        return "DATETIME('%s')" % value.strftime("%Y-%m-%d %H:%M:%S")
    return repr(value)


def _format_float(value: float) -> str:
    # Legacy's tokenizer reads digits[.digits] only (no exponent), and float()
    # of the symbol, so inf/nan/-inf are legal literals while 1e+20 is not.
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(decimal.Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text
