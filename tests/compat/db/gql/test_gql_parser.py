"""Parsing every clause, literal, function, operator and parameter form of legacy GQL."""

import math

import pytest

from compat.db import gql
from compat.db.errors import BadQueryError
from compat.db.gql import (
    Filter,
    FunctionCall,
    ListValue,
    Literal,
    Ordering,
    Parameter,
    Statement,
)


def only_filter(query):
    statement = gql.parse(query)
    assert len(statement.filters) == 1, statement
    return statement.filters[0]


def value_of(text):
    return only_filter("SELECT * FROM K WHERE p = " + text).value


# -- SELECT -----------------------------------------------------------------


def test_select_star_from_kind():
    assert gql.parse("SELECT * FROM Story") == Statement(kind="Story")


def test_select_keys_only():
    statement = gql.parse("SELECT __key__ FROM Story")
    assert statement.keys_only and statement.projection is None


def test_select_projection_and_distinct():
    statement = gql.parse("SELECT DISTINCT title, author.name FROM Story")
    assert statement.projection == ("title", "author.name")
    assert statement.distinct and not statement.keys_only


def test_key_in_a_longer_projection_is_a_projection_not_keys_only():
    statement = gql.parse("SELECT __key__, title FROM Story")
    assert statement.projection == ("__key__", "title") and not statement.keys_only


def test_kindless_query_without_from():
    statement = gql.parse("SELECT * WHERE __key__ > KEY('Story', 5)")
    assert statement.kind is None
    assert statement.filters == (
        Filter("__key__", ">", FunctionCall("KEY", (Literal("Story"), Literal(5)))),
    )


def test_quoted_names_anywhere_a_name_goes():
    statement = gql.parse('SELECT "my-prop" FROM "My.Kind" WHERE "a""b" = 1 ORDER BY "ORDER"')
    assert statement.projection == ("my-prop",)
    assert statement.kind == "My.Kind"
    assert statement.filters[0].property == 'a"b'
    assert statement.orderings == (Ordering("ORDER"),)


def test_dotted_names_need_no_quotes():
    assert only_filter("SELECT * FROM K WHERE address.city.zip = 1").property == "address.city.zip"


# -- WHERE ------------------------------------------------------------------


@pytest.mark.parametrize("operator", ["=", "!=", "<", "<=", ">", ">="])
def test_every_comparison_operator(operator):
    assert only_filter("SELECT * FROM K WHERE p %s 1" % operator) == Filter("p", operator, Literal(1))


def test_operators_without_spaces():
    assert only_filter("SELECT * FROM K WHERE p>=1") == Filter("p", ">=", Literal(1))


@pytest.mark.parametrize("spelling", ["IN", "in", "In"])
def test_in_is_case_insensitive_and_stored_upper_case(spelling):
    assert only_filter("SELECT * FROM K WHERE p %s (1, 2)" % spelling) == Filter(
        "p", "IN", ListValue((Literal(1), Literal(2)))
    )


def test_in_with_a_bound_list():
    assert only_filter("SELECT * FROM K WHERE p IN :1") == Filter("p", "IN", Parameter(1))


def test_several_conditions_joined_by_and_keep_their_order():
    statement = gql.parse("SELECT * FROM K WHERE b = 1 AND a > 2 and b = 3")
    assert [(f.property, f.operator) for f in statement.filters] == [("b", "="), ("a", ">"), ("b", "=")]


def test_ancestor_is():
    statement = gql.parse("SELECT * FROM K WHERE ANCESTOR IS :parent AND x = 1")
    assert statement.ancestor == Parameter("parent")
    assert statement.filters == (Filter("x", "=", Literal(1)),)


def test_ancestor_is_with_key_function_and_any_case():
    statement = gql.parse("select * from K where ancestor is key('P', 'root')")
    assert statement.ancestor == FunctionCall("KEY", (Literal("P"), Literal("root")))


def test_quoted_ancestor_is_also_the_ancestor_condition_as_in_legacy():
    assert gql.parse('SELECT * FROM K WHERE "ancestor" IS :1').ancestor == Parameter(1)


def test_distinct_with_ancestor_parses_although_legacy_rejected_it():
    statement = gql.parse("SELECT DISTINCT a FROM K WHERE ANCESTOR IS :1")
    assert statement.distinct and statement.ancestor == Parameter(1)


