"""Python 2 input: detect it and run fissix's fixers (the maintained lib2to3 fork) first."""

from __future__ import annotations

import ast
import io
import tokenize
from functools import lru_cache

#: Names that only Python 2 code uses (a file using them is fixed even if it parses as Python 3).
PY2_NAMES = frozenset({
    "unicode", "basestring", "xrange", "iteritems", "itervalues", "iterkeys", "has_key",
    "raw_input", "unichr", "urllib2", "cPickle", "execfile", "urlparse", "cStringIO",
})


class Py2FixError(Exception):
    """fissix could not parse the file either (it is neither Python 2 nor 3)."""


def parses_as_py3(source: str) -> bool:
    """True if ``source`` is valid Python 3 syntax."""
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


def looks_like_py2(source: str) -> bool:
    """True if ``source`` is not Python 3, or uses Python-2-only names (``unicode``, ``iteritems``...)."""
    if not parses_as_py3(source):
        return True
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.NAME and token.string in PY2_NAMES:
                return True
    except (tokenize.TokenError, SyntaxError):
        return True
    return False


@lru_cache(maxsize=1)
def _tool():
    from fissix.refactor import RefactoringTool, get_fixers_from_package

    return RefactoringTool(get_fixers_from_package("fissix.fixes"))


def fix_py2(source: str, name: str = "<file>") -> str:
    """Source rewritten by fissix's default fixers (print, except, unicode, dict views...).

    Raises :class:`Py2FixError` if fissix cannot parse it.
    """
    from fissix.pgen2.parse import ParseError
    from fissix.pgen2.tokenize import TokenError

    text = source if source.endswith("\n") else source + "\n"
    try:
        tree = _tool().refactor_string(text, name)
    except (ParseError, TokenError, SyntaxError, IndentationError) as error:
        raise Py2FixError(f"not valid Python 2 or 3: {error}") from None
    fixed = str(tree)
    if not source.endswith("\n") and fixed.endswith("\n"):
        fixed = fixed[:-1]
    return fixed
