"""Recursive-descent parser for legacy GQL, producing :class:`~compat.db.gql.ast.Statement`.

The grammar is the one ``google.appengine.ext.gql.GQL`` accepted::

    SELECT [DISTINCT] (* | __key__ | <property> [, <property> ...])
      [FROM <kind>]
      [WHERE <condition> [AND <condition> ...]]
      [ORDER BY <property> [ASC | DESC] [, <property> [ASC | DESC] ...]]
      [LIMIT [<offset>,] <count>]
      [OFFSET <offset>]
      [HINT (ORDER_FIRST | FILTER_FIRST | ANCESTOR_FIRST)]
      [;]

    <condition> := <property> (= | != | < | <= | > | >= | IN) <value>
                 | ANCESTOR IS <value>
    <value>     := <literal> | :<n> | :<name> | <function> | (<item>, ...)
    <function>  := (KEY | DATETIME | DATE | TIME | GEOPT | USER) (<arg>, ...)

and it is parsed the way legacy parsed it, including its two passes: a
first pass in which reserved words (``ORDER``, ``LIMIT``, ``DESC``...) cannot
be bare identifiers, and, when that fails, a second pass in which they can
(but ``DISTINCT`` is not recognised). So ``WHERE order = 1`` and ``ORDER BY
desc`` parse, as in legacy. Keywords are case-insensitive, identifiers are
case-sensitive.

Legacy quirks kept on purpose (see docs/gql.md): ``inf``, ``nan`` and
``+5``/``.5`` are numeric literals; a property name may start with a digit
(``WHERE 1 = 1`` filters on property ``"1"``); ``"double quoted"`` names cannot
contain whitespace; strings are ``'single quoted'``, ``''`` escapes a quote,
and they cannot span lines; ``LIMIT`` and ``OFFSET`` take integer literals only
(legacy never allowed binding them); ``IN`` accepts any value at parse time
(binding checks it is a list).

Deliberate differences, each of which only turns a legacy failure into
something useful: ``DISTINCT`` can be combined with ``ANCESTOR IS`` (legacy's
first pass rejected the reserved word ``ANCESTOR`` and its second pass did
not know ``DISTINCT``); ``:0`` is a syntax error (legacy silently bound it to
the last argument, or crashed); ``LIMIT 5,`` is a syntax error (legacy
raised ``TypeError``); ``LIST(...)`` gets a message pointing at ``(a, b)``.

Every syntax error is a :class:`GqlSyntaxError`, a subclass of legacy's
``BadQueryError``, whose message keeps legacy's ``Parse Error: ... at symbol
...`` wording and adds the character offset and what was expected.
"""

from __future__ import annotations

import functools
import re
from typing import List, NoReturn, Optional, Tuple

from compat.db.errors import BadQueryError
from compat.db.gql import lexer
from compat.db.gql.ast import (
    FUNCTIONS,
    HINTS,
    Filter,
    FunctionCall,
    ListValue,
    Literal,
    Ordering,
    Parameter,
    Statement,
)

#: How many distinct query strings (and, separately, ``Model.gql`` clauses)
#: keep their parsed statement.
CACHE_SIZE = 1000

_IDENTIFIER = re.compile(r"\w+(?:\.\w+)*")
_CONDITION = re.compile(r"<=|>=|!=|=|<|>|is|in", re.IGNORECASE)
_UNSIGNED_INTEGER = re.compile(r"\d+", re.ASCII)
_VALUE_DESCRIPTION = (
    "a value: a number, a 'string', TRUE, FALSE, NULL, a :parameter, "
    "KEY(...), DATETIME(...), DATE(...), TIME(...), GEOPT(...), USER(...) "
    "or, after IN, a (list)"
)


