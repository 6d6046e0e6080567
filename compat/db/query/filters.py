"""Filter strings, filter operands and sort orders, checked the way legacy ``db`` checked them.

Everything here runs before any RPC, so a bad query fails where it is built:

* ``'prop op'`` strings are read with legacy's own pattern,
  ``^\\s*(\\S+)(\\s+(op)\\s*)?$``: the operator must be separated from the
  name by whitespace, so ``'n='`` filters on a property named ``n=`` (and
  matches nothing), as in legacy; a string the pattern does not match is a
  ``FilterParseError`` (a ``BadFilterError`` and an ``AttributeError``, what
  legacy raised);
* kindless queries only filter on ``__key__`` (``BadQueryError``) and only
  sort by ``__key__`` ascending (``BadQueryError``);
* filtering or sorting on a declared ``indexed=False`` property is a
  ``PropertyError``; a Text or Blob *value* cannot be filtered on
  (``BadValueError``), but a filter or sort on a TextProperty / BlobProperty
  with another value runs and matches nothing (legacy); sorting a plain
  Model by an undeclared name is a ``PropertyError``;
* ``IN`` needs a list or tuple (``BadValueError``), other operators refuse one;
  ``IN`` and ``!=`` are refused on keys-only queries (``BadQueryError``);
* operands are normalised as legacy did (a model instance becomes its Key,
  a date the datetime it is stored as) and are not checked against the
  property's type: a filter whose value the property could never hold
  simply matches nothing (strict mode warns); a ``__key__`` operand must be
  a Key or a saved instance (``BadFilterError``);
* a ``users.User`` operand is sent as the user value legacy stored (an
  embedded entity with meaning 20), which Cloud Datastore compares by email
  and auth domain, as legacy did;
* a string or byte string operand over 1500 bytes can equal no stored
  (indexed) value: ``=`` matches nothing without an RPC, and inequalities
  compare with its first 1500 bytes, as legacy's results showed;
* one inequality property per query (``BadFilterError``), and it must be the
  first sort order if there is one (``BadArgumentError``), checked when the
  query runs, as legacy did.
"""

import dataclasses
import datetime
import re

from google.cloud.datastore.entity import Entity as _DsEntity

from compat.db import _values
from compat.db._kinds import is_model
from compat.db.errors import (
    BadArgumentError, BadFilterError, BadQueryError, BadValueError, FilterParseError, FilterTypeError, OrderTypeError,
    PropertyError,
)
from compat.db.gql.ast import Ordering
from compat.db.keys import Key, is_ndb_key
from compat.db.properties.simple import UnindexedProperty
from compat.warnings import strict_warning

KEY_PROPERTY = "__key__"
#: Names legacy allowed in orders whatever the model declares.
SPECIAL_PROPERTIES = frozenset([KEY_PROPERTY, "__scatter__"])

EQUALITY = "="
INEQUALITY_OPERATORS = frozenset(["<", "<=", ">", ">=", "!="])
#: Every operator a condition can carry (after normalisation).
OPERATORS = frozenset(["=", "<", "<=", ">", ">=", "!=", "IN"])

#: Legacy's filter pattern (``google.appengine.ext.db._FILTER_REGEX``).
_FILTER = re.compile(r"^\s*([^\s]+)(\s+(%s)\s*)?$" % "|".join(["<", "<=", ">", ">=", "=", "==", "!=", "in"]),
                     re.IGNORECASE | re.UNICODE)
#: Longest indexed string or byte string the datastore stores (bytes).
MAX_INDEXED_BYTES = 1500


@dataclasses.dataclass(frozen=True)
class Condition:
    """One filter: stored property ``name``, operator, and the operand twice.

    ``value`` is the legacy-normalised operand (a ``db.Key``, a ``datetime``
    ... or a list of them for ``IN``), used for display; ``stored`` is what
    goes to the datastore (a google-cloud-datastore value, or a list of them).
    """

    name: str
    operator: str
    value: object
    stored: object
    never: bool = False  # an ``=`` no stored value can satisfy (an operand over 1500 bytes)

    @property
    def is_inequality(self):
        """True for ``< <= > >= !=``."""
        return self.operator in INEQUALITY_OPERATORS


