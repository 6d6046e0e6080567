"""Tokenizing as legacy GQL did: first matching alternative wins, offsets recorded."""

from compat.db.gql import lexer


def kinds_and_texts(query):
    return [(token.kind, token.text) for token in lexer.tokenize(query)]


def test_every_token_kind_with_offsets():
    tokens = lexer.tokenize("SELECT * FROM K WHERE a.b <= :1, 'it''s' -2.5 \"q\"\"n\" ( ) @x")
    assert [(t.kind, t.text, t.offset) for t in tokens] == [
        (lexer.NAME, "SELECT", 0),
        (lexer.STAR, "*", 7),
        (lexer.NAME, "FROM", 9),
        (lexer.NAME, "K", 14),
        (lexer.NAME, "WHERE", 16),
        (lexer.NAME, "a.b", 22),
        (lexer.OPERATOR, "<=", 26),
        (lexer.PARAMETER, ":1", 29),
        (lexer.COMMA, ",", 31),
        (lexer.STRING, "'it''s'", 33),
        (lexer.NUMBER, "-2.5", 41),
        (lexer.QUOTED_NAME, '"q""n"', 46),
        (lexer.LPAREN, "(", 53),
        (lexer.RPAREN, ")", 55),
        (lexer.OTHER, "@x", 57),
    ]


def test_operators_need_no_spaces():
    assert kinds_and_texts("a>=1") == [
        (lexer.NAME, "a"),
        (lexer.OPERATOR, ">="),
        (lexer.NUMBER, "1"),
    ]
    # '==' is two '=' symbols, '<>' is '<' then '>': legacy had neither operator.
    assert [t for _, t in kinds_and_texts("a==1 b<>2")] == ["a", "=", "=", "1", "b", "<", ">", "2"]


def test_catch_all_symbols_swallow_following_punctuation():
    # Legacy's last alternative is \S+, so '+5)' is one symbol and ';;' is not ';'.
    assert kinds_and_texts("x = +5)") == [
        (lexer.NAME, "x"),
        (lexer.OPERATOR, "="),
        (lexer.OTHER, "+5)"),
    ]
    assert kinds_and_texts("LIMIT 5;") == [(lexer.NAME, "LIMIT"), (lexer.NUMBER, "5"), (lexer.OTHER, ";")]


def test_number_then_word_splits_exponents_and_digit_leading_names():
    assert [t for _, t in kinds_and_texts("1e5 12abc")] == ["1", "e5", "12", "abc"]


def test_strings_cannot_span_lines():
    assert kinds_and_texts("'a\nb'") == [(lexer.OTHER, "'a"), (lexer.NAME, "b"), (lexer.OTHER, "'")]


def test_quoted_names_cannot_contain_whitespace():
    assert kinds_and_texts('"a b"') == [(lexer.OTHER, '"a'), (lexer.NAME, "b"), (lexer.OTHER, '"')]


def test_word_characters_are_unicode_as_in_the_python_3_sdk():
    assert kinds_and_texts("名前 = 1") == [(lexer.NAME, "名前"), (lexer.OPERATOR, "="), (lexer.NUMBER, "1")]
    assert kinds_and_texts('"名前"') == [(lexer.QUOTED_NAME, '"名前"')]


def test_keyword_comparison_is_ascii_case_folding():
    token = lexer.tokenize("sElEcT")[0]
    assert token.upper == "SELECT"
    # 'ſ' upper-cases to 'S' in Python 3; it must not become a keyword.
    assert lexer.tokenize("ſelect")[0].upper != "SELECT"
