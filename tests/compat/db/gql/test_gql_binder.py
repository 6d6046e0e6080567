"""Binding parsed GQL to arguments: values, functions and legacy's bind-time errors."""

import datetime

import pytest

from compat.db import gql
from compat.db.errors import BadArgumentError, BadQueryError, BadValueError


class FakeKey:
    """Stands in for db.Key: records how the binder built it."""

    def __init__(self, how, *values):
        self.how, self.values = how, values

    def __eq__(self, other):
        return isinstance(other, FakeKey) and (other.how, other.values) == (self.how, self.values)

    def __repr__(self):
        return "FakeKey(%r, %r)" % (self.how, self.values)


def make_geopt(lat, lon):
    if not -90 <= lat <= 90:
        raise BadValueError("Latitude must be between -90 and 90; received %s" % lat)
    return ("GeoPt", lat, lon)


CONSTRUCTORS = dict(
    make_key=lambda *path: FakeKey("path", *path),
    make_key_from_string=lambda encoded: FakeKey("encoded", encoded),
    make_geopt=make_geopt,
    make_user=lambda email: ("User", email),
)


def bind(query, *args, **kwargs):
    return gql.bind(gql.parse(query), args, kwargs, **CONSTRUCTORS)


def bound_value(value_text, *args, **kwargs):
    bound = bind("SELECT * FROM K WHERE p = " + value_text, *args, **kwargs)
    return bound.filters[0].value


# -- parameters -------------------------------------------------------------------


def test_literals_bind_to_themselves():
    bound = bind("SELECT * FROM K WHERE a = 1 AND b = 'x' AND c = 2.5 AND d = TRUE AND e = NULL")
    assert [(f.property, f.operator, f.value) for f in bound.filters] == [
        ("a", "=", 1),
        ("b", "=", "x"),
        ("c", "=", 2.5),
        ("d", "=", True),
        ("e", "=", None),
    ]


def test_positional_and_named_parameters():
    bound = bind("SELECT * FROM K WHERE a = :1 AND b = :who AND c = :2 AND d = :1", 10, 20, who="me")
    assert [f.value for f in bound.filters] == [10, "me", 20, 10]


def test_values_are_values_never_text():
    hostile = "x' OR '1' = '1"
    statement = gql.parse("SELECT * FROM K WHERE a = :1")
    bound = gql.bind(statement, (hostile,))
    assert bound.filters[0].value == hostile
    assert str(statement) == "SELECT * FROM K WHERE a = :1"


def test_any_python_object_binds_unchanged():
    marker = object()
    assert bound_value(":1", marker) is marker


def test_rebinding_the_same_statement():
    statement = gql.parse("SELECT * FROM K WHERE a = :1 AND b IN :items")
    first = gql.bind(statement, (1,), {"items": [1, 2]})
    second = gql.bind(statement, (2,), {"items": [3]})
    assert [f.value for f in first.filters] == [1, [1, 2]]
    assert [f.value for f in second.filters] == [2, [3]]
    assert first.statement is second.statement is statement


def test_missing_positional_argument():
    with pytest.raises(BadArgumentError, match=r"requires argument #2, but only has 1 args"):
        bind("SELECT * FROM K WHERE a = :1 AND b = :2", 1)


def test_missing_named_argument():
    with pytest.raises(BadArgumentError, match="Missing named arguments for bind, requires argument who"):
        bind("SELECT * FROM K WHERE a = :who")


def test_unused_positional_arguments():
    with pytest.raises(BadArgumentError, match=r"Unused positional arguments \[2, 3\]"):
        bind("SELECT * FROM K WHERE a = :1", 1, 2, 3)


def test_positional_arguments_used_only_inside_functions_count_as_used():
    bound = bind("SELECT * FROM K WHERE k IN (KEY(:1, :2)) AND d = DATE(:3, 1, 1)", "A", 5, 2010)
    assert bound.filters[0].value == [FakeKey("path", "A", 5)]
    assert bound.filters[1].value == datetime.datetime(2010, 1, 1)