def parse_filter(property_operator):
    """``'prop op'`` -> ``(name, operator)``; operator is one of OPERATORS (``==`` becomes ``=``).

    Uses legacy's pattern: the name is the first run of non-blanks, the
    operator (if any) must follow after whitespace. FilterParseError (a
    BadFilterError and an AttributeError) when the pattern does not match,
    FilterTypeError for a value that is not a ``str``.
    """
    if not isinstance(property_operator, str):
        raise FilterTypeError("Could not parse filter string: %r (expected a string such as 'name ='"
                              % (property_operator,) + ")")
    match = _FILTER.match(property_operator)
    if match is None:
        raise FilterParseError("Could not parse filter string: %r (expected 'name' or 'name op' with op one of "
                               "= == != < <= > >= IN, separated by whitespace)" % (property_operator,))
    name, operator = match.group(1), match.group(3)
    if operator is None or operator == "==":
        operator = EQUALITY
    elif operator.lower() == "in":
        operator = "IN"
    return name, operator


def make_condition(model_class, keys_only, name, operator, value):
    """The :class:`Condition` for ``name operator value`` on a query of ``model_class`` (None: kindless)."""
    if operator not in OPERATORS:
        raise BadFilterError("Unknown filter operator %r" % (operator,))
    check_filter_name(model_class, name)
    if operator == "IN":
        if keys_only:
            raise BadQueryError("Keys only queries do not support IN filters.")
        if not isinstance(value, (list, tuple)):
            raise BadValueError('Argument to the "in" operator must be a list')
        converted = [_convert_operand(model_class, name, item) for item in value]
        converted = [pair for pair in converted if not _too_long(pair[1])]  # can equal nothing stored
        return Condition(name, operator, [legacy for legacy, _ in converted], [stored for _, stored in converted])
    if isinstance(value, (list, tuple)):
        raise BadValueError("Filtering on lists is not supported")
    if operator == "!=" and keys_only:
        raise BadQueryError("Keys only queries do not support != filters.")
    legacy, stored = _convert_operand(model_class, name, value)
    if _too_long(stored):
        if operator == EQUALITY:
            return Condition(name, operator, legacy, stored, never=True)
        if operator != "!=":
            # Every stored value is at most 1500 bytes: comparing with the operand's first 1500 bytes
            # gives the same answer (v > long  <=>  v > prefix;  v < long  <=>  v <= prefix).
            operator = ">" if operator in (">", ">=") else "<="
        stored = _clip(stored)
    return Condition(name, operator, legacy, stored)


def _too_long(stored):
    if isinstance(stored, str):
        return len(stored) > MAX_INDEXED_BYTES // 4 and len(stored.encode("utf-8")) > MAX_INDEXED_BYTES
    return isinstance(stored, bytes) and len(stored) > MAX_INDEXED_BYTES


def _clip(stored):
    """The longest prefix of ``stored`` within 1500 bytes (whole characters for a string)."""
    if isinstance(stored, bytes):
        return stored[:MAX_INDEXED_BYTES]
    return stored.encode("utf-8")[:MAX_INDEXED_BYTES].decode("utf-8", "ignore")


def check_filter_name(model_class, name):
    """Legacy's filter-name checks: kindless -> ``__key__`` only; declared unindexed -> PropertyError."""
    if model_class is None:
        if name != KEY_PROPERTY:
            raise BadQueryError("Only %s filters are allowed on kindless queries." % KEY_PROPERTY)
    elif name in model_class._unindexed_properties:
        raise PropertyError("Property '%s' is not indexed" % name)


def _convert_operand(model_class, name, value):
    """``(legacy_value, stored_value)`` for one operand (one IN item).

    The operand is normalised as legacy normalised it; a declared property
    then converts it to its stored form when it can (compat's time-zone
    properties store aware values their own way). A value the property
    could never hold is sent as it is - it matches nothing, as in legacy -
    and reported in strict mode.
    """
    if name == KEY_PROPERTY:
        key = _key_operand(value)
        return key, key._ds
    legacy = normalize_operand(value)
    prop = model_class._by_stored_name.get(name) if model_class is not None else None
    if prop is not None and legacy is not None:
        legacy = _property_operand(prop, name, value, legacy)
    try:
        stored, _meaning, raw = _values.to_datastore(legacy)
    except BadValueError:
        raise BadValueError("Unsupported type for property %s: %s" % (name, type(legacy)))
    if raw is True:
        raise BadValueError("Filtering on %s properties is not supported." % type(legacy).__name__)
    if isinstance(stored, list):
        raise BadValueError("Filtering on lists is not supported")
    if isinstance(stored, _DsEntity) and _meaning != _values.types.MEANING_USER:
        raise BadValueError("Cannot filter %s on a %s value: queries cannot compare embedded entities."
                            % (name, type(legacy).__name__))
    return legacy, stored