class GqlSyntaxError(BadQueryError):
    """A GQL string that legacy GQL would not parse (legacy raised ``BadQueryError``).

    Attributes: ``query`` (the text parsed), ``offset`` (character offset of
    the offending symbol, or ``len(query)`` at the end), ``symbol`` (its text,
    None at the end), ``problem`` and ``expected`` (what the parser wanted).
    """

    def __init__(self, query: str, offset: int, symbol: Optional[str], problem: str, expected: str,
                 _token_index: int = 0) -> None:
        self._token_index = _token_index
        self.query = query
        self.offset = offset
        self.symbol = symbol
        self.problem = problem
        self.expected = expected
        if symbol is None:
            where = "at end of string (offset %d)" % offset
        else:
            where = "at symbol %s (offset %d)" % (symbol, offset)
        super().__init__("Parse Error: %s %s; expected %s" % (problem, where, expected))


def parse(query_string: str) -> Statement:
    """Parse a full GQL ``SELECT`` statement, as legacy ``gql.GQL(query_string)`` did.

    Results are cached (LRU, :data:`CACHE_SIZE` entries) by query string:
    statements are immutable, so every ``GqlQuery`` built from the same text
    shares one. Raises :class:`GqlSyntaxError` (a ``BadQueryError``).
    """
    if not isinstance(query_string, str):
        raise TypeError("GQL query must be a str, not %s" % type(query_string).__name__)
    return _parse_statement(query_string)


def parse_clause(kind: str, clause: str) -> Statement:
    """Parse the ``Model.gql(clause)`` form: everything after ``SELECT * FROM <kind>``.

    Legacy ``Model.gql`` pasted ``'SELECT * FROM %s %s' % (kind, clause)`` and
    parsed that; here ``kind`` is taken as given (any kind name works, even
    one that is not a GQL identifier) and ``clause`` - which may start with
    ``WHERE``, ``ORDER BY``, ``LIMIT``, ``OFFSET``, ``HINT`` or be empty - is
    parsed on its own, so error offsets point into ``clause``. Cached like
    :func:`parse`.
    """
    if not isinstance(kind, str) or not kind:
        raise TypeError("kind must be a non-empty str, not %r" % (kind,))
    if not isinstance(clause, str):
        raise TypeError("GQL clause must be a str, not %s" % type(clause).__name__)
    return _parse_clause(kind, clause)


def cache_clear() -> None:
    """Forget every cached parse (for tests and benchmarks)."""
    _parse_statement.cache_clear()
    _parse_clause.cache_clear()


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_statement(query_string):
    return _parse_in_two_passes(query_string, None)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_clause(kind, clause):
    return _parse_in_two_passes(clause, kind)


def _parse_in_two_passes(text, clause_kind):
    tokens = lexer.tokenize(text)
    try:
        return _Parser(text, tokens, lexer.RESERVED_KEYWORDS, clause_kind).parse()
    except GqlSyntaxError as first_error:
        try:
            return _Parser(text, tokens, frozenset(), clause_kind).parse()
        except GqlSyntaxError as second_error:
            # Legacy always reported the first pass's error. When the second
            # pass got past the symbol after the first failure, the reserved
            # word was meant as a name and the second error is the real one;
            # otherwise the reserved word was a misplaced keyword.
            if second_error._token_index > first_error._token_index + 1:
                raise second_error from None
            raise first_error from None


