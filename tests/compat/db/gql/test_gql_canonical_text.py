"""``str(statement)`` is canonical GQL text that parses back to an equal statement."""

import pytest

from compat.db import gql

CANONICAL = [
    ("select * from Story", "SELECT * FROM Story"),
    ("SELECT   __key__   FROM Story", "SELECT __key__ FROM Story"),
    ("select distinct a,b from K", "SELECT DISTINCT a, b FROM K"),
    ("SELECT * WHERE __key__ > key('A', 1)", "SELECT * WHERE __key__ > KEY('A', 1)"),
    (
        "SELECT * FROM K WHERE a=1 and b in (1,'x',:2) and c != :name",
        "SELECT * FROM K WHERE a = 1 AND b IN (1, 'x', :2) AND c != :name",
    ),
    (
        "SELECT * FROM K WHERE ancestor is :1 and a = 1",
        "SELECT * FROM K WHERE a = 1 AND ANCESTOR IS :1",
    ),
    ("SELECT * FROM K WHERE s = 'it''s'", "SELECT * FROM K WHERE s = 'it''s'"),
    ("SELECT * FROM K WHERE b = true AND n = null", "SELECT * FROM K WHERE b = TRUE AND n = NULL"),
    ("SELECT * FROM K WHERE f = .5 AND g = +7 AND h = -inf", "SELECT * FROM K WHERE f = 0.5 AND g = 7 AND h = -inf"),
    (
        "SELECT * FROM K WHERE f = 100000000000000000000.0 AND g = 0.0000001",
        "SELECT * FROM K WHERE f = 100000000000000000000.0 AND g = 0.0000001",
    ),
    (
        "SELECT * FROM K WHERE d = datetime('2010-01-02 03:04:05') AND t = time(1,2) AND g = geopt(1.5, -2) AND u = user(:e)",
        "SELECT * FROM K WHERE d = DATETIME('2010-01-02 03:04:05') AND t = TIME(1, 2) AND g = GEOPT(1.5, -2) AND u = USER(:e)",
    ),
    ("SELECT * FROM K ORDER BY a ASC, b desc", "SELECT * FROM K ORDER BY a, b DESC"),
    ("SELECT * FROM K LIMIT 5, 10", "SELECT * FROM K LIMIT 10 OFFSET 5"),
    ("SELECT * FROM K LIMIT 0, 10", "SELECT * FROM K LIMIT 10"),
    ("SELECT * FROM K OFFSET 3 hint ancestor_first;", "SELECT * FROM K OFFSET 3 HINT ANCESTOR_FIRST"),
    # Names are quoted exactly when they must be.
    ("SELECT * FROM Order WHERE limit = 1 ORDER BY desc", 'SELECT * FROM "Order" WHERE "limit" = 1 ORDER BY "desc"'),
    ('SELECT "my-prop", "a""b" FROM "my.kind"', 'SELECT "my-prop", "a""b" FROM my.kind'),
    ("SELECT * FROM 123 WHERE 1 = 1", 'SELECT * FROM "123" WHERE "1" = 1'),
    ('SELECT * FROM "名前"', 'SELECT * FROM "名前"'),
]


@pytest.mark.parametrize("query, canonical", CANONICAL)
def test_canonical_text(query, canonical):
    statement = gql.parse(query)
    assert str(statement) == canonical
    assert gql.parse(canonical) == statement


ROUND_TRIPS = [
    "SELECT DISTINCT a, b FROM K WHERE a > 1 AND b IN (1, 2) AND ANCESTOR IS :p "
    "ORDER BY a DESC, b LIMIT 2, 5 HINT FILTER_FIRST ;",
    "SELECT * FROM K WHERE k IN (KEY('A', 1, 'B', 'x'), KEY(:1), DATE(2010, 1, 1), :n)",
    "select __key__ from K where x >= -2.75 and y < 'z' and z = false",
    "SELECT * FROM Order WHERE order = 1 AND asc != 2 ORDER BY order, limit DESC OFFSET 9",
    "SELECT * WHERE ANCESTOR IS KEY('P', 'root')",
    'SELECT "SELECT" FROM "FROM" WHERE "WHERE" = \'WHERE\'',
    "SELECT * FROM K WHERE x = 12345678901234567890123 AND y = 1.0000000000000002",
]


@pytest.mark.parametrize("query", ROUND_TRIPS)
def test_round_trip(query):
    statement = gql.parse(query)
    text = str(statement)
    assert gql.parse(text) == statement
    assert str(gql.parse(text)) == text


def test_clause_form_prints_the_full_statement():
    assert str(gql.parse_clause("Story", "where a = :1 order by a")) == (
        "SELECT * FROM Story WHERE a = :1 ORDER BY a"
    )


def test_literal_types_survive_the_round_trip():
    statement = gql.parse("SELECT * FROM K WHERE a = 2 AND b = 2.0 AND c = TRUE AND d = 1")
    values = [f.value.value for f in gql.parse(str(statement)).filters]
    assert [type(v) for v in values] == [int, float, bool, int]
