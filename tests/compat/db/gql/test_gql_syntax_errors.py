"""Malformed GQL: BadQueryError naming the offset, the offending symbol and what was expected."""

import pytest

from compat.db import errors, gql

END = None  # the error is at the end of the string

MALFORMED = [
    # (query, offset, symbol, fragment of the "expected ..." part)
    ("", 0, END, "expected SELECT"),
    ("SELEC * FROM K", 0, "SELEC", "expected SELECT"),
    ("SELECT", 6, END, "*, __key__ or a property name"),
    ("SELECT FROM K", 7, "FROM", 'double-quote it: "FROM"'),
    ("SELECT a, FROM K", 10, "FROM", "a property name"),
    ("SELECT ** FROM K", 8, "*", "FROM, WHERE, ORDER BY, LIMIT, OFFSET, HINT, ';' or end of query"),
    ("SELECT * FROM", 13, END, "a kind name"),
    ('SELECT * FROM "a b"', 14, '"a', "cannot contain whitespace"),
    ("SELECT * FROM K WHERE", 21, END, "a property name or ANCESTOR IS"),
    ("SELECT * FROM K WHERE x", 23, END, "an operator: =, !=, <, <=, >, >= or IN"),
    ("SELECT * FROM K WHERE x == 1", 25, "=", "single '='"),
    ("SELECT * FROM K WHERE x <> 1", 25, ">", "a value"),
    ("SELECT * FROM K WHERE x = ", 26, END, "a value"),
    ("SELECT * FROM K WHERE x = @", 26, "@", "a value"),
    ("SELECT * FROM K WHERE x = 'unterminated", 26, "'unterminated", "unterminated string"),
    ("SELECT * FROM K WHERE x = 'a\nb'", 26, "'a", "unterminated string"),
    ('SELECT * FROM K WHERE x = "double"', 26, '"double"', "'single quotes'"),
    ("SELECT * FROM K WHERE x = 1.5e3", 29, "e3", "no exponent"),
    ("SELECT * FROM K WHERE x = 1 AND", 31, END, "a property name"),
    ("SELECT * FROM K WHERE x = 1 OR y = 2", 28, "OR", "GQL has no OR"),
    ("SELECT * FROM K WHERE x = 1 y = 2", 28, "y", "AND, ORDER BY, LIMIT"),
    ("SELECT * FROM K WHERE NOT x = 1", 22, "NOT", "a property name"),
    ("SELECT * FROM K WHERE `x` = 1", 22, "`x`", "not backticks"),
    ("SELECT * FROM K WHERE x IS 1", 24, "IS", "an operator"),
    ("SELECT * FROM K WHERE ANCESTOR = :1", 31, "=", "expected IS"),
    ("SELECT * FROM K WHERE ANCESTOR", 30, END, "expected IS"),
    ("SELECT * FROM K WHERE ANCESTOR IS :1 AND ANCESTOR IS :2", 41, "ANCESTOR", "a single ANCESTOR IS"),
    ("SELECT * FROM K WHERE x = (1, 2)", 26, "(", "IN before a (list)"),
    ("SELECT * FROM K WHERE x IN ()", 28, ")", "a list item"),
    ("SELECT * FROM K WHERE x IN (1, (2))", 31, "(", "a list item"),
    ("SELECT * FROM K WHERE x IN (1, 2", 32, END, "',' or ')' to close the list"),
    ("SELECT * FROM K WHERE x IN (1 2)", 30, "2", "',' or ')' to close the list"),
    ("SELECT * FROM K WHERE x IN :1, :2", 29, ",", "AND, ORDER BY"),
    ("SELECT * FROM K WHERE x = KEY()", 30, ")", "a literal or a :parameter"),
    ("SELECT * FROM K WHERE x = KEY('a', 1", 36, END, "to close KEY(...)"),
    ("SELECT * FROM K WHERE x = KEY 'a'", 30, "'a'", "'(' after KEY"),
    ("SELECT * FROM K WHERE x = KEY(KEY('a', 1))", 30, "KEY", "a literal or a :parameter"),
    ("SELECT * FROM K WHERE x = DATE(2010, , 1)", 37, ",", "a literal or a :parameter"),
    ("SELECT * FROM K WHERE x = USER", 30, END, "'(' after USER"),
    ("SELECT * FROM K WHERE x IN LIST(1, 2)", 27, "LIST", "(1, 2, 3)"),
    ("SELECT * FROM K WHERE x = :0", 26, ":0", "numbered from :1"),
    ("SELECT * FROM K WHERE x IN (1, :0)", 31, ":0", "numbered from :1"),
    ("SELECT * FROM K ORDER x", 22, "x", "BY after ORDER"),
    ("SELECT * FROM K ORDER BY", 24, END, "a property name to order by"),
    ("SELECT * FROM K ORDER BY x,", 27, END, "a property name to order by"),
    ("SELECT * FROM K ORDER BY 'x'", 25, "'x'", "a property name to order by"),
    ("SELECT * FROM K ORDER BY LIMIT 5", 25, "LIMIT", "a property name to order by"),
    ("SELECT * FROM K ORDER BY x DESC DESC", 32, "DESC", "',', LIMIT, OFFSET, HINT"),
    ("SELECT * FROM K ORDER BY x WHERE y = 1", 27, "WHERE", "ASC, DESC, ','"),
    ("SELECT * FROM K LIMIT", 21, END, "a non-negative integer after LIMIT"),
    ("SELECT * FROM K LIMIT 0", 22, "0", "at least 1"),
    ("SELECT * FROM K LIMIT -1", 22, "-1", "a non-negative integer"),
    ("SELECT * FROM K LIMIT 1.5", 22, "1.5", "a non-negative integer"),
    ("SELECT * FROM K LIMIT :1", 22, ":1", "cannot bind LIMIT"),
    ("SELECT * FROM K LIMIT 5,", 24, END, "the result count"),
    ("SELECT * FROM K LIMIT 5, 0", 25, "0", "at least 1"),
    ("SELECT * FROM K LIMIT 5 WHERE x = 1", 24, "WHERE", "',', OFFSET, HINT"),
    ("SELECT * FROM K LIMIT 5, 10 OFFSET 2", 28, "OFFSET", "not both"),
    ("SELECT * FROM K OFFSET", 22, END, "a non-negative integer after OFFSET"),
    ("SELECT * FROM K OFFSET :o", 23, ":o", "cannot bind LIMIT or OFFSET"),
    ("SELECT * FROM K OFFSET -3", 23, "-3", "a non-negative integer"),
    ("SELECT * FROM K HINT", 20, END, "ORDER_FIRST, FILTER_FIRST or ANCESTOR_FIRST"),
    ("SELECT * FROM K HINT FAST", 21, "FAST", "ORDER_FIRST"),
    ("SELECT * FROM K GROUP BY x", 16, "GROUP", "WHERE, ORDER BY"),
    ("SELECT * FROM K;;", 15, ";;", "';' or end of query"),
    ("SELECT * FROM K ; x", 18, "x", "expected end of query"),
    ("SELECT * FROM K HINT ORDER_FIRST extra", 33, "extra", "';' or end of query"),
    ("SELECT * FROM K WHERE x = 'a' 'b'", 30, "'b'", "AND"),
    # A reserved word meant as a name: the second pass's (later) error is reported.
    ("SELECT * FROM K WHERE order = 1 AND x == 2", 39, "=", "single '='"),
    # A reserved word that is a misplaced keyword: the first pass's error is reported.
    ("SELECT * FROM K WHERE ORDER BY x", 22, "ORDER", "a property name or ANCESTOR IS"),
]