def _property_operand(prop, name, value, legacy):
    """The operand as ``prop`` stores values, or ``legacy`` (the normalised operand) when the property
    refuses it: legacy sent such a filter anyway, and it matched nothing."""
    if isinstance(prop, UnindexedProperty):
        strict_warning("Filter on %s: a %s is never indexed, so this filter matches nothing"
                       % (name, type(prop).__name__), stacklevel=5)
        return legacy
    try:
        try:
            return prop._filter_value(value)
        except BadValueError:
            if legacy is value:
                raise
            return prop._filter_value(legacy)
    except (BadValueError, TypeError, ValueError) as error:
        strict_warning("Filter on %s with %r: the property could never hold this value, so the filter matches "
                       "nothing (%s)" % (name, value, error), stacklevel=5)
        return legacy


def normalize_operand(value):
    """Legacy ``_normalize_query_parameter``: instance -> its Key; date / time -> the stored datetime.

    An ``ndb.Key`` becomes a ``db.Key`` too.
    """
    if is_model(value):
        return value.key()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return _values.date_to_datetime(value)
    if isinstance(value, datetime.time):
        return _values.time_to_datetime(value)
    if is_ndb_key(value):
        return Key.from_ndb(value)
    return value


def _key_operand(value):
    key = value
    if is_model(value):
        key = value.key()
    elif is_ndb_key(value):
        key = Key.from_ndb(value)
    if not isinstance(key, Key):
        _values.to_datastore(normalize_operand(value))  # legacy checked the value's type first (BadValueError ...)
        raise BadFilterError("%s filter value must be a Key; received %r (a %s)"
                             % (KEY_PROPERTY, value, type(value).__name__))
    if not key.has_id_or_name():
        raise BadFilterError("%s filter value must be a complete Key; received %r" % (KEY_PROPERTY, key))
    return key


def make_ordering(model_class, order):
    """The :class:`~compat.db.gql.ast.Ordering` for ``'prop'`` / ``'-prop'``, checked as legacy ``order()`` did."""
    if not isinstance(order, str):
        raise OrderTypeError("order() expects a property name string such as 'date' or '-date'; "
                             "received %r (a %s)" % (order, type(order).__name__))
    descending = order.startswith("-")
    name = order[1:] if descending else order
    check_order_name(model_class, name, descending)
    return Ordering(name, descending)


def check_order_name(model_class, name, descending):
    """Legacy's sort checks: kindless -> ``__key__`` ascending only; undeclared or ``indexed=False`` ->
    PropertyError. (A Text or Blob property can be sorted on: only its None values are indexed.)"""
    if model_class is None:
        if name != KEY_PROPERTY or descending:
            raise BadQueryError("Only %s ascending orders are supported on kindless queries" % KEY_PROPERTY)
        return
    if not model_class._has_dynamic_properties:
        if name not in model_class._all_properties and name not in SPECIAL_PROPERTIES:
            raise PropertyError("Invalid property name '%s'" % name)
    if name in model_class._unindexed_properties:
        raise PropertyError("Property '%s' is not indexed" % name)
    if is_unindexed(model_class, name):
        strict_warning("Sort by %s: a %s is never indexed, so only entities where it is None are returned"
                       % (name, type(model_class._by_stored_name.get(name)).__name__), stacklevel=5)


def is_unindexed(model_class, name):
    """True for a declared ``indexed=False`` property, or a Text / Blob property (never indexed)."""
    if name in model_class._unindexed_properties:
        return True
    return isinstance(model_class._by_stored_name.get(name), UnindexedProperty)


def check_combination(conditions, orderings):
    """Legacy's run-time checks: one inequality property, and it sorts first when there are orders."""
    inequality = None
    for condition in conditions:
        if condition.is_inequality:
            if inequality is not None and condition.name != inequality:
                raise BadFilterError("Only one property per query may have inequality filters (<=, >=, <, >, !=).")
            inequality = condition.name
    if inequality is not None and orderings and orderings[0].property != inequality:
        raise BadArgumentError(
            "First ordering property must be the same as inequality filter property, if specified for this "
            "query; received %s, expected %s" % (orderings[0].property, inequality)
        )