def test_unused_keyword_arguments_are_ignored_as_in_legacy():
    assert bind("SELECT * FROM K WHERE a = :1", 1, extra="ignored").filters[0].value == 1


def test_no_parameters_and_no_arguments():
    assert bind("SELECT * FROM K").filters == ()


# -- IN and != ---------------------------------------------------------------------


def test_in_with_literal_list_and_bound_list():
    assert bound_value_in("(1, 2, :1)", 3) == [1, 2, 3]
    assert bound_value_in(":1", [4, 5]) == [4, 5]


def bound_value_in(text, *args):
    return bind("SELECT * FROM K WHERE p IN " + text, *args).filters[0].value


def test_in_needs_a_list_like_legacy():
    for not_a_list in ((1, 2), {1}, 5, "ab", None):
        with pytest.raises(BadArgumentError, match='List expected for "IN" filter'):
            bound_value_in(":1", not_a_list)
    with pytest.raises(BadArgumentError):
        bind("SELECT * FROM K WHERE p IN 5")


def test_in_with_an_empty_list_is_kept_for_the_query_layer():
    bound = bind("SELECT * FROM K WHERE p IN :1", [])
    assert bound.filters[0].value == [] and bound.subquery_count == 1


def test_in_and_not_equal_stay_operators_and_count_subqueries():
    bound = bind("SELECT * FROM K WHERE a IN :1 AND b != 2 AND c = 3", [1, 2, 3])
    assert [f.operator for f in bound.filters] == ["IN", "!=", "="]
    assert bound.subquery_count == 6


def test_keys_only_queries_refuse_in_and_not_equal():
    for condition in ("a IN (1, 2)", "a != 1"):
        with pytest.raises(BadQueryError, match="Keys only queries do not support IN or != filters"):
            bind("SELECT __key__ FROM K WHERE " + condition)
    assert bind("SELECT __key__ FROM K WHERE a = 1").keys_only


def test_at_most_thirty_subqueries():
    assert bind("SELECT * FROM K WHERE a IN :1 AND b != 1", list(range(15))).subquery_count == 30
    with pytest.raises(BadArgumentError, match="too many IN/!= values"):
        bind("SELECT * FROM K WHERE a IN :1 AND b != 1", list(range(16)))
    with pytest.raises(BadArgumentError):
        bind("SELECT * FROM K WHERE a IN :1", list(range(31)))


# -- select list -------------------------------------------------------------------


def test_distinct_needs_a_projection_at_bind_time():
    statement = gql.parse("SELECT DISTINCT * FROM K")  # legacy parsed it, then Bind refused it
    with pytest.raises(BadQueryError, match="cannot specify distinct without a projection"):
        gql.bind(statement)
    assert bind("SELECT DISTINCT a FROM K").distinct


def test_bound_statement_exposes_the_statement_clauses():
    bound = bind("SELECT a, b FROM K ORDER BY a DESC LIMIT 3, 4 HINT ORDER_FIRST")
    assert (bound.kind, bound.projection, bound.keys_only, bound.distinct) == ("K", ("a", "b"), False, False)
    assert bound.orderings == (gql.Ordering("a", True),)
    assert (bound.limit, bound.offset, bound.hint) == (4, 3, "ORDER_FIRST")


# -- ancestor ------------------------------------------------------------------------


def test_ancestor_binds_like_any_value():
    bound = bind("SELECT * FROM K WHERE ANCESTOR IS :1 AND a = 1", "parent")
    assert bound.has_ancestor and bound.ancestor == "parent"
    assert [f.property for f in bound.filters] == ["a"]
    bound = bind("SELECT * FROM K WHERE ANCESTOR IS KEY('P', 7)")
    assert bound.ancestor == FakeKey("path", "P", 7)


def test_no_ancestor_versus_a_null_ancestor():
    assert not bind("SELECT * FROM K").has_ancestor
    bound = bind("SELECT * FROM K WHERE ANCESTOR IS :1", None)
    assert bound.has_ancestor and bound.ancestor is None


