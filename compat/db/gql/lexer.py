"""Tokenizer for legacy GQL.

Reproduces how ``google.appengine.ext.gql`` split a query string into
symbols: one left-to-right scan where the first matching alternative wins,
whitespace separates symbols, and anything else that is not whitespace falls
into a catch-all symbol (so ``+5``, ``.5`` and ``-inf`` are single symbols,
and ``;`` closes a query only when it stands alone).

The patterns are Unicode-aware, as the legacy SDK's are on Python 3: a kind
or property name with non-ASCII letters (``Ünï``, ``名前``) is an identifier.

Unlike legacy, every token remembers its character offset, so parse errors
can say where they happened.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Tuple

# Token kinds. Kept as plain strings: they only drive the parser's dispatch.
STRING = "string"  # 'single quoted', '' escapes a quote
OPERATOR = "operator"  # <= >= != = < >
PARAMETER = "parameter"  # :1  :name
COMMA = "comma"
STAR = "star"
NUMBER = "number"  # -?digits(.digits)?
NAME = "name"  # word(.word)*  (identifiers and keywords)
QUOTED_NAME = "quoted_name"  # "double quoted", no whitespace inside, "" escapes
LPAREN = "lparen"
RPAREN = "rparen"
OTHER = "other"  # any other run of non-whitespace characters

_TOKEN_PATTERN = re.compile(
    r"""
      (?P<string>(?:'[^'\n\r]*')+)
    | (?P<operator><=|>=|!=|=|<|>)
    | (?P<parameter>:\w+)
    | (?P<comma>,)
    | (?P<star>\*)
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<name>\w+(?:\.\w+)*)
    | (?P<quoted_name>(?:"[^"\s]+")+)
    | (?P<lparen>\()
    | (?P<rparen>\))
    | (?P<other>\S+)
    """,
    re.VERBOSE,
)


class Token(NamedTuple):
    """One legacy GQL symbol: its kind, exact text, character offset and upper-cased text.

    ``upper`` is what keywords are compared with (legacy compared
    ``symbol.upper()``); only ASCII is folded, so no non-ASCII symbol can
    turn into a keyword.
    """

    kind: str
    text: str
    offset: int
    upper: str

    def __str__(self) -> str:
        return self.text


def tokenize(query_string: str) -> Tuple[Token, ...]:
    """Split ``query_string`` into :class:`Token` objects the way legacy GQL did."""
    new = tuple.__new__
    tokens = []
    for match in _TOKEN_PATTERN.finditer(query_string):
        text = match.group()
        upper = text.upper() if text.isascii() else text
        tokens.append(new(Token, (match.lastgroup, text, match.start(), upper)))
    return tuple(tokens)


# Words legacy GQL refused as bare identifiers (first parsing pass only; see
# compat.db.gql.parser for the second, keyword-free pass legacy also made).
RESERVED_KEYWORDS = frozenset(
    (
        "SELECT", "DISTINCT", "FROM", "WHERE", "IN", "ANCESTOR", "IS", "AND",
        "OR", "NOT", "ORDER", "BY", "ASC", "DESC", "GROUP", "LIMIT", "OFFSET",
        "HINT", "ORDER_FIRST", "FILTER_FIRST", "ANCESTOR_FIRST",
    )
)  # fmt: skip