# -- literals -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("42", 42),
        ("-7", -7),
        ("0", 0),
        ("007", 7),
        ("+5", 5),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        (".5", 0.5),
        ("inf", math.inf),
        ("-inf", -math.inf),
        ("'text'", "text"),
        ("''", ""),
        ("'it''s'", "it's"),
        ("''''", "'"),
        ("'a \"quoted\" word'", 'a "quoted" word'),
        ("'back\\slash'", "back\\slash"),
        ("'ünïcödé'", "ünïcödé"),
        ("TRUE", True),
        ("true", True),
        ("FALSE", False),
        ("False", False),
        ("NULL", None),
        ("null", None),
    ],
)
def test_literals(text, expected):
    value = value_of(text)
    assert type(value) is Literal
    assert value.value == expected and type(value.value) is type(expected)


def test_nan_is_a_float_literal_as_legacy_float_of_the_symbol_made_it():
    assert math.isnan(value_of("nan").value)


def test_integers_stay_ints_and_floats_stay_floats():
    assert type(value_of("2").value) is int
    assert type(value_of("2.0").value) is float


def test_backslash_is_not_an_escape_in_gql_strings():
    assert value_of(r"'a\'").value == "a\\"


# -- parameters ----------------------------------------------------------------


def test_positional_and_named_parameters():
    statement = gql.parse("SELECT * FROM K WHERE a = :1 AND b = :2 AND c = :name AND d = :1")
    assert [f.value for f in statement.filters] == [
        Parameter(1),
        Parameter(2),
        Parameter("name"),
        Parameter(1),
    ]
    assert statement.positional_parameters == {1, 2}
    assert statement.named_parameters == {"name"}


def test_leading_zeros_in_positions_and_digit_leading_names():
    assert value_of(":01") == Parameter(1)
    assert value_of(":1abc") == Parameter("1abc")
    assert value_of(":_x") == Parameter("_x")


def test_parameters_inside_functions_and_lists_are_collected():
    statement = gql.parse(
        "SELECT * FROM K WHERE a IN (:1, KEY('A', :key)) AND ANCESTOR IS KEY(:kind, :3)"
    )
    assert statement.positional_parameters == {1, 3}
    assert statement.named_parameters == {"key", "kind"}


# -- functions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("KEY('Story', 12)", FunctionCall("KEY", (Literal("Story"), Literal(12)))),
        (
            "KEY('A', 'x', 'B', 3)",
            FunctionCall("KEY", (Literal("A"), Literal("x"), Literal("B"), Literal(3))),
        ),
        ("KEY('agxzfmV4YW1wbGVyCwsSBVN0b3J5GAwM')", FunctionCall("KEY", (Literal("agxzfmV4YW1wbGVyCwsSBVN0b3J5GAwM"),))),
        ("KEY(:1)", FunctionCall("KEY", (Parameter(1),))),
        ("DATETIME('2010-01-02 03:04:05')", FunctionCall("DATETIME", (Literal("2010-01-02 03:04:05"),))),
        (
            "DATETIME(2010, 1, 2, 3, 4, 5)",
            FunctionCall("DATETIME", tuple(Literal(v) for v in (2010, 1, 2, 3, 4, 5))),
        ),
        ("DATE('2010-01-02')", FunctionCall("DATE", (Literal("2010-01-02"),))),
        ("DATE(2010, 1, 2)", FunctionCall("DATE", (Literal(2010), Literal(1), Literal(2)))),
        ("TIME('03:04:05')", FunctionCall("TIME", (Literal("03:04:05"),))),
        ("TIME(3, 4)", FunctionCall("TIME", (Literal(3), Literal(4)))),
        ("GEOPT(37.4, -122.1)", FunctionCall("GEOPT", (Literal(37.4), Literal(-122.1)))),
        ("USER('a@example.com')", FunctionCall("USER", (Literal("a@example.com"),))),
        ("user(:email)", FunctionCall("USER", (Parameter("email"),))),
        ("geopt ( 1 , 2 )", FunctionCall("GEOPT", (Literal(1), Literal(2)))),
    ],
)
def test_functions(text, expected):
    assert value_of(text) == expected