class _Parser:
    """One parsing pass over the tokens, with a given set of reserved words."""

    def __init__(self, text, tokens, reserved, clause_kind):
        self._text = text
        self._tokens = tokens
        self._reserved = reserved
        self._clause_kind = clause_kind
        self._position = 0
        # Clause keywords that could have appeared at the current position;
        # reset whenever a symbol is consumed. Feeds "expected ..." messages.
        self._alternatives: List[str] = []
        self._filters: List[Filter] = []
        self._ancestor = None
        self._orderings: List[Ordering] = []
        self._limit = None
        self._offset = 0
        self._offset_in_limit = False
        self._hint = None

    # -- symbol helpers -------------------------------------------------

    def _peek(self, ahead: int = 0) -> Optional[lexer.Token]:
        index = self._position + ahead
        return self._tokens[index] if index < len(self._tokens) else None

    def _advance(self) -> lexer.Token:
        token = self._tokens[self._position]
        self._position += 1
        self._alternatives = []
        return token

    def _at(self, keyword: str) -> bool:
        position = self._position
        return position < len(self._tokens) and self._tokens[position].upper == keyword

    def _accept(self, keyword: str) -> bool:
        if self._at(keyword):
            self._advance()
            return True
        return False

    def _optional(self, keyword: str, label: Optional[str] = None) -> bool:
        """Accept ``keyword`` or remember it as one thing that could have come here."""
        if self._accept(keyword):
            return True
        self._alternatives.append(label or keyword)
        return False

    def _expect(self, keyword, expected):
        if not self._accept(keyword):
            self._fail("Unexpected Symbol", expected)

    def _fail(self, problem: str, expected: str, token: Optional[lexer.Token] = None) -> NoReturn:
        if token is None:
            token = self._peek()
        if token is None:
            raise GqlSyntaxError(
                self._text, len(self._text), None, problem, expected, len(self._tokens)
            )
        raise GqlSyntaxError(
            self._text,
            token.offset,
            token.text,
            problem,
            expected + _advice(token, self._tokens),
            self._tokens.index(token),
        )

    def _identifier(self, expected: str) -> Optional[str]:
        """Consume a property or kind name (bare or ``"quoted"``); None if there is none."""
        token = self._peek()
        if token is None:
            return None
        if token.kind in (lexer.NAME, lexer.NUMBER) and _IDENTIFIER.fullmatch(token.text):
            if token.upper in self._reserved:
                self._fail(
                    "Identifier is a reserved keyword",
                    '%s (to use the reserved word as a name, double-quote it: "%s")'
                    % (expected, token.text),
                )
            return self._advance().text
        if token.kind == lexer.QUOTED_NAME:
            return self._advance().text[1:-1].replace('""', '"')
        return None

    def _expect_identifier(self, expected: str) -> str:
        name = self._identifier(expected)
        if name is None:
            self._fail("Identifier Expected", expected)
        return name

    # -- clauses ---------------------------------------------------------

    def parse(self) -> Statement:
        if self._clause_kind is not None:
            return self._after_from(self._clause_kind, False, None, False)
        return self._select()

    def _select(self) -> Statement:
        self._expect("SELECT", "SELECT")
        distinct = "DISTINCT" in self._reserved and self._optional("DISTINCT")
        keys_only, projection = False, None
        if not self._accept("*"):
            names = [self._expect_identifier("*, __key__ or a property name")]
            while self._optional(",", "','"):
                names.append(self._expect_identifier("a property name"))
            if names == ["__key__"]:
                keys_only = True
            else:
                projection = tuple(names)
        kind = None
        if self._optional("FROM"):
            kind = self._expect_identifier("a kind name")
        return self._after_from(kind, keys_only, projection, distinct)

    def _after_from(self, kind: Optional[str], keys_only: bool, projection: Optional[Tuple[str, ...]],
                    distinct: bool) -> Statement:
        if self._optional("WHERE"):
            self._condition()
            while self._optional("AND"):
                self._condition()
        self._order_by()
        self._limit_clause()
        self._offset_clause()
        self._hint_clause()
        self._terminal()
        return Statement(
            kind=kind,
            keys_only=keys_only,
            projection=projection,
            distinct=distinct,
            filters=tuple(self._filters),
            ancestor=self._ancestor,
            orderings=tuple(self._orderings),
            limit=self._limit,
            offset=self._offset,
            hint=self._hint,
        )

    def _condition(self):
        start = self._peek()
        if start is not None and start.kind == lexer.NAME and start.upper == "ANCESTOR":
            # Legacy's first pass rejected the reserved word here and relied on
            # its keyword-free second pass; accepting it now is equivalent
            # except that DISTINCT keeps working alongside ANCESTOR IS.
            name = self._advance().text
        else:
            name = self._identifier("a property name or ANCESTOR IS")
            if name is None:
                self._fail("Invalid WHERE Identifier", "a property name or ANCESTOR IS")
        operator_token = self._peek()
        if operator_token is None or not _CONDITION.fullmatch(operator_token.text):
            expected = "IS" if name.lower() == "ancestor" else "an operator: =, !=, <, <=, >, >= or IN"
            self._fail("Invalid WHERE Condition", expected)
        self._advance()
        operator = operator_token.text.upper()
        if name.lower() == "ancestor":
            if operator != "IS":
                self._fail('"IS" expected to follow "ANCESTOR"', "IS", operator_token)
            if self._ancestor is not None:
                self._fail('Only one ANCESTOR IS clause allowed', "a single ANCESTOR IS", start)
        elif operator == "IS":
            self._fail(
                '"IS" can only be used when comparing against "ANCESTOR"',
                "an operator: =, !=, <, <=, >, >= or IN",
                operator_token,
            )
        value_token = self._peek()
        value = self._value()
        if isinstance(value, ListValue) and operator != "IN":
            self._fail("Only IN can process a list of values", "IN before a (list)", value_token)
        if operator == "IS":
            self._ancestor = value
        else:
            self._filters.append(Filter(name, operator, value))

    def _value(self):
        value = self._reference() or self._literal() or self._function_or_list(allow_list=True)
        if value is None:
            self._fail("Invalid WHERE Condition", _VALUE_DESCRIPTION)
        return value

    def _reference(self) -> Optional[Parameter]:
        token = self._peek()
        if token is None or token.kind != lexer.PARAMETER:
            return None
        name = token.text[1:]
        if name.isdigit():
            position = int(name)
            if position < 1:
                self._fail("Bad positional parameter", "a positional parameter numbered from :1")
            self._advance()
            return Parameter(position)
        self._advance()
        return Parameter(name)

    def _literal(self) -> Optional[Literal]:
        token = self._peek()
        if token is None:
            return None
        number = _number(token.text)
        if number is not None:
            self._advance()
            return Literal(number)
        if token.kind == lexer.STRING:
            self._advance()
            return Literal(token.text[1:-1].replace("''", "'"))
        for keyword, value in (("TRUE", True), ("FALSE", False), ("NULL", None)):
            if token.upper == keyword:
                self._advance()
                return Literal(value)
        return None

    def _function_or_list(self, allow_list):
        token = self._peek()
        if token is None:
            return None
        if token.kind == lexer.NAME and token.upper in FUNCTIONS:
            self._advance()
            self._expect("(", "'(' after %s" % token.upper)
            arguments = self._value_list(for_list=False)
            self._expect(")", "',' or ')' to close %s(...)" % token.upper)
            return FunctionCall(token.upper, arguments)
        if token.upper == "LIST" and self._peek(1) is not None and self._peek(1).text == "(":
            self._fail(
                "LIST(...) is not legacy GQL",
                "a parenthesised list such as (1, 2, 3) (only after IN)",
            )
        if allow_list and token.kind == lexer.LPAREN:
            self._advance()
            items = self._value_list(for_list=True)
            self._expect(")", "',' or ')' to close the list")
            return ListValue(items)
        return None

    def _value_list(self, for_list):
        items = []
        while True:
            item = self._reference() or self._literal()
            if item is None:
                if for_list:
                    item = self._function_or_list(allow_list=False)
                    if item is None:
                        self._fail(
                            "Filter list value could not be cast to a datastore type",
                            "a list item: a literal, a :parameter or a function such as KEY(...)",
                        )
                else:
                    self._fail(
                        "Parameter list requires literal or reference parameter",
                        "a function argument: a literal or a :parameter",
                    )
            items.append(item)
            if not self._accept(","):
                return tuple(items)

    def _order_by(self):
        if not self._optional("ORDER", "ORDER BY"):
            return
        self._expect("BY", "BY after ORDER")
        while True:
            name = self._identifier("a property name to order by")
            if name is None:
                self._fail("Invalid ORDER BY Property", "a property name to order by")
            descending = False
            if self._accept("DESC"):
                descending = True
            elif not self._accept("ASC"):
                self._alternatives += ["ASC", "DESC"]
            self._orderings.append(Ordering(name, descending))
            if not self._optional(",", "','"):
                return

    def _integer(self, problem: str, expected: str) -> lexer.Token:
        token = self._peek()
        if token is None or not _UNSIGNED_INTEGER.fullmatch(token.text):
            if token is not None and token.kind == lexer.PARAMETER:
                expected += " (legacy GQL cannot bind LIMIT or OFFSET; pass limit/offset to fetch())"
            self._fail(problem, expected)
        return self._advance()

    def _limit_clause(self):
        if not self._optional("LIMIT"):
            return
        count = self._integer("Non-number limit in LIMIT clause", "a non-negative integer after LIMIT")
        if self._optional(",", "','"):
            self._offset = int(count.text)
            self._offset_in_limit = True
            count = self._integer(
                "Non-number limit in LIMIT clause", "the result count after LIMIT <offset>,"
            )
        self._limit = int(count.text)
        if self._limit < 1:
            self._fail("Bad Limit in LIMIT Value", "a LIMIT of at least 1", count)

    def _offset_clause(self):
        offset_token = self._peek()
        if not self._optional("OFFSET"):
            return
        if self._offset_in_limit:
            self._fail(
                "Offset already defined in LIMIT clause",
                "either LIMIT <offset>, <count> or OFFSET, not both",
                offset_token,
            )
        self._offset = int(
            self._integer("Non-number offset in OFFSET clause", "a non-negative integer after OFFSET").text
        )

    def _hint_clause(self):
        if not self._optional("HINT"):
            return
        token = self._peek()
        if token is None or token.upper not in HINTS:
            self._fail("Unknown HINT", "ORDER_FIRST, FILTER_FIRST or ANCESTOR_FIRST")
        self._hint = self._advance().upper

    def _terminal(self):
        self._optional(";", "';'")
        token = self._peek()
        if token is None:
            return
        alternatives = list(dict.fromkeys(self._alternatives))
        expected = ", ".join(alternatives) + " or end of query" if alternatives else "end of query"
        self._fail("Expected no additional symbols", expected)