# -- KEY -------------------------------------------------------------------------------


def test_key_path_form():
    assert bound_value("KEY('A', 1, 'B', 'name')") == FakeKey("path", "A", 1, "B", "name")
    assert bound_value("KEY(:1, :2)", "A", 1) == FakeKey("path", "A", 1)


def test_key_encoded_string_form():
    assert bound_value("KEY('agxzfmV4YW1wbGVyCwsSBVN0b3J5GAwM')") == FakeKey(
        "encoded", "agxzfmV4YW1wbGVyCwsSBVN0b3J5GAwM"
    )
    assert bound_value("KEY(:1)", "abc") == FakeKey("encoded", "abc")


@pytest.mark.parametrize("text, args", [("KEY('A', 1, 'B')", ()), ("KEY(5)", ()), ("KEY(:1)", (7,))])
def test_key_with_odd_arguments_is_a_cast_error(text, args):
    with pytest.raises(BadQueryError, match="Type Cast Error: .* with operation KEY .*even number"):
        bound_value(text, *args)


def test_constructor_errors_propagate():
    with pytest.raises(BadValueError, match="Latitude"):
        bound_value("GEOPT(91, 0)")


def test_missing_constructor_is_a_type_error_naming_it():
    statement = gql.parse("SELECT * FROM K WHERE k = KEY('A', 1)")
    with pytest.raises(TypeError, match="make_key="):
        gql.bind(statement)
    assert gql.bind(gql.parse("SELECT * FROM K WHERE d = DATE(2010, 1, 1)")).filters[0].value == (
        datetime.datetime(2010, 1, 1)
    )


# -- DATETIME / DATE / TIME ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DATETIME('2010-01-02 03:04:05')", datetime.datetime(2010, 1, 2, 3, 4, 5)),
        ("DATETIME('2010-1-2 3:4:5')", datetime.datetime(2010, 1, 2, 3, 4, 5)),
        ("DATETIME(2010, 1, 2)", datetime.datetime(2010, 1, 2)),
        ("DATETIME(2010, 1, 2, 3, 4, 5)", datetime.datetime(2010, 1, 2, 3, 4, 5)),
        ("DATETIME(2010, 1, 2, 3, 4, 5, 6)", datetime.datetime(2010, 1, 2, 3, 4, 5, 6)),
        ("DATE('2010-01-02')", datetime.datetime(2010, 1, 2, 0, 0, 0)),
        ("DATE(2010, 1, 2)", datetime.datetime(2010, 1, 2, 0, 0, 0)),
        ("TIME('03:04:05')", datetime.datetime(1970, 1, 1, 3, 4, 5)),
        ("TIME(3)", datetime.datetime(1970, 1, 1, 3)),
        ("TIME(3, 4)", datetime.datetime(1970, 1, 1, 3, 4)),
        ("TIME(3, 4, 5)", datetime.datetime(1970, 1, 1, 3, 4, 5)),
        ("TIME(3, 4, 5, 6)", datetime.datetime(1970, 1, 1, 3, 4, 5, 6)),
    ],
)
def test_date_and_time_functions_give_naive_datetimes_like_legacy(text, expected):
    value = bound_value(text)
    assert type(value) is datetime.datetime and value == expected and value.tzinfo is None


def test_date_and_time_functions_of_parameters():
    assert bound_value("DATETIME(:1)", "2011-12-13 14:15:16") == datetime.datetime(2011, 12, 13, 14, 15, 16)
    assert bound_value("DATE(:y, :m, :d)", y=2011, m=2, d=3) == datetime.datetime(2011, 2, 3)
    assert bound_value("TIME(:1)", 7) == datetime.datetime(1970, 1, 1, 7)
    assert bound_value("TIME(:1)", b"07:08:09") == datetime.datetime(1970, 1, 1, 7, 8, 9)


def test_date_functions_of_literals_are_reused_across_binds():
    statement = gql.parse("SELECT * FROM K WHERE d > DATETIME('2010-01-02 03:04:05')")
    first = gql.bind(statement).filters[0].value
    assert gql.bind(statement).filters[0].value is first


