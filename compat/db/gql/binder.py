"""Binding a parsed GQL statement to arguments: legacy ``GQL.Bind`` without the datastore.

:func:`bind` resolves every ``:1`` / ``:name`` reference, evaluates the
function literals (``KEY``, ``DATETIME``, ``DATE``, ``TIME``, ``GEOPT``,
``USER``) and checks the arguments the way legacy did at bind time, and
returns a :class:`BoundStatement` of plain Python values. Nothing is ever
interpolated into query text: values travel as values.

Objects of the model layer are built through injected constructors, so this
module never imports it:

* ``make_key(*flat_path)`` for ``KEY('Kind', id_or_name, ...)`` (even number
  of arguments) - legacy called ``Key.from_path(*values, namespace=<the
  query's namespace>)``;
* ``make_key_from_string(encoded)`` for ``KEY('<urlsafe string>')`` - legacy
  called ``Key(encoded)``;
* ``make_geopt(lat, lon)`` for ``GEOPT(lat, lon)``;
* ``make_user(email)`` for ``USER('email')``.

What legacy produced, reproduced here:

* ``DATETIME('YYYY-MM-DD HH:MM:SS')`` or ``DATETIME(y, m, d[, h[, mi[, s[, us]]]])``
  gives a naive ``datetime``;
* ``DATE('YYYY-MM-DD')`` or ``DATE(y, m, d)`` gives a ``datetime`` at midnight
  (not a ``date``);
* ``TIME('HH:MM:SS')``, ``TIME(h)``, ``TIME(h, mi)``, ``TIME(h, mi, s)`` or
  ``TIME(h, mi, s, us)`` gives a ``datetime`` on 1970-01-01 (not a ``time``);
* a bad function argument raises ``BadQueryError('Type Cast Error: ...')``;
* ``:n`` beyond the arguments, or an absent ``:name``, raises
  ``BadArgumentError('Missing ... argument ...')``; a positional argument no
  ``:n`` uses raises ``BadArgumentError('Unused positional arguments [n]')``;
  an unused keyword argument is ignored, as legacy ignored it;
* ``IN`` needs a ``list`` (a literal ``(a, b)`` or a bound ``list`` - legacy
  refused tuples too) else ``BadArgumentError``; ``IN`` and ``!=`` are kept as
  operators for the query layer to expand, but a ``SELECT __key__`` query
  using them raises ``BadQueryError``, and more than 30 sub-queries
  (``!=`` counts 2, ``IN`` its list length) raise ``BadArgumentError``;
* ``SELECT DISTINCT`` without a projection raises ``BadQueryError``.

Legacy ``db.GqlQuery.bind`` also turned model instances into keys and
``date``/``time`` values into ``datetime`` before binding; that is the caller's
job (it knows the model layer), done on ``args``/``kwargs`` before :func:`bind`.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import time
from typing import Any, Callable, Optional, Tuple

from compat.db.errors import BadArgumentError, BadQueryError
from compat.db.gql.ast import (
    FunctionCall,
    ListValue,
    Literal,
    Ordering,
    Parameter,
    Statement,
    format_value,
    render_statement,
)

#: Most datastore queries one GQL query may fan out to through IN and != (legacy's limit).
MAX_ALLOWABLE_QUERIES = 30


@dataclasses.dataclass(frozen=True)
class BoundFilter:
    """A ``WHERE`` condition with its value resolved to a Python value."""

    property: str
    operator: str
    value: Any

    def __str__(self) -> str:
        return "%s %s %s" % (self.property, self.operator, format_value(self.value))


@dataclasses.dataclass(frozen=True)
class BoundStatement:
    """A :class:`~compat.db.gql.ast.Statement` with every value resolved.

    ``filters`` keep query order and their operators (``IN`` values are
    lists; ``IN`` with an empty list means "matches nothing", which legacy
    implemented with an impossible filter). ``has_ancestor`` says whether
    there was an ``ANCESTOR IS`` (whose bound value may itself be None).
    ``subquery_count`` is how many datastore queries legacy would have run.
    """

    statement: Statement
    filters: Tuple[BoundFilter, ...]
    has_ancestor: bool
    ancestor: Any
    subquery_count: int

    @property
    def kind(self) -> Optional[str]:
        """The kind, or None (kindless)."""
        return self.statement.kind

    @property
    def keys_only(self) -> bool:
        """True for SELECT __key__."""
        return self.statement.keys_only

    @property
    def projection(self) -> Optional[Tuple[str, ...]]:
        """Projected names or None."""
        return self.statement.projection

    @property
    def distinct(self) -> bool:
        """True for SELECT DISTINCT."""
        return self.statement.distinct

    @property
    def orderings(self) -> Tuple[Ordering, ...]:
        """Tuple of Ordering."""
        return self.statement.orderings

    @property
    def limit(self) -> Optional[int]:
        """LIMIT count or None."""
        return self.statement.limit

    @property
    def offset(self) -> int:
        """OFFSET (0 when absent)."""
        return self.statement.offset

    @property
    def hint(self) -> Optional[str]:
        """HINT keyword or None."""
        return self.statement.hint

    def __str__(self) -> str:
        return render_statement(
            self.statement, self.filters, self.ancestor, format_value, self.has_ancestor
        )


def bind(
    statement: Statement,
    args: Tuple[Any, ...] = (),
    kwargs: Optional[dict[str, Any]] = None,
    *,
    make_key: Optional[Callable[..., Any]] = None,
    make_key_from_string: Optional[Callable[[str], Any]] = None,
    make_geopt: Optional[Callable[..., Any]] = None,
    make_user: Optional[Callable[[str], Any]] = None,
) -> BoundStatement:
    """Resolve ``statement``'s parameters and functions against ``args`` / ``kwargs``.

    Reproduces legacy ``GQL.Bind(args, keyword_args)`` minus building the
    datastore queries (see the module docstring for every rule and error).
    Cheap and side-effect free: call it again with new arguments to re-bind.
    A constructor that the statement needs but was not given raises
    ``TypeError`` naming it.
    """
    binding = _Binding(
        tuple(args),
        kwargs or {},
        make_key,
        make_key_from_string,
        make_geopt,
        make_user,
    )
    keys_only = statement.keys_only
    subquery_count = 1
    filters = []
    for query_filter in statement.filters:
        value = binding.evaluate(query_filter.value)
        operator = query_filter.operator
        if operator == "!=" or operator == "IN":
            if keys_only:
                raise BadQueryError("Keys only queries do not support IN or != filters.")
            if operator == "IN" and not isinstance(value, list):
                raise BadArgumentError('List expected for "IN" filter')
            subquery_count *= 2 if operator == "!=" else max(len(value), 1)
            if subquery_count > MAX_ALLOWABLE_QUERIES:
                raise BadArgumentError(
                    "Cannot satisfy query -- too many IN/!= values "
                    "(max: %d sub-queries)." % MAX_ALLOWABLE_QUERIES
                )
        filters.append(BoundFilter(query_filter.property, operator, value))
    has_ancestor = statement.ancestor is not None
    ancestor = binding.evaluate(statement.ancestor) if has_ancestor else None
    if statement.distinct and not statement.projection:
        raise BadQueryError("cannot specify distinct without a projection")
    unused = set(range(1, len(binding.args) + 1)) - statement.positional_parameters
    if unused:
        raise BadArgumentError("Unused positional arguments %s" % sorted(unused))
    return BoundStatement(statement, tuple(filters), has_ancestor, ancestor, subquery_count)


class _Binding:
    """The arguments and constructors of one :func:`bind` call."""

    __slots__ = ("args", "kwargs", "_constructors")

    def __init__(self, args, kwargs, make_key, make_key_from_string, make_geopt, make_user):
        self.args = args
        self.kwargs = kwargs
        self._constructors = {
            "make_key": make_key,
            "make_key_from_string": make_key_from_string,
            "make_geopt": make_geopt,
            "make_user": make_user,
        }

    def evaluate(self, node):
        node_type = type(node)
        if node_type is Literal:
            return node.value
        if node_type is Parameter:
            return self._parameter(node.reference)
        if node_type is ListValue:
            return [self.evaluate(item) for item in node.items]
        if node_type is FunctionCall:
            return self._call(node)
        raise TypeError("not a GQL value node: %r" % (node,))

    def _parameter(self, reference):
        if isinstance(reference, int):
            if reference <= len(self.args):
                return self.args[reference - 1]
            raise BadArgumentError(
                "Missing argument for bind, requires argument #%i, "
                "but only has %i args." % (reference, len(self.args))
            )
        try:
            return self.kwargs[reference]
        except KeyError:
            raise BadArgumentError(
                "Missing named arguments for bind, requires argument %s" % reference
            ) from None

    def _call(self, node):
        name = node.name
        if name in _TIME_FUNCTIONS:
            if all(type(arg) is Literal for arg in node.arguments):
                return _constant_time_function(name, *(arg.value for arg in node.arguments))
            return _TIME_FUNCTIONS[name]([self.evaluate(arg) for arg in node.arguments])
        values = [self.evaluate(arg) for arg in node.arguments]
        if name == "KEY":
            if len(values) % 2 == 0:
                return self._constructor("make_key", name)(*values)
            if len(values) == 1 and isinstance(values[0], str):
                return self._constructor("make_key_from_string", name)(values[0])
            _cast_error(name, values, "requires an even number of operands or a single encoded string")
        if name == "GEOPT":
            if len(values) != 2:
                _cast_error(name, values, "requires 2 input parameters")
            return self._constructor("make_geopt", name)(*values)
        if name == "USER":
            if len(values) != 1:
                _cast_error(name, values, "requires one and only one value")
            if values[0] is None:
                _cast_error(name, values, "must be non-null")
            return self._constructor("make_user", name)(values[0])
        raise TypeError("unknown GQL function %s" % name)  # the parser never makes one

    def _constructor(self, parameter, function_name):
        constructor = self._constructors[parameter]
        if constructor is None:
            raise TypeError(
                "bind() needs %s= to evaluate %s(...) in this query" % (parameter, function_name)
            )
        return constructor


def _cast_error(operation, values, message):
    raise BadQueryError(
        "Type Cast Error: unable to cast %r with operation %s (%s)" % (list(values), operation, message)
    )


def _as_text(value):
    # Legacy accepted str and unicode (encoding the latter); bytes is Python 2's str.
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value if isinstance(value, str) else None


def _make_datetime(operation, values, fields):
    try:
        return datetime.datetime(*fields)
    except (ValueError, TypeError, OverflowError) as error:
        # Legacy caught ValueError only; a TypeError (DATETIME(2020, 1) or a
        # float field) escaped as a crash. Both are cast errors here.
        _cast_error(operation, values, error)


def _parse_text(operation, values, text, pattern):
    try:
        return time.strptime(text, pattern)
    except ValueError as error:
        _cast_error(operation, values, error)


def _datetime_function(values):
    """``DATETIME('YYYY-MM-DD HH:MM:SS')`` or ``DATETIME(y, m, d, ...)`` -> datetime."""
    if len(values) == 1:
        text = _as_text(values[0])
        if text is None:
            _cast_error("DATETIME", values, "Single input value not a byte")
        fields = _parse_text("DATETIME", values, text, "%Y-%m-%d %H:%M:%S")[:6]
    else:
        fields = values
    return _make_datetime("DATETIME", values, fields)


def _date_function(values):
    """``DATE('YYYY-MM-DD')`` or ``DATE(y, m, d)`` -> datetime at midnight."""
    if len(values) == 1:
        text = _as_text(values[0])
        if text is None:
            _cast_error("DATE", values, "Single input value not a byte")
        fields = _parse_text("DATE", values, text, "%Y-%m-%d")[:6]
    elif len(values) == 3:
        fields = tuple(values) + (0, 0, 0)
    else:
        _cast_error("DATE", values, "function takes 1 string or 3 integer values")
    return _make_datetime("DATE", values, fields)


def _time_function(values):
    """``TIME('HH:MM:SS')`` or ``TIME(h[, m[, s[, us]]])`` -> datetime on 1970-01-01."""
    if len(values) == 1:
        text = _as_text(values[0])
        if text is not None:
            fields = (1970, 1, 1) + _parse_text("TIME", values, text, "%H:%M:%S")[3:6]
        elif isinstance(values[0], int):
            fields = (1970, 1, 1, values[0])
        else:
            _cast_error("TIME", values, "Single input value not a byte or integer hour")
    elif len(values) <= 4:
        fields = (1970, 1, 1) + tuple(values)
    else:
        _cast_error("TIME", values, "function takes 1 to 4 integers or 1 string")
    return _make_datetime("TIME", values, fields)


_TIME_FUNCTIONS = {
    "DATETIME": _datetime_function,
    "DATE": _date_function,
    "TIME": _time_function,
}


@functools.lru_cache(maxsize=256, typed=True)
def _constant_time_function(name, *values):
    # Date/time functions of literals give the same (immutable) datetime every
    # time; remember them so re-binding a cached statement skips strptime.
    return _TIME_FUNCTIONS[name](list(values))