@pytest.mark.parametrize("query, offset, symbol, expected", MALFORMED)
def test_syntax_error_names_position_symbol_and_expectation(query, offset, symbol, expected):
    with pytest.raises(errors.BadQueryError) as caught:
        gql.parse(query)
    error = caught.value
    assert isinstance(error, gql.GqlSyntaxError)
    message = str(error)
    assert message.startswith("Parse Error: ")
    assert (error.offset, error.symbol) == (offset, symbol)
    if symbol is END:
        assert "at end of string (offset %d)" % offset in message
    else:
        assert "at symbol %s (offset %d)" % (symbol, offset) in message
        assert query[offset:].startswith(symbol)
    assert "; expected " in message and expected in message
    assert error.query == query


def test_clause_errors_point_into_the_callers_clause():
    with pytest.raises(errors.BadQueryError) as caught:
        gql.parse_clause("Story", "WHERE a = 1 ORDER title")
    assert (caught.value.offset, caught.value.symbol) == (18, "title")
    assert caught.value.query == "WHERE a = 1 ORDER title"


def test_clause_form_rejects_a_select():
    with pytest.raises(errors.BadQueryError) as caught:
        gql.parse_clause("Story", "SELECT * FROM Story")
    assert caught.value.offset == 0
    assert "WHERE, ORDER BY, LIMIT, OFFSET, HINT, ';' or end of query" in str(caught.value)


def test_failed_parses_are_not_cached_and_fail_every_time():
    for _ in range(2):
        with pytest.raises(gql.GqlSyntaxError):
            gql.parse("SELECT * FROM K WHERE")
