"""Legacy GQL oddities reproduced on purpose (each is listed in docs/gql.md)."""

import math

import pytest

from compat.db import gql
from compat.db.errors import BadQueryError
from compat.db.gql import Filter, Literal


def first_value(query):
    return gql.parse(query).filters[0].value.value


def test_float_spellings_python_accepted_are_literals():
    # Legacy tried int(symbol) then float(symbol) on whatever symbol came next.
    assert first_value("SELECT * FROM K WHERE a = Infinity") == math.inf
    assert first_value("SELECT * FROM K WHERE a = -INF") == -math.inf
    assert math.isnan(first_value("SELECT * FROM K WHERE a = NaN"))
    assert first_value("SELECT * FROM K WHERE a = +2.5") == 2.5


def test_python_3_only_number_spellings_are_not_literals():
    with pytest.raises(BadQueryError):
        gql.parse("SELECT * FROM K WHERE a = +1_000")


def test_select_distinct_from_projects_a_property_named_distinct():
    # First pass: FROM is reserved where a name is expected. Second pass
    # (no reserved words, no DISTINCT keyword): DISTINCT is the projection.
    statement = gql.parse("SELECT DISTINCT FROM K")
    assert statement.projection == ("DISTINCT",) and not statement.distinct
    assert statement.kind == "K"


def test_quoted_key_name_also_means_keys_only():
    assert gql.parse('SELECT "__key__" FROM K').keys_only


def test_a_property_named_ancestor_cannot_be_filtered():
    with pytest.raises(BadQueryError, match='"IS" expected to follow "ANCESTOR"'):
        gql.parse('SELECT * FROM K WHERE "ancestor" = 1')


def test_repeated_conditions_are_all_kept():
    assert gql.parse("SELECT * FROM K WHERE a = 1 AND a = 2").filters == (
        Filter("a", "=", Literal(1)),
        Filter("a", "=", Literal(2)),
    )


def test_non_ascii_names_parse_bare_or_quoted():
    # The legacy SDK on Python 3 matches identifiers with Unicode \w.
    assert gql.parse("SELECT * FROM Ünï WHERE größe = 1").filters[0].property == "größe"
    assert gql.parse("SELECT * FROM Ünï WHERE größe = 1").kind == "Ünï"
    assert gql.parse('SELECT * FROM K WHERE "größe" = 1').filters[0].property == "größe"


def test_in_accepts_any_value_when_parsing():
    # Only binding checks that IN got a list (BadArgumentError then).
    assert gql.parse("SELECT * FROM K WHERE a IN 5").filters[0].value == Literal(5)
    assert gql.parse("SELECT * FROM K WHERE a IN KEY('A', 1)").filters[0].operator == "IN"


def test_semicolon_only_ends_a_query_on_its_own():
    assert gql.parse("SELECT * FROM K WHERE a = 'x';").filters[0].value == Literal("x")
    assert gql.parse("SELECT * FROM K WHERE a = :1;").filters[0].value == gql.Parameter(1)
    with pytest.raises(BadQueryError):
        gql.parse("SELECT * FROM K WHERE a = @;")


def test_keywords_inside_names_are_plain_names():
    statement = gql.parse("SELECT * FROM K WHERE order_date = 1 AND selected = 2 ORDER BY limits")
    assert [f.property for f in statement.filters] == ["order_date", "selected"]
