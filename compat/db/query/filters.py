"""Filter strings, filter operands and sort orders, checked the way legacy ``db`` checked them.

Everything here runs before any RPC, so a bad query fails where it is built:

* ``'prop op'`` strings: the operators ``= == != < <= > >= IN`` (``in`` in
  any case), spaces optional around symbolic operators, a bare ``'prop'``
  meaning ``=``; anything else is ``BadFilterError``;
* kindless queries only filter on ``__key__`` (``BadQueryError``) and only
  sort by ``__key__`` ascending (``BadQueryError``);
* filtering or sorting on a declared unindexed property is a
  ``PropertyError`` (sorting or projecting on a Text / Blob property too;
  filtering on one is a ``BadValueError``, as legacy's value check made it); sorting a plain Model by an undeclared name is a
  ``PropertyError`` (filters on undeclared names are allowed, as in legacy:
  stored data may still carry properties the model no longer declares);
* ``IN`` needs a list or tuple (``BadValueError``), other operators refuse one;
  ``IN`` and ``!=`` are refused on keys-only queries (``BadQueryError``);
* operands are converted the way the property stores values
  (``Property._filter_value``: a Key or model instance for a reference,
  dates and times as stored datetimes, type-checked with ``BadValueError``);
  Text and Blob values cannot be filtered on (``BadValueError``); a
  ``__key__`` operand must be a Key or a saved instance (``BadFilterError``);
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
from compat.db.errors import BadArgumentError, BadFilterError, BadQueryError, BadValueError, PropertyError
from compat.db.gql.ast import Ordering
from compat.db.keys import Key
from compat.db.properties.simple import UnindexedProperty

KEY_PROPERTY = "__key__"
#: Names legacy allowed in orders whatever the model declares.
SPECIAL_PROPERTIES = frozenset([KEY_PROPERTY, "__scatter__"])

EQUALITY = "="
INEQUALITY_OPERATORS = frozenset(["<", "<=", ">", ">=", "!="])
#: Every operator a condition can carry (after normalisation).
OPERATORS = frozenset(["=", "<", "<=", ">", ">=", "!=", "IN"])

_FILTER = re.compile(
    r"^\s*(?:"
    r"(?P<symbolic>\S+?)\s*(?P<symbol><=|>=|==|!=|<|>|=)"
    r"|(?P<worded>\S+)\s+(?P<word>in)"
    r"|(?P<bare>\S+)"
    r")\s*$",
    re.IGNORECASE,
)
_OPERATOR_CHARACTERS = frozenset("<>=!")


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

    @property
    def is_inequality(self):
        """True for ``< <= > >= !=``."""
        return self.operator in INEQUALITY_OPERATORS


def parse_filter(property_operator):
    """``'prop op'`` -> ``(name, operator)``; operator is one of OPERATORS (``==`` becomes ``=``).

    Raises BadFilterError for anything that is not ``name [operator]``.
    """
    if not isinstance(property_operator, str):
        raise BadFilterError("Could not parse filter string: %r (expected a string such as 'name ='"
                             % (property_operator,) + ")")
    match = _FILTER.match(property_operator)
    if match is None:
        raise BadFilterError("Could not parse filter string: %r (expected 'name', 'name op' or 'name IN' with op "
                             "one of = == != < <= > >=)" % (property_operator,))
    if match.group("symbolic") is not None:
        name, operator = match.group("symbolic"), match.group("symbol")
    elif match.group("worded") is not None:
        name, operator = match.group("worded"), "IN"
    else:
        name, operator = match.group("bare"), EQUALITY
    if set(name) <= _OPERATOR_CHARACTERS:
        raise BadFilterError("Could not parse filter string: %r (no property name)" % (property_operator,))
    if operator == "==":
        operator = EQUALITY
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
        return Condition(name, operator, [legacy for legacy, _ in converted], [stored for _, stored in converted])
    if isinstance(value, (list, tuple)):
        raise BadValueError("Filtering on lists is not supported")
    if operator == "!=" and keys_only:
        raise BadQueryError("Keys only queries do not support != filters.")
    legacy, stored = _convert_operand(model_class, name, value)
    return Condition(name, operator, legacy, stored)


def check_filter_name(model_class, name):
    """Legacy's filter-name checks: kindless -> ``__key__`` only; declared unindexed -> PropertyError."""
    if model_class is None:
        if name != KEY_PROPERTY:
            raise BadQueryError("Only %s filters are allowed on kindless queries." % KEY_PROPERTY)
    elif name in model_class._unindexed_properties:
        raise PropertyError("Property '%s' is not indexed" % name)