@pytest.mark.parametrize(
    "text, args, operation",
    [
        ("DATETIME('2010-01-02')", (), "DATETIME"),
        ("DATETIME('2010-13-01 00:00:00')", (), "DATETIME"),
        ("DATETIME(:1)", (datetime.datetime(2010, 1, 1),), "DATETIME"),
        ("DATETIME(2010)", (), "DATETIME"),  # legacy: TypeError escaped; a cast error here
        ("DATETIME(2010, 1)", (), "DATETIME"),
        ("DATETIME(2010, 1, 1.5)", (), "DATETIME"),
        ("DATETIME(2010, 2, 30)", (), "DATETIME"),
        ("DATE('2010-02-30')", (), "DATE"),
        ("DATE('2010-01-02 03:04:05')", (), "DATE"),
        ("DATE(2010)", (), "DATE"),
        ("DATE(2010, 1)", (), "DATE"),
        ("DATE(2010, 1, 2, 3)", (), "DATE"),
        ("DATE('2010', 1, 1)", (), "DATE"),
        ("TIME('25:00:00')", (), "TIME"),
        ("TIME('03:04')", (), "TIME"),
        ("TIME(1.5)", (), "TIME"),
        ("TIME(24)", (), "TIME"),
        ("TIME(1, 2, 3, 4, 5)", (), "TIME"),
        ("TIME(NULL)", (), "TIME"),
    ],
)
def test_bad_date_and_time_arguments_are_cast_errors(text, args, operation):
    with pytest.raises(BadQueryError, match="Type Cast Error: unable to cast .* with operation %s " % operation):
        bound_value(text, *args)


# -- GEOPT / USER ----------------------------------------------------------------------------


def test_geopt():
    assert bound_value("GEOPT(37.5, -122.25)") == ("GeoPt", 37.5, -122.25)
    assert bound_value("GEOPT(:1, :2)", 1, 2) == ("GeoPt", 1, 2)


def test_geopt_needs_two_values():
    for text in ("GEOPT(1)", "GEOPT(1, 2, 3)"):
        with pytest.raises(BadQueryError, match="operation GEOPT .*requires 2 input parameters"):
            bound_value(text)


def test_user():
    assert bound_value("USER('a@example.com')") == ("User", "a@example.com")
    assert bound_value("USER(:email)", email="b@example.com") == ("User", "b@example.com")


def test_user_needs_one_non_null_value():
    with pytest.raises(BadQueryError, match="operation USER .*one and only one value"):
        bound_value("USER('a', 'b')")
    with pytest.raises(BadQueryError, match="operation USER .*must be non-null"):
        bound_value("USER(NULL)")
    with pytest.raises(BadQueryError, match="must be non-null"):
        bound_value("USER(:1)", None)


def test_functions_inside_in_lists():
    value = bind(
        "SELECT * FROM K WHERE p IN (KEY('A', 1), DATE(2010, 1, 1), GEOPT(1, 2), USER('u@x'), :1)", "v"
    ).filters[0].value
    assert value == [
        FakeKey("path", "A", 1),
        datetime.datetime(2010, 1, 1),
        ("GeoPt", 1, 2),
        ("User", "u@x"),
        "v",
    ]


# -- display ---------------------------------------------------------------------------------


def test_bound_statement_prints_its_values():
    bound = bind(
        "SELECT * FROM K WHERE a = :1 AND b IN :2 AND c > DATETIME(2010, 1, 2, 3, 4, 5) "
        "AND ANCESTOR IS :3 ORDER BY c DESC LIMIT 5",
        "it's",
        [1, 2.5],
        None,
    )
    assert str(bound) == (
        "SELECT * FROM K WHERE a = 'it''s' AND b IN (1, 2.5) AND "
        "c > DATETIME('2010-01-02 03:04:05') AND ANCESTOR IS NULL ORDER BY c DESC LIMIT 5"
    )