def test_lists_hold_literals_parameters_and_functions():
    value = only_filter(
        "SELECT * FROM K WHERE p IN (1, 'two', :3, KEY('A', 1), DATE(2010, 1, 1), NULL)"
    ).value
    assert value == ListValue(
        (
            Literal(1),
            Literal("two"),
            Parameter(3),
            FunctionCall("KEY", (Literal("A"), Literal(1))),
            FunctionCall("DATE", (Literal(2010), Literal(1), Literal(1))),
            Literal(None),
        )
    )


def test_function_names_are_ordinary_property_names():
    statement = gql.parse("SELECT key, date FROM K WHERE user = 1 ORDER BY time")
    assert statement.projection == ("key", "date")
    assert statement.filters[0].property == "user"
    assert statement.orderings == (Ordering("time"),)


# -- ORDER BY / LIMIT / OFFSET / HINT -------------------------------------------


def test_order_by_with_directions():
    statement = gql.parse("SELECT * FROM K ORDER BY a, b DESC, c ASC, __key__ desc")
    assert statement.orderings == (
        Ordering("a"),
        Ordering("b", descending=True),
        Ordering("c"),
        Ordering("__key__", descending=True),
    )
    assert [o.direction for o in statement.orderings] == ["ASC", "DESC", "ASC", "DESC"]


def test_limit():
    statement = gql.parse("SELECT * FROM K LIMIT 10")
    assert (statement.limit, statement.offset) == (10, 0)


def test_limit_with_offset_first():
    statement = gql.parse("SELECT * FROM K LIMIT 5, 10")
    assert (statement.limit, statement.offset) == (10, 5)


def test_limit_then_offset_and_offset_alone():
    statement = gql.parse("SELECT * FROM K LIMIT 10 OFFSET 20")
    assert (statement.limit, statement.offset) == (10, 20)
    statement = gql.parse("SELECT * FROM K OFFSET 3")
    assert (statement.limit, statement.offset) == (None, 3)


def test_offset_zero_is_allowed():
    assert gql.parse("SELECT * FROM K OFFSET 0").offset == 0
    assert gql.parse("SELECT * FROM K LIMIT 0, 4").limit == 4


@pytest.mark.parametrize("hint", ["ORDER_FIRST", "FILTER_FIRST", "ANCESTOR_FIRST"])
def test_hints(hint):
    assert gql.parse("SELECT * FROM K HINT " + hint.lower()).hint == hint


def test_every_clause_at_once_with_a_trailing_semicolon():
    statement = gql.parse(
        "SELECT DISTINCT a, b FROM K WHERE a > 1 AND b IN (1, 2) AND ANCESTOR IS :p "
        "ORDER BY a DESC, b LIMIT 2, 5 HINT FILTER_FIRST ;"
    )
    assert statement == Statement(
        kind="K",
        projection=("a", "b"),
        distinct=True,
        filters=(
            Filter("a", ">", Literal(1)),
            Filter("b", "IN", ListValue((Literal(1), Literal(2)))),
        ),
        ancestor=Parameter("p"),
        orderings=(Ordering("a", True), Ordering("b")),
        limit=5,
        offset=2,
        hint="FILTER_FIRST",
    )


def test_semicolon_directly_after_a_symbol():
    assert gql.parse("SELECT * FROM K LIMIT 5;").limit == 5


# -- keywords ---------------------------------------------------------------------


def test_keywords_are_case_insensitive_names_are_not():
    lower = gql.parse("select distinct A from Kind where A = 1 and b in (1) order by A desc limit 1 offset 2 hint order_first")
    upper = gql.parse("SELECT DISTINCT A FROM Kind WHERE A = 1 AND b IN (1) ORDER BY A DESC LIMIT 1 OFFSET 2 HINT ORDER_FIRST")
    assert lower == upper
    assert gql.parse("SELECT * FROM kind").kind == "kind"
    assert gql.parse("SELECT * FROM KIND").kind == "KIND"


def test_reserved_words_as_names_work_through_legacys_second_pass():
    statement = gql.parse("SELECT * FROM Order WHERE limit = 5 AND desc > 1 ORDER BY order DESC, asc")
    assert statement.kind == "Order"
    assert [f.property for f in statement.filters] == ["limit", "desc"]
    assert statement.orderings == (Ordering("order", True), Ordering("asc"))