def _convert_operand(model_class, name, value):
    """``(legacy_value, stored_value)`` for one operand (one IN item)."""
    if name == KEY_PROPERTY:
        key = _key_operand(value)
        return key, key._ds
    prop = model_class._by_stored_name.get(name) if model_class is not None else None
    if prop is not None:
        legacy = _property_operand(prop, name, value)
    else:
        legacy = normalize_operand(value)
    try:
        stored, _meaning, raw = _values.to_datastore(legacy)
    except TypeError:
        raise BadValueError("Cannot filter %s on a %s value (%r)" % (name, type(value).__name__, value))
    if raw:
        raise BadValueError("Filtering on %s properties is not supported." % type(legacy).__name__)
    if isinstance(stored, list):
        raise BadValueError("Filtering on lists is not supported")
    if isinstance(stored, _DsEntity):
        raise BadValueError(
            "Cannot filter %s on a %s value: Cloud Datastore stores it as an embedded entity, which queries "
            "cannot compare (legacy App Engine could filter on users.User; store the email or user_id in a "
            "StringProperty to query on it)." % (name, type(legacy).__name__))
    return legacy, stored


def _property_operand(prop, name, value):
    """``prop._filter_value(value)``; when it refuses a value legacy normalised first (a ``date`` for a
    DateTimeProperty means midnight), the normalised value is tried."""
    try:
        try:
            return prop._filter_value(value)
        except BadValueError:
            normalized = normalize_operand(value)
            if normalized is value:
                raise
            return prop._filter_value(normalized)
    except (TypeError, ValueError) as error:
        if isinstance(error, BadValueError):
            raise
        raise BadValueError("Invalid filter value for %s: %r (%s)" % (name, value, error))


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
    if value is not None and not isinstance(value, Key) and type(value).__name__ == "Key" and hasattr(value, "_key"):
        return Key.from_ndb(value)
    return value


def _key_operand(value):
    key = value
    if is_model(value):
        key = value.key()
    elif value is not None and not isinstance(value, Key) and type(value).__name__ == "Key" \
            and hasattr(value, "_key"):
        key = Key.from_ndb(value)
    if not isinstance(key, Key):
        raise BadFilterError("%s filter value must be a Key; received %r (a %s)"
                             % (KEY_PROPERTY, value, type(value).__name__))
    if not key.has_id_or_name():
        raise BadFilterError("%s filter value must be a complete Key; received %r" % (KEY_PROPERTY, key))
    return key


def make_ordering(model_class, order):
    """The :class:`~compat.db.gql.ast.Ordering` for ``'prop'`` / ``'-prop'``, checked as legacy ``order()`` did."""
    if not isinstance(order, str):
        raise BadArgumentError("order() expects a property name string such as 'date' or '-date'; "
                               "received %r (a %s)" % (order, type(order).__name__))
    descending = order.startswith("-")
    name = order[1:] if descending else order
    if not name:
        raise BadArgumentError("order() needs a property name; received %r" % (order,))
    check_order_name(model_class, name, descending)
    return Ordering(name, descending)


def check_order_name(model_class, name, descending):
    """Legacy's sort checks: kindless -> ``__key__`` ascending only; undeclared or unindexed -> PropertyError."""
    if model_class is None:
        if name != KEY_PROPERTY or descending:
            raise BadQueryError("Only %s ascending orders are supported on kindless queries" % KEY_PROPERTY)
        return
    if not model_class._has_dynamic_properties:
        if name not in model_class._all_properties and name not in SPECIAL_PROPERTIES:
            raise PropertyError("Invalid property name '%s'" % name)
    if is_unindexed(model_class, name):
        raise PropertyError("Property '%s' is not indexed" % name)


def is_unindexed(model_class, name):
    """True for a declared ``indexed=False`` property, or a Text / Blob property (never indexed).

    Legacy's ``_unindexed_properties`` left Text and Blob out (their ``indexed``
    attribute reads True), so sorting by one silently returned nothing; compat
    refuses it like any unindexed property.
    """
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
