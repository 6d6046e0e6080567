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


#: Python 2 builtins that 2/3-compatible code defines itself (``unicode = str``).
_PY2_BUILTINS = frozenset({"unicode", "basestring", "xrange", "long", "raw_input", "unichr", "execfile"})


def parses_as_py3(source: str) -> bool:
    """True if ``source`` is valid Python 3 syntax."""
    return _parse(source) is not None


def _parse(source: str):
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def looks_like_py2(source: str) -> bool:
    """True if ``source`` is not Python 3, or is Python 2 code that happens to parse as 3.

    The latter uses Python-2-only names (``unicode``, ``iteritems``,
    ``urllib2``...). Code written for both (it defines ``unicode = str``
    itself, or imports ``six``) is left alone: the fixers would turn
    ``unicode = str`` into ``str = str``.
    """
    tree = _parse(source)
    if tree is None:
        return True
    try:
        uses = {t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                if t.type == tokenize.NAME and t.string in PY2_NAMES}
    except (tokenize.TokenError, SyntaxError):
        return True
    if not uses:
        return False
    return not _compatible_with_both(tree)


def _compatible_with_both(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in _PY2_BUILTINS:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            names = [a.name for a in node.names]
            if module.split(".")[0] in ("six", "future", "past", "builtins") or any(
                n.split(".")[0] in ("six", "future", "past") for n in names
            ):
                return True
            if any((a.asname or a.name) in _PY2_BUILTINS for a in node.names):
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