def _advice(token: lexer.Token, tokens: List[lexer.Token]) -> str:
    """A hint for symbols that usually mean a habit from another query language."""
    text = token.text
    index = tokens.index(token)
    previous = tokens[index - 1] if index else None
    if text == "=" and previous is not None and previous.text == "=":
        return " (GQL's equality operator is a single '=')"
    if token.upper == "OR":
        return " (GQL has no OR; use IN (...) for alternatives)"
    if token.kind == lexer.QUOTED_NAME:
        return " (strings take 'single quotes'; \"double quotes\" are for names)"
    if token.kind == lexer.OTHER and text.startswith("'"):
        return " (unterminated string? a 'string' must close on the same line)"
    if token.kind == lexer.OTHER and text.startswith('"'):
        return ' (a "quoted name" cannot contain whitespace)'
    if text.startswith("`"):
        return ' (names are quoted with "double quotes", not backticks)'
    if previous is not None and previous.kind == lexer.NUMBER and re.fullmatch(r"[eE]\d+", text):
        return " (GQL numbers have no exponent: write the digits out)"
    return ""


def _number(text: str) -> Optional[object]:
    """int or float of a symbol, as legacy tried ``int(symbol)`` then ``float(symbol)``.

    That is why ``+5``, ``.5``, ``inf`` and ``nan`` are numeric literals. Python 3
    extras that Python 2 rejected (``1_0``, non-ASCII digits) are refused.
    """
    if "_" in text or not text.isascii():
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None