def test_second_pass_does_not_know_distinct():
    # Legacy: with a reserved word used as a name, DISTINCT is not recognised.
    with pytest.raises(BadQueryError):
        gql.parse("SELECT DISTINCT order FROM K")
    assert gql.parse('SELECT DISTINCT "order" FROM K').projection == ("order",)


def test_digit_leading_names_are_names_as_in_legacy():
    statement = gql.parse("SELECT * FROM 123 WHERE 1 = 1")
    assert statement.kind == "123"
    assert statement.filters == (Filter("1", "=", Literal(1)),)


# -- Model.gql clause form -----------------------------------------------------------


@pytest.mark.parametrize(
    "clause, expected",
    [
        ("", Statement(kind="Story")),
        ("WHERE a = :1", Statement(kind="Story", filters=(Filter("a", "=", Parameter(1)),))),
        ("ORDER BY a DESC", Statement(kind="Story", orderings=(Ordering("a", True),))),
        ("LIMIT 3", Statement(kind="Story", limit=3)),
        ("OFFSET 3", Statement(kind="Story", offset=3)),
        ("HINT ORDER_FIRST", Statement(kind="Story", hint="ORDER_FIRST")),
        (";", Statement(kind="Story")),
        ("where limit = 1", Statement(kind="Story", filters=(Filter("limit", "=", Literal(1)),))),
    ],
)
def test_model_gql_clause(clause, expected):
    assert gql.parse_clause("Story", clause) == expected


def test_model_gql_clause_equals_the_full_statement_legacy_built():
    clause = "WHERE ANCESTOR IS :1 AND n >= 2 ORDER BY n LIMIT 4"
    assert gql.parse_clause("Story", clause) == gql.parse("SELECT * FROM Story " + clause)


def test_model_gql_takes_any_kind_name_verbatim():
    assert gql.parse_clause("Order", "WHERE a = 1").kind == "Order"
    assert gql.parse_clause("my-kind", "").kind == "my-kind"


def test_model_gql_clause_cannot_restate_select_or_from():
    with pytest.raises(BadQueryError):
        gql.parse_clause("Story", "FROM Other")
    with pytest.raises(BadQueryError):
        gql.parse_clause("Story", "SELECT * FROM Story")


# -- caching and immutability --------------------------------------------------------


def test_parse_is_cached_by_text():
    gql.cache_clear()
    first = gql.parse("SELECT * FROM Cached WHERE a = :1")
    assert gql.parse("SELECT * FROM Cached WHERE a = :1") is first
    assert gql.parse("SELECT * FROM Cached WHERE a = :2") is not first
    assert gql.parse_clause("Cached", "WHERE a = :1") is gql.parse_clause("Cached", "WHERE a = :1")


def test_statements_are_immutable_and_hashable():
    statement = gql.parse("SELECT * FROM K WHERE a IN (1, 2) ORDER BY a")
    with pytest.raises(AttributeError):
        statement.kind = "Other"
    assert hash(statement) == hash(gql.parse("select * from K where a in (1, 2) order by a"))


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        gql.parse(b"SELECT * FROM K")
    with pytest.raises(TypeError):
        gql.parse_clause(None, "WHERE a = 1")


# -- statement helpers ---------------------------------------------------------------


def test_property_names_lists_filters_then_orderings():
    statement = gql.parse("SELECT * FROM K WHERE a = 1 AND ANCESTOR IS :1 AND b > 2 ORDER BY c")
    assert statement.property_names == ("a", "b", "c")


def test_with_filter_replaces_the_same_property_and_operator_like_polymodel_gql():
    statement = gql.parse("SELECT * FROM Animal WHERE class = 'X' AND class > 'A' AND legs = 4")
    forced = statement.with_filter("class", "=", "Cat")
    assert forced.filters == (
        Filter("class", ">", Literal("A")),
        Filter("legs", "=", Literal(4)),
        Filter("class", "=", Literal("Cat")),
    )
    assert statement.filters[0] == Filter("class", "=", Literal("X"))  # original untouched
    with pytest.raises(ValueError):
        statement.with_filter("class", "==", "Cat")
